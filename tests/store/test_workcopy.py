"""Working copy for ledgers on removable and network media (desktop.store.workcopy, media)."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pytest

from desktop.store import copycheck, errors, workcopy, writeback
from desktop.store.ledger import Ledger
from desktop.store.media import LOCAL, NETWORK, REMOVABLE, medium_of
from desktop.store.models import Committee

from .util import folder_listing, sha256

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.file_only(reason="the working copy of a file on a stick or share")

MOUNTINFO = textwrap.dedent(
    r"""
    22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw
    40 22 8:17 / /media/zhang/KINGSTON rw,nosuid,nodev,relatime shared:9 - vfat /dev/sdb1 rw,uid=1000
    41 22 0:51 / /mnt/office rw,relatime shared:10 - cifs //fileserver/党建 rw,vers=3.1.1
    42 22 0:52 / /mnt/nfs rw,relatime - nfs4 server:/export rw
    43 22 0:53 / /home/zhang/remote rw,nosuid,nodev - fuse.sshfs zhang@host:/data rw
    44 22 8:33 / /media/zhang/My\040Disk rw,relatime - exfat /dev/sdc1 rw
    45 22 8:1 / /data rw,relatime - ext4 /dev/sda1 rw
    """
)


@pytest.fixture
def fake_sys(tmp_path):
    """A /sys tree: sdb and sdc removable (a stick, a USB disk), sda a fixed disk."""
    root = tmp_path / "sys"
    for disk, part, dev, removable in (("sdb", "sdb1", "8:17", "1"), ("sdc", "sdc1", "8:33", "0"),
                                       ("sda", "sda1", "8:1", "0")):
        bus = "usb1/1-1/host6/block" if disk == "sdc" else "pci0000:00/ata1/block"
        disk_dir = root / "devices" / bus / disk
        (disk_dir / part).mkdir(parents=True)
        (disk_dir / "removable").write_text(removable + "\n")
        link = root / "dev" / "block" / dev
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(disk_dir / part)
    return root


@pytest.mark.parametrize("path,kind,fstype", [
    ("/media/zhang/KINGSTON/台账.zhibu", REMOVABLE, "vfat"),
    ("/media/zhang/My Disk/党建/台账.zhibu", REMOVABLE, "exfat"),  # USB disk: removable flag 0, on usb
    ("/mnt/office/台账.zhibu", NETWORK, "cifs"),
    ("/mnt/nfs/a/b.zhibu", NETWORK, "nfs4"),
    ("/home/zhang/remote/x.zhibu", NETWORK, "fuse.sshfs"),
    ("/data/台账.zhibu", LOCAL, "ext4"),
    ("/home/zhang/台账.zhibu", LOCAL, "ext4"),
])  # fmt: skip
def test_medium_from_mountinfo(fake_sys, path, kind, fstype):
    medium = medium_of(path, mountinfo=MOUNTINFO, sys_root=fake_sys)
    assert (medium.kind, medium.fstype) == (kind, fstype)
    assert medium.needs_working_copy == (kind != LOCAL)


def test_this_machine_tmp_is_local(tmp_path):
    assert medium_of(tmp_path / "x.zhibu").kind == LOCAL


def _ledger(path: Path, n: int = 3) -> Path:
    with Ledger.open(path, create=True) as led, led.write() as s:
        s.add_all(Committee(name=f"党委{i}") for i in range(n))
    return path


def _count(path: Path) -> int:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
        return db.execute("SELECT count(*) FROM committee").fetchone()[0]


def test_modes(tmp_path):
    path = _ledger(tmp_path / "本机.zhibu")
    with workcopy.open_ledger(path, mode="auto") as led:  # local disk: no working copy
        assert led.working_copy is None and led.path == path
    with workcopy.open_ledger(path, mode="never") as led:
        assert led.working_copy is None
    with workcopy.open_ledger(path, mode="always") as led:
        assert led.working_copy is not None and led.path != path and led.shown_path == path


def test_working_copy_round_trip(tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    origin = _ledger(stick / "台账.zhibu")
    before = sha256(origin)
    led = workcopy.open_ledger(origin, mode="always")
    wc = led.working_copy
    assert led.path.is_relative_to(workcopy.work_root()) and led.path.name == "台账.zhibu"
    assert folder_listing(stick) == ["台账.zhibu", "台账.zhibu.lock"]  # the holder lock is on the stick
    assert not wc.dirty and wc.write_back() is False  # nothing to write
    with led.write() as s:
        s.add(Committee(name="本机新增"))
    assert wc.dirty and sha256(origin) == before  # the stick is untouched until a save point
    assert wc.write_back() is True and not wc.dirty
    assert _count(origin) == 4 and _count(stick / "台账.zhibu.prev") == 3
    assert sha256(stick / "台账.zhibu.prev") == before  # the previous version, byte for byte
    with closing(sqlite3.connect(origin)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA application_id").fetchone()[0] == 0x5A484255
    with led.write() as s:
        s.add(Committee(name="第二次"))
    assert wc.write_back() is True and _count(origin) == 5 and _count(stick / "台账.zhibu.prev") == 4
    local = led.path
    led.close()
    assert not local.exists() and not local.parent.exists()  # everything written: the copy goes
    assert folder_listing(stick) == ["台账.zhibu", "台账.zhibu.prev"]


def test_second_program_is_refused_while_the_working_copy_is_open(tmp_path):
    origin = _ledger(tmp_path / "共享.zhibu")
    with workcopy.open_ledger(origin, mode="always"):
        with pytest.raises(errors.InUse, match="本程序中打开"):
            workcopy.open_ledger(origin, mode="always")
        code = "import sys; from desktop.store.ledger import Ledger\ntry:\n Ledger.open(sys.argv[1])\nexcept Exception as e: print(e)"
        proc = subprocess.run([sys.executable, "-c", code, str(origin)], capture_output=True, text=True,
                              cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
        assert f"台账正在被 {platform.node()}（" in proc.stdout, proc.stdout + proc.stderr


def test_original_changed_elsewhere_is_never_overwritten(tmp_path):
    origin = _ledger(tmp_path / "台账.zhibu")
    led = workcopy.open_ledger(origin, mode="always")
    wc = led.working_copy
    with led.write() as s:
        s.add(Committee(name="本机的修改"))
    # another office wrote the file on the stick meanwhile (an old program that knows no lock file)
    with closing(sqlite3.connect(origin)) as db:
        db.execute("INSERT INTO committee (id, name, unit_name, version, modified_at) "
                   "VALUES ('x', '别处的修改', '', 1, '2026-01-01 00:00:00.000000')")
        db.commit()
    theirs = sha256(origin)
    with pytest.raises(copycheck.OriginChanged) as info:
        wc.write_back()
    assert "被别处修改过" in info.value.message and "另存为副本" in info.value.advice
    assert sha256(origin) == theirs and wc.dirty  # nothing written; ours still waits
    from desktop.services.files import save_copy

    copy = save_copy(led, tmp_path / "台账-本机修改.zhibu")
    assert _count(copy) == 4 and _count(origin) == 4
    wc.discard_changes()
    led.close()
    assert sha256(origin) == theirs


def test_change_counter_alone_is_detected(tmp_path):
    """Same size and modification time, but SQLite's change counter (offset 24) moved."""
    origin = _ledger(tmp_path / "台账.zhibu")
    with workcopy.open_ledger(origin, mode="always") as led:
        wc = led.working_copy
        with led.write() as s:
            s.add(Committee(name="改"))
        st = origin.stat()
        data = bytearray(origin.read_bytes())
        data[24:28] = (int.from_bytes(data[24:28], "big") + 1).to_bytes(4, "big")
        origin.write_bytes(bytes(data))
        os.utime(origin, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert wc.origin_changed() is not None
        with pytest.raises(copycheck.OriginChanged):
            wc.write_back()
        wc.discard_changes()


def test_pulled_stick_keeps_the_changes(tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    origin = _ledger(stick / "台账.zhibu")
    led = workcopy.open_ledger(origin, mode="always")
    wc = led.working_copy
    with led.write() as s:
        s.add(Committee(name="拔出前的修改"))
    hidden = tmp_path / "elsewhere"
    stick.rename(hidden)  # the stick is gone
    with pytest.raises(copycheck.OriginUnavailable, match="U 盘是否已拔出"):
        wc.write_back()
    local = led.path
    led.close()
    assert local.exists()  # unwritten changes stay on this PC
    hidden.rename(stick)  # plugged back in
    with workcopy.open_ledger(origin, mode="always") as again:
        assert again.working_copy.kept_unsaved and again.working_copy.dirty
        assert again.working_copy.write_back()
    assert _count(origin) == 4


def test_crashed_session_changes_are_kept_or_set_aside(tmp_path):
    origin = _ledger(tmp_path / "台账.zhibu")
    code = textwrap.dedent("""
        import os, sys
        from desktop.store import workcopy
        from desktop.store.models import Committee
        led = workcopy.open_ledger(sys.argv[1], mode="always")
        with led.write() as s:
            s.add(Committee(name="崩溃前的修改"))
        os._exit(9)
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", code, str(origin)], env=env, cwd=ROOT, timeout=60)
    with workcopy.open_ledger(origin, mode="always") as led:  # the stick is as we left it: keep ours
        assert led.working_copy.kept_unsaved
        led.working_copy.write_back()
    assert _count(origin) == 4
    subprocess.run([sys.executable, "-c", code, str(origin)], env=env, cwd=ROOT, timeout=60)
    with closing(sqlite3.connect(origin)) as db:  # ... but this time someone else wrote the stick
        db.execute("DELETE FROM committee WHERE name = '党委0'")
        db.commit()
    with workcopy.open_ledger(origin, mode="always") as led:
        wc = led.working_copy
        assert not wc.kept_unsaved and wc.set_aside is not None and wc.set_aside.exists()
        assert _count(wc.set_aside) == 5  # ours, never deleted
        with led.read() as s:
            assert s.query(Committee).count() == 3  # theirs is what we now work on


def test_write_back_refuses_a_damaged_copy(tmp_path, monkeypatch):
    stick = tmp_path / "stick"
    stick.mkdir()
    origin = _ledger(stick / "台账.zhibu")
    before = sha256(origin)
    with workcopy.open_ledger(origin, mode="always") as led:
        with led.write() as s:
            s.add(Committee(name="x"))
        real = sqlite3.Connection.execute

        def failing_check(self, sql, *args):
            if sql.startswith("PRAGMA integrity_check"):
                sql = "SELECT '*** in database main *** page 3 is never used'"
            return real(self, sql, *args)

        monkeypatch.setattr(writeback.sqlite3, "connect", _wrap_connect(failing_check))
        with pytest.raises(errors.CorruptFile, match="未通过校验"):
            led.working_copy.write_back()
        monkeypatch.undo()
        assert sha256(origin) == before
        assert folder_listing(stick) == ["台账.zhibu", "台账.zhibu.lock"]  # no temp file left
        led.working_copy.discard_changes()


def _wrap_connect(execute):
    real_connect = sqlite3.connect

    class Checked(sqlite3.Connection):
        def execute(self, sql, *args):
            return execute(self, sql, *args)

    def connect(*args, **kwargs):
        kwargs.setdefault("factory", Checked)
        return real_connect(*args, **kwargs)

    return connect
