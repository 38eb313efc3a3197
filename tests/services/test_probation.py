"""预备期 as a workflow: 转正 / 延长预备期 / 取消预备党员资格 recorded with the 党员大会 that voted
it, history kept, member record brought in line, 首页 reminders when the 预备期 ends."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.enums import MeetingKind, MemberCategory, MemberStatus, ProbationStep
from desktop.domain.errors import DomainValidationError, ValidationErrors
from desktop.domain.probation import ProbationState, StepInput, check_step, due_soon, probation_end
from desktop.services import meetings as svc
from desktop.services.members import (
    MemberInput,
    assembly_choices,
    change_status,
    get_member,
    list_members,
    probation_due,
    probation_info,
    record_probation_step,
    save_member,
)
from desktop.services.reminders import home_reminders
from desktop.store.queries import roster_on

S = ProbationStep


def _assembly(ledger, branch_id: str, day: date) -> str:
    inp = svc.new_meeting(ledger, branch_id, MeetingKind.GENERAL_ASSEMBLY, day)
    return svc.save_meeting(ledger, inp)


def test_domain_rules():
    st = ProbationState(date(2025, 12, 1))
    assert st.end == date(2026, 12, 1) == probation_end(date(2025, 12, 1))
    assert probation_end(date(2024, 2, 29)) == date(2025, 2, 28)
    ok = StepInput(S.CONFIRMED, date(2026, 12, 1), date(2026, 12, 3), MeetingKind.GENERAL_ASSEMBLY)
    assert check_step(st, ok) == []
    early = check_step(st, StepInput(S.CONFIRMED, date(2026, 11, 30)))
    assert [e.field for e in early] == ["日期"] and "预备期满" in early[0].message
    wrong_kind = check_step(st, StepInput(S.CONFIRMED, date(2026, 12, 1), date(2026, 12, 3), MeetingKind.COMMITTEE))
    assert [e.field for e in wrong_kind] == ["党员大会"]
    assert [e.field for e in check_step(st, StepInput(S.EXTENDED, date(2026, 12, 1), new_end=date(2028, 1, 1)))] \
        == ["延长至", "原因"]
    assert check_step(st, StepInput(S.EXTENDED, date(2026, 12, 1), new_end=date(2027, 12, 1), reason="学习不够")) == []
    again = ProbationState(date(2025, 12, 1), date(2027, 6, 1))
    assert "只能延长一次" in check_step(again, StepInput(S.EXTENDED, date(2027, 6, 1), new_end=date(2027, 12, 1),
                                                         reason="x"))[0].message
    assert check_step(st, StepInput(S.CANCELLED, date(2026, 12, 1)))[0].field == "原因"
    due = due_soon([("a", "甲", "一支部", st), ("b", "乙", "一支部", ProbationState(date(2026, 5, 1)))],
                   date(2026, 11, 20), 14)
    assert [d.member_id for d in due] == ["a"] and due[0].days_left == 11 and "还有11天期满" in due[0].text


def test_confirm_records_meeting_and_history(org_ledger):
    ids = org_ledger.ids
    zm = ids["赵敏"]  # 入党 2025-12-01, 预备党员 in 第一党支部
    meeting = _assembly(org_ledger, ids["branch1"], date(2026, 12, 3))
    other = svc.save_meeting(org_ledger, svc.new_meeting(org_ledger, ids["branch1"], MeetingKind.COMMITTEE,
                                                         date(2026, 12, 2)))
    choices = assembly_choices(org_ledger, ids["branch1"], date(2025, 12, 1))
    assert [c.id for c in choices] == [meeting] and "支部党员大会" in choices[0].label
    with pytest.raises(ValidationErrors) as info:
        record_probation_step(org_ledger, zm, "转正", "2026-11-15", meeting_id=meeting)
    assert "预备期满" in str(info.value)
    with pytest.raises(ValidationErrors) as info:
        record_probation_step(org_ledger, zm, "转正", "2026-12-01", meeting_id=other)
    assert "党员大会" in str(info.value)
    assert probation_info(org_ledger, zm).events == []  # nothing written by the refusals
    record_probation_step(org_ledger, zm, "转正", "2026-12-01", meeting_id=meeting, reason="全票通过")
    m = get_member(org_ledger, zm).row
    assert m.category == MemberCategory.FULL and m.full_date == date(2026, 12, 1)
    info = probation_info(org_ledger, zm)
    assert [(e.kind, e.on_date, e.meeting_id) for e in info.events] == [("转正", date(2026, 12, 1), meeting)]
    assert "2026年12月3日 支部党员大会" in info.events[0].text and "全票通过" in info.events[0].text
    with org_ledger.read() as s:  # 正式 from the 转正日期 on, 预备 before it
        cats = {d: {a.member_id: a.category for a in roster_on(s, ids["branch1"], d)}[zm]
                for d in (date(2026, 11, 30), date(2026, 12, 1))}
    assert cats == {date(2026, 11, 30): MemberCategory.PROBATIONARY, date(2026, 12, 1): MemberCategory.FULL}
    with pytest.raises(DomainValidationError):  # no second 转正
        record_probation_step(org_ledger, zm, "转正", "2026-12-02")


def test_extend_then_confirm_keeps_both_events(org_ledger):
    ids = org_ledger.ids
    zm = ids["赵敏"]
    first = _assembly(org_ledger, ids["branch1"], date(2026, 12, 3))
    record_probation_step(org_ledger, zm, "延长预备期", "2026-12-01", meeting_id=first,
                          new_end="2027-06-01", reason="理论学习不够深入")
    info = probation_info(org_ledger, zm)
    assert info.is_probationary and info.state.end == date(2027, 6, 1) and info.state.extended
    assert get_member(org_ledger, zm).row.category == MemberCategory.PROBATIONARY
    with pytest.raises(ValidationErrors):
        record_probation_step(org_ledger, zm, "转正", "2026-12-01")  # the extended end is not reached
    second = _assembly(org_ledger, ids["branch1"], date(2027, 6, 5))
    record_probation_step(org_ledger, zm, "转正", "2027-06-01", meeting_id=second)
    assert [e.kind for e in probation_info(org_ledger, zm).events] == ["延长预备期", "转正"]
    assert get_member(org_ledger, zm).row.full_date == date(2027, 6, 1)


def test_cancel_ends_membership_and_leaves_the_roll(org_ledger):
    ids = org_ledger.ids
    zm = ids["赵敏"]
    meeting = _assembly(org_ledger, ids["branch1"], date(2026, 12, 3))
    record_probation_step(org_ledger, zm, "取消预备党员资格", "2026-12-03", meeting_id=meeting, reason="不履行党员义务")
    row = get_member(org_ledger, zm)
    assert row.row.status == MemberStatus.CANCELLED and row.periods[-1].end_date == date(2026, 12, 3)
    assert row.periods[-1].end_reason == "取消预备党员资格"
    assert zm not in {r.id for r in list_members(org_ledger, status="在册")}
    with org_ledger.read() as s:
        assert zm in {a.member_id for a in roster_on(s, ids["branch1"], date(2026, 12, 3))}
        assert zm not in {a.member_id for a in roster_on(s, ids["branch1"], date(2026, 12, 4))}
    with pytest.raises(ValidationErrors) as info:  # not through 状态变动 without the meeting
        change_status(org_ledger, ids["王磊"], "取消资格", "2026-12-01")
    assert "党员大会" in str(info.value)


def test_only_probationary_members_and_a_join_date(org_ledger):
    ids = org_ledger.ids
    with pytest.raises(DomainValidationError) as info:
        record_probation_step(org_ledger, ids["王磊"], "转正", "2026-12-01")
    assert "不是在册的预备党员" in str(info.value)
    with pytest.raises(DomainValidationError):
        record_probation_step(org_ledger, ids["赵敏"], "提前转正", "2026-12-01")


def test_reminders_list_probation_ending_and_overdue(org_ledger):
    ids = org_ledger.ids
    late = save_member(org_ledger, MemberInput(name="钱多", branch_id=ids["branch2"], gender="男",
                                                join_date="2025-09-01", category="预备党员"), today=date(2026, 1, 1))
    due = probation_due(org_ledger, date(2026, 11, 20), 14)
    assert [(d.member_id, d.days_left) for d in due] == [(late, -80), (ids["赵敏"], 11)]
    reminders = home_reminders(org_ledger, date(2026, 11, 20))
    texts = [(r.text, r.severity, r.record_id) for r in reminders.probation]
    assert texts[0][1] == "error" and "钱多（第二党支部）预备期已于2026年9月1日期满" in texts[0][0]
    assert texts[1][1] == "warning" and "赵敏" in texts[1][0] and texts[1][2] == ids["赵敏"]
    assert [d.member_id for d in probation_due(org_ledger, date(2026, 11, 1), 14)] == [late]
    meeting = _assembly(org_ledger, ids["branch2"], date(2026, 9, 5))
    record_probation_step(org_ledger, late, "转正", "2026-09-01", meeting_id=meeting)
    assert [d.member_id for d in probation_due(org_ledger, date(2026, 11, 20), 14)] == [ids["赵敏"]]
