"""三会一课: all meeting records with filters and full-text search, and the record editor."""

from __future__ import annotations

import time
from datetime import date

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
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
from desktop.store.changes import ChangeEvent, RecordKind

from ..forms import child, load_form
from ..meetings.dialogs import NewMeetingDialog, TemplatesDialog, fill_branches
from ..meetings.editor import MeetingEditor
from ..meetings.models import MATCH_COLUMN, MEETING_COLUMNS
from ..meetings.precheck import PrecheckDialog
from ..meetings.printing import run_export
from ..models.highlight import HighlightDelegate
from ..models.table import RowFilterProxy, RowTableModel, make_view_sortable
from ..questions import Role, ask
from ..rights import writes, writes_shared
from .base import Page

MEETING_PARTS = frozenset({RecordKind.MEETING, RecordKind.AGENDA_ITEM, RecordKind.SPEECH, RecordKind.MOTION,
                           RecordKind.ATTENDANCE, RecordKind.GUEST, RecordKind.ATTACHMENT, RecordKind.REOPENING})
LIST_KINDS = frozenset({RecordKind.MEETING, RecordKind.AGENDA_ITEM, RecordKind.SPEECH, RecordKind.MOTION,
                        RecordKind.ATTENDANCE, RecordKind.BRANCH, RecordKind.MEMBER, RecordKind.MEMBERSHIP})
ALL_YEARS_LIMIT = 2000
SEARCH_LIMIT = 500
SEARCH_HIDES = ("时间", "应到", "实到", "缺席")  # columns a search result does not need
SEARCH_HINT = "搜索会议名称、议题、内容、发言、决议（至少2个字，空格分隔多个词）"


def ask_recover(parent: QWidget, drafts: list[svc.DraftInfo]) -> str:
    """'recover', 'discard' or 'later' for autosaves left by a crash (a function, so tests can answer)."""
    d = drafts[0]
    return ask(parent, "恢复未保存的会议记录",
               f"上次编辑的会议记录没有保存就关闭了（自动保存于 {d.saved_at.astimezone():%Y-%m-%d %H:%M:%S}）：\n\n"
               f"{d.label}\n\n要恢复这些修改吗？", [
                   ("recover", "恢复", Role.AcceptRole), ("discard", "丢弃", Role.DestructiveRole),
                   ("later", "以后再说", Role.RejectRole)])


