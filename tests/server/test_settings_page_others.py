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
