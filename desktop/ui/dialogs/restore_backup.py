"""文件 › 从备份恢复…: the open ledger's automatic backups (or every ledger's, when none is open)
with date, reason, size and record counts; restoring one is the main window's job
(``MainWindow.restore_from_backup``: back up the current file, replace it, reopen it)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QTableView, QWidget

from desktop.services.backups import BackupEntry

from ..forms import child, load_form
from ..models import Column, RowFilterProxy, RowTableModel, make_view_sortable


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


class RestoreBackupDialog:
    """``entries()`` lists the backups; ``restore(entry)`` returns True when it restored one
    (the dialog then closes)."""

    def __init__(self, entries: Callable[[], list[BackupEntry]], restore: Callable[[BackupEntry], bool],
                 folder: str, intro: str, parent: QWidget | None = None):
        self._entries, self._restore, self.folder = entries, restore, folder
        self.dialog: QDialog = load_form("restore_backup", parent)  # type: ignore[assignment]
        self.dialog._controller = self
        self.model = RowTableModel(COLUMNS, self.dialog)
        self.proxy = RowFilterProxy(self.dialog)
        self.view: QTableView = child(self.dialog, QTableView, "backupView")
        make_view_sortable(self.view, self.model, self.proxy)
        self.intro = intro
        child(self.dialog, QPushButton, "restoreButton").clicked.connect(self.restore_selected)
        child(self.dialog, QPushButton, "closeButton").clicked.connect(self.dialog.reject)
        child(self.dialog, QPushButton, "openFolderButton").clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder)))
        self.view.doubleClicked.connect(lambda _i: self.restore_selected())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.reload()

    def exec(self) -> int:
        return self.dialog.exec()

    def reload(self) -> None:
        self.model.set_rows(self._entries())
        info = self.intro if self.model.rows else "还没有备份。程序会在打开、修改一段时间后和关闭台账时自动备份。"
        child(self.dialog, QLabel, "infoLabel").setText(info)
        if self.model.rows:
            self.view.selectRow(0)
        self._update()

    def selected(self) -> BackupEntry | None:
        rows = self.view.selectionModel().selectedRows()
        return self.proxy.row_at(rows[0].row()) if rows else None

    def _update(self) -> None:
        entry = self.selected()
        child(self.dialog, QPushButton, "restoreButton").setEnabled(entry is not None and entry.ok)

    def restore_selected(self) -> None:
        entry = self.selected()
        if entry is not None and entry.ok and self._restore(entry):
            self.dialog.accept()
