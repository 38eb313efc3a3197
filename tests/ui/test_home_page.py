"""首页: required meetings of the month/quarter per branch, reminders, and opening a record."""

from __future__ import annotations

from datetime import date

from desktop.services.meetings import MeetingInput, save_meeting


def _home(main_window, today, qtbot):
    main_window.show_page("home")
    page = main_window.pages["home"]
    page._today = today
    with qtbot.waitSignal(page.loaded, timeout=20000):
        page.reload()  # the data is gathered in the background
    return page


def _texts(tree):
    return [" ".join(tree.topLevelItem(i).text(c) for c in range(tree.columnCount()))
            for i in range(tree.topLevelItemCount())]


def test_meetings_box_shows_held_pending_and_missing(qtbot, main_window, org_ledger):
    page = _home(main_window, date(2026, 6, 15), qtbot)
    rows = _texts(page.trees["meetings"])
    assert any(r.startswith("第一党支部 党小组会（第一党小组） 2026年6月 待开 0/1") for r in rows), rows
    assert not any("支部委员会" in r for r in rows)  # fewer than 7 正式党员: no 支委会 owed
    assert any("第二党支部 支部党员大会 2026年第2季度 待开" in r for r in rows), rows
    assert any("第一党支部 主题党日 2026年5月 缺 0/1" in r for r in rows), rows  # earlier month, not held
    assert "已过期未开" in page.summary.text()


def test_a_held_meeting_turns_green_after_saving(qtbot, main_window, org_ledger):
    page = _home(main_window, date(2026, 6, 15), qtbot)
    ids = org_ledger.ids
    with qtbot.waitSignal(page.loaded, timeout=20000):  # refreshed through ctx.dataChanged
        save_meeting(org_ledger, MeetingInput(branch_id=ids["branch1"], kind="主题党日", date=date(2026, 6, 10),
                                              title="六月主题党日", start_time="9:00", end_time="10:00"))
    rows = _texts(page.trees["meetings"])
    assert any(r.startswith("第一党支部 主题党日 2026年6月 已开展 1/1") for r in rows), rows


def test_birthday_reminder_opens_the_member(qtbot, main_window, org_ledger):
    page = _home(main_window, date(2026, 6, 15), qtbot)
    tree = page.trees["birthdays"]
    rows = _texts(tree)
    assert any("李秀英" in r and "25周年" in r for r in rows), rows  # June
    assert any("张建国" in r for r in rows), rows  # July, next month
    index = next(i for i, r in enumerate(rows) if "李秀英" in r)
    item = tree.topLevelItem(index)
    with qtbot.waitSignal(page.openRequested) as signal:
        tree.itemActivated.emit(item, 0)
    assert signal.args == ["member", org_ledger.ids["李秀英"]]
    assert main_window.current_page() is main_window.pages["members"]
    assert main_window.pages["members"].selected().name == "李秀英"


def test_fifty_years_and_branch_link(qtbot, main_window, org_ledger):
    page = _home(main_window, date(2026, 4, 20), qtbot)  # 陈志强 转正 1976-05-04: 光荣在党50年 in May 2026
    rows = _texts(page.trees["birthdays"])
    assert any("陈志强" in r and "光荣在党50年" in r for r in rows), rows
    tree = page.trees["meetings"]
    item = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                if tree.topLevelItem(i).text(0) == "第二党支部")
    tree.itemActivated.emit(item, 0)
    organization = main_window.pages["organization"]
    assert main_window.current_page() is organization
    assert organization.current_branch().name == "第二党支部"


def test_empty_ledger_says_so(qtbot, main_window, app_ctx, tmp_path):
    from desktop.store.ledger import Ledger

    app_ctx.set_ledger(Ledger.open(tmp_path / "空.zhibu", create=True))
    page = _home(main_window, date(2026, 6, 15), qtbot)
    assert "没有应开的会议" in _texts(page.trees["meetings"])[0]
    assert "第一步" in page.summary.text()
    assert "本月和下月没有党员过政治生日" in _texts(page.trees["birthdays"])[0]
