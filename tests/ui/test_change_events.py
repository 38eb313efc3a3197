"""Pages listen to typed change events (desktop/store/changes.py): each refreshes when records
it shows change and ignores the rest; a real save reaches the pages with its kinds and ids."""

from __future__ import annotations

import pytest

from desktop.services.organization import BranchInput, save_branch
from desktop.store.changes import ChangeEvent, RecordKind, change

# page → (a kind it shows, a kind it does not)
PAGES = {
    "home": (RecordKind.MEASURE, RecordKind.AGENDA_TEMPLATE),
    "meetings": (RecordKind.BRANCH, RecordKind.CAMPAIGN),
    "members": (RecordKind.PROBATION_EVENT, RecordKind.MEETING),
    "organization": (RecordKind.POST_HOLDING, RecordKind.MEETING),
    "rectification": (RecordKind.PROGRESS_ENTRY, RecordKind.MEETING),
    "birthdays": (RecordKind.CELEBRANT, RecordKind.MEETING),
    "export": (RecordKind.CAMPAIGN, RecordKind.MEMBER),
    "settings": (RecordKind.SETTING, RecordKind.MEETING),
}


def _spy(main_window, name, monkeypatch):
    main_window.show_page(name)
    page = main_window.page(name)
    calls: list[str] = []
    for method in ("reload", "refresh"):
        if hasattr(page, method):
            monkeypatch.setattr(page, method, lambda *a, _m=method: calls.append(_m))
    if name == "home":  # 首页 reloads through a debounce timer (a burst of writes reloads once)
        return page, calls, lambda: calls + (["debounce"] if page._debounce.isActive() else [])
    return page, calls, lambda: list(calls)


def _settle(main_window, page, qtbot) -> None:
    """Let the first visit's reads and refreshes finish (they call reload/refresh themselves)."""
    qtbot.waitUntil(lambda: not page.is_waiting() and not main_window.ctx.tasks._jobs, timeout=15000)
    qtbot.wait(200)
    qtbot.waitUntil(lambda: not page.is_waiting() and not main_window.ctx.tasks._jobs, timeout=15000)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_refreshes_on_its_kinds_only(main_window, qtbot, monkeypatch, name):
    shown, other = PAGES[name]
    page, log, calls = _spy(main_window, name, monkeypatch)
    _settle(main_window, page, qtbot)
    log.clear()
    if name == "home":
        page._debounce.stop()
    main_window.ctx.dataChanged.emit(change(other, "elsewhere-1"))
    main_window.ctx.dataChanged.emit(change(RecordKind.AGENDA_TEMPLATE, "t-1"))
    qtbot.waitUntil(lambda: not page.is_waiting(), timeout=10000)  # queued while a worker held the ledger
    assert calls() == [], f"{name} refreshed on {other}"
    main_window.ctx.dataChanged.emit(change(shown, "elsewhere-2") | change(other, "elsewhere-3"))
    qtbot.waitUntil(lambda: bool(calls()), timeout=10000)


def test_a_save_reaches_the_pages_with_its_kinds_and_ids(main_window, qtbot, org_ledger):
    events: list[ChangeEvent] = []
    main_window.ctx.dataChanged.connect(events.append)
    bid = save_branch(org_ledger, BranchInput(name="第三党支部"))
    qtbot.waitUntil(lambda: bool(events), timeout=5000)
    assert events[-1].touches(RecordKind.BRANCH) and bid in events[-1].ids(RecordKind.BRANCH)
    org = main_window.page("organization")
    main_window.show_page("organization")
    qtbot.waitUntil(lambda: "第三党支部" in [r.name for r in org.branch_model.rows], timeout=5000)


def test_editor_autosaves_alone_reach_no_page(main_window, qtbot):
    events: list[ChangeEvent] = []
    main_window.ctx.dataChanged.connect(events.append)
    main_window.ctx._changedFromAnyThread.emit(change(RecordKind.MEETING_DRAFT, "d-1"))
    qtbot.wait(50)
    assert events == []
    main_window.ctx._changedFromAnyThread.emit(change(RecordKind.MEETING_DRAFT, "d-1") | change(RecordKind.MEETING, "m"))
    qtbot.waitUntil(lambda: bool(events), timeout=5000)
    assert events[-1].kinds == {RecordKind.MEETING}
