"""Every command that opens a ledger says what opening changed in the file: an upgrade of an old
file (and where the backup went), or a save that a crash had left unfinished (issue 9)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .util import LEDGER_V1

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.file_only(reason="an old file's upgrade and a hot journal, said by every command")


def _run(args: list[str], data: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, ZHIBU_DATA_DIR=str(data), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=120)  # fmt: skip


@pytest.mark.parametrize("argv", [["summary", "{file}"], ["export", "{file}", "roster", "--out", "{out}"]],
                         ids=lambda a: a[0])  # fmt: skip
def test_upgrading_an_old_file_is_said_with_the_backup_path(tmp_path, argv):
    file = tmp_path / "旧台账.zhibu"
    shutil.copyfile(LEDGER_V1, file)
    proc = _run([a.format(file=file, out=tmp_path / "out") for a in argv], tmp_path / "data")
    assert proc.returncode in (0, 1), proc.stderr
    match = re.search(r"台账已从第 1 版数据格式升级到第 \d+ 版，升级前的原文件已备份到：(.+)", proc.stderr)
    assert match, proc.stderr
    backup = Path(match.group(1).strip())
    assert backup.is_file() and backup.stat().st_size > 0
    again = _run([a.format(file=file, out=tmp_path / "out") for a in argv], tmp_path / "data")
    assert "升级" not in again.stderr  # said once, when it happened


CRASHER = """
import os, sys
from desktop.store.ledger import Ledger
led = Ledger.open(sys.argv[1])
db = led.engine.raw_connection().driver_connection
db.execute("PRAGMA cache_size = 1")  # spill changed pages to the file before the crash
db.execute("BEGIN")
db.execute("UPDATE committee SET name = name || '未提交的修改未提交的修改未提交的修改'")
os._exit(1)  # the power goes out mid-transaction
"""


def test_a_recovered_crash_is_said(tmp_path):
    from desktop.store.ledger import Ledger
    from desktop.store.models import Committee

    file = tmp_path / "台账.zhibu"
    with Ledger.open(file, create=True) as ledger, ledger.write() as s:  # enough pages for the update to spill
        s.add_all(Committee(name=f"党委{i:04d}" * 20) for i in range(2000))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    subprocess.run([sys.executable, "-c", CRASHER, str(file)], env=env, cwd=ROOT, timeout=120)
    assert Path(f"{file}-journal").stat().st_size > 0  # a hot journal is left
    proc = _run(["summary", str(file)], tmp_path / "data")
    assert proc.returncode == 0, proc.stderr
    assert "上次保存没有完成" in proc.stderr and "未完成的修改已撤销" in proc.stderr, proc.stderr
    with Ledger.open(file) as ledger, ledger.read() as s:
        assert not any("未提交" in c.name for c in s.query(Committee))
