"""政治生日 service: who is listed in a month, with which anniversary, 党龄 and branch."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.enums import MemberCategory
from desktop.domain.errors import ValidationErrors
from desktop.services import birthdays as bd
from desktop.services import recycle
from desktop.store.models import Branch, Committee, Member, Membership


def _member(s, name, branch, join, full=None, cat="正式党员", periods=None, status="在职"):
    m = Member(name=name, gender="女", branch_id=branch.id, join_date=join, full_date=full, category=cat,
               status=status, birth_date=date(join.year - 25, 1, 1))
    s.add(m)
    s.flush()
    for b, start, end in periods if periods is not None else [(branch, join, None)]:
        s.add(Membership(member_id=m.id, branch_id=b.id, start_date=start, end_date=end))
    return m.id


@pytest.fixture
def people(ledger):
    with ledger.write() as s:
        c = Committee(name="机关党委")
        s.add(c)
        s.flush()
        a, b = Branch(committee_id=c.id, name="第一党支部"), Branch(committee_id=c.id, name="第二党支部")
        s.add_all([a, b])
        s.flush()
        ids = {
            "leap": _member(s, "闰日", a, date(2004, 2, 29), date(2005, 3, 1)),
            "probation": _member(s, "预备", a, date(2025, 12, 1), None, "预备党员"),
            "full_on_day": _member(s, "当天转正", a, date(2025, 7, 1), date(2026, 7, 1)),
            "full_later": _member(s, "晚转正", a, date(2025, 7, 10), date(2026, 7, 20)),
            "fifty": _member(s, "老党员", b, date(1975, 5, 4), date(1976, 5, 4), status="退休"),
            "round": _member(s, "十周年", b, date(2016, 7, 1), date(2017, 7, 1)),
            "moved_march": _member(s, "三月调动", b, date(1999, 3, 10), date(2000, 3, 10),
                                   periods=[(a, date(2010, 1, 1), date(2026, 6, 30)), (b, date(2026, 7, 1), None)]),
            "moved_sept": _member(s, "九月调动", b, date(1999, 9, 10), date(2000, 9, 10),
                                  periods=[(a, date(2010, 1, 1), date(2026, 6, 30)), (b, date(2026, 7, 1), None)]),
            "gone": _member(s, "已转出", a, date(1990, 8, 1), date(1991, 8, 1),
                            periods=[(a, date(2000, 1, 1), date(2026, 5, 31))], status="转出"),
            "joined_this_year": _member(s, "新党员", a, date(2026, 7, 1), None, "预备党员"),
        }
        ids["a"], ids["b"] = a.id, b.id
    return ids


def _by_name(rows):
    return {r.name: r for r in rows}


def test_29_february_in_non_leap_year(ledger, people):
    rows = _by_name(bd.birthdays_for(ledger, 2026, [2]))
    assert rows["闰日"].date_this_year == date(2026, 2, 28)
    assert rows["闰日"].anniversary_number == 22
    assert rows["闰日"].party_age == 20  # from 转正 2005-03-01, not yet 21 on 28 Feb
    assert _by_name(bd.birthdays_for(ledger, 2028, [2]))["闰日"].date_this_year == date(2028, 2, 29)


def test_probationary_has_no_party_age(ledger, people):
    row = _by_name(bd.birthdays_for(ledger, 2026, [12]))["预备"]
    assert row.category == MemberCategory.PROBATIONARY and row.party_age is None and row.anniversary_number == 1


def test_category_and_party_age_as_of_the_anniversary(ledger, people):
    july = _by_name(bd.birthdays_for(ledger, 2026, [7]))
    assert july["当天转正"].category == MemberCategory.FULL and july["当天转正"].party_age == 0
    assert july["晚转正"].category == MemberCategory.PROBATIONARY and july["晚转正"].party_age is None
    assert "新党员" not in july  # the joining year is not an anniversary
    assert july["十周年"].is_round and july["十周年"].milestone_label == "入党10周年"
    assert [r.name for r in bd.birthdays_for(ledger, 2026, [7])][:2] == ["十周年", "当天转正"]


def test_fifty_years_of_party_age(ledger, people):
    row = _by_name(bd.birthdays_for(ledger, 2026, [5]))["老党员"]
    assert row.is_fifty and row.anniversary_number == 51 and row.party_age == 50
    assert row.milestone_label == "光荣在党50年" and row.highlighted
    assert not _by_name(bd.birthdays_for(ledger, 2025, [5]))["老党员"].is_fifty


def test_branch_as_of_the_anniversary_after_transfer(ledger, people):
    a, b = people["a"], people["b"]
    assert [r.name for r in bd.birthdays_for(ledger, 2026, [3], branch_id=a)] == ["三月调动"]
    assert [r.name for r in bd.birthdays_for(ledger, 2026, [3], branch_id=b)] == []
    assert [r.name for r in bd.birthdays_for(ledger, 2026, [9], branch_id=b)] == ["九月调动"]
    assert _by_name(bd.birthdays_for(ledger, 2026, [9]))["九月调动"].branch_name == "第二党支部"
    # transferred out of the committee before the August anniversary: not listed in 2026, listed in 2025
    assert "已转出" not in _by_name(bd.birthdays_for(ledger, 2026, [8]))
    assert _by_name(bd.birthdays_for(ledger, 2025, [8]))["已转出"].branch_name == "第一党支部"


def test_quarter_view(ledger, people):
    names = [r.name for r in bd.birthdays_for(ledger, 2026, [7, 8, 9])]
    assert names == ["十周年", "当天转正", "晚转正", "九月调动"]


def test_message_template_round_trip(ledger):
    assert bd.get_message_template(ledger) == bd.DEFAULT_TEMPLATE
    bd.save_message_template(ledger, "{姓名}同志，祝贺入党{周年}周年！{其他}")
    text = bd.get_message_template(ledger)
    assert bd.render_message(text, "张三", 10) == "张三同志，祝贺入党10周年！{其他}"


def test_event_save_edit_remove_and_readd(ledger, people):
    ids = people
    data = bd.EventInput(date(2026, 6, 28), (bd.CelebrantInput(ids["round"], "寄语一"),
                                            bd.CelebrantInput(ids["full_on_day"], "寄语二")),
                         branch_id=ids["b"], place="三楼会议室", activities=("重温入党誓词", "讲述初心故事"))
    eid = bd.save_event(ledger, data)
    detail = bd.get_event(ledger, eid)
    assert detail.event.title == "7月份入党党员集体政治生日"  # both joined in July
    assert detail.event.activities == ("重温入党誓词", "讲述初心故事")
    assert {c.name: c.anniversary_number for c in detail.celebrants} == {"十周年": 10, "当天转正": 1}
    bd.save_event(ledger, bd.EventInput(data.date, (bd.CelebrantInput(ids["round"], "新寄语"),), id=eid))
    assert [c.message for c in bd.get_event(ledger, eid).celebrants] == ["新寄语"]
    bd.save_event(ledger, bd.EventInput(data.date, data.celebrants, id=eid))  # re-add: revives, no duplicate
    assert len(bd.get_event(ledger, eid).celebrants) == 2
    assert [e.celebrant_count for e in bd.list_events(ledger, 2026)] == [2]
    bd.delete_event(ledger, eid)
    assert bd.list_events(ledger, 2026) == []
    recycle.restore(ledger, "birthday_event", eid)
    assert len(bd.list_events(ledger, 2026, branch_id=ids["b"])) == 1


def test_default_title():
    assert bd.default_title(date(2026, 6, 28), {7}) == "7月份入党党员集体政治生日"
    assert bd.default_title(date(2026, 6, 28), {7, 9}) == "第三季度入党党员集体政治生日"
    assert bd.default_title(date(2026, 6, 28), {1, 7}) == "6月份党员集体政治生日"


def test_event_validation(ledger, people):
    with pytest.raises(ValidationErrors) as e:
        bd.save_event(ledger, bd.EventInput(None, ()))
    assert set(e.value.fields) == {"活动日期", "参加党员"}


def test_event_cards_carry_each_celebrants_message(ledger, people, tmp_path):
    from pypdf import PdfReader

    from desktop.services.export import ExportFilters, export

    ids = people
    eid = bd.save_event(ledger, bd.EventInput(date(2026, 6, 28), (
        bd.CelebrantInput(ids["round"], "十年磨一剑，初心永不改"), bd.CelebrantInput(ids["full_on_day"], ""))))
    ev, rows, messages = bd.event_cards(ledger, eid)
    by_name = {r.name: m for r, m in zip(rows, messages, strict=True)}
    assert by_name["十周年"] == "十年磨一剑，初心永不改"
    assert by_name["当天转正"] == bd.render_message(bd.DEFAULT_TEMPLATE, "当天转正", 1)  # blank → the template
    result = export(ledger, "cards", tmp_path, "pdf", ExportFilters(event=eid))
    text = "".join(page.extract_text() for page in PdfReader(result.paths[0]).pages)
    assert "十年磨一剑，初心永不改" in text.replace("\n", "") and ev.id == eid
