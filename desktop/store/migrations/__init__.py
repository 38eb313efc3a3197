"""Upgrading a ledger file of an older schema to ``SCHEMA_VERSION``.

``upgrade(ledger, from_version, backup_dir)`` is called by :meth:`Ledger.open` with the
exclusive lock already held. It

1. backs the file up with SQLite's backup API into ``backup_dir`` (default
   ``paths.backup_dir()``) as ``<stem>.v<from>.<timestamp>.zhibu``, verified with
   ``integrity_check`` before anything is changed;
2. runs every step from ``from_version`` to ``SCHEMA_VERSION`` and sets ``user_version`` in
   ONE transaction: if any step fails, the rollback journal restores the file byte for byte;
3. returns the backup's path (shown to the user: "已升级，原文件已备份到 …").

The released first format is frozen in ``schema_v1.sql``; the steps are in :mod:`.steps`.
"""

from __future__ import annotations

import os
import sqlite3
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .. import errors, paths
from ..header import SCHEMA_VERSION
from ..sqlerrors import translate_sqlite_error
from .backup import backup_before_upgrade
from .steps import STEPS

if TYPE_CHECKING:
    from ..ledger import Ledger

__all__ = ["upgrade", "schema_sql", "STEPS"]


def schema_sql(version: int) -> str:
    """The frozen DDL of a released schema (only version 1 is stored; later ones are reached by steps)."""
    return resources.files(__package__).joinpath(f"schema_v{version}.sql").read_text(encoding="utf-8")


def upgrade(ledger: Ledger, from_version: int, backup_dir: Path | None = None) -> Path:
    """Back up, then upgrade ``ledger`` from ``from_version`` to SCHEMA_VERSION in one transaction."""
    if not 1 <= from_version < SCHEMA_VERSION:
        raise ValueError(f"cannot upgrade from schema {from_version} to {SCHEMA_VERSION}")
    missing = [v for v in range(from_version, SCHEMA_VERSION) if v not in STEPS]
    if missing:
        raise RuntimeError(f"no upgrade step from schema {missing[0]}")
    if not os.access(ledger.path, os.W_OK):  # say so before making a backup we could not use
        raise errors.ReadOnlyFile(
            ledger.path, f"这个台账需要从第 {from_version} 版升级到第 {SCHEMA_VERSION} 版，但文件是只读的。文件保持原样。"
        )
    folder = Path(backup_dir) if backup_dir is not None else paths.backup_dir()
    with ledger._lock:
        raw = ledger.engine.raw_connection()
        try:
            db: sqlite3.Connection = raw.driver_connection
            backup = backup_before_upgrade(db, ledger.path, from_version, folder)
            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    (found,) = db.execute("PRAGMA user_version").fetchone()
                    if found != from_version:
                        raise RuntimeError(f"expected schema {from_version}, found {found}")
                    for version in range(from_version, SCHEMA_VERSION):
                        STEPS[version](db)
                    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                    db.execute("COMMIT")
                except BaseException:
                    if db.in_transaction:
                        db.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                mapped = translate_sqlite_error(exc, ledger.path)
                if mapped is None:
                    raise errors.CorruptFile(
                        ledger.path,
                        f"台账从第 {from_version} 版升级到第 {SCHEMA_VERSION} 版时出错，文件保持原样。",
                        str(exc),
                    ) from exc
                raise type(mapped)(
                    ledger.path,
                    f"台账从第 {from_version} 版升级到第 {SCHEMA_VERSION} 版时出错：{mapped.message}文件保持原样。",
                    str(exc),
                ) from exc
        finally:
            raw.close()
    return backup
