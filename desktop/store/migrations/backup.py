"""The verified backup taken before a schema upgrade (a rotated backup like every other,
desktop.store.backups, listed and restorable)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .. import errors
from ..backups import make_backup  # the rotated backups' folder and naming
from ..sqlcopy import BackupFailed
from ..sqlerrors import translate_sqlite_error


def backup_before_upgrade(source: sqlite3.Connection, ledger_path: Path, version: int, folder: Path) -> Path:
    """Back up a ledger of schema ``version`` into its folder under the backup root ``folder``
    (desktop.store.backups: listed and restorable like every automatic backup); map failures to
    a LedgerFileError."""
    try:
        return make_backup(source, ledger_path, "upgrade", folder).path
    except BackupFailed as exc:
        raise errors.CorruptFile(
            ledger_path, "升级前的备份未通过完整性检查，台账文件可能已损坏，未进行升级。", str(exc)
        ) from exc
    except sqlite3.Error as exc:
        mapped = translate_sqlite_error(exc, ledger_path)
        if mapped is None:
            raise
        raise type(mapped)(
            ledger_path, f"升级前无法备份台账（{mapped.message}），未进行升级。", str(exc)
        ) from exc
    except OSError as exc:
        raise errors.FileUnreadable(
            ledger_path, f"升级前无法在 {folder} 中写入备份（{exc.strerror}），未进行升级。", str(exc)
        ) from exc
