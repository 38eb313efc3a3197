"""Editable, undoable grids of the meeting editor (attendance, speeches, motions, guests).

``EditModel`` holds plain dict rows; every change goes through a QUndoCommand on the editor's
QUndoStack, so 撤销/重做 covers grid edits as well as row inserts, removals and moves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QTableView, QWidget

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class EditCol:
    key: str
    title: str
    kind: str = "text"  # text | int | bool | choice | computed
    choices: Callable[[dict], list[str]] | None = None
    typed: bool = True  # a choice column also accepts typed text
    editable: Callable[[dict], bool] | None = None
    compute: Callable[[dict], str] | None = None
    color: Callable[[dict], str | None] | None = None
    width: int | None = None
    tip: str = ""


class _SetCell(QUndoCommand):
    def __init__(self, model: EditModel, row: int, key: str, old: Any, new: Any, text: str):
        super().__init__(text)
        self.model, self.row, self.key, self.old, self.new = model, row, key, old, new

    def redo(self) -> None:
        self.model._set(self.row, self.key, self.new)

    def undo(self) -> None:
        self.model._set(self.row, self.key, self.old)


class _Insert(QUndoCommand):
    def __init__(self, model: EditModel, row: int, values: dict, text: str):
        super().__init__(text)
        self.model, self.row, self.values = model, row, dict(values)

    def redo(self) -> None:
        self.model._insert(self.row, dict(self.values))

    def undo(self) -> None:
        self.model._remove(self.row)


class _Remove(QUndoCommand):
    def __init__(self, model: EditModel, row: int, text: str):
        super().__init__(text)
        self.model, self.row, self.values = model, row, dict(model.rows[row])

    def redo(self) -> None:
        self.model._remove(self.row)

    def undo(self) -> None:
        self.model._insert(self.row, dict(self.values))


class _Move(QUndoCommand):
    def __init__(self, model: EditModel, row: int, to: int, text: str):
        super().__init__(text)
        self.model, self.row, self.to = model, row, to

    def redo(self) -> None:
        self.model._swap(self.row, self.to)

    def undo(self) -> None:
        self.model._swap(self.to, self.row)


class _Reset(QUndoCommand):
    def __init__(self, model: EditModel, rows: list[dict], text: str):
        super().__init__(text)
        self.model, self.new, self.old = model, [dict(r) for r in rows], [dict(r) for r in model.rows]

    def redo(self) -> None:
        self.model._reset([dict(r) for r in self.new])

    def undo(self) -> None:
        self.model._reset([dict(r) for r in self.old])


class EditModel(QAbstractTableModel):
    """Rows of plain dicts; edits are QUndoCommands. ``changed`` fires after every change."""

    changed = Signal()

    def __init__(self, columns: list[EditCol], undo: QUndoStack, label: str, parent=None):
        super().__init__(parent)
        self.columns = columns
        self.undo = undo
        self.label = label
        self.rows: list[dict] = []
        self.read_only = False
        self._brushes: dict[str, QBrush] = {}
        self.on_set: Callable[[int, str, Any], list[tuple[str, Any]]] | None = None  # follow-up edits

    # ------------------------------------------------------------------ raw (used by commands)
    def _set(self, row: int, key: str, value: Any) -> None:
        self.rows[row][key] = value
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))
        self.changed.emit()

    def _insert(self, row: int, values: dict) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        self.rows.insert(row, values)
        self.endInsertRows()
        self.changed.emit()

    def _remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.rows[row]
        self.endRemoveRows()
        self.changed.emit()

    def _swap(self, a: int, b: int) -> None:
        self.rows[a], self.rows[b] = self.rows[b], self.rows[a]
        lo, hi = min(a, b), max(a, b)
        self.dataChanged.emit(self.index(lo, 0), self.index(hi, len(self.columns) - 1))
        self.changed.emit()

    def _reset(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()
        self.changed.emit()

    # ------------------------------------------------------------------ undoable API
    def load(self, rows: list[dict]) -> None:
        """Replace the rows without an undo step (opening a record)."""
        self._reset([dict(r) for r in rows])

    def replace(self, rows: list[dict], text: str) -> None:
        self.undo.push(_Reset(self, rows, text))

    def set_value(self, row: int, key: str, value: Any) -> None:
        old = self.rows[row].get(key)
        follow = self.on_set(row, key, value) if self.on_set else []
        changes = [(key, old, value)] + [(k, self.rows[row].get(k), v) for k, v in follow]
        changes = [c for c in changes if c[1] != c[2]]
        if not changes:
            return
        col = next((c.title for c in self.columns if c.key == key), key)
        if len(changes) == 1:
            self.undo.push(_SetCell(self, row, key, old, value, f"修改{self.label}“{col}”"))
            return
        self.undo.beginMacro(f"修改{self.label}“{col}”")
        for k, o, n in changes:
            self.undo.push(_SetCell(self, row, k, o, n, ""))
        self.undo.endMacro()

    def add_row(self, values: dict, at: int | None = None) -> int:
        row = len(self.rows) if at is None else at
        self.undo.push(_Insert(self, row, values, f"添加{self.label}"))
        return row

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.undo.push(_Remove(self, row, f"删除{self.label}"))

    def move_row(self, row: int, delta: int) -> int:
        to = row + delta
        if 0 <= row < len(self.rows) and 0 <= to < len(self.rows):
            self.undo.push(_Move(self, row, to, f"移动{self.label}"))
            return to
        return row

    # ------------------------------------------------------------------ Qt API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                return self.columns[section].title
            return str(section + 1)
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].tip or None
        return None

    def _editable(self, row: dict, col: EditCol) -> bool:
        if self.read_only or col.kind == "computed":
            return False
        return col.editable(row) if col.editable else True

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid():
            return base
        col, row = self.columns[index.column()], self.rows[index.row()]
        if col.kind == "bool":
            return base | (Qt.ItemFlag.ItemIsUserCheckable if self._editable(row, col) else Qt.ItemFlag.NoItemFlags)
        if self._editable(row, col):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        col, row = self.columns[index.column()], self.rows[index.row()]
        if col.kind == "bool":
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if row.get(col.key) else Qt.CheckState.Unchecked
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col.kind == "computed":
                return col.compute(row) if col.compute else ""
            value = row.get(col.key, "")
            return value if role == Qt.ItemDataRole.EditRole else ("" if value is None else str(value))
        if role == Qt.ItemDataRole.TextAlignmentRole and col.kind == "int":
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ForegroundRole and col.color:
            name = col.color(row)
            if name:
                return self._brushes.setdefault(name, QBrush(QColor(name)))
        if role == Qt.ItemDataRole.ToolTipRole and col.kind == "computed" and col.compute:
            return col.compute(row) or None
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        col = self.columns[index.column()]
        if col.kind == "bool" and role == Qt.ItemDataRole.CheckStateRole:
            value = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        elif role != Qt.ItemDataRole.EditRole:
            return False
        elif col.kind == "int":
            try:
                value = int(str(value).strip() or 0)
            except ValueError:
                return False
            if value < 0:
                return False
        else:
            value = "" if value is None else str(value).strip()
        self.set_value(index.row(), col.key, value)
        return True


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box for ``choice`` columns (editable when the column accepts typed text)."""

    def __init__(self, model: EditModel, parent=None):
        super().__init__(parent)
        self.model = model

    def createEditor(self, parent: QWidget, option, index: Index) -> QWidget:
        col = self.model.columns[index.column()]
        if col.kind != "choice":
            return super().createEditor(parent, option, index)
        box = QComboBox(parent)
        box.setEditable(col.typed)
        box.addItems(col.choices(self.model.rows[index.row()]) if col.choices else [])
        return box

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            value = str(index.data(Qt.ItemDataRole.EditRole) or "")
            i = editor.findText(value)
            if i >= 0:
                editor.setCurrentIndex(i)
            elif editor.isEditable():
                editor.setEditText(value)
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


def setup_grid(view: QTableView, model: EditModel) -> None:
    from PySide6.QtWidgets import QAbstractItemView, QHeaderView

    view.setModel(model)
    view.setItemDelegate(ChoiceDelegate(model, view))
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.SelectedClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 12)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for i, col in enumerate(model.columns):
        if col.width:
            view.horizontalHeader().resizeSection(i, col.width)
