"""A list to bring things back from: the backups (文件 › 从备份恢复…) and the 回收站.

One sortable table (``view_name`` in the form), 恢复 enabled while a restorable row is selected,
a double click restores, ``infoLabel`` says what the list holds (or that it is empty). Subclasses
give the rows, the texts and what restoring does."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QTableView, QWidget

from ..formdialog import FormDialog
from ..models import Column, RowFilterProxy, RowTableModel, make_view_sortable


class RestoreListDialog(FormDialog):
    columns: tuple[Column, ...] = ()
    view_name = ""
    empty_text = ""
    close_accepts = False  # the 关闭 button accepts (the caller reloads) instead of rejecting

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = RowTableModel(self.columns, self.dialog)
        self.proxy = RowFilterProxy(self.dialog)
        self.view: QTableView = self.w(QTableView, self.view_name)
        make_view_sortable(self.view, self.model, self.proxy)
        self.w(QPushButton, "restoreButton").clicked.connect(self.restore_selected)
        self.w(QPushButton, "closeButton").clicked.connect(self.dialog.accept if self.close_accepts
                                                            else self.dialog.reject)
        self.view.doubleClicked.connect(lambda _i: self.restore_selected())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update())

    # ------------------------------------------------------------ for subclasses
    def rows(self) -> list:
        raise NotImplementedError

    def info(self) -> str:
        return ""

    def can_restore(self, row) -> bool:
        return True

    def restore_row(self, row) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------ the list
    def reload(self) -> None:
        self.model.set_rows(self.rows())
        self.w(QLabel, "infoLabel").setText(self.info() if self.model.rows else self.empty_text)
        self._update()

    def selected(self):
        rows = self.view.selectionModel().selectedRows()
        return self.proxy.row_at(rows[0].row()) if rows else None

    def _update(self) -> None:
        row = self.selected()
        self.w(QPushButton, "restoreButton").setEnabled(row is not None and self.can_restore(row))

    def restore_selected(self) -> None:
        row = self.selected()
        if row is not None and self.can_restore(row):
            self.restore_row(row)
