"""党员: the roster with filters and search; add, edit, transfer, change status, import, export.

ID numbers are masked in the list; showing them in full is a deliberate act (a confirmation,
and it switches itself off when another ledger is opened).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.enums import MemberCategory, MemberStatus
from desktop.services.members import MemberRow, delete_member, get_member
from desktop.services.organization import list_branches

from .. import rights
from ..conflicts import run_guarded
from ..context import AppContext
from ..dialogs.member_change import StatusDialog, TransferDialog
from ..dialogs.member_editor import MemberEditor
from ..dialogs.member_import import MemberImportDialog
from ..dialogs.member_probation import ProbationDialog
from ..forms import child, load_form
from ..members.details import PROMPT, show_member
from ..members.roster import Roster
from ..models import RowFilterProxy, RowTableModel, make_view_sortable
from ..rights import writes
from .base import Page


class MembersPage(Roster, Page):
    title = "党员"
    icon_name = "members"
    write_buttons = ("addButton", "editButton", "transferButton", "statusButton", "probationButton", "deleteButton",
                     "importButton")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.form = load_form("members", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        self.reveal = False
        self._stale = False
        f = self.form
        self.branch_combo: QComboBox = child(f, QComboBox, "branchCombo")
        self.category_combo: QComboBox = child(f, QComboBox, "categoryCombo")
        self.status_combo: QComboBox = child(f, QComboBox, "statusCombo")
        self.search: QLineEdit = child(f, QLineEdit, "searchEdit")
        self.reveal_check: QCheckBox = child(f, QCheckBox, "revealCheck")
        self.table: QTableView = child(f, QTableView, "memberTable")
        self.summary: QLabel = child(f, QLabel, "summaryLabel")
        self.detail_label: QLabel = child(f, QLabel, "detailLabel")
        self.history: QTreeWidget = child(f, QTreeWidget, "historyTree")
        self.buttons = {n: child(f, QPushButton, n) for n in (
            "addButton", "editButton", "transferButton", "statusButton", "probationButton", "deleteButton",
            "importButton", "exportButton")}

        splitter = child(f, QSplitter, "splitter")
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([460, 150])
        self.model = RowTableModel(self._columns(), self)
        self.proxy = RowFilterProxy(self)
        make_view_sortable(self.table, self.model, self.proxy)
        self.category_combo.addItem("全部", None)
        for c in MemberCategory:
            self.category_combo.addItem(c.value, c.value)
        self.status_combo.addItem("在册（在职、退休、流动）", "在册")
        for s in MemberStatus:
            self.status_combo.addItem(s.value, s.value)
        self.status_combo.addItem("全部（含转出、去世）", None)
        for combo in (self.branch_combo, self.category_combo, self.status_combo):
            combo.currentIndexChanged.connect(self.reload)
        self.search.textChanged.connect(self._search_changed)
        self.reveal_check.toggled.connect(self._reveal_toggled)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.buttons["addButton"].clicked.connect(self.add)
        self.buttons["editButton"].clicked.connect(self.edit)
        self.buttons["transferButton"].clicked.connect(self.transfer)
        self.buttons["statusButton"].clicked.connect(self.change_status)
        self.buttons["probationButton"].clicked.connect(self.probation)
        self.buttons["deleteButton"].clicked.connect(self.delete)
        self.buttons["importButton"].clicked.connect(self.import_roster)
        self.buttons["exportButton"].clicked.connect(self.export_xlsx)
        QShortcut(QKeySequence(Qt.Key.Key_Insert), self, self.add)
        enter = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self.edit)
        enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        ctx.ledgerChanged.connect(self._ledger_changed)
        self.detail_label.setText(PROMPT)
        self._update_buttons()

    # ------------------------------------------------------------------ selection
    def selected(self) -> MemberRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.proxy.row_at(index.row())

    def history_target(self) -> tuple[str, str] | None:
        """记录 › 修改历史: the selected member (id, title)."""
        row = self.selected()
        return (row.id, f"党员 {row.name}") if row is not None else None

    def select_member(self, member_id: str) -> bool:
        source_row = self.model.find_row(lambda r: r.id == member_id)
        if source_row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not index.isValid():
            return False
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()
        show_member(self.ctx.ledger, self.selected(), self.detail_label, self.history)

    def _update_buttons(self) -> None:
        has_ledger = self.ctx.ledger is not None
        row = self.selected()
        for name in ("addButton", "importButton"):
            self.buttons[name].setEnabled(has_ledger)
        for name in ("editButton", "transferButton", "statusButton", "deleteButton"):
            self.buttons[name].setEnabled(has_ledger and row is not None)
        self.buttons["probationButton"].setEnabled(
            has_ledger and row is not None and row.category == MemberCategory.PROBATIONARY
            and row.status not in (MemberStatus.TRANSFERRED_OUT, MemberStatus.DECEASED, MemberStatus.CANCELLED))
        if row is not None:
            self.buttons["transferButton"].setEnabled(row.status not in (MemberStatus.DECEASED, MemberStatus.CANCELLED))
        self.lock_writes()
        self.lock_record(row.branch_id if row else None, "editButton", "transferButton", "statusButton",
                         "probationButton", "deleteButton")

    def _context_menu(self, pos) -> None:
        if self.selected() is None:
            return
        menu = QMenu(self)
        for text, slot, button in (("编辑…", self.edit, "editButton"), ("调动…", self.transfer, "transferButton"),
                                   ("状态变动…", self.change_status, "statusButton"),
                                   ("预备期：转正、延长、取消…", self.probation, "probationButton"),
                                   ("删除", self.delete, "deleteButton")):
            action = menu.addAction(text, slot)
            action.setEnabled(self.buttons[button].isEnabled())
        menu.exec(self.table.viewport().mapToGlobal(pos))

    # ------------------------------------------------------------------ actions
    @writes
    def add(self) -> None:
        if self.ctx.ledger is None:
            return
        if not list_branches(self.ctx.ledger):
            QMessageBox.information(self, "新增党员", "还没有党支部。请先在“组织”页面建立党支部。")
            return
        editor = MemberEditor(self.ctx.ledger, self, branch_id=self.branch_combo.currentData())
        if editor.exec() and editor.saved_id:
            self.select_member(editor.saved_id)

    @writes
    def edit(self) -> None:
        row = self.selected()
        if row is None or self.ctx.ledger is None:
            return
        editor = MemberEditor(self.ctx.ledger, self, detail=get_member(self.ctx.ledger, row.id))
        if not rights.may_write(self.ctx.ledger, row.branch_id):  # double click / Enter on another branch's
            editor.show_read_only(rights.OTHER_BRANCH_TIP)
        if editor.exec():
            self.select_member(row.id)

    def transfer(self) -> None:
        row = self.selected()
        if row is not None and self.ctx.ledger is not None and TransferDialog(self.ctx.ledger, row, self).exec():
            self.select_member(row.id)

    def change_status(self) -> None:
        row = self.selected()
        if row is not None and self.ctx.ledger is not None and StatusDialog(self.ctx.ledger, row, self).exec():
            self.select_member(row.id)

    def probation(self) -> None:
        row = self.selected()
        if row is not None and self.ctx.ledger is not None and ProbationDialog(self.ctx.ledger, row, self).exec():
            self.select_member(row.id)

    def delete(self) -> None:
        row = self.selected()
        if row is None or self.ctx.ledger is None:
            return
        answer = QMessageBox.question(
            self, "删除党员",
            f"确定删除“{row.name}”吗？\n\n删除只用于录错的记录。党员转出或去世请用“状态变动”，"
            "这样以前的会议仍能正确统计应到人数。", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:  # changed since it was listed: refused, shown
            ledger = self.ctx.ledger
            run_guarded(self, lambda v: delete_member(ledger, row.id, version=v), row.version, refresh=self.reload,
                        delete=True)

    def import_roster(self) -> None:
        if self.ctx.ledger is None:
            return
        if not list_branches(self.ctx.ledger):
            QMessageBox.information(self, "导入党员", "还没有党支部。请先在“组织”页面建立党支部。")
            return
        MemberImportDialog(self.ctx, self).exec()

    def open_record(self, kind: str, record_id: str) -> bool:
        if kind != "member" or self.ctx.ledger is None:
            return False
        if not self.select_member(record_id):
            self.branch_combo.setCurrentIndex(0)
            self.category_combo.setCurrentIndex(0)
            self.status_combo.setCurrentIndex(self.status_combo.count() - 1)
            self.search.clear()
            if not self.select_member(record_id):
                return False
        self.table.setFocus()
        return True
