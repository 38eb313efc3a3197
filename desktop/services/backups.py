"""Automatic backups and restore (the files themselves: desktop.store.backups).

- :func:`backup_before` — THE call before anything that rewrites much of a ledger (import,
  merge, restore; upgrades back up in desktop.store.migrations): a verified backup of the
  committed state, then rotation with the ledger's retention settings. A failure raises a
  ``LedgerFileError`` and the caller must not go on.
- :func:`list_backups` — a ledger's backups with date, reason, size and record counts.
- :func:`restore_backup` — replace a ledger file by a backup, atomically, after backing up the
  current file (that backup is never rotated away by the restore).
- :class:`AutoBackup` (desktop.services.autobackup) — on open, every N minutes of changes, on close.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop.store import errors
from desktop.store.backups import (
    BackupFile,
    Retention,
    backup_root,
    finish_backup,
    folder_for,
    is_backup_file,
    list_folder,
    make_backup,
    rotate,
    start_backup,
)
from desktop.store.header import read_header
from desktop.store.ledger import Ledger, open_ledger_at, translate_sqlite_error
from desktop.store.sqlcopy import BackupFailed, copy_database

__all__ = [
    "BackupEntry", "RestoreResult", "backup_before", "list_backups", "list_all_backups", "restore_backup", "retention_of",
    "is_backup_file",
]  # fmt: skip

COUNTED = (("member", "党员"), ("meeting", "会议"), ("measure", "整改措施"))


@dataclass(frozen=True)
class BackupEntry:
    path: Path
    made_at: datetime  # UTC
    reason: str
    reason_label: str
    size: int
    counts: dict[str, int] | None  # live members / meetings / measures; None: unreadable
    ledger_name: str = ""  # the file name (stem) of the ledger it was made from

    @property
    def ok(self) -> bool:
        return self.counts is not None


@dataclass(frozen=True)
class RestoreResult:
    target: Path
    restored_from: Path
    previous_backup: Path | None  # the file that was replaced, backed up first


def retention_of(ledger: Ledger) -> Retention:
    from .settings import get_settings

    s = get_settings(ledger)
    return Retention(s.backup_keep_last, s.backup_keep_daily, s.backup_keep_monthly)


def _map_failure(exc: BaseException, path: Path, what: str) -> errors.LedgerFileError:
    if isinstance(exc, BackupFailed):
        return errors.CorruptFile(path, f"{what}未通过完整性检查，台账文件可能已损坏。", str(exc))
    if isinstance(exc, sqlite3.Error):
        mapped = translate_sqlite_error(exc, path)
        if mapped is not None:
            return type(mapped)(path, f"{what}失败：{mapped.message}", str(exc))
        return errors.CorruptFile(path, f"{what}失败：{exc}", str(exc))
    if isinstance(exc, OSError):
        import errno

        if exc.errno == errno.ENOSPC:
            return errors.DiskFull(path, f"{what}失败：磁盘已满。", str(exc))
        return errors.FileUnreadable(path, f"{what}失败：{exc.strerror or exc}。", str(exc))
    raise exc


def backup_before(ledger: Ledger, reason: str, *, root: Path | None = None, rotate_after: bool = True,
                  quick: bool = False) -> BackupFile:  # fmt: skip
    """Back up the open ``ledger`` (committed state: copied under its lock, then checked outside
    it, so other work waits only for the copy) before ``reason``
    ("import", "merge", "restore", "auto", …); then rotate its folder unless told not to.
    Raises a ``LedgerFileError`` when no verified backup could be made (older ones stay).
    ``quick``: verified with ``quick_check`` instead of ``integrity_check`` (a merge's backups).
    A server ledger is backed up with ``pg_dump`` (desktop.store.serverschema) into the same root."""
    if getattr(ledger, "is_server", False):
        return _server_backup(ledger, reason, root)
    with ledger._lock:  # write() holds it for a whole transaction: nothing is half-committed here
        if open_ledger_at(ledger.path) is not ledger:  # closed meanwhile (a background backup)
            raise errors.LedgerClosed(ledger.path, "台账已关闭，没有备份。")
        retention = retention_of(ledger) if rotate_after else None
        raw = ledger.engine.raw_connection()
        try:
            pending = start_backup(raw.driver_connection, ledger.path, reason, root)
        except (BackupFailed, sqlite3.Error, OSError) as exc:
            raise _map_failure(exc, ledger.path, "备份") from exc
        finally:
            raw.close()
    try:  # the check reads only the copy: the ledger is free again meanwhile
        made = finish_backup(pending, quick=quick)
    except (BackupFailed, sqlite3.Error, OSError) as exc:
        raise _map_failure(exc, ledger.path, "备份") from exc
    if retention is not None:
        rotate(made.path.parent, retention)
    return made


def _server_backup(ledger, reason: str, root: Path | None) -> BackupFile:
    from datetime import UTC

    from desktop.store.backups import REASONS, backup_root
    from desktop.store.serverschema import dump

    now = datetime.now(UTC)
    folder = backup_root(root) / "server"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{ledger.path.name}.{now.astimezone():%Y%m%d-%H%M%S}.{reason}.pgdump"
    return BackupFile(dump(ledger, folder / name, REASONS.get(reason, "")), now, reason)


def _open_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=1.0, isolation_level=None)


def _counts(path: Path) -> dict[str, int] | None:
    try:
        with closing(_open_ro(path)) as db:
            out = {}
            for table, _label in COUNTED:
                (out[table],) = db.execute(f'SELECT count(*) FROM "{table}" WHERE deleted_at IS NULL').fetchone()
            return out
    except sqlite3.Error:
        return None


def _folder_of_file(path: Path, root: Path | None) -> Path:
    """The backup folder of a ledger file that is not open in this process (read-only look)."""
    read_header(path)
    try:
        with closing(_open_ro(path)) as db:
            return folder_for(db, path, root)
    except sqlite3.Error as exc:
        raise _map_failure(exc, path, "读取台账") from exc


def backup_folder(target: Ledger | Path | str, root: Path | None = None) -> Path:
    ledger = target if isinstance(target, Ledger) else open_ledger_at(target)
    if ledger is None:
        return _folder_of_file(Path(target).expanduser().absolute(), root)
    with ledger._lock:
        raw = ledger.engine.raw_connection()
        try:
            return folder_for(raw.driver_connection, ledger.path, root)
        finally:
            raw.close()


def _entries(files: list[BackupFile]) -> list[BackupEntry]:
    out = []
    for b in files:
        try:
            size = b.path.stat().st_size
        except OSError:
            continue
        out.append(BackupEntry(b.path, b.made_at, b.reason, b.reason_label, size, _counts(b.path), b.ledger_name))
    return out


def list_backups(target: Ledger | Path | str, root: Path | None = None) -> list[BackupEntry]:
    """The backups of a ledger (open or a file), newest first."""
    return _entries(list_folder(backup_folder(target, root)))


def list_all_backups(root: Path | None = None) -> list[BackupEntry]:
    """Every ledger's backups, newest first (when the ledger itself cannot be opened any more)."""
    base = backup_root(root)
    try:
        folders = [p for p in base.iterdir() if p.is_dir()]
    except OSError:
        return []
    files = [b for f in folders for b in list_folder(f)]
    return _entries(sorted(files, key=lambda b: (b.made_at, b.path.name), reverse=True))


def _check_backup(backup: Path) -> None:
    read_header(backup)  # refuses an empty, foreign or newer file with its own message
    try:
        with closing(_open_ro(backup)) as db:
            result = [r[0] for r in db.execute("PRAGMA integrity_check(5)")]
    except sqlite3.Error as exc:
        raise _map_failure(exc, backup, "读取备份") from exc
    if result != ["ok"]:
        raise errors.CorruptFile(backup, "备份文件已损坏，不能用来恢复。", "; ".join(result))


def _backup_current_file(target: Path, fallback_folder: Path, root: Path | None) -> Path:
    """Back up the file about to be replaced, under an exclusive lock (refused when in use)."""
    try:
        read_header(target)
    except errors.LedgerFileError:  # damaged or foreign: keep its bytes anyway, beside the backups
        import shutil

        from desktop.store.backups import backup_path

        fallback_folder.mkdir(parents=True, exist_ok=True)
        dest = backup_path(fallback_folder, target, "damaged")
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
        shutil.copyfile(target, tmp)
        os.replace(tmp, dest)
        return dest
    db = sqlite3.connect(target, timeout=1.0, isolation_level=None)
    try:
        db.execute("PRAGMA locking_mode = EXCLUSIVE")
        db.execute("BEGIN EXCLUSIVE")  # a program using the file makes this fail: nothing replaced
        db.execute("SELECT count(*) FROM sqlite_master").fetchall()
        db.execute("COMMIT")
        return make_backup(db, target, "restore", root).path
    except (BackupFailed, sqlite3.Error, OSError) as exc:
        raise _map_failure(exc, target, "恢复前备份当前文件") from exc
    finally:
        db.close()


def restore_backup(backup: Path | str, target: Path | str, *, force: bool = False, root: Path | None = None,
                   current_backed_up: bool = False) -> RestoreResult:
    """Replace ``target`` by a copy of ``backup`` (temp + verify + fsync + rename).

    An existing ``target`` is only replaced with ``force``, after a backup of it (unless the caller
    already made one: ``current_backed_up``); a ledger open in this process must be closed first.
    """
    backup = Path(backup).expanduser().absolute()
    target = Path(target).expanduser().absolute()
    _check_backup(backup)
    if open_ledger_at(target) is not None:
        raise errors.InUse(target, "这个台账正在本程序中打开，请先关闭它再恢复。")
    if not target.parent.is_dir():
        raise errors.FileUnreadable(target, f"文件夹不存在：{target.parent}。")
    previous = None
    if target.exists():
        if os.path.samefile(target, backup):
            raise errors.FileExists(target, "备份文件和要恢复到的台账是同一个文件。")
        if not force:
            raise errors.FileExists(target, f"文件已存在：{target}。")
        if not current_backed_up:
            with closing(_open_ro(backup)) as db:
                folder = folder_for(db, backup, root)
            previous = _backup_current_file(target, folder, root)
    try:
        with closing(_open_ro(backup)) as source:
            copy_database(source, target)
    except (BackupFailed, sqlite3.Error, OSError) as exc:
        raise _map_failure(exc, target, "恢复") from exc
    return RestoreResult(target, backup, previous)

