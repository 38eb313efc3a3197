"""The holder lock: a small file beside the ledger (``<name>.zhibu.lock``) that is locked while a
program has the ledger open and says who that is.

SQLite's own lock on Linux is a POSIX ``fcntl`` lock, which the kernel drops when *any*
descriptor of the file is closed anywhere in the process — Qt's file dialog reading the folder is
enough. The holder lock cannot be dropped that way:

- Linux: an open-file-description lock (``F_OFD_SETLK``) on one byte of the lock file; it belongs
  to our descriptor alone and ends only when that descriptor is closed (or the process dies);
- other POSIX systems: ``flock`` (also per open file description);
- Windows: ``LockFileEx`` through ``msvcrt.locking`` on our handle (per handle).

The locked byte lies at ``LOCK_OFFSET``, past the holder text, so other programs can read who
holds the file even where locks are mandatory (Windows). A lock file left by a crashed program is
stale: the kernel released its lock, so the next opener simply takes it over. On close the
holder removes the file (on POSIX while still holding the lock, so a waiting opener that then
locks the removed file notices and retries on the new one).
"""

from __future__ import annotations

import errno
import getpass
import hashlib
import json
import logging
import os
import platform
import socket
import struct
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import errors

log = logging.getLogger(__name__)

LOCK_SUFFIX = ".lock"
LOCK_OFFSET = 1 << 20  # the one locked byte, beyond the holder text
NAME_MAX_BYTES = 255
_HOLDER_MAX = 4096
_F_OFD_SETLK = getattr(__import__("fcntl"), "F_OFD_SETLK", 37) if sys.platform == "linux" else None
_F_OFD_GETLK = getattr(__import__("fcntl"), "F_OFD_GETLK", 36) if sys.platform == "linux" else None


def lock_path(ledger_path: Path | str) -> Path:
    """``<name>.zhibu.lock`` beside the ledger; a hashed short name when that would exceed the
    file system's 255-byte name limit (every program computes the same one)."""
    path = Path(ledger_path)
    name = path.name + LOCK_SUFFIX
    if len(name.encode("utf-8")) > NAME_MAX_BYTES:
        digest = hashlib.sha1(path.name.encode("utf-8")).hexdigest()[:16]
        name = f".zhibu-{digest}{LOCK_SUFFIX}"
    return path.with_name(name)


@dataclass(frozen=True)
class Holder:
    """Who holds a ledger: computer name, user, process id and since when."""

    host: str
    user: str
    pid: int
    since: datetime

    @classmethod
    def me(cls) -> Holder:
        return cls(_computer_name(), _user_name(), os.getpid(), datetime.now().astimezone())

    def to_bytes(self) -> bytes:
        data = {"host": self.host, "user": self.user, "pid": self.pid, "since": self.since.isoformat(),
                "program": "支部台账"}
        return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> Holder | None:
        try:
            data = json.loads(raw.split(b"\n", 1)[0].decode("utf-8"))
            since = datetime.fromisoformat(data["since"])
            return cls(str(data["host"]), str(data["user"]), int(data["pid"]), since)
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            return None

    def message(self) -> str:
        when = self.since.astimezone().strftime("%Y-%m-%d %H:%M")
        return f"台账正在被 {self.host}（{self.user}）使用，自 {when} 起。"


def _computer_name() -> str:
    name = os.environ.get("COMPUTERNAME") if sys.platform == "win32" else None
    return name or platform.node() or socket.gethostname() or "未知计算机"


def _user_name() -> str:
    try:
        return getpass.getuser() or "未知用户"
    except Exception:  # noqa: BLE001 - no user name in the environment or the password database
        return "未知用户"


# ------------------------------------------------------------------ platform primitives
def _flock_struct(kind: int, offset: int) -> bytes:
    # struct flock: l_type, l_whence (short); l_start, l_len (off_t); l_pid (pid_t, 0 for OFD locks)
    return struct.pack("@hhqqi4x", kind, os.SEEK_SET, offset, 1, 0)


