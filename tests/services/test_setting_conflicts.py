"""Two people changing the same setting (both back ends): a save of a setting another program
stored a different value of since it was shown is a RecordConflict naming who and when, and nothing
of that save is written (not even the other settings it changed); 另存为新版本 (``seen_now``) puts
ours on top; a different setting, or the same value, saves without a question."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from desktop.domain.errors import RecordConflict
from desktop.services import birthdays as bd
from desktop.services.organization import get_committee, save_committee
from desktop.services.settings import get_settings, save_settings, seen_now


def _assert_names_them(led, exc: RecordConflict, label: str) -> None:
    assert exc.field == label and exc.record_id
    assert exc.when is not None and abs((exc.when - datetime.now().astimezone()).total_seconds()) < 120
    assert str(exc) == f"{label}：该记录已被 {exc.who} 于 {exc.when:%Y-%m-%d %H:%M} 修改"
    if led.is_server:
        assert exc.who == led.user
    else:
        assert exc.who.startswith("另一台电脑（") or exc.who == "其他用户"


def test_the_same_setting_changed_meanwhile_is_asked_and_nothing_written(org_ledger):
    shown = get_settings(org_ledger)
    save_settings(org_ledger, replace(shown, soon_days=9), shown=shown)  # theirs, meanwhile
    theirs = get_settings(org_ledger)
    ours = replace(shown, soon_days=3, reminder_days=45)
    with pytest.raises(RecordConflict) as info:
        save_settings(org_ledger, ours, shown=shown)
    _assert_names_them(org_ledger, info.value, "会议提醒天数")
    assert get_settings(org_ledger) == theirs  # not even our 整改提醒天数
    save_settings(org_ledger, ours, shown=seen_now(org_ledger, ours, shown))  # 另存为新版本
    stored = get_settings(org_ledger)
    assert (stored.soon_days, stored.reminder_days) == (3, 45)


def test_another_setting_or_the_same_value_saves_without_a_question(org_ledger):
    shown = get_settings(org_ledger)
    save_settings(org_ledger, replace(shown, soon_days=9, reminder_days=30), shown=shown)
    save_settings(org_ledger, replace(shown, reminder_days=30, backup_keep_last=20), shown=shown)
    stored = get_settings(org_ledger)
    assert (stored.soon_days, stored.reminder_days, stored.backup_keep_last) == (9, 30, 20)


def test_seen_now_keeps_what_they_changed_elsewhere(org_ledger):
    shown = get_settings(org_ledger)
    save_settings(org_ledger, replace(shown, soon_days=9, lecture_frequency="每半年"), shown=shown)
    ours = replace(shown, soon_days=3)
    with pytest.raises(RecordConflict):
        save_settings(org_ledger, ours, shown=shown)
    save_settings(org_ledger, ours, shown=seen_now(org_ledger, ours, shown))
    stored = get_settings(org_ledger)
    assert (stored.soon_days, stored.lecture_frequency) == (3, "每半年")


def test_unit_name_changed_on_the_organization_page_is_asked(org_ledger):
    shown = get_settings(org_ledger)
    assert shown.unit_name == "某某局"
    committee = get_committee(org_ledger)
    save_committee(org_ledger, committee.name, "某某市某某局", version=committee.version)  # theirs (组织)
    with pytest.raises(RecordConflict) as info:
        save_settings(org_ledger, replace(shown, unit_name="某某县某某局"), shown=shown)
    _assert_names_them(org_ledger, info.value, "单位名称")
    assert get_settings(org_ledger).unit_name == "某某市某某局"


def test_message_template_changed_meanwhile_is_asked(org_ledger):
    shown = bd.get_message_template(org_ledger)
    bd.save_message_template(org_ledger, "他们的寄语：{姓名}同志，入党{周年}周年。", shown=shown)
    with pytest.raises(RecordConflict) as info:
        bd.save_message_template(org_ledger, "我们的寄语：{姓名}", shown=shown)
    _assert_names_them(org_ledger, info.value, "寄语模板")
    assert bd.get_message_template(org_ledger).startswith("他们的寄语")
    bd.save_message_template(org_ledger, "我们的寄语：{姓名}", shown=bd.get_message_template(org_ledger))
    assert bd.get_message_template(org_ledger) == "我们的寄语：{姓名}"
