"""全局搜索 dialog (Ctrl+Shift+F, or Ctrl+F where a page has no search box of its own)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from desktop.services.global_search import search_everything

from ..forms import child, load_form
from ..models.highlight import HighlightDelegate, marked, plain

KIND_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class GlobalSearchDialog:
    """Type words, see every matching record with the matched words highlighted, open one."""

    def __init__(self, ledger, parent: QWidget | None = None, query: str = ""):
        self.ledger = ledger
        self.dialog = load_form("global_search", parent)
        self.chosen: tuple[str, str] | None = None
        self.query: QLineEdit = child(self.dialog, QLineEdit, "queryEdit")
        self.tree: QTreeWidget = child(self.dialog, QTreeWidget, "resultsTree")
        self.summary: QLabel = child(self.dialog, QLabel, "summaryLabel")
        box = child(self.dialog, QDialogButtonBox, "buttonBox")
        box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        box.rejected.connect(self.dialog.reject)
        self.tree.setItemDelegateForColumn(2, HighlightDelegate(self.tree))
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(1, 300)
        header.setStretchLastSection(True)
        self._timer = QTimer(self.dialog)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.run)
        self.query.textChanged.connect(self._timer.start)
        self.query.returnPressed.connect(self._enter)
        self.tree.itemActivated.connect(self._open)
        self.query.setText(query)
        self.query.setFocus()

    def exec(self) -> int:
        return self.dialog.exec()

    def run(self) -> None:
        self._timer.stop()
        text = self.query.text().strip()
        self.tree.clear()
        if not text:
            self.summary.setText("输入要找的字词（至少一个字），如姓名、议题中的词、整改措施的内容。")
            return
        hits = search_everything(self.ledger, text)
        for h in hits:
            item = QTreeWidgetItem(self.tree, [h.kind_label, h.title, marked(h.match)])
            item.setToolTip(1, h.title)
            item.setToolTip(2, plain(marked(h.match)))
            item.setData(0, KIND_ROLE, h.kind)
            item.setData(0, ID_ROLE, h.record_id)
        counts: dict[str, int] = {}
        for h in hits:
            counts[h.kind_label] = counts.get(h.kind_label, 0) + 1
        self.summary.setText(f"找到 {len(hits)} 条：" + "，".join(f"{k} {n}" for k, n in counts.items())
                             if hits else f"没有找到包含“{text}”的记录。")
        if hits:
            self.tree.setCurrentItem(self.tree.topLevelItem(0))

    def _enter(self) -> None:
        if self._timer.isActive() or self.tree.topLevelItemCount() == 0:
            self.run()
        else:
            self.tree.setFocus()

    def _open(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.chosen = (item.data(0, KIND_ROLE), item.data(0, ID_ROLE))
        self.dialog.accept()
