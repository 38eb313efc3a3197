"""The window never waits on work in progress, and a save updates its row instead of the list.

A worker thread holds the ledger (as the search-index build did for 1.2 s on a 10-year ledger,
31 s on 100,000 meetings); GUI-thread page actions must return while it still holds it — if one
waited for the lock, the test would hang until the worker let go, and ``busy()`` would be False
when the call returned.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from PySide6.QtWidgets import QLabel
from sqlalchemy import text

from desktop.domain.enums import MeetingKind
from desktop.services import meetings as svc
from desktop.store.changes import RecordKind, change
from desktop.ui.context import AppContext

DAY = date(2026, 3, 10)


@pytest.fixture
def page(qtbot, org_ledger):
    from desktop.ui.pages.meetings import MeetingsPage

    ctx = AppContext(org_ledger)
    p = MeetingsPage(ctx)
    qtbot.addWidget(p)
    p.reload()
    yield p
    ctx.tasks.wait()


class Holder:
    """A 'background task' holding the ledger's write transaction until released."""

    def __init__(self, ledger):
        self.ledger = ledger
        self.holding = threading.Event()
        self.release = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with self.ledger.write():
            self.holding.set()
            self.release.wait(20)

    def __enter__(self):
        self.thread.start()
        assert self.holding.wait(5)
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.thread.join(5)


def test_page_actions_do_not_wait_for_a_worker_holding_the_ledger(page, org_ledger, qtbot):
    svc.save_meeting(org_ledger, svc.new_meeting(org_ledger, org_ledger.ids["branch1"], MeetingKind.COMMITTEE, DAY))
    qtbot.waitUntil(lambda: len(page.model.rows) == 1)
    with Holder(org_ledger):
        assert page.ctx.ledger_busy()
        page.request_reload()  # what the window calls on a first visit
        page.refresh()  # a filter changed
        page.ctx.dataChanged.emit(change(RecordKind.MEETING, "m-elsewhere"))  # another window saved
        page.ctx.ledgerChanged.emit()
        assert org_ledger.busy(), "a GUI call waited for the worker to finish"
        assert page.is_waiting()
        assert "正在后台处理" in page.form.findChild(QLabel, "countLabel").text()
    qtbot.waitUntil(lambda: not page.is_waiting(), timeout=5000)
    assert len(page.model.rows) == 1


def test_other_pages_queue_their_reload_too(qtbot, org_ledger):
    from desktop.ui.pages.home import HomePage
    from desktop.ui.pages.members import MembersPage

    ctx = AppContext(org_ledger)
    pages = [HomePage(ctx), MembersPage(ctx)]
    for p in pages:
        qtbot.addWidget(p)
    with Holder(org_ledger):
        ctx.ledgerChanged.emit()
        ctx.dataChanged.emit(change(RecordKind.MEMBER, "p-elsewhere"))
        assert org_ledger.busy() and all(p.is_waiting() for p in pages)
    qtbot.waitUntil(lambda: not any(p.is_waiting() for p in pages), timeout=5000)
    assert len(pages[1].model.rows) == 5
    ctx.tasks.wait()


def test_missing_index_of_a_small_file_is_built_in_the_background(page, org_ledger, qtbot):
    svc.save_meeting(org_ledger, svc.new_meeting(org_ledger, org_ledger.ids["branch1"], MeetingKind.COMMITTEE, DAY))
    with org_ledger.write() as s:  # a file written by a build without the index
        s.execute(text("DROP TABLE IF EXISTS meeting_fts"))
        s.execute(text("DROP TABLE IF EXISTS meeting_search"))
    svc.listing._VERIFIED.discard(org_ledger)
    page.reload()
    assert page.ctx.tasks._jobs, "the index was built on the GUI thread"
    qtbot.waitUntil(lambda: not page.ctx.tasks._jobs and page.search.isEnabled(), timeout=30000)
    assert svc.search_index_current(org_ledger)


def test_saving_a_meeting_updates_its_row_without_resetting_the_list(page, org_ledger, qtbot):
    ids = []
    for i in range(3):
        inp = svc.new_meeting(org_ledger, org_ledger.ids["branch1"], MeetingKind.COMMITTEE, date(2026, 3, 10 + i))
        inp.title = f"支委会{i}"
        ids.append(svc.save_meeting(org_ledger, inp))
    qtbot.waitUntil(lambda: len(page.model.rows) == 3)
    # settled: under load the three saves' refreshes may still be queued or loading (a new row is a
    # whole-list refresh, which would count as a reset below)
    qtbot.waitUntil(lambda: not page.is_waiting() and not page.ctx.tasks._jobs, timeout=10000)
    qtbot.wait(20)
    resets, changed = [], []
    page.model.modelAboutToBeReset.connect(lambda: resets.append(1))
    page.model.dataChanged.connect(lambda a, b, *_: changed.append((a.row(), b.row())))
    target = ids[1]
    inp = svc.get_meeting(org_ledger, target).to_input()
    inp.title = "研究湿地保护修复方案的支委会"
    svc.save_meeting(org_ledger, inp)
    qtbot.waitUntil(lambda: any(r.title == "研究湿地保护修复方案的支委会" for r in page.model.rows), timeout=3000)
    assert resets == []
    assert len(changed) == 1 and changed[0][0] == changed[0][1]
    assert page.model.row_at(changed[0][0]).id == target
    assert len(page.model.rows) == 3
