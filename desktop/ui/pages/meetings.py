"""三会一课: all meeting records with filters and full-text search, and the record editor.

The list lives in desktop.ui.meetings.record_list, the editor's place on the page (and the
recovery of crashed drafts) in desktop.ui.meetings.editor_host; here the page, its filters and tools.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.enums import MeetingState
from desktop.domain.meeting_kinds import kind_names
from desktop.services import meetings as svc
from desktop.services.export import ExportFilters

from ..forms import child, load_form
from ..meetings.dialogs import NewMeetingDialog, TemplatesDialog, fill_branches
from ..meetings.editor import MeetingEditor
from ..meetings.editor_host import EditorHost
from ..meetings.models import MATCH_COLUMN, MEETING_COLUMNS
from ..meetings.precheck import PrecheckDialog
from ..meetings.printing import run_export
from ..meetings.record_list import MeetingList
from ..models.highlight import HighlightDelegate
from ..models.table import RowFilterProxy, RowTableModel, make_view_sortable
from ..rights import writes, writes_shared
from .base import Page


class MeetingsPage(MeetingList, EditorHost, Page):
    title = "三会一课"
    icon_name = "meetings"
    write_buttons = ("newButton", "templatesButton")  # 打开 shows a meeting; read-only for such a login
    committee_buttons = ("templatesButton",)  # 议题模板: committee-wide

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.form = load_form("meetings_page", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        f = self.form
        self.stack: QStackedWidget = child(f, QStackedWidget, "stack")
        self.branch: QComboBox = child(f, QComboBox, "branchFilter")
        self.kind: QComboBox = child(f, QComboBox, "kindFilter")
        self.year: QComboBox = child(f, QComboBox, "yearFilter")
        self.state: QComboBox = child(f, QComboBox, "stateFilter")
        self.search: QLineEdit = child(f, QLineEdit, "searchEdit")
        self.view: QTableView = child(f, QTableView, "meetingsView")
        self.model = RowTableModel(MEETING_COLUMNS)
        self.proxy = RowFilterProxy()
        make_view_sortable(self.view, self.model, self.proxy)
        header = self.view.horizontalHeader()  # the meeting's name takes the room, not 状态
        header.setStretchLastSection(False)
        header.setSectionResizeMode([c.title for c in MEETING_COLUMNS].index("会议名称"), QHeaderView.ResizeMode.Stretch)
        self.view.setItemDelegateForColumn(MATCH_COLUMN, HighlightDelegate(self.view))
        self.view.setColumnHidden(MATCH_COLUMN, True)
        self.kind.addItem("全部类型", None)
        for k in kind_names():
            self.kind.addItem(k, k)
        self.state.addItem("全部", None)
        for s in MeetingState:
            self.state.addItem(str(s), str(s))
        this_year = date.today().year
        self.year.addItem("全部年度", None)
        for y in range(this_year + 1, this_year - 15, -1):
            self.year.addItem(f"{y}年", y)
        self.year.setCurrentIndex(self.year.findData(this_year))
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._debounce.start)
        for box in (self.branch, self.kind, self.year, self.state):
            box.currentIndexChanged.connect(self.refresh)
        self.view.doubleClicked.connect(lambda _i: self.open_selected())
        child(f, QPushButton, "newButton").clicked.connect(self.new_meeting)
        child(f, QPushButton, "openButton").clicked.connect(self.open_selected)
        child(f, QPushButton, "precheckButton").clicked.connect(self.branch_precheck)
        child(f, QPushButton, "templatesButton").clicked.connect(self.edit_templates)
        menu = QMenu(self)
        for text, fmt in (("PDF", "pdf"), ("Word", "docx"), ("PDF 和 Word", "both")):
            act = QAction(f"年度台账（{text}）", menu)
            act.triggered.connect(lambda _=False, fm=fmt: self.print_ledger(fm))
            menu.addAction(act)
        self._ledger_menu = menu
        child(f, QPushButton, "printLedgerButton").setMenu(menu)
        self.editor: MeetingEditor | None = None
        self._index_ready = False
        self._recovery_offered = False

    # ------------------------------------------------------------------ Page contract
    def reload(self) -> None:
        self._close_editor(force=True)
        self._index_ready = False
        self._recovery_offered = False
        ledger = self.ctx.ledger
        enabled = ledger is not None
        for name in ("newButton", "openButton", "precheckButton", "printLedgerButton", "templatesButton"):
            child(self.form, QPushButton, name).setEnabled(enabled)
        self.lock_writes()
        if ledger is None:
            self.model.set_rows([])
            self.branch.clear()
            return
        fill_branches(self.branch, ledger, self.branch.currentData(), all_label="全部支部")
        self.refresh()
        QTimer.singleShot(0, lambda: self.when_free("recovery", self.offer_recovery))
        if not svc.search_index_current(ledger):
            # Always in the background, whatever the size (1.2 s on a 10-year ledger froze the
            # window): the list reads the meeting tables until the index is ready.
            self._build_index(ledger)

    def open_record(self, kind: str, record_id: str) -> bool:
        if kind != "meeting" or self.ctx.ledger is None:
            return False
        if self.editor is not None and self.editor.meeting_id == record_id:
            self._show_list(False)
            return True
        if not self._close_editor():
            return True
        editor = self._make_editor()
        editor.open_meeting(record_id)
        return True

    def maybe_close(self) -> bool:
        return self.editor is None or self.editor.maybe_close()

    def history_target(self) -> tuple[str, str] | None:
        """记录 › 修改历史: the meeting open in the editor (once saved), else the selected one (id, title)."""
        ed = self.editor
        if ed is not None and ed.meeting_id:
            w = ed.form.w
            return ed.meeting_id, f"会议“{w(QLineEdit, 'titleEdit').text()}”"
        row = self.selected_row()
        return (row.id, f"会议“{row.title}”（{row.date}）") if row is not None else None

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.open_record("meeting", row.id)

    @writes
    def new_meeting(self, *, branch_id: str | None = None, kind: str | None = None, day: date | None = None) -> None:
        if self.ctx.ledger is None or not self._close_editor():
            return
        dlg = NewMeetingDialog(self.ctx.ledger, self, branch_id=branch_id or self.branch.currentData(),
                               kind=kind or self.kind.currentData(), day=day)
        if not dlg.exec() or dlg.result is None:
            return
        self._make_editor().load(dlg.result)
        self.editor.dirty = True
        self.editor._draft_pending = True
        self.editor._update_head()

    # ------------------------------------------------------------------ branch-year tools
    def branch_precheck(self) -> None:
        if self.ctx.ledger is None:
            return
        dlg = PrecheckDialog(self.ctx.ledger, self._open_finding, self, branch_id=self.branch.currentData(),
                             year=self.year.currentData())
        dlg.dialog.show()
        self._precheck = dlg

    def _open_finding(self, f: svc.RecordFinding) -> None:
        if f.record_kind == "meeting":
            self.open_record("meeting", f.record_id)
            if self.editor is not None:
                self.editor.run_check()
        else:
            self.new_meeting(branch_id=f.record_id, kind=f.kind, day=f.date)

    def print_ledger(self, fmt: str) -> None:
        year = self.year.currentData() or date.today().year
        run_export(self.ctx, self, "ledger", fmt, ExportFilters(branch=self.branch.currentData(), year=year),
                   f"{year}年三会一课台账")

    @writes_shared
    def edit_templates(self) -> None:
        if self.ctx.ledger is not None:
            TemplatesDialog(self.ctx.ledger, self, self.kind.currentData()).exec()
