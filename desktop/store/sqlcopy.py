"""Whole-file copies made with SQLite's online backup API (never a plain file copy).

A plain copy of an open database can catch it half-written; the backup API copies a consistent
snapshot through SQLite itself. The copy is written to a temporary file beside the destination,
checked with ``PRAGMA integrity_check`` and only then renamed into place (``os.replace``), so a
destination path never holds a partial or damaged copy. The temporary name
(``.zhibu-tmp-<pid>-<token>.part``, desktop.store.tempfiles) is never taken for a ledger, and one
left by a killed run is removed the next time a copy goes into that folder. Used by the backups (desktop.store.backups,
also before schema upgrades) and by "另存副本" (desktop.services.files.save_copy).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from .tempfiles import clean_stale, fsync_dir, fsync_file, temp_path


class BackupFailed(Exception):
    """The copy did not pass its integrity check (the source may be damaged)."""


def _remove_quietly(path: Path) -> None:
    for p in (path, Path(f"{path}-journal")):
        try:
            p.unlink(missing_ok=True)
        except OSError:
            pass


def copy_database(source: sqlite3.Connection, dest: Path, prepare=None) -> Path:
    """Copy the database behind ``source`` to ``dest`` (replacing it), verified; return ``dest``.
    ``prepare(connection)`` runs in one transaction on the copy before it is checked (e.g. a saved
    copy gets its own copy id, desktop.store.history).

    The caller holds whatever lock keeps other threads off ``source``. Raises sqlite3.Error or
    OSError from the copy, or :class:`BackupFailed` when the copy is not intact; in every failure
    the temporary file is removed and ``dest`` is left as it was.
    """
    tmp = copy_unverified(source, dest)
    if prepare is not None:
        try:
            with closing(sqlite3.connect(tmp, isolation_level=None)) as target:
                target.execute("BEGIN IMMEDIATE")
                prepare(target)
                target.execute("COMMIT")
        except BaseException:
            _remove_quietly(tmp)
            raise
    return place_copy(tmp, dest)


def copy_unverified(source: sqlite3.Connection, dest: Path) -> Path:
    """First half of :func:`copy_database`, the only part that needs ``source`` (and its lock):
    the backup API into a temporary file beside ``dest``; returns that file."""
    if source.in_transaction:  # sqlite3's backup() would retry forever on its own open transaction
        raise RuntimeError("copy_database called inside an open transaction")
    dest = Path(dest)
    clean_stale(dest.parent)  # copies a killed run left in this folder
    tmp = temp_path(dest)
    try:
        with closing(sqlite3.connect(tmp, isolation_level=None)) as target:
            source.backup(target)
    except BaseException:
        _remove_quietly(tmp)
        raise
    return tmp


def copy_file_unverified(source: sqlite3.Connection, source_path: Path, dest: Path) -> Path:
    """Like :func:`copy_unverified` for a file that no connection of THIS process writes (a
    merge's inputs): its bytes are copied (the operating system's fast copy, several times faster
    than the backup API's page-by-page copy) while ``source``, a read-only connection to it, holds a
    shared lock — no other program can commit meanwhile, and a hot journal is refused before.
    Returns the temporary file; :func:`place_copy` verifies and places it.

    Copying opens and closes a descriptor of the file, which drops this process's POSIX locks on
    it: harmless here, the lock is needed only while the bytes are read and is released right
    after; never use this on a file this process keeps locked (an open Ledger)."""
    dest = Path(dest)
    clean_stale(dest.parent)
    tmp = temp_path(dest)
    source.execute("BEGIN")
    try:
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the shared lock
        (mode,) = source.execute("PRAGMA journal_mode").fetchone()
        if str(mode).lower() == "wal":  # the newest pages would be in the -wal file: SQLite must copy
            source.execute("COMMIT")
            return copy_unverified(source, dest)
        shutil.copyfile(source_path, tmp)
        source.execute("COMMIT")
    except BaseException:
        if source.in_transaction:
            source.execute("ROLLBACK")
        _remove_quietly(tmp)
        raise
    return tmp


def place_copy(tmp: Path, dest: Path, *, quick: bool = False) -> Path:
    """Second half: ``integrity_check`` of the temporary copy, fsync, rename to ``dest``. Touches
    only the copy, so the source's lock may be released before it. The copy is removed on failure.
    ``quick``: ``quick_check`` instead (every page and record, not the indexes against their
    tables: the check the program makes opening a file; a merge's backups use it)."""
    try:
        with closing(sqlite3.connect(tmp, isolation_level=None)) as target:
            pragma = "quick_check" if quick else "integrity_check"
            result = [row[0] for row in target.execute(f"PRAGMA {pragma}").fetchall()]
            if result != ["ok"]:
                raise BackupFailed("; ".join(result[:5]))
        if Path(f"{tmp}-journal").exists():  # a journal would mean the copy was not finished
            raise BackupFailed("journal left after copy")
        fsync_file(tmp)
        os.replace(tmp, dest)
        fsync_dir(Path(dest).parent)
    except BaseException:
        _remove_quietly(tmp)
        raise
    return Path(dest)
