"""迎检自查 for a branch-year: a list where each item opens the record (or creates the missing meeting)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QSpinBox, QTableView, QWidget

from desktop.services import meetings as svc

from ..formdialog import FormDialog
from ..models.table import RowFilterProxy, RowTableModel, make_view_sortable
from .dialogs import fill_branches
from .models import FINDING_COLUMNS


class PrecheckDialog(FormDialog):
    form_name = "meeting_precheck"

    def __init__(self, ledger, on_open: Callable[[svc.RecordFinding], None], parent: QWidget | None = None, *,
                 branch_id: str | None = None, year: int | None = None, today: date | None = None):
        super().__init__(parent)
        self.ledger, self.on_open, self.today = ledger, on_open, today
        self.branch = self.w(QComboBox, "branchCombo")
        self.year = self.w(QSpinBox, "yearSpin")
        fill_branches(self.branch, ledger, branch_id)
        self.year.setValue(year or date.today().year)
        self.view = self.w(QTableView, "findingsView")
        self.model = RowTableModel(FINDING_COLUMNS)
        self.proxy = RowFilterProxy()
        make_view_sortable(self.view, self.model, self.proxy)
        self.view.doubleClicked.connect(lambda _i: self.open_current())
        self.w(QPushButton, "runButton").clicked.connect(self.run)
        self.w(QPushButton, "openButton").clicked.connect(self.open_current)
        self.w(QPushButton, "closeButton").clicked.connect(self.dialog.accept)
        self.branch.currentIndexChanged.connect(self.run)
        self.year.valueChanged.connect(self.run)
        self.run()

    def run(self) -> None:
        bid = self.branch.currentData()
        label = self.w(QLabel, "summaryLabel")
        if not bid:
            self.model.set_rows([])
            label.setText("台账中还没有支部。")
            return
        found = svc.precheck_branch_year(self.ledger, bid, self.year.value(), today=self.today)
        self.model.set_rows(found)
        errors = sum(1 for f in found if f.severity == "error")
        name, y = self.branch.currentText(), self.year.value()
        label.setText(f"{name} {y}年：未发现问题。" if not found else
                      f"{name} {y}年：{errors} 个错误，{len(found) - errors} 条提醒。双击逐条处理。")
        self.found = found

    def open_current(self) -> None:
        idx = self.view.currentIndex()
        if not idx.isValid():
            return
        finding = self.proxy.row_at(idx.row())
        self.dialog.accept()
        self.on_open(finding)