class MeetingsPage(Page):
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

    def _build_index(self, ledger) -> None:
        """A file without a search index (older build, bulk import): index it in the background."""
        self.search.setEnabled(False)
        self.search.setPlaceholderText("正在建立检索索引，完成后即可搜索……")

        def done(_result=None) -> None:
            self.search.setEnabled(True)
            self.search.setPlaceholderText(SEARCH_HINT)
            self.refresh()

        def failed(exc: BaseException, tb: str) -> None:
            from ..errors import show_error

            self.search.setEnabled(True)
            self.search.setPlaceholderText(SEARCH_HINT)
            show_error(self, exc, tb, action="建立检索索引")

        self.ctx.tasks.run(lambda progress: svc.ensure_search_index(ledger, progress), on_done=done, on_error=failed,
                           title="正在建立检索索引", parent=self, cancellable=False)

    def on_data_changed(self, event: ChangeEvent) -> None:
        if self.ctx.ledger is None or not event.touches(LIST_KINDS):
            return
        if event.touches(RecordKind.BRANCH):
            fill_branches(self.branch, self.ctx.ledger, self.branch.currentData(), all_label="全部支部")
        ids = event.ids(RecordKind.MEETING)
        if ids and event.only(MEETING_PARTS) and not self.search.text().strip() and self._update_rows(ids):
            return
        self.refresh()

    def _show_matches(self, on: bool) -> None:
        """While searching, 匹配内容 takes the spare width and 会议名称 a fixed one; otherwise it hides."""
        header = self.view.horizontalHeader()
        title = [c.title for c in MEETING_COLUMNS].index("会议名称")
        if on == (not self.view.isColumnHidden(MATCH_COLUMN)):
            return
        self.view.setColumnHidden(MATCH_COLUMN, not on)
        titles = [c.title for c in MEETING_COLUMNS]
        for name in SEARCH_HIDES:  # room for 匹配内容 at 1280×720: the counts return with the list
            self.view.setColumnHidden(titles.index(name), on)
        header.setSectionResizeMode(title, QHeaderView.ResizeMode.Interactive if on else QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(MATCH_COLUMN, QHeaderView.ResizeMode.Stretch if on else QHeaderView.ResizeMode.Interactive)
        if on:
            header.resizeSection(title, 180)

    def focus_search(self) -> bool:
        """Ctrl+F on the list: its search box. With a record open, False: the window's global search."""
        if self.stack.currentIndex() != 0 or not self.search.isEnabled():
            return False
        self.search.setFocus()
        self.search.selectAll()
        return True

    def _matches(self, row: svc.MeetingRow) -> bool:
        year = self.year.currentData()
        return ((not self.branch.currentData() or row.branch_id == self.branch.currentData())
                and (not self.kind.currentData() or row.kind == self.kind.currentData())
                and (not self.state.currentData() or row.state == self.state.currentData())
                and (not year or row.date.year == year))

    def _update_rows(self, ids: set[str]) -> bool:
        """A save changed a few meetings: update their rows in place (a whole-list read takes
        300 ms on a large ledger). False when the list must be read again (a new row, a new date)."""
        if len(ids) > 50 or self.ctx.ledger_busy():
            return False
        rows = svc.meeting_rows(self.ctx.require_ledger(), ids)
        positions = {r.id: i for i, r in enumerate(self.model.rows) if r.id in rows}
        for mid, row in rows.items():
            i = positions.get(mid)
            if i is None:
                if row is not None and self._matches(row):
                    return False  # a new row: its place in the order comes from the full list
                continue
            if row is not None and row.date != self.model.row_at(i).date:
                return False
        self.model.apply_rows(rows, self._matches)
        self._show_count(self.model.rows, "", None, None)
        return True

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

    # ------------------------------------------------------------------ list
    def refresh(self) -> None:
        """Re-read the list (after the background task holding the ledger, if one does)."""
        if not self.when_free("refresh", self._refresh_now):
            child(self.form, QLabel, "countLabel").setText("正在后台处理，完成后刷新列表……")

    def _refresh_now(self) -> None:
        ledger = self.ctx.ledger
        if ledger is None:
            return
        query = self.search.text().strip()
        year = self.year.currentData()
        limit = SEARCH_LIMIT if query else (None if year else ALL_YEARS_LIMIT)
        started = time.perf_counter()
        rows = svc.list_meetings(ledger, branch_id=self.branch.currentData(), kind=self.kind.currentData(),
                                 year=year, state=self.state.currentData(), search=query or None, limit=limit)
        ms = (time.perf_counter() - started) * 1000
        self.model.set_rows(rows)
        self._show_matches(bool(query))
        self.proxy.reapply_sort()
        self._show_count(rows, query, ms, limit)

    def _show_count(self, rows, query: str, ms: float | None, limit: int | None) -> None:
        text = f"共 {len(rows)} 条记录"
        if query:
            text = f"找到 {len(rows)} 条包含“{query}”的记录（{ms:.0f} 毫秒）"
        if limit is not None and len(rows) >= limit:
            text += f"，仅显示最近的 {limit} 条，请用筛选条件缩小范围"
        drafts = sum(1 for r in rows if r.state == MeetingState.DRAFT)
        if drafts:
            text += f"；其中草稿 {drafts} 条"
        child(self.form, QLabel, "countLabel").setText(text)

    def selected_row(self) -> svc.MeetingRow | None:
        idx = self.view.currentIndex()
        return self.proxy.row_at(idx.row()) if idx.isValid() else None

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

    # ------------------------------------------------------------------ editor
    def _show_list(self, show: bool) -> None:
        self.stack.setCurrentIndex(0 if show else 1)
        for name in ("openButton", "printLedgerButton", "templatesButton"):
            child(self.form, QPushButton, name).setVisible(show)

    def _make_editor(self) -> MeetingEditor:
        editor = MeetingEditor(self.ctx, self)
        host = child(self.form, QWidget, "editorPage")
        host.layout().addWidget(editor.widget)
        editor.closed.connect(lambda: self._close_editor(force=True))
        self.editor = editor
        self._show_list(False)
        return editor

    def _close_editor(self, force: bool = False) -> bool:
        editor = self.editor
        if editor is None:
            self._show_list(True)
            return True
        if not force and not editor.maybe_close():
            return False
        editor.dispose()
        editor.widget.setParent(None)
        editor.widget.deleteLater()
        editor.deleteLater()
        self.editor = None
        self._show_list(True)
        return True

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

    def offer_recovery(self) -> None:
        if self._recovery_offered or self.ctx.ledger is None or self.editor is not None:
            return
        self._recovery_offered = True
        drafts = svc.list_drafts(self.ctx.ledger)
        if not drafts:
            return
        answer = ask_recover(self, drafts)
        if answer == "discard":
            for d in drafts:
                svc.discard_draft(self.ctx.ledger, d.id)
        elif answer == "recover":
            d = drafts[0]
            inp = svc.load_draft(self.ctx.ledger, d.id)
            state = MeetingState.DRAFT
            detail = None
            if inp.id:
                try:
                    detail = svc.get_meeting(self.ctx.ledger, inp.id)
                    state = detail.state
                except Exception:  # noqa: BLE001 - the record was deleted meanwhile: recover as new
                    inp.id, inp.version = None, None
            self._make_editor().load(inp, state=state, detail=detail, draft_id=d.id)

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
