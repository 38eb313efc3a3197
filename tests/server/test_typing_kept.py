"""组织 on a server: another program's save reloads the page (polling → dataChanged). Was: the
党组织名称 / 单位名称 the user was still typing was wiped. Now the lists refresh, the typing stays, and
saving it works — asking 「该记录已被 wangfang 于 … 修改」 only if wangfang changed the committee's
name or unit name that was typed over."""

from __future__ import annotations

import pytest

from desktop.services import organization as org
from desktop.ui.context import AppContext


@pytest.fixture
def page(qtbot, org_ledger):
    from desktop.ui.pages.organization import OrganizationPage

    ctx = AppContext(org_ledger)
    p = OrganizationPage(ctx)
    qtbot.addWidget(p)
    p.reload()
    assert p.select_branch(org_ledger.ids["branch1"])
    yield p
    ctx.tasks.wait(30000)
    ctx._poll.stop()


def _groups(page) -> set[str]:
    return {page.groups.item(i).data(0x0101) for i in range(page.groups.count())}


def test_typed_committee_name_survives_their_change_elsewhere(qtbot, page, org_ledger, wang, asked):
    page.committee_name.setText("我正在输入的机关党委")
    org.save_group(wang, org_ledger.ids["branch1"], "王芳新建的小组")
    page.ctx.poll_server()
    qtbot.waitUntil(lambda: "王芳新建的小组" in _groups(page))  # the lists refresh
    assert page.committee_name.text() == "我正在输入的机关党委" and page.unit_name.text() == "某某局"
    page.save_committee()
    assert not asked["calls"] and org.get_committee(org_ledger).name == "我正在输入的机关党委"


def test_their_unit_name_shows_beside_the_typed_name_and_both_save(qtbot, page, org_ledger, wang, asked):
    page.committee_name.setText("我正在输入的机关党委")
    c = org.get_committee(wang)
    org.save_committee(wang, c.name, "王芳改的单位", version=c.version)  # the field nobody types here
    page.ctx.poll_server()
    qtbot.waitUntil(lambda: page.unit_name.text() == "王芳改的单位")
    assert page.committee_name.text() == "我正在输入的机关党委"
    page.save_committee()
    stored = org.get_committee(org_ledger)
    assert not asked["calls"] and (stored.name, stored.unit_name) == ("我正在输入的机关党委", "王芳改的单位")


def test_their_change_of_the_typed_name_is_asked(qtbot, page, org_ledger, wang, asked):
    page.committee_name.setText("我正在输入的机关党委")
    c = org.get_committee(wang)
    org.save_committee(wang, "王芳改的机关党委", c.unit_name, version=c.version)
    org.save_group(wang, org_ledger.ids["branch1"], "王芳新建的小组")
    page.ctx.poll_server()
    qtbot.waitUntil(lambda: "王芳新建的小组" in _groups(page))
    assert page.committee_name.text() == "我正在输入的机关党委"
    page.ctx.poll_server()  # a second refresh keeps it too
    assert page.committee_name.text() == "我正在输入的机关党委"
    asked["choice"] = "cancel"
    page.save_committee()
    [exc] = asked["calls"]
    assert exc.who == "wangfang" and org.get_committee(org_ledger).name == "王芳改的机关党委"
    assert page.committee_name.text() == "我正在输入的机关党委"  # 取消: still typed
    asked["choice"] = "save_new"
    page.save_committee()
    assert len(asked["calls"]) == 2 and org.get_committee(org_ledger).name == "我正在输入的机关党委"
    page.committee_name.setText("再次输入")
    asked["choice"] = "reload"
    c = org.get_committee(wang)
    org.save_committee(wang, "王芳又改的机关党委", c.unit_name, version=c.version)
    page.save_committee()
    assert len(asked["calls"]) == 3 and page.committee_name.text() == "王芳又改的机关党委"  # 重新载入: theirs


def test_meeting_editor_keeps_its_typing_when_others_save(qtbot, org_ledger, wang):
    """三会一课's editor sits in the page: another program's save of this very meeting and of the
    branch refreshes the list, never the text being typed (its save asks, see test_conflict_dialogs)."""
    from datetime import date

    from PySide6.QtWidgets import QPlainTextEdit

    from desktop.domain.enums import MeetingKind
    from desktop.services import meetings as svc
    from desktop.ui.pages.meetings import MeetingsPage
    from tests.conftest import wait_tasks

    b1 = org_ledger.ids["branch1"]
    inp = svc.new_meeting(org_ledger, b1, MeetingKind.THEME_DAY, date(2026, 6, 10))
    inp.content = "原稿"
    mid = svc.save_meeting(org_ledger, inp)
    ctx = AppContext(org_ledger)
    page = MeetingsPage(ctx)
    qtbot.addWidget(page)
    page.reload()
    wait_tasks(qtbot, ctx)
    try:
        assert page.open_record("meeting", mid)
        content = page.editor.form.w(QPlainTextEdit, "contentEdit")
        content.setPlainText("我正在输入的会议内容")
        theirs = svc.get_meeting(wang, mid).to_input()
        theirs.content = "王芳改的内容"
        svc.save_meeting(wang, theirs)
        org.save_group(wang, b1, "王芳新建的小组")
        seen: list = []
        ctx.dataChanged.connect(seen.append)
        ctx.poll_server()
        qtbot.waitUntil(lambda: bool(seen) and not page.is_waiting())
        wait_tasks(qtbot, ctx)
        assert page.editor is not None and page.editor.meeting_id == mid
        assert content.toPlainText() == "我正在输入的会议内容"
    finally:
        wait_tasks(qtbot, ctx)
        page._close_editor(force=True)  # its autosave timer must not outlive the test's database
        ctx._poll.stop()
