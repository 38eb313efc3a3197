"""Writing a ledger file safely for the working copy (desktop.store.workcopy): a verified copy
with SQLite's backup API (:func:`write_verified`), the copy into the local folder
(:func:`copy_in`), the previous version ``<name>.prev`` (:func:`keep_previous`), a hot journal
beside the original rolled back (:func:`recover_journal`), and the messages for a failed write-back.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from . import errors
from .copycheck import OriginUnavailable
from .header import APPLICATION_ID
from .holder import NAME_MAX_BYTES
from .ledger import translate_sqlite_error
from .tempfiles import fsync_file, temp_path

log = logging.getLogger(__name__)

PREV_SUFFIX = ".prev"


def path_key(path: Path) -> str:
    return hashlib.sha1(os.path.normcase(os.path.realpath(path)).encode("utf-8")).hexdigest()[:16]


def _beside(origin: Path, suffix: str, hidden: bool) -> Path:
    """``[.]<name><suffix>`` beside the original, or a short hashed name over the 255-byte limit."""
    name = f"{'.' if hidden else ''}{origin.name}{suffix}"
    if len(name.encode("utf-8")) > NAME_MAX_BYTES:
        name = f".zhibu-{path_key(origin)}{suffix}"
    return origin.with_name(name)


def prev_path(origin: Path) -> Path:
    return _beside(origin, PREV_SUFFIX, hidden=False)


def remove_quietly(*files: Path) -> None:
    for f in files:
        for p in (f, Path(f"{f}-journal")):
            try:
                p.unlink(missing_ok=True)
            except OSError:
                log.warning("could not remove %s", p, exc_info=True)


def write_verified(source: sqlite3.Connection, tmp: Path) -> None:
    """Copy the database behind ``source`` into ``tmp`` with the backup API, fsync it and verify
    it (integrity, application id, schema version); raise errors.CorruptFile when it is not
    intact. ``tmp`` is replaced if it exists."""
    for p in (tmp, Path(f"{tmp}-journal")):
        p.unlink(missing_ok=True)
    (version,) = source.execute("PRAGMA user_version").fetchone()
    with closing(sqlite3.connect(tmp, isolation_level=None)) as target:
        # a scratch file: no journal, no syncs while copying; one fsync once it is verified
        target.execute("PRAGMA journal_mode = OFF")
        target.execute("PRAGMA synchronous = OFF")
        source.backup(target)
        integrity = [r[0] for r in target.execute("PRAGMA integrity_check(5)")]
        (app_id,) = target.execute("PRAGMA application_id").fetchone()
        (copied_version,) = target.execute("PRAGMA user_version").fetchone()
    if Path(f"{tmp}-journal").exists():
        raise errors.CorruptFile(tmp, "写回的临时文件不完整（留下了日志文件），没有写回。")
    if integrity != ["ok"] or (app_id & 0xFFFFFFFF) != APPLICATION_ID or copied_version != version:
        raise errors.CorruptFile(tmp, "写回的临时文件未通过校验，没有写回。",
                                 f"integrity={integrity} application_id={app_id:#x} user_version={copied_version}")
    fsync_file(tmp)



def keep_previous(origin: Path) -> Path:
    """Copy the current original to ``<name>.prev`` (via a temporary file, fsync'd, renamed)."""
    prev, tmp = prev_path(origin), temp_path(origin)
    try:
        shutil.copyfile(origin, tmp)
        fsync_file(tmp)
        os.replace(tmp, prev)
    except BaseException:
        remove_quietly(tmp)
        raise
    return prev


def write_error(origin: Path, exc: BaseException) -> errors.LedgerFileError:
    if isinstance(exc, sqlite3.Error):
        mapped = translate_sqlite_error(exc, origin)
        if mapped is not None:
            return OriginUnavailable(origin, f"没有写回：{mapped.message}", str(exc))
    if isinstance(exc, OSError) and exc.errno == 28:
        return errors.DiskFull(origin, f"{origin.parent} 空间不足，修改没有写回。", str(exc))
    strerror = getattr(exc, "strerror", None) or str(exc)
    return OriginUnavailable(origin, f"写回 {origin} 时出错（{strerror}），原文件未改动。", str(exc))


def recover_journal(origin: Path) -> None:
    """A hot journal beside the original (a crash there): let SQLite roll it back under our lock."""
    journal = Path(f"{origin}-journal")
    if journal.exists() and journal.stat().st_size > 0:
        try:
            with closing(sqlite3.connect(origin, isolation_level=None, timeout=1.0)) as db:
                db.execute("PRAGMA schema_version").fetchone()
        except sqlite3.Error as exc:
            mapped = translate_sqlite_error(exc, origin)
            if mapped is not None:
                raise mapped from exc
            raise


def copy_in(origin: Path, local: Path) -> None:
    """Copy the original to the local working copy with the backup API, verified."""
    tmp = local.with_name(local.name + ".copying")
    try:
        with closing(sqlite3.connect(f"{origin.as_uri()}?mode=ro", uri=True, isolation_level=None,
                                     timeout=1.0)) as source:
            write_verified(source, tmp)
        os.replace(tmp, local)
    except errors.LedgerFileError:
        tmp.unlink(missing_ok=True)
        raise
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        mapped = translate_sqlite_error(exc, origin)
        if mapped is not None:
            raise mapped from exc
        raise
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise errors.FileUnreadable(origin, f"无法把台账复制到本机工作副本（{exc.strerror}）。", str(exc)) from exc
