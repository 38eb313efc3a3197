"""党员: the roster with filters and search; add, edit, transfer, change status, import, export.

ID numbers are masked in the list; showing them in full is a deliberate act (a confirmation,
and it switches itself off when another ledger is opened).
"""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.dates import format_cn_date
from desktop.domain.enums import MemberCategory, MemberStatus
from desktop.services.member_io import export_members_xlsx
from desktop.services.members import (
    MemberRow,
    delete_member,
    get_member,
    list_members,
    member_rows,
    probation_info,
)
from desktop.services.organization import IN_ROLL, list_branches
from desktop.store.changes import ChangeEvent, RecordKind

from .. import rights
from ..conflicts import run_guarded
from ..context import AppContext
from ..dialogs.member_change import StatusDialog, TransferDialog
from ..dialogs.member_editor import MemberEditor
from ..dialogs.member_import import MemberImportDialog
from ..dialogs.member_probation import ProbationDialog
from ..errors import show_error
from ..forms import child, load_form
from ..models import Column, RowFilterProxy, RowTableModel, make_view_sortable
from ..pcsettings import settings_for
from ..rights import writes
from .base import Page

GONE = (MemberStatus.TRANSFERRED_OUT.value, MemberStatus.DECEASED.value, MemberStatus.CANCELLED.value)
MEMBER_KINDS = frozenset({RecordKind.MEMBER, RecordKind.MEMBERSHIP, RecordKind.BRANCH, RecordKind.PARTY_GROUP,
                          RecordKind.POST_HOLDING, RecordKind.PROBATION_EVENT})
ROW_KINDS = (RecordKind.MEMBER, RecordKind.MEMBERSHIP)  # a member saved (a group change adds a period)


def identity_line(r: MemberRow) -> str:
    """``预备党员，尚无党龄；入党日期（政治生日）…`` — the category once, then the 党龄."""
    age = "尚无党龄" if r.party_age is None else f"党龄 {r.party_age} 年"
    return f"{r.category}，{age}；入党日期（政治生日）{r.join_date or '未填'}"


