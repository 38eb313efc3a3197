"""文件 › 从备份恢复…: the open ledger's automatic backups (or every ledger's, when none is open)
with date, reason, size and record counts; restoring one is the main window's job
(``MainWindow.restore_from_backup``: back up the current file, replace it, reopen it)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QPushButton, QWidget

from desktop.services.backups import BackupEntry

from ..models import Column
from .restore_list import RestoreListDialog


def _count(e: BackupEntry, table: str) -> int | None:
    return e.counts[table] if e.counts is not None else None


def _size(e: BackupEntry) -> str:
    from desktop.services.files import _human_size

    return _human_size(e.size)


COLUMNS = (
    Column("时间", lambda e: e.made_at, text=lambda e: e.made_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), width=150),
    Column("原因", lambda e: e.reason_label, width=120),
    Column("大小", lambda e: e.size, text=_size, align="right", width=80),
    Column("党员", lambda e: _count(e, "member"), align="right", width=60),
    Column("会议", lambda e: _count(e, "meeting"), align="right", width=60),
    Column("整改措施", lambda e: _count(e, "measure"), align="right", width=70,
           color=lambda e: None if e.ok else "#b71c1c"),
    Column("台账", lambda e: e.ledger_name if e.ok else f"{e.ledger_name}（无法读取）", width=160,
           tooltip=lambda e: str(e.path)),
)


class RestoreBackupDialog(RestoreListDialog):
    """``entries()`` lists the backups; ``restore(entry)`` returns True when it restored one
    (the dialog then closes)."""

    form_name = "restore_backup"
    columns = COLUMNS
    view_name = "backupView"
    empty_text = "还没有备份。程序会在打开、修改一段时间后和关闭台账时自动备份。"

    def __init__(self, entries: Callable[[], list[BackupEntry]], restore: Callable[[BackupEntry], bool],
                 folder: str, intro: str, parent: QWidget | None = None):
        self._entries, self._restore, self.folder, self.intro = entries, restore, folder, intro
        super().__init__(parent)
        self.w(QPushButton, "openFolderButton").clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder)))
        self.reload()

    def rows(self) -> list[BackupEntry]:
        return self._entries()

    def info(self) -> str:
        return self.intro

    def reload(self) -> None:
        super().reload()
        if self.model.rows:
            self.view.selectRow(0)

    def can_restore(self, entry: BackupEntry) -> bool:
        return entry.ok

    def restore_row(self, entry: BackupEntry) -> None:
        if self._restore(entry):
            self.dialog.accept()
