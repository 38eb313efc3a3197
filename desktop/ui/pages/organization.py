"""组织: the committee, its branches with their profile, 党小组, and who holds which post when."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import DomainValidationError, ValidationErrors
from desktop.domain.meeting_kinds import COMMITTEE_MIN_FULL_MEMBERS, committee_meetings_owed
from desktop.services.organization import (
    BranchRow,
    PostRow,
    delete_branch,
    delete_group,
    delete_post,
    end_post,
    get_committee,
    list_branches,
    list_groups,
    list_posts,
    save_committee,
    save_group,
)
from desktop.store.changes import ChangeEvent, RecordKind

from ..conflicts import run_guarded
from ..context import AppContext
from ..dialogs.branch_editor import BranchEditor, PostEditor
from ..errors import show_validation_error
from ..forms import child, load_form
from ..kept_edits import KeptEdits
from ..models import Column, RowFilterProxy, RowTableModel, make_view_sortable
from ..rights import writes, writes_shared
from .base import Page

GROUP_ID = Qt.ItemDataRole.UserRole
GROUP_NAME = Qt.ItemDataRole.UserRole + 1
GROUP_VERSION = Qt.ItemDataRole.UserRole + 2
ORG_KINDS = frozenset({RecordKind.COMMITTEE, RecordKind.BRANCH, RecordKind.PARTY_GROUP, RecordKind.POST_HOLDING,
                       RecordKind.MEMBER, RecordKind.MEMBERSHIP})

BRANCH_COLUMNS = [
    Column("支部", lambda b: b.name, width=120),
    Column("党员", lambda b: b.member_count, align="right", width=44),
    Column("书记", lambda b: b.secretary, width=60),
    Column("支委会", lambda b: "设" if b.has_committee else "不设", align="center", width=50),
]
POST_COLUMNS = [
    Column("职务", lambda p: p.post + (f"（{p.group_name}）" if p.group_name else ""), width=130,
           tooltip=lambda p: p.group_name),
    Column("姓名", lambda p: p.member_name, width=64),
    Column("任职期间", lambda p: p.start_date, width=126, tooltip=lambda p: p.period_label,
           text=lambda p: f"{p.start_date.isoformat()} — {p.end_date.isoformat() if p.end_date else '至今'}"),
    Column("状态", lambda p: "在任" if p.current else "已离任", align="center", width=46,
           color=lambda p: None if p.current else "#888888"),
]


class OrganizationPage(Page):
    title = "组织"
    icon_name = "organization"
    write_buttons = ("saveCommitteeButton", "addBranchButton", "editBranchButton", "deleteBranchButton", "addGroupButton",
                     "renameGroupButton", "deleteGroupButton", "addPostButton", "endPostButton", "deletePostButton")
    committee_buttons = ("saveCommitteeButton", "addBranchButton")  # 机关党委 and 新增支部: the owner's

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.form = load_form("organization", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        f = self.form
        self.committee_version: int | None = None
        self.committee_name: QLineEdit = child(f, QLineEdit, "committeeNameEdit")
        self.unit_name: QLineEdit = child(f, QLineEdit, "unitNameEdit")
        self.committee_edits = KeptEdits({"name": self.committee_name, "unit": self.unit_name})
        self.profile: QLabel = child(f, QLabel, "profileLabel")
        self.groups: QListWidget = child(f, QListWidget, "groupList")
        self.show_ended: QCheckBox = child(f, QCheckBox, "showEndedCheck")
        self.branch_view: QTableView = child(f, QTableView, "branchTable")
        self.post_view: QTableView = child(f, QTableView, "postTable")
        splitter = child(f, QSplitter, "splitter")
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([310, 840])
        self.branch_model = RowTableModel(BRANCH_COLUMNS, self)
        self.branch_proxy = RowFilterProxy(self)
        make_view_sortable(self.branch_view, self.branch_model, self.branch_proxy)
        self.branch_view.setSortingEnabled(False)
        self.post_model = RowTableModel(POST_COLUMNS, self)
        self.post_proxy = RowFilterProxy(self)
        make_view_sortable(self.post_view, self.post_model, self.post_proxy)
        self.post_view.setSortingEnabled(False)
        for view in (self.post_view, self.branch_view):  # readable at 1280×720: the short columns as
            header = view.horizontalHeader()  # wide as their text, the name (支部 / 职务) takes the rest
            header.setStretchLastSection(False)
            for i in range(1, header.count()):
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.branch_view.selectionModel().currentRowChanged.connect(lambda *_: self._branch_changed())
        self.branch_view.doubleClicked.connect(lambda _i: self.edit_branch())
        self.post_view.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.groups.currentRowChanged.connect(lambda *_: self._update_buttons())
        self._history_focus = "branch"  # the list last clicked: what 记录 › 修改历史 shows
        for view, key in ((self.branch_view, "branch"), (self.post_view, "post"), (self.groups, "group")):
            view.clicked.connect(lambda _i, k=key: setattr(self, "_history_focus", k))
        self.groups.itemDoubleClicked.connect(lambda _i: self.rename_group())
        self.show_ended.toggled.connect(self._fill_posts)
        connect = {
            "saveCommitteeButton": self.save_committee, "addBranchButton": self.add_branch,
            "editBranchButton": self.edit_branch, "deleteBranchButton": self.delete_branch,
            "addGroupButton": self.add_group, "renameGroupButton": self.rename_group,
            "deleteGroupButton": self.delete_group, "addPostButton": self.add_post,
            "endPostButton": self.end_post, "deletePostButton": self.delete_post,
        }
        self.buttons = {name: child(f, QPushButton, name) for name in connect}
        for name, slot in connect.items():
            self.buttons[name].clicked.connect(slot)

    # ------------------------------------------------------------------ loading
    def held_while_loading(self) -> list[QWidget]:
        return [self.committee_name, self.unit_name]

    def reload(self) -> None:
        self._load(keep_typing=False)

    def refresh(self) -> None:
        """Read everything again after a save (ours or another program's): a committee name the
        user is typing stays (desktop.ui.kept_edits)."""
        self._load(keep_typing=True)

    def _load(self, keep_typing: bool) -> None:
        ledger = self.ctx.ledger
        self.form.setEnabled(ledger is not None)
        if ledger is None:
            self.branch_model.set_rows([])
            self._branch_changed()
            return
        committee = get_committee(ledger)
        stored = {"name": committee.name if committee else "", "unit": committee.unit_name if committee else ""}
        if self.committee_edits.show(stored, keep_typing) or not keep_typing:
            self.committee_version = committee.version if committee else None  # what 保存 checks
        current = self.current_branch()
        self.branch_model.set_rows(list_branches(ledger))
        if not self.select_branch(current.id if current else None) and self.branch_model.rowCount():
            self.branch_view.selectRow(0)
        self._branch_changed()

    def on_data_changed(self, event: ChangeEvent) -> None:
        if event.touches(ORG_KINDS):
            self.refresh()

    def current_branch(self) -> BranchRow | None:
        index = self.branch_view.currentIndex()
        return self.branch_proxy.row_at(index.row()) if index.isValid() else None

    def select_branch(self, branch_id: str | None) -> bool:
        if not branch_id:
            return False
        row = self.branch_model.find_row(lambda b: b.id == branch_id)
        if row < 0:
            return False
        self.branch_view.selectRow(self.branch_proxy.mapFromSource(self.branch_model.index(row, 0)).row())
        return True

    def current_post(self) -> PostRow | None:
        index = self.post_view.currentIndex()
        return self.post_proxy.row_at(index.row()) if index.isValid() else None

    def history_target(self) -> tuple[str, str] | None:
        """记录 › 修改历史: the 职务 or 党小组 last clicked, else the selected branch (id, title)."""
        post, item = self.current_post(), self.groups.currentItem()
        if self._history_focus == "post" and post is not None:
            return post.id, f"职务：{post.member_name} {post.post}"
        if self._history_focus == "group" and item is not None:
            return item.data(GROUP_ID), f"党小组 {item.data(GROUP_NAME)}"
        branch = self.current_branch()
        return (branch.id, f"党支部 {branch.name}") if branch is not None else None

    def _branch_changed(self) -> None:
        b = self.current_branch()
        self.groups.clear()
        if b is None:
            self.profile.setText("还没有党支部。点“新增支部”建立第一个党支部。" if self.ctx.ledger else "")
            self.post_model.set_rows([])
            self._update_buttons()
            return
        committee = "设支部委员会" if b.has_committee else "不设支部委员会（只设书记）"
        if b.has_committee and not committee_meetings_owed(True, b.full_count):
            committee += (f"<span style='color:#9a6700'>（正式党员不足{COMMITTEE_MIN_FULL_MEMBERS}人，"
                          "不要求开支委会）</span>")
        lines = [
            f"<b>{escape(b.name)}</b>　党员 {b.member_count} 人（正式 {b.full_count}，预备 {b.probationary_count}）"
            f"　书记：{escape(b.secretary) or '<span style=color:#b71c1c>未登记</span>'}",
            f"支部委员会：{committee}",
            f"党小组：{'设党小组，' + str(b.group_count) + ' 个' if b.has_groups else '不设'}"
            f"　党课：{b.lecture_label}　主题党日：{b.theme_day_label}"
            + (f"　成立：{b.established_on.isoformat()}" if b.established_on else ""),
        ]
        if b.ledger_start:
            numbers = "，".join(f"{k}从第{n}次" for k, n in b.start_numbers.items())
            lines.append(f"台账启用：{b.ledger_start_label}（此前的月份显示“未录入”）"
                         + (f"　{b.ledger_start.year}年编号：{escape(numbers)}" if numbers else ""))
        if b.notes:
            lines.append(f"备注：{escape(b.notes)}")
        self.profile.setText("<br>".join(lines))
        for g in list_groups(self.ctx.ledger, b.id):
            item = QListWidgetItem(f"{g.name}\n　{g.member_count}人" + (f" · 组长 {g.leader}" if g.leader else " · 组长未登记"))
            item.setToolTip(g.name)
            item.setData(GROUP_ID, g.id)
            item.setData(GROUP_NAME, g.name)
            item.setData(GROUP_VERSION, g.version)
            self.groups.addItem(item)
        self._fill_posts()

    def _fill_posts(self) -> None:
        b = self.current_branch()
        if b is None or self.ctx.ledger is None:
            self.post_model.set_rows([])
        else:
            self.post_model.set_rows(list_posts(self.ctx.ledger, b.id, include_ended=self.show_ended.isChecked()))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.buttons["saveCommitteeButton"].setEnabled(True)  # the whole form is disabled without a ledger
        self.buttons["addBranchButton"].setEnabled(True)
        has_branch = self.current_branch() is not None
        for name in ("editBranchButton", "deleteBranchButton", "addGroupButton", "addPostButton"):
            self.buttons[name].setEnabled(has_branch)
        has_group = self.groups.currentItem() is not None
        self.buttons["renameGroupButton"].setEnabled(has_group)
        self.buttons["deleteGroupButton"].setEnabled(has_group)
        post = self.current_post()
        self.buttons["endPostButton"].setEnabled(post is not None and post.end_date is None)
        self.buttons["deletePostButton"].setEnabled(post is not None)
        self.lock_writes()
        branch = self.current_branch()
        self.lock_record(branch.id if branch else None, "editBranchButton", "deleteBranchButton", "addGroupButton",
                         "renameGroupButton", "deleteGroupButton", "addPostButton", "endPostButton", "deletePostButton")

    # ------------------------------------------------------------------ actions
    def _guard(self, fn, *args, version: int | None = None, delete: bool = False, committee: bool = False) -> bool:
        """Run ``fn(*args)`` on the record shown at ``version``: someone else's change meanwhile is
        asked about (重新载入 / 另存为新版本), a delete of it is refused (desktop.ui.conflicts).
        重新载入 drops the typed committee name only when it was the committee that was saved."""
        refresh = self.reload if committee else self.refresh
        try:
            return run_guarded(self, lambda v: fn(*args, version=v), version, refresh=refresh, delete=delete)
        except (ValidationErrors, DomainValidationError) as exc:
            show_validation_error(self, exc)
            return False

    @writes_shared
    def save_committee(self) -> None:
        if self.ctx.ledger is not None and self._guard(
                save_committee, self.ctx.ledger, self.committee_name.text(), self.unit_name.text(),
                version=self.committee_version, committee=True):
            self.reload()  # saved: what is stored is what was typed
            window = self.window()
            if isinstance(window, QMainWindow):
                window.statusBar().showMessage("党组织名称已保存。", 4000)

    @writes_shared
    def add_branch(self) -> None:
        if self.ctx.ledger is None:
            return
        editor = BranchEditor(self.ctx.ledger, self)
        if editor.exec():
            self.select_branch(editor.saved_id)

    @writes
    def edit_branch(self) -> None:
        b = self.current_branch()
        if b is not None and BranchEditor(self.ctx.ledger, self, b).exec():
            self.select_branch(b.id)

    def delete_branch(self) -> None:
        b = self.current_branch()
        if b is None:
            return
        if QMessageBox.question(self, "删除党支部", f"确定删除“{b.name}”吗？它的党小组和任职记录一并删除。") \
                == QMessageBox.StandardButton.Yes:
            self._guard(delete_branch, self.ctx.ledger, b.id, version=b.version, delete=True)

    def add_group(self) -> None:
        b = self.current_branch()
        if b is None:
            return
        name, ok = QInputDialog.getText(self, "新增党小组", f"{b.name} 的党小组名称：",
                                        text=f"第{self.groups.count() + 1}党小组")
        if ok:
            self._guard(save_group, self.ctx.ledger, b.id, name)

    def rename_group(self) -> None:
        b, item = self.current_branch(), self.groups.currentItem()
        if b is None or item is None:
            return
        name, ok = QInputDialog.getText(self, "党小组改名", "新名称：", text=item.data(GROUP_NAME))
        if ok:
            self._guard(save_group, self.ctx.ledger, b.id, name, item.data(GROUP_ID), version=item.data(GROUP_VERSION))

    def delete_group(self) -> None:
        item = self.groups.currentItem()
        if item is None:
            return
        if QMessageBox.question(self, "删除党小组", f"确定删除“{item.data(GROUP_NAME)}”吗？") == QMessageBox.StandardButton.Yes:
            self._guard(delete_group, self.ctx.ledger, item.data(GROUP_ID), version=item.data(GROUP_VERSION),
                        delete=True)

    def add_post(self) -> None:
        b = self.current_branch()
        if b is not None:
            PostEditor(self.ctx.ledger, b, self).exec()

    def end_post(self) -> None:
        post = self.current_post()
        if post is None:
            return
        day, ok = QInputDialog.getText(self, "离任", f"{post.member_name} 离任{post.post}的日期：",
                                       text=date.today().isoformat())
        if ok:
            self._guard(end_post, self.ctx.ledger, post.id, day, version=post.version)

    def delete_post(self) -> None:
        post = self.current_post()
        if post is None:
            return
        if QMessageBox.question(self, "删除任职记录",
                                f"确定删除 {post.member_name} 任{post.post}（{post.period_label}）的记录吗？\n"
                                "正常换届请用“离任”或登记新人，以保留历史。") == QMessageBox.StandardButton.Yes:
            self._guard(delete_post, self.ctx.ledger, post.id, version=post.version, delete=True)

    def open_record(self, kind: str, record_id: str) -> bool:
        if kind != "branch" or self.ctx.ledger is None:
            return False
        return self.select_branch(record_id)
