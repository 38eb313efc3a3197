"""Automatic backups (desktop.store.backups, desktop.services.backups/autobackup) on real files."""

from __future__ import annotations

import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop.services import backups as svc
from desktop.services.autobackup import AutoBackup
from desktop.services.members import MemberInput, save_member
from desktop.store import errors
from desktop.store.backups import BACKUP_SUFFIX, BackupFile, Retention, list_folder, to_delete
from desktop.store.ledger import Ledger

pytestmark = pytest.mark.file_only  # backups of the file (a server is backed up with pg_dump by its admin)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def members_in(path: Path) -> set[str]:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
        return {r[0] for r in db.execute("SELECT name FROM member WHERE deleted_at IS NULL")}


def add_member(ledger, name: str) -> str:
    return save_member(ledger, MemberInput(name=name, branch_id=ledger.ids["branch2"], gender="男",
                                           birth_date="1980-01-01", join_date="2005-07-01", full_date="2006-07-01"))


def test_backup_is_verified_in_the_ledgers_own_folder(org_ledger, tmp_path):
    made = svc.backup_before(org_ledger, "import", root=tmp_path / "b")
    assert made.path.name.endswith(f".import{BACKUP_SUFFIX}") and made.path.name.startswith("t.")
    assert made.path.parent.parent == tmp_path / "b"
    with closing(sqlite3.connect(made.path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert members_in(made.path) == {"张建国", "李秀英", "王磊", "赵敏", "陈志强"}
    assert [p.name for p in made.path.parent.iterdir()] == [made.path.name]  # no temp file left
    entries = svc.list_backups(org_ledger, root=tmp_path / "b")
    assert [(e.path, e.reason_label, e.counts) for e in entries] == [
        (made.path, "导入前", {"member": 5, "meeting": 0, "measure": 0})
    ]
    assert entries[0].size == made.path.stat().st_size


def test_two_ledgers_never_share_a_folder_and_copies_of_one_do(org_ledger, tmp_path):
    root = tmp_path / "b"
    mine = svc.backup_before(org_ledger, "manual", root=root)
    other = Ledger.open(tmp_path / "other.zhibu", create=True)
    try:
        from desktop.services.organization import save_committee

        save_committee(other, "另一个机关党委", "")
        theirs = svc.backup_before(other, "manual", root=root)
    finally:
        other.close()
    assert mine.path.parent != theirs.path.parent
    copy = tmp_path / "copy.zhibu"
    shutil.copyfile(mine.path, copy)  # a copy of the same ledger (another office) shares its backups
    assert svc.backup_folder(copy, root) == mine.path.parent
    assert [e.path for e in svc.list_backups(copy, root)] == [mine.path]


def test_backup_waits_for_a_running_transaction(org_ledger, tmp_path):
    """Never half-committed: a backup asked for mid-transaction is taken after the commit."""
    inside, result = threading.Event(), {}

    def writer():
        with org_ledger.write() as s:
            from desktop.store.models import Member

            s.add(Member(name="半途", branch_id=org_ledger.ids["branch2"]))
            s.flush()
            inside.set()
            time.sleep(0.4)

    t = threading.Thread(target=writer)
    t.start()
    assert inside.wait(5)
    result["b"] = svc.backup_before(org_ledger, "auto", root=tmp_path / "b")
    t.join()
    assert "半途" in members_in(result["b"].path)


def _fake(folder: Path, made: datetime, reason: str = "auto") -> BackupFile:
    return BackupFile(folder / f"x.{made:%Y%m%dT%H%M%S}-000Z.{reason}{BACKUP_SUFFIX}", made, reason)


def test_rotation_keeps_last_daily_monthly_and_newest():
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    folder = Path("/nowhere")
    # four backups a day for 400 days, newest first
    all_ = [_fake(folder, now - timedelta(hours=6 * i)) for i in range(1600)]
    gone = {b.path for b in to_delete(all_, Retention(10, 14, 12), now)}
    kept = [b for b in all_ if b.path not in gone]
    assert all_[:10] == kept[:10]  # the last 10
    days = {b.made_at.astimezone().date() for b in kept}
    for d in range(14):
        assert (now - timedelta(days=d)).astimezone().date() in days
    months = {(b.made_at.astimezone().year, b.made_at.astimezone().month) for b in kept}
    assert len(months) >= 12  # this month and the 11 before it
    assert len(kept) <= 10 + 14 + 13
    # nothing young enough: the newest good backup still stays
    old = [_fake(folder, now - timedelta(days=900 + i)) for i in range(5)]
    assert [b.path for b in old if b not in to_delete(old, Retention(1, 0, 0), now)] == [old[0].path]


def test_real_rotation_after_backups(org_ledger, tmp_path):
    root = tmp_path / "b"
    from dataclasses import replace

    from desktop.services.settings import get_settings, save_settings

    save_settings(org_ledger, replace(get_settings(org_ledger), backup_keep_last=3, backup_keep_daily=0,
                                      backup_keep_monthly=0))
    made = [svc.backup_before(org_ledger, "manual", root=root) for _ in range(5)]
    left = list_folder(made[-1].path.parent)
    assert [b.path for b in left] == [m.path for m in reversed(made)][:3]


def test_failed_backup_keeps_older_ones_and_leaves_no_temp(org_ledger, tmp_path, monkeypatch):
    root = tmp_path / "b"
    first = svc.backup_before(org_ledger, "manual", root=root)
    import desktop.store.backups as store_backups

    def broken(source, dest):  # the disk fills up while the copy is written
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store_backups, "copy_unverified", broken)
    with pytest.raises(errors.DiskFull) as info:
        svc.backup_before(org_ledger, "manual", root=root)
    assert "备份失败" in info.value.message
    assert [p.name for p in first.path.parent.iterdir()] == [first.path.name]


def test_backup_of_an_old_schema_is_not_upgraded_in_place(tmp_path):
    root = tmp_path / "b"
    folder = root / "x"
    folder.mkdir(parents=True)
    backup = folder / f"支部台账.20260101T000000Z.open{BACKUP_SUFFIX}"
    shutil.copyfile(FIXTURES / "ledger_v1.zhibu", backup)
    before = backup.read_bytes()
    with pytest.raises(errors.IsBackup) as info:
        Ledger.open(backup, backup_dir=root)
    assert "自动备份" in info.value.message and "从备份恢复" in info.value.advice
    assert backup.read_bytes() == before
    inside = folder / "renamed.zhibu"  # any file inside the backup folder counts as a backup
    shutil.copyfile(FIXTURES / "ledger_v1.zhibu", inside)
    with pytest.raises(errors.IsBackup):
        Ledger.open(inside, backup_dir=root)
    # restored to a real ledger file, it upgrades normally
    target = tmp_path / "restored.zhibu"
    svc.restore_backup(backup, target, root=root)
    with Ledger.open(target, backup_dir=root) as led:
        assert led.upgraded_from == 1


def test_restore_backs_up_the_current_file_first(org_ledger, tmp_path):
    root = tmp_path / "b"
    old = svc.backup_before(org_ledger, "manual", root=root)
    add_member(org_ledger, "后来者")
    path = org_ledger.path
    with pytest.raises(errors.InUse):  # open in this process: close first
        svc.restore_backup(old.path, path, force=True, root=root)
    org_ledger.close()
    with pytest.raises(errors.FileExists):
        svc.restore_backup(old.path, path, root=root)
    assert "后来者" in members_in(path)
    result = svc.restore_backup(old.path, path, force=True, root=root)
    assert "后来者" not in members_in(path)
    assert result.previous_backup is not None and "后来者" in members_in(result.previous_backup)
    assert result.previous_backup.name.endswith(f".restore{BACKUP_SUFFIX}")
    assert old.path.exists()  # never rotated away
    assert sorted(p.name for p in path.parent.iterdir() if not p.is_dir()) == ["t.zhibu"]


def test_restore_refuses_a_damaged_backup(org_ledger, tmp_path):
    root = tmp_path / "b"
    made = svc.backup_before(org_ledger, "manual", root=root)
    data = bytearray(made.path.read_bytes())
    data[100:] = b"\x00" * (len(data) - 100)  # header kept, pages gone
    made.path.write_bytes(bytes(data))
    target = tmp_path / "new.zhibu"
    with pytest.raises(errors.LedgerFileError):
        svc.restore_backup(made.path, target, root=root)
    assert not target.exists()
    assert svc.list_backups(org_ledger, root)[0].counts is None


def test_autobackup_on_open_interval_and_close(org_ledger, tmp_path):
    root = tmp_path / "b"
    # the fake clock starts at the real time: backup files are stamped by the real clock, and
    # AutoBackup reads the newest stamp back (a fixed start failed on the day it names, after 8:00)
    now = [datetime.now(UTC)]
    auto = AutoBackup(org_ledger, root, clock=lambda: now[0])
    assert auto.opened().reason == "open"
    assert auto.tick(timedelta(minutes=10)) is None  # nothing changed
    now[0] += timedelta(hours=2)
    assert AutoBackup(org_ledger, root, clock=lambda: now[0]).opened() is None  # the last is < 1 day old
    add_member(org_ledger, "新来的")
    now[0] += timedelta(minutes=5)
    assert auto.tick(timedelta(minutes=10)) is None  # changes younger than the interval
    now[0] += timedelta(minutes=6)
    made = auto.tick(timedelta(minutes=10))
    assert made is not None and made.reason == "auto" and "新来的" in members_in(made.path)
    assert auto.closing() is None  # nothing changed since
    auto2 = AutoBackup(org_ledger, root, clock=lambda: now[0])
    add_member(org_ledger, "又一个")
    closed = auto2.closing()
    assert closed.reason == "close" and "又一个" in members_in(closed.path)
    now[0] += timedelta(days=1, minutes=1)
    assert AutoBackup(org_ledger, root, clock=lambda: now[0]).opened() is not None


def test_member_import_backs_up_first(org_ledger, tmp_path):
    from desktop.services.member_io import commit_import, guess_mapping, preview_import, read_table

    csv = tmp_path / "名单.csv"
    csv.write_text("姓名,性别,出生日期,所在支部,入党日期,转正日期\n孙新,男,1985-02-03,第二党支部,2010-07-01,2011-07-01\n",
                   encoding="utf-8")
    table = read_table(csv)
    preview = preview_import(org_ledger, table, guess_mapping(table.headers))
    assert commit_import(org_ledger, preview) == 1
    entries = svc.list_backups(org_ledger)  # default root: the data dir's backups folder
    assert [e.reason for e in entries] == ["import"]
    assert "孙新" not in members_in(entries[0].path) and len(members_in(entries[0].path)) == 5  # before the import


ROOT = Path(__file__).resolve().parents[2]


def zhibu(*args: str, data: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "ZHIBU_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True, text=True, cwd=ROOT, env=env)


def test_cli_backups_and_restore(org_ledger, tmp_path):
    data = tmp_path / "data"  # the per-test ZHIBU_DATA_DIR
    made = svc.backup_before(org_ledger, "manual")
    add_member(org_ledger, "后来者")
    path = org_ledger.path
    org_ledger.close()
    listed = zhibu("backups", str(path), data=data)
    assert listed.returncode == 0, listed.stderr
    assert "共 1 份备份" in listed.stdout and "手动" in listed.stdout and "党员5，会议0，整改措施0" in listed.stdout
    assert str(made.path) in listed.stdout

    refused = zhibu("restore", str(made.path), str(path), data=data)
    assert refused.returncode == 2 and "文件已存在，没有覆盖" in refused.stderr and "--force" in refused.stderr
    assert "后来者" in members_in(path)

    done = zhibu("restore", str(made.path), str(path), "--force", data=data)
    assert done.returncode == 0, done.stderr
    assert "已从备份恢复" in done.stdout and "原文件已先备份到" in done.stdout
    assert "后来者" not in members_in(path)
    listed = zhibu("backups", str(path), data=data)
    assert "共 2 份备份" in listed.stdout and "恢复前" in listed.stdout and "党员6" in listed.stdout

    missing = zhibu("restore", str(tmp_path / "无.zhibu-backup"), str(tmp_path / "new.zhibu"), data=data)
    assert missing.returncode == 2 and "找不到" in missing.stderr
    not_ledger = zhibu("backups", str(tmp_path / "无.zhibu"), data=data)
    assert not_ledger.returncode == 2 and "找不到台账文件" in not_ledger.stderr


HOLDER = """
import sys
from desktop.store.ledger import Ledger
led = Ledger.open(sys.argv[1])
print("ready", flush=True)
sys.stdin.read()
led.close()
"""


def test_cli_restore_refuses_a_file_another_program_has_open(org_ledger, tmp_path):
    made = svc.backup_before(org_ledger, "manual")
    path = org_ledger.path
    org_ledger.close()
    before = path.read_bytes()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "ready"
        proc = zhibu("restore", str(made.path), str(path), "--force", data=tmp_path / "data")
    finally:
        holder.communicate("", timeout=30)
    assert proc.returncode == 2 and f"台账正在被 {platform.node()}（" in proc.stderr, proc.stderr
    assert path.read_bytes() == before


def test_backup_of_a_closed_ledger_is_refused_without_touching_the_file(org_ledger, tmp_path):
    """A background backup that starts after its ledger closed must not reopen the file."""
    org_ledger.close()
    with pytest.raises(errors.LedgerClosed):
        svc.backup_before(org_ledger, "auto", root=tmp_path / "b")
    assert not (tmp_path / "b").exists()
    with Ledger.open(org_ledger.path):  # nothing holds the file
        pass
