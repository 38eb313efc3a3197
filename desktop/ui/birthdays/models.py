"""Table models of the 政治生日 page: the roster (milestones highlighted) and the celebrants editor."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.domain.dates import format_cn_year_month
from desktop.services.birthdays import BirthdayRow, EventRow

from ..models import Column, RowTableModel

FIFTY_BG, ROUND_BG = QColor("#fbe3c0"), QColor("#fff4d6")


def _age(r: BirthdayRow) -> str:
    return "预备期" if r.party_age is None else f"{r.party_age}年"


ROSTER_COLUMNS = (
    Column("政治生日", lambda r: r.date_this_year, text=lambda r: f"{r.date_this_year.month}月{r.date_this_year.day}日",
           width=80),
    Column("姓名", lambda r: r.name, width=80),
    Column("性别", lambda r: r.gender, align="center", width=46),
    Column("出生年月", lambda r: r.birth_date, text=lambda r: format_cn_year_month(r.birth_date), width=76),
    Column("入党日期", lambda r: r.join_date, width=100),
    Column("转正日期", lambda r: r.full_date, width=100),
    Column("党龄", lambda r: r.party_age if r.party_age is not None else -1, text=_age, align="right", width=60),
    Column("支部", lambda r: r.branch_name, width=120),
    Column("入党周年", lambda r: r.anniversary_number, text=lambda r: f"第{r.anniversary_number}个", align="center",
           width=72),
    Column("纪念", lambda r: r.milestone_label, color=lambda r: "#9c2a00" if r.highlighted else None),
)


class RosterModel(RowTableModel):
    """光荣在党50年 rows in deeper amber and bold, round anniversaries in light amber."""

    def __init__(self, parent=None):
        super().__init__(ROSTER_COLUMNS, parent)
        self._bold = QFont()
        self._bold.setBold(True)
        self._fifty, self._round = QBrush(FIFTY_BG), QBrush(ROUND_BG)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole):
            r: BirthdayRow = self.row_at(index.row())
            if role == Qt.ItemDataRole.BackgroundRole:
                return self._fifty if r.is_fifty else (self._round if r.is_round else None)
            return self._bold if r.is_fifty else None
        return super().data(index, role)


EVENT_COLUMNS = (
    Column("日期", lambda e: e.date, width=90),
    Column("支部", lambda e: e.branch_name or "机关党委", width=120),
    Column("活动名称", lambda e: e.title, width=220),
    Column("人数", lambda e: e.celebrant_count, align="right", width=50),
    Column("地点", lambda e: e.place, width=130),
    Column("活动内容", lambda e: "、".join(e.activities)),
)


def event_row_key(e: EventRow) -> str:
    return e.id


@dataclass(frozen=True)
class Candidate:
    """One member in the celebration editor: ticked or not, with the 寄语 for the card."""

    member_id: str
    name: str
    join_date: Any
    anniversary_number: int | None
    party_age: int | None
    milestone_label: str
    branch_name: str
    checked: bool
    message: str


CANDIDATE_COLUMNS = (
    Column("参加", lambda c: c.checked, text=lambda c: "", align="center", width=46),
    Column("姓名", lambda c: c.name, width=80),
    Column("入党日期", lambda c: c.join_date, width=90),
    Column("周年", lambda c: c.anniversary_number, text=lambda c: f"第{c.anniversary_number}个"
           if c.anniversary_number is not None else "", align="center", width=64),
    Column("党龄", lambda c: c.party_age, text=lambda c: "预备期" if c.party_age is None else f"{c.party_age}年",
           align="right", width=56),
    Column("纪念", lambda c: c.milestone_label, width=110),
    Column("寄语", lambda c: " ".join(c.message.split())),
)


class CandidateModel(RowTableModel):
    """The first column is a check box; ``set_checked`` / ``set_message`` edit rows in place."""

    def __init__(self, parent=None):
        super().__init__(CANDIDATE_COLUMNS, parent)

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else base

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() == 0 and role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if self.row_at(index.row()).checked else Qt.CheckState.Unchecked
        return super().data(index, role)

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if index.isValid() and index.column() == 0 and role == Qt.ItemDataRole.CheckStateRole:
            checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
            self.replace_row(index.row(), replace(self.row_at(index.row()), checked=checked))
            return True
        return False

    def replace_row(self, row: int, new: Candidate) -> None:
        self.rows[row] = new
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def find_member(self, member_id: str) -> int:
        return self.find_row(lambda c: c.member_id == member_id)
