"""首页 and services.reminders name the same required meetings, with the same urgency, on any day
(one rule: services.reminders.is_due_now / is_urgent) — edge days included (the last day of a
quarter, the first of the next, the day a period ends)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtGui import QColor

from desktop.services.reminders import meeting_reminders
from desktop.services.settings import get_settings
from desktop.ui.pages.home import COLORS


def _home_rows(page):
    tree = page.trees["meetings"]
    out = {}
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        branch, kind, period, status = (item.text(c) for c in range(4))
        if not status or status.startswith("已开展"):
            continue
        if "（" in kind:  # 党小组会（第一党小组） → 第一党小组党小组会, as the reminders say it
            k, g = kind[:-1].split("（")
            kind = g + k
        urgent = item.foreground(3).color() == QColor(COLORS["urgent"]) or status.startswith("缺")
        out[f"{branch}：{period}{kind}"] = urgent
    return out


@pytest.mark.parametrize("today", [date(2026, 6, 15), date(2026, 6, 30), date(2026, 9, 30), date(2026, 10, 1),
                                   date(2026, 12, 25), date(2026, 12, 31), date(2026, 1, 1)])
def test_home_and_reminders_agree(qtbot, main_window, org_ledger, today):
    main_window.show_page("home")
    page = main_window.pages["home"]
    page._today = today
    with qtbot.waitSignal(page.loaded, timeout=20000):
        page.reload()
    home = _home_rows(page)
    soon = get_settings(org_ledger).soon_days
    reminders = {}
    for r in meeting_reminders(org_ledger, today, soon):
        key = r.text.split("未开展")[0].split("尚未开展")[0].rstrip("尚")
        reminders[key] = r.severity in ("error", "warning")
    assert home == reminders
