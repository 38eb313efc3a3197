"""A ledger with our application id but missing tables or columns (damaged, or copied while an
upgrade was writing it) is refused everywhere with 「台账已损坏」 and exit 2 — never a traceback,
never a dump that silently leaves the table out. On both back ends: a server database that lost a
table or a column (a restore gone wrong, a hand edit) is refused the same way."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from backends import sql_rows

from desktop.services.files import check_ledger, dump_ledger
from desktop.store import errors
from desktop.store.opening import open_ledger

from .util import fill_rich, sha256

ROOT = Path(__file__).resolve().parents[2]


def _damage(led, sql: str) -> str:
    """``led`` filled, then damaged behind the program's back; where it is, for opening again."""
    fill_rich(led)
    if led.is_server:
        with led.engine.begin() as conn:
            conn.exec_driver_sql(sql.replace("DROP TABLE speech", "DROP TABLE speech CASCADE"))
        return led.location
    led.close()
    with closing(sqlite3.connect(led.path)) as db:
        db.execute("PRAGMA foreign_keys = OFF")
        db.execute(sql)
        db.commit()
    return led.location


def _fingerprint(led, where: str):
    if not led.is_server:
        return sha256(where)
    return sql_rows(led, "SELECT table_name, column_name FROM information_schema.columns"
                         " WHERE table_schema = current_schema() ORDER BY 1, 2"), sql_rows(led, "SELECT * FROM member ORDER BY id")


@pytest.fixture(params=["DROP TABLE speech", "ALTER TABLE member DROP COLUMN job_title"], ids=["table", "column"])
def damaged(request, ledger) -> str:
    return _damage(ledger, request.param)


def test_open_check_and_dump_refuse_with_a_plain_message(damaged, ledger):
    before = _fingerprint(ledger, damaged)
    with pytest.raises(errors.CorruptFile) as caught:
        open_ledger(damaged)
    assert "台账已损坏" in caught.value.message and ("speech" in caught.value.message or "job_title" in caught.value.message)
    report = check_ledger(damaged)
    assert report.exit_code == 2 and "台账已损坏" in report.problems[0]
    with pytest.raises(errors.CorruptFile):
        dump_ledger(damaged)
    assert _fingerprint(ledger, damaged) == before


COMMANDS = [
    ["check"], ["dump"], ["summary"], ["precheck"], ["export", "{file}", "roster", "--out", "{out}"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: a[0])
def test_every_command_says_damaged_and_exits_2(ledger, tmp_path, argv):
    path = _damage(ledger, "DROP TABLE speech")
    args = [a.format(file=path, out=tmp_path / "out") for a in argv] if len(argv) > 1 else [argv[0], str(path)]
    proc = subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)  # fmt: skip
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out
    assert "台账已损坏" in out and "Traceback" not in out, out
    if argv[0] == "dump":
        assert '"tables"' not in proc.stdout
