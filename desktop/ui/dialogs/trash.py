"""回收站: deleted (tombstoned) records listed with where they were, restorable one by one.

:func:`recycle_dialog` shows desktop.services.recycle (every kind, or some kinds: the 整改清单 and
政治生日 pages open it filtered to their own records); 文件 › 回收站… shows everything."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QPushButton, QTableView, QWidget

from ..errors import error_text
from ..forms import child, load_form
from ..models import Column, RowFilterProxy, RowTableModel, make_view_sortable


@dataclass(frozen=True)
class TrashRow:
    key: object  # handed back to ``restore``
    label: str
    where: str
    deleted_at: datetime | None


def _local(dt: datetime | None) -> str:
    return dt.astimezone().strftime("%Y-%m-%d %H:%M") if dt else ""


GENERIC_INFO = ("删除的记录保存在这里，可以恢复。一起删除的内容（党员的职务、支部的党小组）会一并恢复；"
                "整改措施等所在的类别或问题如已删除也会一并恢复。所在的支部还在回收站里的，请先恢复支部。")


COLUMNS = (
    Column("内容", lambda r: r.label, width=360),
    Column("原位置", lambda r: r.where, width=220),
    Column("删除时间", lambda r: r.deleted_at, text=lambda r: _local(r.deleted_at), width=130),
)


class TrashDialog:
    """``rows()`` lists the deleted items; ``restore(key)`` brings one back (one transaction)."""

    def __init__(self, rows: Callable[[], list[TrashRow]], restore: Callable[[object], None],
                 title: str = "回收站", parent: QWidget | None = None, info: str = ""):
        self._rows, self._restore = rows, restore
        self.info = info or GENERIC_INFO
        self.dialog: QDialog = load_form("trash", parent)  # type: ignore[assignment]
        self.dialog._controller = self
        self.dialog.setWindowTitle(title)
        self.restored = 0
        self.model = RowTableModel(COLUMNS, self.dialog)
        self.proxy = RowFilterProxy(self.dialog)
        self.view: QTableView = child(self.dialog, QTableView, "trashView")
        make_view_sortable(self.view, self.model, self.proxy)
        child(self.dialog, QPushButton, "restoreButton").clicked.connect(self.restore_selected)
        child(self.dialog, QPushButton, "closeButton").clicked.connect(self.dialog.accept)
        self.view.doubleClicked.connect(lambda _i: self.restore_selected())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.reload()

    def exec(self) -> int:
        return self.dialog.exec()

    def reload(self) -> None:
        self.model.set_rows(self._rows())
        empty = not self.model.rows
        child(self.dialog, QLabel, "infoLabel").setText(
            "回收站是空的。" if empty else self.info)
        self._update()

    def _update(self) -> None:
        child(self.dialog, QPushButton, "restoreButton").setEnabled(bool(self.view.selectionModel().selectedRows()))

    def restore_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return
        item: TrashRow = self.proxy.row_at(rows[0].row())
        try:
            self._restore(item.key)
        except Exception as exc:  # noqa: BLE001 - shown to the user; the ledger rolled back
            QMessageBox.warning(self.dialog, "无法恢复", error_text(exc))
            return
        self.restored += 1
        self.reload()


def recycle_dialog(parent: QWidget | None, ledger, kinds=None, campaign_id: str | None = None,
                   title: str = "回收站") -> TrashDialog:
    from desktop.services import recycle

    def rows() -> list[TrashRow]:
        return [TrashRow(d.key, f"{d.kind_label}：{d.label}", d.where, d.deleted_at)
                for d in recycle.list_deleted(ledger, kinds, campaign_id)]

    return TrashDialog(rows, lambda key: recycle.restore(ledger, *key), title, parent)
