"""Read a ledger file's 100-byte SQLite header *before* SQLite touches the file.

Opening a random file with SQLite can create journals or roll one back; reading the header
ourselves lets us refuse an empty file, a non-SQLite file, another program's database or a
newer schema while leaving the bytes exactly as they were.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path

from . import errors
from .pathlimits import check_path

SQLITE_MAGIC = b"SQLite format 3\x00"
APPLICATION_ID = 0x5A484255  # "ZHBU"
SCHEMA_VERSION = 5  # bump together with a new step in desktop.store.migrations
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")  # first bytes of a live rollback journal


@dataclass(frozen=True)
class HeaderInfo:
    path: Path
    size: int
    page_size: int
    application_id: int
    user_version: int
    # a hot -journal lies beside the file: version and size are judged after SQLite rolled it
    # back (desktop.store.recovery.judge_after_lock), user_version here may be the half-written one
    hot_journal: bool = False

    @property
    def needs_upgrade(self) -> bool:
        return self.user_version < SCHEMA_VERSION


def has_hot_journal(path: Path) -> bool:
    """A rollback journal with a live header lies beside ``path``: a commit did not finish (or
    another program is inside one right now; SQLite tells the two apart under its lock)."""
    try:
        with open(f"{path}-journal", "rb") as fh:
            return fh.read(8) == JOURNAL_MAGIC
    except OSError:
        return False


def read_header(path: Path | str) -> HeaderInfo:
    """Validate ``path`` as a ledger of this or an older schema; raise a LedgerFileError otherwise.

    With a hot journal beside the file only what a commit cannot change (SQLite magic,
    application id) is judged here: the rest after SQLite rolled the journal back.
    """
    path = Path(path)
    check_path(path)  # a too-long name makes exists() fail with ENAMETOOLONG: say so exactly
    if not path.exists():
        raise errors.FileMissing(path, f"找不到台账文件：{path}。")
    if path.is_dir():
        raise errors.NotSQLite(path, f"{path} 是一个文件夹，不是台账文件。")
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
        size = os.path.getsize(path)
    except PermissionError as exc:
        raise errors.FileUnreadable(path, f"没有读取台账文件的权限：{path}。", str(exc)) from exc
    except OSError as exc:
        raise errors.FileUnreadable(path, f"无法读取台账文件：{path}（{exc.strerror}）。", str(exc)) from exc
    if size == 0:
        raise errors.EmptyFile(path, f"台账文件是空的（0 字节）：{path}。")
    if not head.startswith(SQLITE_MAGIC):
        raise errors.NotSQLite(path, f"这不是台账文件（不是 SQLite 数据库）：{path}。")
    if len(head) < 100:
        raise errors.CorruptFile(path, f"台账文件不完整（只有 {size} 字节）：{path}。")
    page_size = struct.unpack(">H", head[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    user_version = struct.unpack(">i", head[60:64])[0]
    application_id = struct.unpack(">i", head[68:72])[0] & 0xFFFFFFFF
    if application_id != APPLICATION_ID:
        raise errors.ForeignDatabase(
            path,
            f"这是其他程序的 SQLite 数据库，不是支部台账文件（application_id={application_id:#x}）：{path}。",
        )
    if has_hot_journal(path):
        return HeaderInfo(path, size, page_size, application_id, user_version, hot_journal=True)
    if user_version > SCHEMA_VERSION:
        raise errors.NewerSchema(
            path,
            f"这个台账由较新版本的支部台账创建（数据格式第 {user_version} 版，本程序支持到第 {SCHEMA_VERSION} 版）。",
        )
    if user_version < 1:
        raise errors.CorruptFile(path, f"台账文件缺少数据格式版本号，可能已损坏：{path}。")
    # The in-header page count is valid when "version-valid-for" equals the change counter
    # (always so for files written by SQLite >= 3.7.0). A shorter file was cut off while copying.
    page_count = struct.unpack(">I", head[28:32])[0]
    if head[92:96] == head[24:28] and page_count and size < page_count * page_size:
        raise errors.CorruptFile(
            path,
            f"台账文件不完整（应有 {page_count * page_size} 字节，实际只有 {size} 字节），"
            f"可能在复制过程中被截断：{path}。",
        )
    # SQLite truncates the file to the header's page count at every commit; more bytes than that
    # mean the file was copied while a save was writing it, without its -journal
    if head[92:96] == head[24:28] and page_count and size > page_count * page_size:
        raise errors.CorruptFile(
            path,
            f"台账已损坏：文件大小（{size} 字节）与文件头（{page_count * page_size} 字节）不一致，"
            f"可能是在程序保存时复制的，复制时缺少旁边的 -journal 日志文件：{path}。",
        )
    return HeaderInfo(path, size, page_size, application_id, user_version)
