"""Temporary files that hold a whole ledger while it is written (另存副本, backups, load).

A kill or power cut can leave such a file behind: a complete, readable copy of the ledger. So it
is named so that nobody takes it for a ledger — ``.zhibu-tmp-<pid>-<token>.part`` (hidden, no
``.zhibu`` extension, short enough for any destination name) — and :func:`clean_stale` removes the
ones whose creating process is gone (and, for our own pid, the ones older than this run) the next
time the program uses that folder. Files of the old naming (``.<name>.zhibu.<pid>.tmp``) are
cleaned the same way.
"""

from __future__ import annotations

import os
import re
import secrets
import sys
import time
from pathlib import Path

PREFIX = ".zhibu-tmp-"
SUFFIX = ".part"
_STALE = re.compile(r"^(?:\.zhibu-tmp-(\d+)-[0-9a-f]+\.part|\..+\.zhibu\.(\d+)\.tmp)(?:-journal)?$")
_STARTED = time.time()


def temp_path(dest: Path) -> Path:
    """A fresh temporary name beside ``dest`` (same folder, so the final rename is atomic)."""
    return Path(dest).with_name(f"{PREFIX}{os.getpid()}-{secrets.token_hex(4)}{SUFFIX}")


def is_temp_name(name: str) -> bool:
    return _STALE.match(name) is not None


def _alive(pid: int) -> bool:
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process on Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(folder: Path) -> list[Path]:
    """Remove the temporary ledger files in ``folder`` left by a process that no longer runs
    (or by an earlier run that had our pid); return what was removed. Never raises."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _STALE.match(entry.name)
        if not match:
            continue
        pid = int(match.group(1) or match.group(2))
        try:
            if pid == os.getpid():
                if entry.stat().st_mtime >= _STARTED:
                    continue  # ours, being written right now
            elif _alive(pid):
                continue
            os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def clean_stale_backups(root: Path) -> list[Path]:
    """:func:`clean_stale` in a backup root and its per-ledger folders (desktop.store.backups)."""
    removed = clean_stale(root)
    try:
        folders = [e.path for e in os.scandir(root) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return removed
    for folder in folders:
        removed += clean_stale(Path(folder))
    return removed


def fsync_file(path: Path) -> None:
    """Flush a written file to the disk before it is renamed into place."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no directory handles for this)."""
    if os.name != "posix":
        return
    try:
        fsync_file(folder)
    except OSError:
        pass
