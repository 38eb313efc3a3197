"""The 整改清单 as a Qt tree: categories → problems → measures, over a service CampaignTree.

Rows are plain service nodes (CategoryNode / ProblemNode / MeasureNode). Overdue measures are
red, due-soon ones amber. :class:`RectFilterProxy` filters measures by status, person, category
and flag; a category or problem stays visible while one of its measures matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.domain.rectification import MeasureFlag
from desktop.services.rectification import CampaignTree, CategoryNode, MeasureNode, ProblemNode

from ..models.table import refilter

NODE_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("序号 / 内容", "来源 / 类型", "责任领导", "责任部门/责任人", "整改时限", "状态", "提示", "最新进展")
WIDTHS = (230, 100, 64, 110, 82, 150, 60, 200)
# shown order: 提示 next to 整改时限, so that 序号 … 提示 … 状态 fit the tree at 1280×720
VISUAL_ORDER = (0, 1, 2, 3, 4, 6, 5, 7)
OVERDUE_BG, SOON_BG = QColor("#fde0e0"), QColor("#fff1cc")
OVERDUE_FG, SOON_FG, KEY_FG = QColor("#b71c1c"), QColor("#8a5a00"), QColor("#b71c1c")


@dataclass
class _Item:
    node: Any
    parent: _Item | None
    row: int
    children: list[_Item] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return {CategoryNode: "category", ProblemNode: "problem", MeasureNode: "measure"}[type(self.node)]


def _one_line(text: str, limit: int = 80) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


class RectTreeModel(QAbstractItemModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._roots: list[_Item] = []
        self._bold = QFont()
        self._bold.setBold(True)
        self._brushes = {c.name(): QBrush(c) for c in (OVERDUE_BG, SOON_BG, OVERDUE_FG, SOON_FG)}

    def set_tree(self, tree: CampaignTree | None) -> None:
        self.beginResetModel()
        self._roots = []
        for ci, cat in enumerate(tree.categories if tree else ()):
            c = _Item(cat, None, ci)
            for pi, prob in enumerate(cat.problems):
                p = _Item(prob, c, pi)
                p.children = [_Item(m, p, mi) for mi, m in enumerate(prob.measures)]
                c.children.append(p)
            self._roots.append(c)
        self.endResetModel()

    def update_measures(self, tree: CampaignTree, ids: set[str]) -> None:
        """Show the measures ``ids`` of ``tree`` (same shape as the shown tree) in place: their
        rows repaint, nothing is reset (expansion and selection stay)."""
        nodes = {m.id: m for _c, _p, m in tree.measures() if m.id in ids}
        for mid, node in nodes.items():
            index = self.find(mid)
            if not index.isValid():
                continue
            item = self._item(index)
            item.node = node
            p = item.parent  # the problem and category nodes hold the measure too
            p.node = next(pr for c in tree.categories for pr in c.problems if pr.id == p.node.id)
            p.parent.node = next(c for c in tree.categories if c.id == p.parent.node.id)
            self.dataChanged.emit(self.createIndex(item.row, 0, item),
                                  self.createIndex(item.row, len(COLUMNS) - 1, item))

    # ---------------------------------------------------------------- structure
    def _item(self, index: Index) -> _Item | None:
        return index.internalPointer() if index.isValid() else None

    def _children(self, item: _Item | None) -> list[_Item]:
        return self._roots if item is None else item.children

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        kids = self._children(self._item(parent))
        if 0 <= row < len(kids) and 0 <= column < len(COLUMNS):
            return self.createIndex(row, column, kids[row])
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        item = self._item(index)
        if item is None or item.parent is None:
            return QModelIndex()
        return self.createIndex(item.parent.row, 0, item.parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children(self._item(parent)))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    # --------------------------------------------------------------------- data
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self._item(index)
        if item is None:
            return None
        node, col = item.node, index.column()
        if role == NODE_ROLE:
            return node
        if role == SORT_ROLE:
            return self._sort_value(node, col)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(node, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(node)
        if role == Qt.ItemDataRole.FontRole and not isinstance(node, MeasureNode) and col == 0:
            return self._bold
        if isinstance(node, MeasureNode):
            if role == Qt.ItemDataRole.BackgroundRole:
                bg = {MeasureFlag.OVERDUE: OVERDUE_BG, MeasureFlag.DUE_SOON: SOON_BG}.get(node.flag)
                return self._brushes[bg.name()] if bg else None
            if role == Qt.ItemDataRole.ForegroundRole and col in (4, 6):
                fg = {MeasureFlag.OVERDUE: OVERDUE_FG, MeasureFlag.DUE_SOON: SOON_FG}.get(node.flag)
                return self._brushes[fg.name()] if fg else None
        if isinstance(node, ProblemNode) and node.is_key and role == Qt.ItemDataRole.ForegroundRole and col == 1:
            return self._brushes[KEY_FG.name()]
        return None

    @staticmethod
    def _text(node: Any, col: int) -> str:
        if isinstance(node, CategoryNode):
            return f"{node.number}. {node.name}（{len(node.problems)}个问题）" if col == 0 else ""
        if isinstance(node, ProblemNode):
            if col == 0:
                return f"问题{node.number}：{_one_line(node.description)}"
            if col == 1:
                return f"{node.source}{' · 重点' if node.is_key else ''}"
            return ""
        m: MeasureNode = node
        values = (
            f"措施{m.number}：{_one_line(m.content)}", str(m.type), m.leader, m.owner,
            m.deadline.isoformat() if m.deadline else "",
            f"{m.status}（{m.closed_on.isoformat()}）" if m.closed_on else str(m.status),
            str(m.flag), _one_line(m.latest_progress, 40),
        )  # fmt: skip
        return values[col]

    @staticmethod
    def _sort_value(node: Any, col: int) -> Any:
        if not isinstance(node, MeasureNode) or col == 0:
            return node.number
        m = node
        return (m.number, str(m.type), m.leader, m.owner, m.deadline.isoformat() if m.deadline else "9999",
                str(m.status), str(m.flag), m.progress[-1].date.isoformat() if m.progress else "")[col]

    @staticmethod
    def _tooltip(node: Any) -> str:
        if isinstance(node, ProblemNode):
            return f"{node.description}\n来源：{node.source}{'（重点整改项目）' if node.is_key else ''}"
        if isinstance(node, MeasureNode):
            lines = [node.content]
            if node.target:
                lines.append(f"整改目标：{node.target}")
            lines += [f"{e.date.isoformat()} {e.text}" for e in node.progress[-3:]]
            return "\n".join(lines)
        return node.name

    # ------------------------------------------------------------------ lookup
    def find(self, record_id: str) -> QModelIndex:
        stack = list(self._roots)
        while stack:
            item = stack.pop()
            if item.node.id == record_id:
                return self.createIndex(item.row, 0, item)
            stack.extend(item.children)
        return QModelIndex()


class RectFilterProxy(QSortFilterProxyModel):
    """Measures by status / person / category / flag; parents stay while a child matches."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.status = ""
        self.person = ""
        self.category_id = ""
        self.flag = ""
        self.setRecursiveFilteringEnabled(True)
        self.setSortRole(SORT_ROLE)

    def set_filters(self, *, status: str = "", person: str = "", category_id: str = "", flag: str = "") -> None:
        def change() -> None:
            self.status, self.person, self.category_id, self.flag = status, person.strip(), category_id, flag

        refilter(self, change)

    @property
    def active(self) -> bool:
        return bool(self.status or self.person or self.category_id or self.flag)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        idx = self.sourceModel().index(source_row, 0, source_parent)
        node = idx.data(NODE_ROLE)
        if isinstance(node, CategoryNode):
            return not self.active or (self.category_id == node.id and not (self.status or self.person or self.flag))
        if isinstance(node, ProblemNode):
            return not self.active or (not (self.status or self.person or self.flag)
                                       and self.category_id == node.category_id)
        m: MeasureNode = node
        if self.status and str(m.status) != self.status:
            return False
        if self.flag and str(m.flag) != self.flag:
            return False
        if self.person and self.person not in m.leader and self.person not in m.owner:
            return False
        if self.category_id:
            cat = idx.parent().parent().data(NODE_ROLE)
            if cat is None or cat.id != self.category_id:
                return False
        return True
