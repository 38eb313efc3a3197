"""Compliance service: profiles from the roster of a date, one aggregate of the meetings held."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.compliance import committee_required
from desktop.domain.enums import LectureFrequency, MeetingKind, MeetingState, MemberCategory
from desktop.services.compliance import (
    BranchNotFound,
    branch_profile,
    branch_year_compliance,
    compliance_overview,
    profile_day,
    year_meeting_counts,
)
from desktop.services.demo import build_demo
from desktop.services.demo.schedule import months_until
from desktop.store.ledger import Ledger
from desktop.store.models import Branch, Committee, Meeting, Member, Membership, PartyGroup
from desktop.store.queries import live, roster_on

K = MeetingKind
TODAY = date(2026, 11, 22)


def add_branch(s, name: str, *, full: int, probationary: int = 0, sort: int = 1, **kw) -> Branch:
    committee = s.scalars(live(Committee)).first() or Committee(name="机关党委")
    s.add(committee)
    branch = Branch(committee=committee, name=name, sort_order=sort, **kw)
    s.add(branch)
    s.flush()
    for i in range(full + probationary):
        joined = date(2000 + i, 3, 1) if i < full else date(2026, 3, 1)
        m = Member(name=f"{name}{i}", join_date=joined, full_date=date(joined.year + 1, 3, 1) if i < full else None,
                   category=MemberCategory.FULL if i < full else MemberCategory.PROBATIONARY, branch_id=branch.id)
        s.add(m)
        s.flush()
        s.add(Membership(member_id=m.id, branch_id=branch.id, start_date=date(2019, 1, 1)))
    s.flush()
    return branch


def add_meeting(s, branch: Branch, kind: K, day: date, state=MeetingState.FINAL, group_id=None) -> Meeting:
    m = Meeting(branch_id=branch.id, kind=kind, date=day, state=state, group_id=group_id)
    s.add(m)
    s.flush()
    return m


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.zhibu"
    build_demo(path)
    led = Ledger.open(path)
    yield led
    led.close()


def test_full_member_counts_agree_with_the_roster(demo):
    with demo.read() as s:
        branches = [(b.id, b.name) for b in s.scalars(live(Branch))]
        for y, m in months_until(TODAY):
            for day in (date(y, m, 1), date(y, m, 20)):
                for bid, _name in branches:
                    expected = sum(1 for d in roster_on(s, bid, day) if d.category == MemberCategory.FULL)
                    assert branch_profile(s, bid, day).full_member_count == expected, (day, _name)


def test_demo_profiles(demo):
    rows = {o.branch_name: o.report.profile for o in compliance_overview(demo, 2026, range(1, 13), today=TODAY)}
    assert rows["第一党支部"].full_member_count == 19 and rows["第一党支部"].group_count == 2
    assert [name for _gid, name in rows["第一党支部"].groups] == ["第一党小组（机关科室）", "第二党小组（国土资源所）"]
    assert rows["第二党支部"].lecture_frequency == LectureFrequency.HALF_YEAR
    assert rows["第三党支部"].full_member_count == 5 and not committee_required(rows["第三党支部"])


def test_profile_uses_members_of_that_day(ledger):
    with ledger.write() as s:
        b = add_branch(s, "一支部", full=6, probationary=1, has_committee=True)
        bid = b.id
    assert branch_profile(ledger, bid, TODAY).full_member_count == 6
    assert not committee_required(branch_profile(ledger, bid, TODAY))
    with ledger.write() as s:  # one more full member from 1 July; the 预备 one is not counted
        m = Member(name="新转入", join_date=date(2010, 1, 1), full_date=date(2011, 1, 1), category="正式党员")
        s.add(m)
        s.flush()
        s.add(Membership(member_id=m.id, branch_id=bid, start_date=date(2026, 7, 1)))
    assert branch_profile(ledger, bid, date(2026, 6, 30)).full_member_count == 6
    assert branch_profile(ledger, bid, date(2026, 7, 1)).full_member_count == 7
    assert committee_required(branch_profile(ledger, bid, date(2026, 7, 1)))


def test_held_meetings_are_counted_by_month_and_drafts_listed(ledger):
    with ledger.write() as s:
        b = add_branch(s, "一支部", full=8, has_committee=True, lecture_frequency=LectureFrequency.HALF_YEAR)
        other = add_branch(s, "二支部", full=3, sort=2, has_committee=False)
        for month in range(1, 12):  # none in August; December still to come
            if month != 8:
                add_meeting(s, b, K.COMMITTEE, date(2026, month, 5))
        add_meeting(s, b, K.COMMITTEE, date(2026, 3, 25))  # a second one in March
        gone = add_meeting(s, b, K.THEME_DAY, date(2026, 2, 10))
        gone.tombstone()
        draft = add_meeting(s, b, K.GENERAL_ASSEMBLY, date(2026, 11, 3), state=MeetingState.DRAFT)
        add_meeting(s, b, K.LECTURE, date(2025, 12, 30))  # last year
        add_meeting(s, b, K.OTHER, date(2026, 4, 1))
        add_meeting(s, other, K.COMMITTEE, date(2026, 8, 5))  # another branch's
        bid, draft_id = b.id, draft.id
    report = branch_year_compliance(ledger, bid, 2026, today=TODAY)
    committee = {i.requirement.period_label: i for i in report.items if i.requirement.kind == K.COMMITTEE}
    assert committee["2026年8月"].status == "missing"
    assert committee["2026年3月"].held == 2
    assert committee["2026年12月"].status == "pending"
    theme = {i.requirement.period_label: i.status for i in report.items if i.requirement.kind == K.THEME_DAY}
    assert theme["2026年2月"] == "missing"  # the deleted record does not count
    lectures = [i for i in report.items if i.requirement.kind == K.LECTURE]
    assert [(i.requirement.period_label, i.held) for i in lectures] == [("2026年上半年", 0), ("2026年下半年", 0)]
    assert [(d.meeting_id, d.date) for d in report.drafts()] == [(draft_id, date(2026, 11, 3))]
    q4 = next(i for i in report.items if i.requirement.kind == K.GENERAL_ASSEMBLY and "第4季度" in i.requirement.period_label)
    assert q4.status == "held"


def test_group_meetings_are_matched_per_group(ledger):
    with ledger.write() as s:
        b = add_branch(s, "一支部", full=8, has_committee=True, has_groups=True)
        g1 = PartyGroup(branch_id=b.id, name="第一党小组", sort_order=1)
        g2 = PartyGroup(branch_id=b.id, name="第二党小组", sort_order=2)
        s.add_all([g1, g2])
        s.flush()
        add_meeting(s, b, K.GROUP, date(2026, 5, 12), group_id=g1.id)
        add_meeting(s, b, K.GROUP, date(2026, 5, 20), group_id=g1.id)
        bid, g1_id, g2_id = b.id, g1.id, g2.id
    report = branch_year_compliance(ledger, bid, 2026, today=TODAY, months=[5])
    groups = {i.requirement.group_id: (i.held, i.status) for i in report.items if i.requirement.kind == K.GROUP}
    assert groups == {g1_id: (2, "held"), g2_id: (0, "missing")}


def test_overview_lists_live_branches_in_order(ledger):
    with ledger.write() as s:
        add_branch(s, "二支部", full=3, sort=2, has_committee=False)
        add_branch(s, "一支部", full=9, sort=1)
        add_branch(s, "撤销支部", full=3, sort=3).tombstone()
    overview = compliance_overview(ledger, 2026, [1, 2, 3], today=TODAY)
    assert [o.branch_name for o in overview] == ["一支部", "二支部"]
    assert overview[0].report.months == [1, 2, 3]
    assert all(i.requirement.end <= date(2026, 12, 31) for o in overview for i in o.report.items)


def test_unknown_or_deleted_branch(ledger):
    with ledger.write() as s:
        b = add_branch(s, "撤销支部", full=3)
        b.tombstone()
        bid = b.id
    for branch_id in (bid, "no-such-id"):
        with pytest.raises(BranchNotFound):
            branch_year_compliance(ledger, branch_id, 2026, today=TODAY)
        with pytest.raises(BranchNotFound):
            branch_profile(ledger, branch_id, TODAY)


def test_year_meeting_counts(demo):
    counts = year_meeting_counts(demo, 2026)
    assert counts[K.THEME_DAY] == 33 and counts[K.ORG_LIFE] == 3 and counts[K.OTHER] == 0
    assert sum(year_meeting_counts(demo, 2025).values()) + sum(counts.values()) == 213
    assert sum(year_meeting_counts(demo, 2024).values()) == 0


def test_profile_day():
    assert profile_day(2026, TODAY) == TODAY
    assert profile_day(2025, TODAY) == date(2025, 12, 31)
    assert profile_day(2027, TODAY) == date(2027, 1, 1)
