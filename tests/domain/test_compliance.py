from datetime import date

from desktop.domain.compliance import (
    BranchProfile,
    HeldMeeting,
    committee_required,
    evaluate_compliance,
    lecture_plan,
    requirements_for_period,
)
from desktop.domain.enums import LectureFrequency, MeetingKind, MeetingState

K = MeetingKind


def profile(**kw):
    base = dict(
        has_committee=True,
        has_groups=False,
        group_count=0,
        full_member_count=12,
        lecture_frequency=LectureFrequency.QUARTER,
        lecture_custom_per_year=None,
        theme_day_of_month=15,
    )
    base.update(kw)
    return BranchProfile(**base)


def kinds(reqs):
    return [r.kind for r in reqs]


def test_six_full_members_no_committee_requirement():
    p = profile(full_member_count=6)
    assert not committee_required(p)
    assert K.COMMITTEE not in kinds(requirements_for_period(p, 2026, range(1, 13)))
    assert committee_required(profile(full_member_count=7))
    assert not committee_required(profile(has_committee=False))


def test_full_year_requirements():
    reqs = requirements_for_period(profile(), 2026, range(1, 13))
    count = {k: sum(r.required_count for r in reqs if r.kind == k) for k in set(kinds(reqs))}
    assert count == {
        K.GENERAL_ASSEMBLY: 4,
        K.COMMITTEE: 12,
        K.LECTURE: 4,
        K.THEME_DAY: 12,
        K.ORG_LIFE: 1,
        K.EVALUATION: 1,
    }
    ga = [r for r in reqs if r.kind == K.GENERAL_ASSEMBLY]
    assert ga[0].period_label == "2026年第1季度" and ga[0].period == (date(2026, 1, 1), date(2026, 3, 31))
    assert [r.period_label for r in reqs if r.kind == K.COMMITTEE][2] == "2026年3月"
    org = [r for r in reqs if r.kind == K.ORG_LIFE][0]
    assert org.period_label == "2026年" and org.scope == "year" and org.end == date(2026, 12, 31)


def test_lecture_half_year():
    reqs = [
        r
        for r in requirements_for_period(
            profile(lecture_frequency=LectureFrequency.HALF_YEAR), 2026, range(1, 13)
        )
        if r.kind == K.LECTURE
    ]
    assert [(r.period_label, r.scope, r.required_count) for r in reqs] == [
        ("2026年上半年", "half", 1),
        ("2026年下半年", "half", 1),
    ]
    assert reqs[0].period == (date(2026, 1, 1), date(2026, 6, 30))


def test_lecture_custom():
    c = LectureFrequency.CUSTOM
    assert lecture_plan(profile(lecture_frequency=c, lecture_custom_per_year=4)) == ("quarter", 1)
    assert lecture_plan(profile(lecture_frequency=c, lecture_custom_per_year=12)) == ("month", 1)
    assert lecture_plan(profile(lecture_frequency=c, lecture_custom_per_year=6)) == ("half", 3)
    assert lecture_plan(profile(lecture_frequency=c, lecture_custom_per_year=3)) == ("year", 3)
    assert lecture_plan(profile(lecture_frequency=c, lecture_custom_per_year=None)) is None


def test_groups():
    p = profile(has_groups=True, group_count=2, groups=(("g1", "第一党小组"), ("g2", "第二党小组")))
    reqs = [r for r in requirements_for_period(p, 2026, [3]) if r.kind == K.GROUP]
    assert [(r.group_name, r.period_label) for r in reqs] == [
        ("第一党小组", "2026年3月"),
        ("第二党小组", "2026年3月"),
    ]
    rep = evaluate_compliance(
        p, 2026, [HeldMeeting(K.GROUP, date(2026, 3, 5), "g1")], [3], today=date(2026, 4, 2)
    )
    st = {i.requirement.group_id: i.status for i in rep.items if i.requirement.kind == K.GROUP}
    assert st == {"g1": "held", "g2": "missing"}
    anon = profile(has_groups=True, group_count=3)
    rep = evaluate_compliance(
        anon,
        2026,
        [HeldMeeting(K.GROUP, date(2026, 3, 5), "g1"), HeldMeeting(K.GROUP, date(2026, 3, 9), "g1")],
        [3],
        today=date(2026, 4, 2),
    )
    item = [i for i in rep.items if i.requirement.kind == K.GROUP][0]
    assert (item.held, item.requirement.required_count, item.status) == (1, 3, "missing")


def test_pending_vs_missing_by_today():
    held = [
        HeldMeeting(K.GENERAL_ASSEMBLY, date(2026, 2, 10)),
        HeldMeeting(K.THEME_DAY, date(2026, 1, 15)),
        HeldMeeting(K.THEME_DAY, date(2026, 2, 15), state=MeetingState.DRAFT),
    ]
    rep = evaluate_compliance(profile(), 2026, held, months=range(1, 4), today=date(2026, 3, 10))
    by = {(i.requirement.kind, i.requirement.period_label): i.status for i in rep.items}
    assert by[(K.GENERAL_ASSEMBLY, "2026年第1季度")] == "held"
    assert by[(K.THEME_DAY, "2026年2月")] == "held"  # draft counts
    assert by[(K.THEME_DAY, "2026年3月")] == "pending"
    assert by[(K.COMMITTEE, "2026年1月")] == "missing"
    assert by[(K.LECTURE, "2026年第1季度")] == "pending"
    assert by[(K.ORG_LIFE, "2026年")] == "pending"
    assert [m.date for m in rep.drafts()] == [date(2026, 2, 15)]
    assert {(i.requirement.kind, i.requirement.period_label) for i in rep.missing()} == {
        (K.COMMITTEE, "2026年1月"),
        (K.COMMITTEE, "2026年2月"),
    }
    # after the quarter ended, the lecture is missing
    rep = evaluate_compliance(profile(), 2026, held, months=range(1, 4), today=date(2026, 4, 1))
    assert (K.LECTURE, "2026年第1季度") in {
        (i.requirement.kind, i.requirement.period_label) for i in rep.missing()
    }


def test_grid():
    held = [HeldMeeting(K.GENERAL_ASSEMBLY, date(2026, 2, 10)), HeldMeeting(K.COMMITTEE, date(2026, 1, 8))]
    rep = evaluate_compliance(profile(), 2026, held, months=range(1, 4), today=date(2026, 5, 1))
    g = rep.grid()
    assert g.header()[:3] == ["月份", "支部党员大会", "支部委员会"]
    rows = g.rows()
    assert [r[0] for r in rows] == ["1月", "2月", "3月"]
    col = g.header().index
    assert rows[0][col("支部委员会")] == "1/1"
    assert rows[1][col("支部委员会")] == "0/1 缺"
    assert [r[col("支部党员大会")] for r in rows] == ["", "1", "1/1"]
    assert rows[2][col("党课")] == "0/1 缺"
    assert rows[2][col("组织生活会")] == "0/1 未到期"
