"""首页提醒: meetings owed, political birthdays, measures due, drafts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from desktop.domain.enums import MeasureStatus, MeetingKind, MeetingState
from desktop.services.demo import DEMO_TODAY, build_demo
from desktop.services.reminders import (
    SECTION_BIRTHDAYS,
    SECTION_DRAFTS,
    SECTION_MEASURES,
    SECTION_MEETINGS,
    SECTION_PROBATION,
    home_reminders,
    measure_reminders,
    meeting_reminders,
)
from desktop.services.settings import get_settings, save_settings
from desktop.store.ledger import Ledger
from desktop.store.models import Campaign, Measure, Meeting, Problem, RectCategory

from .test_compliance import add_branch, add_meeting

K = MeetingKind


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.zhibu"
    build_demo(path)
    led = Ledger.open(path)
    yield led
    led.close()


def texts(items) -> list[str]:
    return [i.text for i in items]


def test_demo_home_on_the_demo_day(demo):
    r = home_reminders(demo, DEMO_TODAY)
    assert [name for name, _items in r.sections()] == [SECTION_MEETINGS, SECTION_PROBATION, SECTION_BIRTHDAYS,
                                                      SECTION_MEASURES, SECTION_DRAFTS]
    assert r.probation == []  # the demo's 预备党员 became 正式 in May
    assert texts(r.meetings) == [
        "第一党支部：2026年11月第二党小组（国土资源所）党小组会尚未开展（0/1），距截止还有8天（2026年11月30日）",
        "第二党支部：2026年民主评议党员尚未开展（0/1），距截止还有39天（2026年12月31日）",
        "第三党支部：2026年第4季度支部党员大会尚未开展（0/1），距截止还有39天（2026年12月31日）",
    ]
    assert all(i.record_kind == "branch" and i.record_id for i in r.meetings)
    # measures: 4 overdue (error) before 3 due within 14 days (warning)
    assert [i.severity for i in r.measures] == ["error"] * 4 + ["warning"] * 3
    assert "已逾期83天" in r.measures[0].text and "还有12天到期" in r.measures[-1].text
    assert all(i.record_kind == "measure" for i in r.measures)
    # birthdays of November and December, in date order
    names = [i.text.split("（")[0] for i in r.birthdays]
    assert names[:4] == ["林建国", "谢美玲", "黄敏", "叶青"] and "孙雯" in names
    assert any("逢十周年" in t for t in texts(r.birthdays))
    assert len(r.drafts) == 7 and all(i.record_kind == "meeting" and i.severity == "info" for i in r.drafts)
    assert r.count() == len(r.all()) == 3 + len(r.birthdays) + 7 + 7
    assert r.count("error") == 4


def test_missing_meeting_of_last_month_in_the_quarter_is_an_error(demo):
    items = meeting_reminders(demo, date(2026, 9, 2))
    assert items[0].severity == "error"
    assert items[0].text == "第二党支部：2026年8月支部委员会未开展（0/1），请补开或说明原因"
    last_day = meeting_reminders(demo, date(2026, 8, 31), soon_days=7)
    assert [(i.severity, i.text) for i in last_day] == [
        ("warning", "第二党支部：2026年8月支部委员会尚未开展（0/1），今天截止（2026年8月31日）")]


def test_fifty_years_birthday_is_highlighted(demo):
    r = home_reminders(demo, date(2026, 6, 15))
    fifty = [i for i in r.birthdays if "光荣在党50年" in i.text]
    assert len(fifty) == 1 and fifty[0].severity == "warning"
    assert fifty[0].text.startswith("童立新（第二党支部）7月1日入党51周年")


def test_december_looks_at_january_of_next_year(demo):
    r = home_reminders(demo, date(2026, 12, 10))
    months = {i.text.split("）")[1].split("月")[0] for i in r.birthdays}
    assert months == {"12", "1"}


def test_settings_change_the_horizons(ledger):
    with ledger.write() as s:
        b = add_branch(s, "一支部", full=3, has_committee=False)
        c = Campaign(name="整改", year=2026)
        s.add(c)
        s.flush()
        cat = RectCategory(campaign_id=c.id, name="工作作风", seq=1)
        s.add(cat)
        s.flush()
        p = Problem(category_id=cat.id, description="问题", seq=1)
        s.add(p)
        s.flush()
        for i, (deadline, status) in enumerate([
            (date(2026, 11, 1), MeasureStatus.IN_PROGRESS),  # overdue
            (date(2026, 11, 1), MeasureStatus.DONE),  # finished: not overdue
            (date(2026, 11, 1), MeasureStatus.CLOSED),
            (date(2026, 12, 1), MeasureStatus.NOT_STARTED),  # due in 9 days
            (date(2026, 12, 20), MeasureStatus.IN_PROGRESS),  # due in 28 days
        ]):
            s.add(Measure(problem_id=p.id, seq=i + 1, content=f"措施{i + 1}", deadline=deadline, status=status))
        gone = Measure(problem_id=p.id, seq=9, content="已删除的措施", deadline=date(2026, 10, 1),
                       status=MeasureStatus.IN_PROGRESS)
        gone.tombstone()
        s.add(gone)
        add_meeting(s, b, K.GENERAL_ASSEMBLY, date(2026, 10, 9), state=MeetingState.DRAFT)
        add_meeting(s, b, K.THEME_DAY, date(2026, 11, 20), state=MeetingState.DRAFT)
    today = date(2026, 11, 22)
    r = home_reminders(ledger, today)
    assert [t.split("（")[0] for t in texts(r.measures)] == ["措施1", "措施4"]
    assert [i.severity for i in r.drafts] == ["warning", "info"]
    assert "请尽快核对定稿" in r.drafts[0].text
    assert [(i.severity, i.text.split("（")[0]) for i in r.meetings] == [
        ("error", "一支部：2026年10月主题党日未开展"),  # November's is held (a draft counts)
        ("info", "一支部：2026年第4季度党课尚未开展"),  # the 党员大会 of Q4 is held
        ("info", "一支部：2026年组织生活会尚未开展"),
        ("info", "一支部：2026年民主评议党员尚未开展"),
    ]
    save_settings(ledger, replace(get_settings(ledger), reminder_days=30, soon_days=3))
    r = home_reminders(ledger, today)
    assert [t.split("（")[0] for t in texts(r.measures)] == ["措施1", "措施4", "措施5"]
    year_end = {i.text.split("（")[0]: i.severity for i in home_reminders(ledger, date(2026, 12, 28)).meetings}
    assert year_end["一支部：2026年组织生活会尚未开展"] == "warning"  # 3 days left, soon_days 3
    save_settings(ledger, replace(get_settings(ledger), soon_days=2))
    year_end = {i.text.split("（")[0]: i.severity for i in home_reminders(ledger, date(2026, 12, 28)).meetings}
    assert year_end["一支部：2026年组织生活会尚未开展"] == "info"
    assert year_end["一支部：2026年10月主题党日未开展"] == "error"


def test_measure_horizon_boundary(ledger):
    with ledger.write() as s:
        c = Campaign(name="整改", year=2026)
        s.add(c)
        s.flush()
        cat = RectCategory(campaign_id=c.id, name="理论学习", seq=1)
        s.add(cat)
        s.flush()
        p = Problem(category_id=cat.id, description="问题", seq=1)
        s.add(p)
        s.flush()
        s.add(Measure(problem_id=p.id, seq=1, content="今天到期", deadline=date(2026, 11, 22), status="整改中"))
        s.add(Measure(problem_id=p.id, seq=2, content="十四天后", deadline=date(2026, 12, 6), status="整改中"))
        s.add(Measure(problem_id=p.id, seq=3, content="十五天后", deadline=date(2026, 12, 7), status="整改中"))
    items = measure_reminders(ledger, date(2026, 11, 22), horizon_days=14)
    assert [i.text.split("（")[0] for i in items] == ["今天到期", "十四天后"]
    assert items[0].text == "今天到期（整改时限2026年11月22日，今天到期）" and items[0].severity == "warning"


def test_empty_ledger_has_no_reminders(ledger):
    r = home_reminders(ledger, date(2026, 11, 22))
    assert r.all() == [] and r.count() == 0


def test_deleted_meetings_are_not_drafts(ledger):
    with ledger.write() as s:
        b = add_branch(s, "一支部", full=3, has_committee=False)
        add_meeting(s, b, K.THEME_DAY, date(2026, 11, 2), state=MeetingState.DRAFT).tombstone()
    assert home_reminders(ledger, date(2026, 11, 22)).drafts == []
    with ledger.read() as s:
        assert s.query(Meeting).count() == 1
