"""Rotated automatic backups of a ledger in the local data folder.

Layout: ``<backup root>/<ledger identity>/<stem>.<YYYYmmddTHHMMSS-mmmZ>.<reason>.zhibu-backup``
(UTC time with milliseconds).

- The *identity* is the UUID of the ledger's first 机关党委 record (every copy of one ledger shares
  it, two different ledgers never do); a ledger without one yet is identified by its real path.
  So backups of two ledgers never mix, whatever their file names.
- The suffix ``.zhibu-backup`` is never mistaken for a live ledger (file dialogs filter ``*.zhibu``),
  and :func:`is_backup_file` lets ``Ledger.open`` refuse to upgrade a backup in place.
- Each backup is made with SQLite's backup API from the ledger's own connection under the
  ledger's lock (so never of a half-committed transaction), checked with ``integrity_check``,
  written to a temporary file, fsync'd and renamed (:func:`copy_database`).
- :func:`rotate` keeps the newest ``keep_last`` backups, the newest of each of the last
  ``keep_daily`` days and of each of the last ``keep_monthly`` months, and always the newest one;
  it only runs after a backup succeeded, so a failed backup never removes older ones.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from . import paths
from .sqlcopy import copy_file_unverified, copy_unverified, place_copy

BACKUP_SUFFIX = ".zhibu-backup"
REASONS = {
    "open": "打开时", "auto": "定时", "close": "关闭时", "import": "导入前", "upgrade": "升级前",
    "merge": "合并前", "restore": "恢复前", "manual": "手动", "load": "载入前",
    "damaged": "恢复前（原文件已无法读取）",
}  # fmt: skip
_NAME = re.compile(r"^(?P<stem>.*)\.(?P<stamp>\d{8}T\d{6})(?:-(?P<ms>\d{3}))?Z(?:-(?P<n>\d+))?\.(?P<reason>[a-z]+)"
                   + re.escape(BACKUP_SUFFIX) + "$")
_STAMP = "%Y%m%dT%H%M%S"
MAX_STEM_BYTES = 80  # names stay far below the 255-byte file-name limit


@dataclass(frozen=True)
class Retention:
    keep_last: int = 10
    keep_daily: int = 14
    keep_monthly: int = 12


@dataclass(frozen=True)
class BackupFile:
    path: Path
    made_at: datetime  # UTC
    reason: str

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)

    @property
    def ledger_name(self) -> str:
        m = _NAME.match(self.path.name)
        return m["stem"] if m else ""


def backup_root(root: Path | None = None) -> Path:
    return Path(root) if root is not None else paths.backup_dir()


def is_backup_file(path: Path | str, root: Path | None = None) -> bool:
    """A file made by this module, or any file inside the backup folder."""
    path = Path(path)
    if path.name.endswith(BACKUP_SUFFIX):
        return True
    try:
        real, base = Path(os.path.realpath(path)), Path(os.path.realpath(backup_root(root)))
    except OSError:
        return False
    return base in real.parents


def ledger_identity(db: sqlite3.Connection, ledger_path: Path) -> str:
    """The folder name of a ledger's backups (see module docstring)."""
    try:
        row = db.execute("SELECT id FROM committee ORDER BY rowid LIMIT 1").fetchone()
    except sqlite3.Error:
        row = None
    if row and re.fullmatch(r"[0-9a-fA-F-]{36}", str(row[0])):
        return str(row[0]).lower()
    key = os.path.normcase(os.path.realpath(ledger_path)).encode("utf-8", "surrogatepass")
    return "file-" + hashlib.sha256(key).hexdigest()[:16]


def folder_for(db: sqlite3.Connection, ledger_path: Path, root: Path | None = None) -> Path:
    return backup_root(root) / ledger_identity(db, ledger_path)


def _short_stem(stem: str) -> str:
    stem = re.sub(r"[\x00-\x1f/\\:*?\"<>|]", "_", stem).strip(". ") or "台账"
    while len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        stem = stem[:-1]
    return stem


_CLAIM_LOCK = threading.Lock()
_CLAIMED: set[Path] = set()  # names handed out whose file may not exist yet


def backup_path(folder: Path, ledger_path: Path, reason: str, now: datetime | None = None) -> Path:
    if not re.fullmatch(r"[a-z]+", reason):
        raise ValueError(f"backup reason must be lowercase letters: {reason!r}")
    when = (now or datetime.now(UTC)).astimezone(UTC)
    stamp = f"{when.strftime(_STAMP)}-{when.microsecond // 1000:03d}Z"  # ms: names sort as they were made
    base = f"{_short_stem(Path(ledger_path).stem)}.{stamp}"
    candidate, n = folder / f"{base}.{reason}{BACKUP_SUFFIX}", 2
    with _CLAIM_LOCK:  # two backups of one ledger made at once (a merge's inputs) never share a name
        while candidate.exists() or candidate in _CLAIMED:
            candidate, n = folder / f"{base}-{n}.{reason}{BACKUP_SUFFIX}", n + 1
        _CLAIMED.add(candidate)  # until the backup is in place (finish_backup) or forever: cheap
    return candidate


