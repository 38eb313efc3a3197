"""One rule for 正式 or 预备 on a day (domain.members.category_on), used by every place that asks:
the meeting roster (应到/实到, quorum), the compliance counts and 政治生日 lists. Edge days included."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.enums import MeetingKind, MemberCategory
from desktop.domain.members import category_on

FULL, PROB = MemberCategory.FULL, MemberCategory.PROBATIONARY
MEETING = date(2026, 6, 30)


@pytest.mark.parametrize(("join", "full", "recorded", "on", "expected"), [
    (date(2025, 6, 30), date(2026, 6, 30), PROB, MEETING, FULL),  # 转正 on the meeting date
    (date(2025, 6, 30), date(2026, 7, 1), PROB, MEETING, PROB),  # 转正 the day after
    (date(2026, 6, 30), None, PROB, MEETING, PROB),  # admitted on the meeting date
    (date(2026, 7, 1), None, PROB, MEETING, None),  # admitted the day after: not yet a member
    (date(2025, 7, 1), None, FULL, MEETING, PROB),  # old 正式 record without 转正日期: 预备期 not over
    (date(2025, 6, 30), None, FULL, MEETING, FULL),  # ... one year after 入党日期
    (date(2020, 6, 30), None, PROB, MEETING, PROB),  # recorded 预备 stays 预备 (延长预备期)
    (None, None, FULL, MEETING, FULL),  # nothing known but the category
    (date(2024, 2, 29), None, FULL, date(2025, 2, 28), FULL),  # leap day: anniversary on 28 February
])
def test_the_rule_on_edge_days(join, full, recorded, on, expected):
    assert category_on(join, full, recorded, on) == expected
    assert category_on(join, full, str(recorded), on) == expected  # as stored


def test_roster_compliance_and_the_rule_agree(org_ledger):
    """The store's roster (meeting 应到) and the compliance count of 正式党员 answer as the rule."""
    from desktop.services import meetings as msvc
    from desktop.services.compliance import _full_counts
    from desktop.services.members import MemberInput, save_member
    from desktop.store.queries import roster_on

    b2 = org_ledger.ids["branch2"]
    people = {
        "转正当天": ("2025-06-30", "2026-06-30", "正式党员"),
        "次日转正": ("2025-06-30", "2026-07-01", "正式党员"),
        "当天入党": ("2026-06-30", None, "预备党员"),
        "老正式未满": ("2025-07-01", None, "正式党员"),
        "老正式已满": ("2025-06-30", None, "正式党员"),
    }
    for name, (join, full, cat) in people.items():
        save_member(org_ledger, MemberInput(name=name, branch_id=b2, join_date=join, full_date=full, category=cat,
                                            since="2025-01-01"), today=date(2026, 7, 1))
    with org_ledger.read() as s:
        roster = {d.name: d.category for d in roster_on(s, b2, MEETING)}
        counted = _full_counts(s, [b2], MEETING)[b2]
    expected = {name: category_on(date.fromisoformat(j), date.fromisoformat(f) if f else None, c, MEETING)
                for name, (j, f, c) in people.items()}
    for name, cat in expected.items():
        assert roster[name] == cat, name
    assert roster["老正式未满"] == PROB and roster["转正当天"] == FULL
    assert counted == sum(1 for c in roster.values() if c == FULL)
    attendees = {a.name: a.category for a in msvc.roster_for(org_ledger, b2, MeetingKind.GENERAL_ASSEMBLY, MEETING)}
    assert {n: attendees[n] for n in people} == {n: str(c) for n, c in expected.items()}
