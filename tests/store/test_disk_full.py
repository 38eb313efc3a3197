"""Disk full during a save, on a real full file system (a small tmpfs mounted for the test; skipped
where mounting is not permitted): the user is told 「磁盘已满」, the ledger keeps its last saved
state, reopens and passes the check; a copy that does not fit leaves nothing behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from desktop.services.files import check_ledger, save_copy
from desktop.store import errors
from desktop.store.ledger import Ledger
from desktop.store.models import Member

from .util import fill_rich

pytestmark = pytest.mark.file_only(reason="a full disk under the file")

SIZE = "768k"


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "stick"
    mount.mkdir()
    if sys.platform != "linux" or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root on Linux")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(mount)], capture_output=True)
    if proc.returncode != 0:
        pytest.skip(f"mount not permitted here: {proc.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _members(ledger: Ledger) -> int:
    with ledger.read() as s:
        return s.scalar(select(func.count()).select_from(Member))


def test_a_save_that_does_not_fit_says_disk_full_and_keeps_the_ledger(small_disk):
    path = small_disk / "台账.zhibu"
    with Ledger.open(path, create=True) as ledger:
        fill_rich(ledger)
        before = _members(ledger)
        with pytest.raises(errors.DiskFull) as caught:
            with ledger.write() as s:  # ~1 MB of notes: more than the stick holds
                s.add_all(Member(name=f"党员{i}", notes="学习记录" * 2000) for i in range(40))
        assert "磁盘已满" in caught.value.message
        assert _members(ledger) == before  # the open ledger goes on, unchanged
        with ledger.write() as s:  # and a small save still fits
            s.add(Member(name="新党员"))
    with Ledger.open(path) as ledger:
        assert _members(ledger) == before + 1
    assert check_ledger(path).ok
    assert sorted(p.name for p in small_disk.iterdir()) == ["台账.zhibu"]


def test_a_copy_that_does_not_fit_says_disk_full_and_leaves_nothing(small_disk, tmp_path):
    source = tmp_path / "大台账.zhibu"
    with Ledger.open(source, create=True) as ledger:
        fill_rich(ledger)
        with ledger.write() as s:
            s.add_all(Member(name=f"党员{i}", notes="学习记录" * 2000) for i in range(40))
        with pytest.raises(errors.DiskFull) as caught:
            save_copy(ledger, small_disk / "副本.zhibu")
    assert "磁盘已满" in caught.value.message
    assert list(small_disk.iterdir()) == []


def test_an_upgrade_that_does_not_fit_leaves_the_old_file_as_it_was(small_disk, tmp_path):
    from .util import LEDGER_V1, sha256

    path = small_disk / "旧台账.zhibu"
    shutil.copyfile(LEDGER_V1, path)
    free = shutil.disk_usage(small_disk).free
    (small_disk / "照片.jpg").write_bytes(b"\xff" * (free - 24 * 1024))  # the stick is nearly full
    with pytest.raises(errors.DiskFull) as caught:
        Ledger.open(path, backup_dir=tmp_path / "backups")
    assert "磁盘已满" in caught.value.message and "文件保持原样" in caught.value.message
    assert sha256(path) == sha256(LEDGER_V1)
    assert sorted(p.name for p in small_disk.iterdir()) == ["旧台账.zhibu", "照片.jpg"]
    (small_disk / "照片.jpg").unlink()  # room again: the upgrade goes through
    with Ledger.open(path, backup_dir=tmp_path / "backups") as ledger:
        assert ledger.upgraded_from == 1
    assert check_ledger(path).ok
