"""The holder lock (desktop.store.holder): nothing in the holding process can drop it, a second
program is refused within 2 s with who holds the ledger and since when, and a lock left by a
killed program does not block. Every test uses real processes."""

from __future__ import annotations

import os
import platform
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from desktop.store import errors
from desktop.store.holder import HolderLock, lock_path, probe
from desktop.store.ledger import Ledger
from desktop.store.models import Committee

from .util import child_env, folder_listing, open_elsewhere

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.file_only(reason="the file's holder lock (a server has none: several programs at once)")
HELD = re.compile(rf"^台账正在被 {re.escape(platform.node())}（.+）使用，自 \d{{4}}-\d\d-\d\d \d\d:\d\d 起。$")

HOLDER = textwrap.dedent(
    """
    import sys
    from desktop.store.ledger import Ledger
    led = Ledger.open(sys.argv[1])
    print("READY", flush=True)
    sys.stdin.readline()
    led.close()
    """
)


def _ledger(path: Path) -> Path:
    with Ledger.open(path, create=True) as led, led.write() as s:
        s.add(Committee(name="机关党委"))
    return path


def test_closing_another_descriptor_of_the_ledger_keeps_the_lock(tmp_path):
    """The defect: any open()+close() of the ledger in the holding process released the POSIX
    lock and a second program opened the same file."""
    path = _ledger(tmp_path / "台账.zhibu")
    with Ledger.open(path) as led:
        for target in (path, lock_path(path)):  # the ledger itself, and even the lock file
            with open(target, "rb") as fh:
                fh.read()
            fd = os.open(target, os.O_RDONLY)
            os.close(fd)
        verdict, seconds, message = open_elsewhere(path)
        assert verdict == "INUSE", message
        assert seconds < 2.0
        assert HELD.match(message), message
        with led.write() as s:  # the holder works on undisturbed
            s.add(Committee(name="仍然可以写"))
    assert open_elsewhere(path)[0] == "OPENED"


def test_refusal_names_holder_and_time_within_two_seconds(tmp_path):
    path = _ledger(tmp_path / "共享.zhibu")
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=ROOT, env=child_env())
    try:
        assert holder.stdout.readline().strip() == "READY"
        started = time.perf_counter()
        with pytest.raises(errors.InUse) as info:
            Ledger.open(path)
        assert time.perf_counter() - started < 2.0
        assert HELD.match(info.value.message), info.value.message
        found = probe(path)
        assert found and found.pid == holder.pid and found.host == platform.node()
    finally:
        holder.communicate("\n", timeout=30)
    assert probe(path) is False
    assert folder_listing(tmp_path) == ["共享.zhibu"]  # the holder removed its lock file on close
    Ledger.open(path).close()


def test_lock_of_a_killed_program_is_stale(tmp_path):
    path = _ledger(tmp_path / "崩溃.zhibu")
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=ROOT, env=child_env())
    assert holder.stdout.readline().strip() == "READY"
    assert open_elsewhere(path)[0] == "INUSE"
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(30)
    assert lock_path(path).exists() and str(holder.pid) in lock_path(path).read_text("utf-8")  # left behind
    assert probe(path) is False  # but nobody holds it
    started = time.perf_counter()
    with Ledger.open(path) as led, led.read() as s:
        assert time.perf_counter() - started < 2.0
        assert s.query(Committee).count() == 1
        assert str(os.getpid()) in lock_path(path).read_text("utf-8")  # ours now
    assert folder_listing(tmp_path) == ["崩溃.zhibu"]


def test_same_process_second_lock_is_refused(tmp_path):
    """An open-file-description lock also shuts out a second lock from this very process."""
    path = tmp_path / "x.zhibu"
    first = HolderLock.acquire(path)
    try:
        with pytest.raises(errors.InUse) as info:
            HolderLock.acquire(path, wait=0.1)
        assert HELD.match(info.value.message)
    finally:
        first.release()
    HolderLock.acquire(path).release()
    assert not lock_path(path).exists()


def test_waiting_opener_takes_over_as_the_holder_closes(tmp_path):
    """The holder removes its lock file while still holding it; an opener that was waiting and
    then locks the removed file must notice and lock the new one (never two holders)."""
    path = tmp_path / "y.zhibu"
    first = HolderLock.acquire(path)
    proc = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from desktop.store.holder import HolderLock\n"
         "h = HolderLock.acquire(sys.argv[1], wait=10); print('GOT', flush=True); sys.stdin.readline(); h.release()",
         str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT, env=child_env())
    try:
        time.sleep(0.5)
        first.release()
        assert proc.stdout.readline().strip() == "GOT"
        with pytest.raises(errors.InUse):
            HolderLock.acquire(path, wait=0.1)
    finally:
        proc.communicate("\n", timeout=30)


def test_check_and_dump_of_a_held_ledger_name_the_holder(tmp_path):
    """Read-only commands keep their documented answer (exit 2, in use) even after the holder's
    SQLite lock was dropped by a stray close in the holder."""
    path = _ledger(tmp_path / "d.zhibu")
    with Ledger.open(path):
        with open(path, "rb"):
            pass  # drops SQLite's POSIX lock in this process; the holder lock stays
        for command in (["check", str(path)], ["dump", str(path)]):
            proc = subprocess.run([sys.executable, "-m", "desktop", *command], capture_output=True, text=True,
                                  cwd=ROOT, env=child_env(), timeout=60)
            assert proc.returncode == 2, (command, proc.stdout, proc.stderr)
            assert f"台账正在被 {platform.node()}（" in proc.stdout + proc.stderr


def test_lock_name_fits_the_name_limit(tmp_path):
    long_name = "支" * 83 + ".zhibu"  # 249 + 6 = 255 bytes: the ledger fits, "+.lock" would not
    assert len(long_name.encode()) == 255
    lock = lock_path(tmp_path / long_name)
    assert len(lock.name.encode()) <= 255 and lock.name.endswith(".lock")
    assert lock == lock_path(tmp_path / long_name)  # every program derives the same name
    held = HolderLock.acquire(tmp_path / long_name)
    try:
        assert lock.exists()
    finally:
        held.release()
    assert lock_path(tmp_path / "a.zhibu").name == "a.zhibu.lock"
