"""回收站: deleted (tombstoned) records listed with where they were, restorable one by one.

:func:`recycle_dialog` shows desktop.services.recycle (every kind, or some kinds: the 整改清单 and
政治生日 pages open it filtered to their own records); 文件 › 回收站… shows everything."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from ..errors import error_text
from ..models import Column
from ..rights import lock, read_only
from .restore_list import RestoreListDialog


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


class TrashDialog(RestoreListDialog):
    """``rows()`` lists the deleted items; ``restore(key)`` brings one back (one transaction)."""

    form_name = "trash"
    columns = COLUMNS
    view_name = "trashView"
    empty_text = "回收站是空的。"
    close_accepts = True

    def __init__(self, rows: Callable[[], list[TrashRow]], restore: Callable[[object], None],
                 title: str = "回收站", parent: QWidget | None = None, info: str = "", read_only: bool = False):
        self._rows, self._restore = rows, restore
        self._read_only = read_only  # a read-only login looks at what was deleted, restores nothing
        self._info = info or GENERIC_INFO
        self.restored = 0
        super().__init__(parent)
        self.dialog.setWindowTitle(title)
        self.reload()

    def rows(self) -> list[TrashRow]:
        return self._rows()

    def info(self) -> str:
        return self._info

    def can_restore(self, row) -> bool:
        return not self._read_only

    def _update(self) -> None:
        super()._update()
        lock(self._read_only, [self.w(QPushButton, "restoreButton")])

    def restore_row(self, item: TrashRow) -> None:
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

    return TrashDialog(rows, lambda key: recycle.restore(ledger, *key), title, parent, read_only=read_only(ledger))
