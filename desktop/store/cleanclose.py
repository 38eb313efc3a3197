"""Ledgers this program closed cleanly: opening one again, unchanged, skips the full quick_check.

``PRAGMA quick_check`` reads the whole file (0.25 s for the 37 MB ten-year ledger, more from a USB
stick), so :meth:`Ledger.open` runs it only for a file it cannot vouch for: one that comes from
elsewhere, was changed by another computer, or was never closed here. On a clean close the
ledger's fingerprint (size, modification time in ns, SQLite's file change counter) is recorded in
``clean-ledgers.json`` in the local data folder; a file that still has that fingerprint is exactly
what we left. The record is a cache: losing it only costs one quick_check.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from . import paths

REGISTRY = "clean-ledgers.json"
MAX_ENTRIES = 50


def fingerprint(path: Path) -> list[int] | None:
    """(size, mtime_ns, change counter) of ``path``. Opens the file: never call it while SQLite
    holds a POSIX lock on it in this process (closing this descriptor would drop that lock)."""
    try:
        st = os.stat(path)
        with open(path, "rb") as fh:
            fh.seek(24)
            counter = int.from_bytes(fh.read(4), "big")
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, counter]


def _registry() -> Path:
    return paths.data_dir() / REGISTRY


def _load() -> dict[str, list[int]]:
    try:
        data = json.loads(_registry().read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def is_known_clean(key: str, path: Path) -> bool:
    print_ = fingerprint(path)
    return print_ is not None and _load().get(key) == print_


def remember(key: str, path: Path) -> None:
    """Record ``path`` as closed cleanly (best effort: a failure only costs a later quick_check)."""
    print_ = fingerprint(path)
    if print_ is None:
        return
    data = _load()
    if data.get(key) == print_:
        return  # unchanged since it was recorded (a command that only read)
    data.pop(key, None)
    data[key] = print_
    data = dict(list(data.items())[-MAX_ENTRIES:])
    target = _registry()
    tmp = target.with_name(f".{REGISTRY}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        tmp.unlink(missing_ok=True)


def forget(key: str) -> None:
    data = _load()
    if data.pop(key, None) is not None:
        try:
            _registry().write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        except OSError:
            pass