class MembersPage(Page):
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
        self.detail_label.setText("选中一名党员，这里显示他（她）的组织关系变动。")
        self._update_buttons()

    # ------------------------------------------------------------------ table
    def _columns(self) -> list[Column]:
        def ident(r: MemberRow) -> str:
            return r.id_number if self.reveal else r.id_masked

        return [
            Column("姓名", lambda r: r.name, width=80),
            Column("性别", lambda r: r.gender, align="center", width=40),
            Column("出生日期", lambda r: r.birth_date, width=86),
            Column("支部", lambda r: r.branch_name, width=90),
            Column("党小组", lambda r: r.group_name, width=172, tooltip=lambda r: r.group_name),
            Column("类别", lambda r: r.category, width=70,
                   color=lambda r: "#9a6700" if r.category == MemberCategory.PROBATIONARY else None),
            Column("入党日期", lambda r: r.join_date, width=86, tooltip=lambda r: "入党日期即政治生日"),
            Column("转正日期", lambda r: r.full_date, width=86),
            Column("党龄", lambda r: r.party_age, align="right", width=42,
                   tooltip=lambda r: "预备党员没有党龄" if r.party_age is None else "从转正日期算起"),
            Column("状态", lambda r: r.status, align="center", width=46,
                   color=lambda r: "#888888" if r.status in GONE else None),
            Column("党内职务", lambda r: r.party_post, width=104, tooltip=lambda r: r.party_post),
            Column("联系电话", lambda r: r.phone, width=100),
            Column("身份证号", ident, width=150),
        ]

    def _ledger_changed(self) -> None:
        if self.reveal_check.isChecked():
            self.reveal_check.setChecked(False)

    def reload(self) -> None:
        ledger = self.ctx.ledger
        self.form.setEnabled(ledger is not None)
        if ledger is None:
            self.model.set_rows([])
            self.summary.setText("未打开台账。")
            return
        self._fill_branches()
        selected = self.selected()
        rows = list_members(ledger, branch_id=self.branch_combo.currentData(),
                            category=self.category_combo.currentData(), status=self.status_combo.currentData())
        self.model.set_rows(rows)
        self.proxy.reapply_sort()
        self._update_summary()
        if selected is not None:
            self.select_member(selected.id)
        self._update_buttons()

    def _fill_branches(self) -> None:
        current = self.branch_combo.currentData()
        self.branch_combo.blockSignals(True)
        self.branch_combo.clear()
        self.branch_combo.addItem("全部支部", None)
        for b in list_branches(self.ctx.ledger):
            self.branch_combo.addItem(b.name, b.id)
        self.branch_combo.setCurrentIndex(max(0, self.branch_combo.findData(current)))
        self.branch_combo.blockSignals(False)

    def _update_summary(self) -> None:
        shown = [self.proxy.row_at(i) for i in range(self.proxy.rowCount())]
        full = sum(1 for r in shown if r.category == MemberCategory.FULL)
        text = f"共 {len(shown)} 人（正式党员 {full}，预备党员 {len(shown) - full}）"
        if len(shown) != self.model.rowCount():
            text += f"；搜索前 {self.model.rowCount()} 人"
        self.summary.setText(text)

    def _search_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_summary()

    def on_data_changed(self, event: ChangeEvent) -> None:
        if not event.touches(MEMBER_KINDS):
            return
        if not self.isVisible():
            self._stale = True  # reload when shown again
            return
        ids = event.ids(RecordKind.MEMBER)
        if ids and event.only(ROW_KINDS) and self._update_rows(set(ids)):
            return
        self.reload()

    def _matches(self, row: MemberRow) -> bool:
        status = self.status_combo.currentData()
        return ((not self.branch_combo.currentData() or row.branch_id == self.branch_combo.currentData())
                and (not self.category_combo.currentData() or row.category == self.category_combo.currentData())
                and (not status or (row.status in IN_ROLL if status == "在册" else row.status == status)))

    def _update_rows(self, ids: set[str]) -> bool:
        """A save changed a few members: update their rows in place (the whole roster is read
        again only for a new row or one whose place in the order changed)."""
        if len(ids) > 50 or self.ctx.ledger_busy():
            return False
        rows = member_rows(self.ctx.require_ledger(), ids)
        positions = {r.id: i for i, r in enumerate(self.model.rows) if r.id in rows}
        sort_column = self.proxy._sort[0]
        for mid, row in rows.items():
            i = positions.get(mid)
            if i is None:
                if row is not None and self._matches(row):
                    return False  # a new row: its place comes from the full list
                continue
            old = self.model.row_at(i)
            if row is not None and ((old.branch_id, old.join_date, old.name) != (row.branch_id, row.join_date, row.name)
                                    or (sort_column >= 0 and self.model.columns[sort_column].value(old)
                                        != self.model.columns[sort_column].value(row))):
                return False
        self.model.apply_rows(rows, self._matches)
        self._update_summary()
        selected = self.selected()
        if selected is None or selected.id in ids:  # its details (periods, probation) may have changed
            self._current_changed(self.table.currentIndex(), QModelIndex())
        return True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.reload()

    def _reveal_toggled(self, on: bool) -> None:
        if on and not self.reveal:
            answer = QMessageBox.question(
                self, "显示完整身份证号",
                "身份证号属于个人敏感信息。确定要在列表中显示完整号码吗？\n（请注意屏幕旁是否有其他人；切换台账后自动恢复打码。）")
            if answer != QMessageBox.StandardButton.Yes:
                self.reveal_check.blockSignals(True)
                self.reveal_check.setChecked(False)
                self.reveal_check.blockSignals(False)
                return
        self.reveal = on
        self.model.set_rows(self.model.rows)  # recompute display and search text
        self.proxy.reapply_sort()

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
        self.history.clear()
        row = self.selected()
        if row is None or self.ctx.ledger is None:
            self.detail_label.setText("选中一名党员，这里显示他（她）的组织关系变动。")
            return
        try:
            detail = get_member(self.ctx.ledger, row.id)
        except KeyError:
            return
        r = detail.row
        text = f"<b>{escape(r.name)}</b>　{identity_line(r)}"
        probation = probation_info(self.ctx.ledger, row.id)
        if probation.is_probationary and probation.state is not None:
            st = probation.state
            left = st.days_left(date.today())
            when = f"已期满{-left}天，请登记转正" if left < 0 else f"还有{left}天"
            text += f"<br>预备期至 {format_cn_date(st.end)}{'（已延长）' if st.extended else ''}，{when}"
        if detail.warnings:
            text += f"<br><span style='color:#9a6700'>{'；'.join(detail.warnings)}</span>"
        self.detail_label.setText(text)
        for p in detail.periods:
            change = p.start_reason + (f" → {p.end_reason}" if p.end_reason else "")
            QTreeWidgetItem(self.history, [p.label, p.branch_name, p.group_name, change])
        for e in probation.events:  # 转正 / 延长预备期 / 取消 with the meeting that voted it
            item = QTreeWidgetItem(self.history, [format_cn_date(e.on_date), "", "", e.text.split(" ", 1)[1]])
            item.setToolTip(3, e.text)
        for i in range(4):
            self.history.resizeColumnToContents(i)

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

    def focus_search(self) -> bool:
        """Ctrl+F (the window's 查找): the roster's search box."""
        self.search.setFocus()
        self.search.selectAll()
        return True

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

    def export_xlsx(self) -> None:
        if self.ctx.ledger is None:
            return
        rows = [self.proxy.row_at(i) for i in range(self.proxy.rowCount())]
        settings = settings_for(self)
        folder = Path(str(settings.value("export/lastDir", "") or Path.home()))
        name, _ = QFileDialog.getSaveFileName(self, "导出党员名册", str(folder / f"党员名册-{date.today():%Y%m%d}.xlsx"),
                                              "Excel 工作簿 (*.xlsx)")
        if not name:
            return
        target = Path(name) if name.lower().endswith(".xlsx") else Path(name + ".xlsx")
        settings.setValue("export/lastDir", str(target.parent))
        reveal = self.reveal

        def work(progress):
            progress(0, 0, f"正在导出 {len(rows)} 人 …")
            return export_members_xlsx(rows, target, reveal_ids=reveal)

        self.ctx.tasks.run(
            work, title="正在导出党员名册", parent=self,
            on_done=lambda out: QMessageBox.information(self, "导出完成", f"已导出 {len(rows)} 人：\n{out}"
                                                        + ("" if reveal else "\n（身份证号已打码）")),
            on_error=lambda exc, tb: show_error(self, exc, tb, action="exporting members"))

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
