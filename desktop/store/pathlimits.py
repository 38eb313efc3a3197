"""Path limits a ledger must fit, checked before anything touches the disk.

- File names are limited in *bytes* (255 on Linux, and a Chinese character is 3 bytes in UTF-8)
  or in UTF-16 units (255 on Windows). SQLite puts ``-journal`` (8 more) beside the ledger while
  it saves, so a ledger's own name may use at most 247 of them.
- SQLite's own path limit: 512 bytes in its Unix VFS, 260 characters (``MAX_PATH``) in its Windows
  VFS, both for the journal's path too; measured: a 504-byte ledger path opens on Linux, 505 does
  not (SQLite then only says "unable to open database file", which used to become the wrong
  reason 「文件夹不存在或没有权限」).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from . import errors

JOURNAL_SUFFIX = "-journal"
WINDOWS = sys.platform == "win32"
NAME_MAX = 255  # bytes (POSIX) / UTF-16 units (Windows)
SQLITE_MAX_PATH = 251 if WINDOWS else 504  # the ledger's full path, leaving room for "-journal"
HINT = "（一个汉字占 2 个单位）" if WINDOWS else "（一个汉字占 3 个字节）"
UNIT = "个字符" if WINDOWS else "字节"


def _length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2 if WINDOWS else len(os.fsencode(text))


def path_problem(path: Path | str, *, extra_name: str = "") -> errors.PathTooLong | None:
    """Why ``path`` cannot hold a ledger, or None. ``extra_name``: a temporary file that will be
    written in the same folder first (its name must fit as well)."""
    path = Path(os.path.abspath(path))
    name_max = NAME_MAX - len(JOURNAL_SUFFIX)
    if _length(path.name) > name_max:
        return errors.PathTooLong(
            path,
            f"文件名太长（{_length(path.name)} {UNIT}），台账文件名最多 {name_max} {UNIT}{HINT}。",
        )
    for part in path.parent.parts:
        if _length(part) > NAME_MAX:
            return errors.PathTooLong(
                path, f"文件夹名太长：“{part[:20]}…”有 {_length(part)} {UNIT}，最多 {NAME_MAX} {UNIT}{HINT}。"
            )
    longest = max(_length(str(path)), _length(os.path.realpath(path)))
    if extra_name:
        longest = max(longest, _length(str(path.parent / extra_name)))
    if longest > SQLITE_MAX_PATH:
        return errors.PathTooLong(
            path, f"文件路径太长：{longest} {UNIT}，台账文件的完整路径最多 {SQLITE_MAX_PATH} {UNIT}{HINT}。"
        )
    return None


def check_path(path: Path | str, *, extra_name: str = "") -> None:
    """Raise :class:`~desktop.store.errors.PathTooLong` when ``path`` cannot hold a ledger."""
    problem = path_problem(path, extra_name=extra_name)
    if problem is not None:
        raise problem
