"""``RowTableModel``: a QAbstractTableModel over a list of plain rows (service dataclasses).

Columns are declared with :class:`Column` (title + a function of the row). Sorting is done by
the model itself on the Python list with a key function (one pass, fast even for 100,000 rows),
and :class:`RowFilterProxy` filters by a per-row search text computed once per ``set_rows``.
Views call ``proxy.sort``, which hands the sort to the source model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from desktop.domain.dates import format_cn_time

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


def display(value: Any) -> str:
    """How a plain value shows in a cell: dates as 2026-07-01, None as blank, bools as 是/否."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return format_cn_time(value)
    return str(value)


def _sort_key(value: Any) -> tuple:
    # None/blank last in ascending order; numbers and dates compare as themselves
    if value is None or value == "":
        return (1, "")
    if isinstance(value, bool | int | float):
        return (0, float(value))
    if isinstance(value, datetime | date | time):
        return (0, value.isoformat())
    return (0, str(value))


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[Any], Any]
    text: Callable[[Any], str] | None = None  # display text (default: display(value))
    align: str = "left"  # left | center | right
    width: int | None = None
    tooltip: Callable[[Any], str] | None = None
    color: Callable[[Any], str | None] | None = None  # foreground colour name, e.g. "#b71c1c"


_ALIGN = {
    "left": Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
    "center": Qt.AlignmentFlag.AlignCenter,
    "right": Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
}


class RowTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], parent=None):
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[Any] = []
        self._search: list[str] = []
        self._colors: dict[str, QBrush] = {}

    # ------------------------------------------------------------ data
    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._search = [
            " ".join(self._text(r, c) for c in self.columns).casefold() for r in self._rows
        ]
        self.endResetModel()

    def replace_row(self, row: int, value: Any) -> None:
        """Show ``value`` in place of row ``row`` (one row repainted; no model reset)."""
        self._rows[row] = value
        self._search[row] = " ".join(self._text(value, c) for c in self.columns).casefold()
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        del self._search[row]
        self.endRemoveRows()

    def apply_rows(self, rows: dict[Any, Any], keep: Callable[[Any], bool]) -> None:
        """Replace the shown rows whose ``id`` is a key of ``rows`` with the new value, or remove
        them when the value is None or ``keep`` rejects it; ids not shown are ignored."""
        for rid, value in rows.items():
            i = self.find_row(lambda r, k=rid: r.id == k)
            if i < 0:
                continue
            if value is None or not keep(value):
                self.remove_row(i)
            else:
                self.replace_row(i, value)

    @property
    def rows(self) -> list[Any]:
        return self._rows

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def search_text(self, row: int) -> str:
        return self._search[row]

    def find_row(self, predicate: Callable[[Any], bool]) -> int:
        for i, r in enumerate(self._rows):
            if predicate(r):
                return i
        return -1

    def _text(self, row: Any, col: Column) -> str:
        return col.text(row) if col.text else display(col.value(row))

    # ------------------------------------------------------------ Qt API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, col)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN.get(col.align)
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip:
            return col.tooltip(row) or None
        if role == Qt.ItemDataRole.ForegroundRole and col.color:
            name = col.color(row)
            if name:
                brush = self._colors.get(name)
                if brush is None:
                    brush = self._colors[name] = QBrush(QColor(name))
                return brush
            return None
        if role == ROW_ROLE:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        getter = self.columns[column].value
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_rows = [self._rows[i.row()] for i in old]
        paired = sorted(zip(self._rows, self._search, strict=True), key=lambda p: _sort_key(getter(p[0])),
                        reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = [p[0] for p in paired]
        self._search = [p[1] for p in paired]
        if old:
            position = {id(r): i for i, r in enumerate(self._rows)}
            self.changePersistentIndexList(
                old, [self.index(position[id(r)], i.column()) for r, i in zip(old_rows, old, strict=True)]
            )
        self.layoutChanged.emit()


def refilter(proxy: QSortFilterProxyModel, change: Callable[[], None]) -> None:
    """Apply ``change`` to a proxy's filter and re-filter its rows (Qt >= 6.10 wants the change
    bracketed by begin/endFilterChange; older versions invalidate afterwards)."""
    if hasattr(proxy, "beginFilterChange"):
        proxy.beginFilterChange()
        change()
        proxy.endFilterChange(QSortFilterProxyModel.Direction.Rows)
    else:
        change()
        proxy.invalidateFilter()


class RowFilterProxy(QSortFilterProxyModel):
    """Filters by text (every word must appear somewhere in the row) and an optional predicate;
    sorting is delegated to the source :class:`RowTableModel`."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._words: list[str] = []
        self._predicate: Callable[[Any], bool] | None = None
        self._sort = (-1, Qt.SortOrder.AscendingOrder)

    def _refilter(self, change: Callable[[], None]) -> None:
        refilter(self, change)

    def set_text(self, text: str) -> None:
        words = [w for w in text.casefold().split() if w]
        self._refilter(lambda: setattr(self, "_words", words))

    def set_predicate(self, predicate: Callable[[Any], bool] | None) -> None:
        self._refilter(lambda: setattr(self, "_predicate", predicate))

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, RowTableModel):
            return True
        if self._words:
            hay = model.search_text(source_row)
            if not all(w in hay for w in self._words):
                return False
        if self._predicate is not None and not self._predicate(model.row_at(source_row)):
            return False
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        model = self.sourceModel()
        if isinstance(model, RowTableModel):
            model.sort(column, order)

    def reapply_sort(self) -> None:
        """After ``set_rows``: sort the new rows like the user last asked."""
        column, order = self._sort
        if column >= 0:
            self.sort(column, order)

    def row_at(self, proxy_row: int) -> Any:
        source = self.mapToSource(self.index(proxy_row, 0))
        model = self.sourceModel()
        return model.row_at(source.row()) if isinstance(model, RowTableModel) else None


def make_view_sortable(view: QTableView, model: RowTableModel, proxy: RowFilterProxy) -> None:
    """Wire a view to model+proxy with the house style: whole-row selection, sortable header,
    column widths from the Column specs, last column stretches."""
    proxy.setSourceModel(model)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for i, col in enumerate(model.columns):
        if col.width:
            header.resizeSection(i, col.width)
