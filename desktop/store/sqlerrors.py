"""SQLite errors caused by the user's environment, mapped to plain Chinese messages.

Used by the ledger, the migrations' backup and the services that copy or open files; it sits
below all of them (it needs only the holder lock's probe and the error types).
"""

from __future__ import annotations

from pathlib import Path

from . import errors
from .holder import in_use_error, probe


def translate_sqlite_error(exc: BaseException, path: Path | None) -> errors.LedgerFileError | None:
    """Map an SQLite error caused by the user's environment to a plain message; None for bugs."""
    orig = getattr(exc, "orig", exc)
    text = str(orig).lower()
    code = getattr(orig, "sqlite_errorcode", None)
    name = getattr(orig, "sqlite_errorname", "") or ""
    if "locked" in text or "busy" in name.lower() or code in (5, 6):
        held = probe(path) if path is not None else False
        return in_use_error(path, held or None, str(orig))
    if name == "SQLITE_READONLY_ROLLBACK":
        return errors.ReadOnlyFile(
            path, "台账上次没有正常保存完，需要用旁边的 -journal 日志文件恢复，但文件或所在文件夹是只读的。", str(orig)
        )
    if "readonly" in text or "read-only" in text or code == 8:
        return errors.ReadOnlyFile(path, "台账文件或所在文件夹是只读的，无法保存修改。", str(orig))
    if "disk is full" in text or "database or disk is full" in text or code == 13:
        return errors.DiskFull(path, "磁盘已满，修改没有保存。", str(orig))
    if "malformed" in text or "not a database" in text or code in (11, 26):
        return errors.CorruptFile(path, "台账已损坏（文件内部结构有错误）。", str(orig))
    if "unable to open" in text or code == 14:
        return errors.FileUnreadable(path, "无法打开台账文件（文件夹不存在或没有权限）。", str(orig))
    if "disk i/o error" in text or code == 10:
        return errors.FileUnreadable(path, "读写台账文件时发生磁盘错误（U 盘是否已拔出？）。", str(orig))
    return None
