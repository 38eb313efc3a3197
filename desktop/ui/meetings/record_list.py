"""The 三会一课 page's list of records (desktop.ui.pages.meetings): reading it with the filters and
the full-text search (the index built in the background when a file has none), updating the saved
meetings' rows in place, the count line and the 匹配内容 column while searching.
"""

from __future__ import annotations

import time

from PySide6.QtWidgets import QHeaderView, QLabel

from desktop.domain.enums import MeetingState
from desktop.services import meetings as svc
from desktop.store.changes import ChangeEvent, RecordKind

from ..forms import child
from .dialogs import fill_branches
from .models import MATCH_COLUMN, MEETING_COLUMNS

MEETING_PARTS = frozenset({RecordKind.MEETING, RecordKind.AGENDA_ITEM, RecordKind.SPEECH, RecordKind.MOTION,
                           RecordKind.ATTENDANCE, RecordKind.GUEST, RecordKind.ATTACHMENT, RecordKind.REOPENING})
LIST_KINDS = frozenset({RecordKind.MEETING, RecordKind.AGENDA_ITEM, RecordKind.SPEECH, RecordKind.MOTION,
                        RecordKind.ATTENDANCE, RecordKind.BRANCH, RecordKind.MEMBER, RecordKind.MEMBERSHIP})
ALL_YEARS_LIMIT = 2000
SEARCH_LIMIT = 500
SEARCH_HIDES = ("时间", "应到", "实到", "缺席")  # columns a search result does not need
SEARCH_HINT = "搜索会议名称、议题、内容、发言、决议（至少2个字，空格分隔多个词）"


class MeetingList:
    """The list half of MeetingsPage (mixed in; uses its filters, search box, view, model and proxy)."""

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
