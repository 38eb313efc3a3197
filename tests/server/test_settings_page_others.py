"""设置 on a server: the page saves what its user changed, not every setting as it was shown. Was:
a save put back every setting another program (wangfang) changed while this page had unsaved
edits, and reset 打印重新编辑说明 (not on the page) to its default."""

from __future__ import annotations

from dataclasses import replace

from desktop.services.settings import get_settings, save_settings
from desktop.ui.context import AppContext


def test_a_save_keeps_what_another_program_changed_meanwhile(qtbot, org_ledger, wang):
    from desktop.ui.pages.settings import SettingsPage

    save_settings(org_ledger, replace(get_settings(org_ledger), print_reopen_note=False, soon_days=3))
    ctx = AppContext(org_ledger)
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.reload()
    page.reminder_days.setValue(45)  # ours, not saved yet
    save_settings(wang, replace(get_settings(wang), soon_days=9))  # theirs, meanwhile
    assert page.is_dirty() and page.save()
    stored = get_settings(org_ledger)
    assert (stored.reminder_days, stored.soon_days, stored.print_reopen_note) == (45, 9, False)
    assert page.soon_days.value() == 9 and not page.is_dirty()  # the page shows what is stored now
    ctx.tasks.wait(30000)  # the font check the page started, before the page goes
    ctx._poll.stop()


def _page(qtbot, ledger):
    from desktop.ui.pages.settings import SettingsPage

    ctx = AppContext(ledger)
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.reload()
    return ctx, page


def _close(ctx) -> None:
    ctx.tasks.wait(30000)  # the font check the page started, before the page goes
    ctx._poll.stop()


def test_typing_survives_their_save_and_the_same_setting_asks(qtbot, org_ledger, wang, asked):
    """Was: the last save won without a question. wangfang saves 会议提醒天数 and 整改提醒天数 while
    this page has 会议提醒天数 and 单位名称 typed: the poll shows their 整改提醒天数 and keeps the typing;
    saving asks 「该记录已被 wangfang 于 … 修改」: 取消 writes nothing, 另存为新版本 puts ours on top."""
    ctx, page = _page(qtbot, org_ledger)
    page.soon_days.setValue(3)
    page.unit.setText("我输入的单位")
    save_settings(wang, replace(get_settings(wang), soon_days=9, reminder_days=30))
    ctx.poll_server()
    qtbot.waitUntil(lambda: page.reminder_days.value() == 30)  # what nobody typed here shows theirs
    assert page.soon_days.value() == 3 and page.unit.text() == "我输入的单位" and page.is_dirty()
    asked["choice"] = "cancel"
    assert not page.save()
    [exc] = asked["calls"]
    assert exc.who == "wangfang" and exc.field == "会议提醒天数" and exc.message.startswith("该记录已被 wangfang 于 ")
    stored = get_settings(org_ledger)
    assert (stored.soon_days, stored.unit_name) == (9, "某某局")  # nothing of ours, not even 单位名称
    assert page.soon_days.value() == 3 and page.unit.text() == "我输入的单位"  # 取消: the typing stays
    assert page.status.text().startswith("会议提醒天数：该记录已被 wangfang 于 ")
    asked["choice"] = "save_new"
    assert page.save() and len(asked["calls"]) == 2
    stored = get_settings(org_ledger)
    assert (stored.soon_days, stored.reminder_days, stored.unit_name) == (3, 30, "我输入的单位")
    assert not page.is_dirty()
    _close(ctx)


def test_reload_shows_theirs_and_another_setting_saves_without_asking(qtbot, org_ledger, wang, asked):
    ctx, page = _page(qtbot, org_ledger)
    page.soon_days.setValue(5)
    save_settings(wang, replace(get_settings(wang), soon_days=6))
    ctx.poll_server()
    qtbot.waitUntil(lambda: page.loaded is not None and get_settings(org_ledger).soon_days == 6)
    assert page.soon_days.value() == 5
    asked["choice"] = "reload"
    assert not page.save()
    assert page.soon_days.value() == 6 and not page.is_dirty()
    assert page.status.text().startswith("已重新载入 wangfang 于 ")
    page.backup_spins["backup_keep_last"].setValue(25)  # a setting they did not touch since
    save_settings(wang, replace(get_settings(wang), reminder_days=40))
    ctx.poll_server()
    qtbot.waitUntil(lambda: page.reminder_days.value() == 40)
    assert page.save() and len(asked["calls"]) == 1
    stored = get_settings(org_ledger)
    assert (stored.soon_days, stored.reminder_days, stored.backup_keep_last) == (6, 40, 25)
    _close(ctx)