def parse_name(path: Path) -> BackupFile | None:
    m = _NAME.match(path.name)
    if not m:
        return None
    made = datetime.strptime(m["stamp"], _STAMP).replace(tzinfo=UTC)
    made += timedelta(milliseconds=int(m["ms"] or 0), microseconds=int(m["n"] or 1) - 1)
    return BackupFile(path, made, m["reason"])


def list_folder(folder: Path) -> list[BackupFile]:
    """The backups in ``folder``, newest first (temporary and foreign files are ignored)."""
    try:
        names = list(folder.iterdir())
    except OSError:
        return []
    found = [b for b in map(parse_name, names) if b is not None and b.path.is_file()]
    return sorted(found, key=lambda b: (b.made_at, b.path.name), reverse=True)


def make_backup(db: sqlite3.Connection, ledger_path: Path, reason: str, root: Path | None = None,
                now: datetime | None = None, *, quick: bool = False) -> BackupFile:
    """Copy the database behind ``db`` into its identity folder; the caller holds the ledger's
    lock and no transaction is open. Raises what :func:`copy_database` raises (nothing is left)."""
    return finish_backup(start_backup(db, ledger_path, reason, root, now), quick=quick)


@dataclass(frozen=True)
class PendingBackup:
    tmp: Path  # the unverified copy
    dest: Path
    made: datetime
    reason: str


def make_file_backup(db: sqlite3.Connection, ledger_path: Path, reason: str, root: Path | None = None) -> BackupFile:
    """:func:`make_backup` of a file no connection of this process writes, ``db`` a read-only
    connection to it outside a transaction: its bytes copied under a shared lock
    (migrations.backup.copy_file_unverified), verified with ``quick_check``, fsynced, renamed."""
    folder = folder_for(db, ledger_path, root)
    folder.mkdir(parents=True, exist_ok=True)
    made = datetime.now(UTC)
    dest = backup_path(folder, ledger_path, reason, made)
    return finish_backup(PendingBackup(copy_file_unverified(db, ledger_path, dest), dest, made, reason), quick=True)


def start_backup(db: sqlite3.Connection, ledger_path: Path, reason: str, root: Path | None = None,
                 now: datetime | None = None) -> PendingBackup:
    """The part that needs the ledger's lock: the backup API into a temporary file."""
    folder = folder_for(db, ledger_path, root)
    folder.mkdir(parents=True, exist_ok=True)
    made = now or datetime.now(UTC)
    dest = backup_path(folder, ledger_path, reason, made)
    return PendingBackup(copy_unverified(db, dest), dest, made, reason)


def finish_backup(pending: PendingBackup, *, quick: bool = False) -> BackupFile:
    """Verify (``integrity_check``, or ``quick_check`` when ``quick``), fsync and rename the copy;
    the ledger's lock is not needed."""
    try:
        dest = place_copy(pending.tmp, pending.dest, quick=quick)
    finally:
        with _CLAIM_LOCK:
            _CLAIMED.discard(pending.dest)
    return parse_name(dest) or BackupFile(dest, pending.made, pending.reason)


def to_delete(backups: list[BackupFile], retention: Retention, now: datetime | None = None) -> list[BackupFile]:
    """Which backups rotation removes (``backups`` newest first); never the newest one."""
    now = now or datetime.now(UTC)
    keep: set[Path] = {b.path for b in backups[: max(1, retention.keep_last)]}
    days: set[object] = set()
    months: set[tuple[int, int]] = set()
    day_limit = (now - timedelta(days=retention.keep_daily)).date()
    month_first = now.date().replace(day=1)
    month_limit = (month_first.year * 12 + month_first.month - 1) - retention.keep_monthly
    for b in backups:  # newest first: the first seen of a day or month is its newest
        local = b.made_at.astimezone()
        day = local.date()
        if day > day_limit and day not in days:
            days.add(day)
            keep.add(b.path)
        month = (local.year, local.month)
        if local.year * 12 + local.month - 1 > month_limit and month not in months:
            months.add(month)
            keep.add(b.path)
    return [b for b in backups if b.path not in keep]


def rotate(folder: Path, retention: Retention, now: datetime | None = None) -> list[Path]:
    """Delete the backups :func:`to_delete` names; return them. Errors deleting one are ignored."""
    removed = []
    for b in to_delete(list_folder(folder), retention, now):
        try:
            b.path.unlink()
            removed.append(b.path)
        except OSError:
            pass
    return removed
