"""A ledger with our application id but missing tables or columns (damaged, or copied while an
upgrade was writing it) is refused everywhere with 「台账已损坏」 and exit 2 — never a traceback,
never a dump that silently leaves the table out."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from desktop.services.files import check_ledger, dump_ledger
from desktop.store import errors
from desktop.store.ledger import Ledger

from .util import fill_rich, sha256

ROOT = Path(__file__).resolve().parents[2]


def _damaged(path: Path, sql: str) -> Path:
    with Ledger.open(path, create=True) as ledger:
        fill_rich(ledger)
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA foreign_keys = OFF")
        db.execute(sql)
        db.commit()
    return path


@pytest.fixture(params=["DROP TABLE speech", "ALTER TABLE member DROP COLUMN job_title"], ids=["table", "column"])
def damaged(request, tmp_path) -> Path:
    return _damaged(tmp_path / "损坏.zhibu", request.param)


def test_open_check_and_dump_refuse_with_a_plain_message(damaged):
    before = sha256(damaged)
    with pytest.raises(errors.CorruptFile) as caught:
        Ledger.open(damaged)
    assert "台账已损坏" in caught.value.message and ("speech" in caught.value.message or "job_title" in caught.value.message)
    report = check_ledger(damaged)
    assert report.exit_code == 2 and "台账已损坏" in report.problems[0]
    with pytest.raises(errors.CorruptFile):
        dump_ledger(damaged)
    assert sha256(damaged) == before


COMMANDS = [
    ["check"], ["dump"], ["summary"], ["precheck"], ["export", "{file}", "roster", "--out", "{out}"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: a[0])
def test_every_command_says_damaged_and_exits_2(tmp_path, argv):
    path = _damaged(tmp_path / "损坏.zhibu", "DROP TABLE speech")
    args = [a.format(file=path, out=tmp_path / "out") for a in argv] if len(argv) > 1 else [argv[0], str(path)]
    proc = subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)  # fmt: skip
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out
    assert "台账已损坏" in out and "Traceback" not in out, out
    if argv[0] == "dump":
        assert '"tables"' not in proc.stdout