def _try_lock(fd: int) -> bool:
    """Take the holder lock on ``fd`` without waiting; False when someone else holds it."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    if _F_OFD_SETLK is not None:
        try:
            fcntl.fcntl(fd, _F_OFD_SETLK, _flock_struct(fcntl.F_WRLCK, LOCK_OFFSET))
            return True
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                return False
            if exc.errno != errno.EINVAL:  # EINVAL: the file system has no OFD locks; use flock
                raise
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise


def _is_locked(fd: int) -> bool:
    """True when another open file description holds the lock (``fd`` may be read-only)."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBRLCK, 1)
        except OSError:
            return True
        os.lseek(fd, LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return False
    import fcntl

    if _F_OFD_GETLK is not None:
        try:
            out = fcntl.fcntl(fd, _F_OFD_GETLK, _flock_struct(fcntl.F_WRLCK, LOCK_OFFSET))
            return struct.unpack("@hhqqi4x", out)[0] != fcntl.F_UNLCK
        except OSError as exc:
            if exc.errno != errno.EINVAL:
                raise
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return True
        raise
    fcntl.flock(fd, fcntl.LOCK_UN)
    return False


def _read_holder(fd: int) -> Holder | None:
    try:
        return Holder.from_bytes(os.pread(fd, _HOLDER_MAX, 0) if hasattr(os, "pread") else _seek_read(fd))
    except OSError:
        return None


def _seek_read(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, _HOLDER_MAX)


def _same_file(fd: int, path: Path) -> bool:
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (now.st_dev, now.st_ino)


def in_use_error(ledger_path: Path, holder: Holder | None, detail: str = "") -> errors.InUse:
    message = holder.message() if holder is not None else "台账正在被另一个程序或另一台电脑使用。"
    return errors.InUse(ledger_path, message, detail)


# ------------------------------------------------------------------ the lock
class HolderLock:
    """The holder lock of one ledger, held by this process until :meth:`release`.

    ``fd`` is None when the folder does not allow creating the lock file (a read-only share or
    stick): then only SQLite's own lock protects the file, which is all a read-only file needs.
    """

    def __init__(self, ledger_path: Path, path: Path, fd: int | None, holder: Holder):
        self.ledger_path = ledger_path
        self.path = path
        self.fd = fd
        self.holder = holder

    @classmethod
    def acquire(cls, ledger_path: Path | str, wait: float = 0.2) -> HolderLock:
        """Lock ``ledger_path`` for this process or raise :class:`errors.InUse` naming the holder.
        ``wait``: how long to retry while another program is just closing the file."""
        ledger_path = Path(ledger_path)
        path = lock_path(ledger_path)
        me = Holder.me()
        deadline = time.monotonic() + wait
        while True:
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
                             | getattr(os, "O_BINARY", 0), 0o644)
            except OSError as exc:
                if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                    held = probe(ledger_path)
                    if held is not False:
                        raise in_use_error(ledger_path, held or None) from exc
                    log.info("no holder lock for %s: %s", ledger_path, exc)
                    return cls(ledger_path, path, None, me)
                raise
            try:
                locked = _try_lock(fd)
            except BaseException:
                os.close(fd)
                raise
            if locked and _same_file(fd, path):
                try:
                    os.ftruncate(fd, 0)
                    os.lseek(fd, 0, os.SEEK_SET)
                    os.write(fd, me.to_bytes())
                except OSError:
                    log.warning("could not write the holder of %s", ledger_path, exc_info=True)
                return cls(ledger_path, path, fd, me)
            holder = _read_holder(fd) if not locked else None
            os.close(fd)  # our own description: closing it never touches another lock
            if locked:  # we locked a lock file its holder removed as it closed: take the new one
                continue
            if time.monotonic() >= deadline:
                raise in_use_error(ledger_path, holder)
            time.sleep(0.05)

    @property
    def held(self) -> bool:
        return self.fd is not None

    def release(self) -> None:
        fd, self.fd = self.fd, None
        if fd is None:
            return
        if sys.platform == "win32":
            import msvcrt

            try:
                os.lseek(fd, LOCK_OFFSET, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
            finally:
                os.close(fd)
            try:  # fails harmlessly if another program opened it meanwhile (no delete sharing)
                self.path.unlink()
            except OSError:
                pass
            return
        try:
            if _same_file(fd, self.path):
                self.path.unlink()  # still locked: a waiting opener will see it is gone
        except OSError:
            log.info("could not remove %s", self.path, exc_info=True)
        finally:
            os.close(fd)

    def __repr__(self) -> str:
        return f"<HolderLock {self.path} {'held' if self.held else 'not held'}>"


def probe(ledger_path: Path | str) -> Holder | None | bool:
    """Who holds ``ledger_path``, without creating or changing anything: False when nobody does,
    the :class:`Holder` when a program does, None when one does but its text is unreadable."""
    path = lock_path(Path(ledger_path))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    try:
        if not _is_locked(fd):
            return False
        for _ in range(10):  # the holder writes its text right after locking
            holder = _read_holder(fd)
            if holder is not None:
                return holder
            time.sleep(0.02)
        return None
    finally:
        os.close(fd)


def refuse_if_held(ledger_path: Path | str) -> None:
    """Raise :class:`errors.InUse` naming the holder when another program has the ledger open."""
    held = probe(ledger_path)
    if held is not False:
        raise in_use_error(Path(ledger_path), held or None)
