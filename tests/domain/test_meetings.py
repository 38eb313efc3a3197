from datetime import date, time

import pytest

from desktop.domain.enums import AttendanceScope, AttendanceStatus, MeetingKind, MemberCategory
from desktop.domain.errors import DomainValidationError
from desktop.domain.meetings import (
    Attendee,
    committee_quorum,
    evaluate_vote,
    general_assembly_quorum,
    number_label,
    required_attendance_kind,
    summarize_attendance,
    validate_meeting_times,
)
from desktop.domain.precheck import MeetingFacts, MotionFacts, precheck_meeting

F, P = MemberCategory.FULL, MemberCategory.PROBATIONARY
PRESENT, ABSENT, EXCLUDED = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.EXCLUDED


def people(full_present, full_absent=0, prob_present=0, prob_absent=0, excluded=0):
    out, i = [], 0
    for n, cat, st in (
        (full_present, F, PRESENT),
        (full_absent, F, ABSENT),
        (prob_present, P, PRESENT),
        (prob_absent, P, ABSENT),
        (excluded, F, EXCLUDED),
    ):
        for _ in range(n):
            i += 1
            out.append(Attendee(str(i), f"党员{i}", cat, st, "病假" if st != PRESENT else ""))
    return out


def test_summary_excluded_not_due():
    s = summarize_attendance(people(8, 2, 1, 1, excluded=2))
    assert (s.due_full, s.due_prob, s.present_full, s.present_prob) == (10, 2, 8, 1)
    assert s.due == 12 and s.present == 9 and s.voting_due == 10 and s.voting_present == 8
    assert len(s.absent) == 3 and len(s.excluded) == 2


def test_quorum_probationary_present_do_not_vote():
    # 12 正式 due, 6 present + 3 预备 present: 9 people in the room but only 6 votes: not > half
    s = summarize_attendance(people(6, 6, prob_present=3))
    q = general_assembly_quorum(s)
    assert not q.ok and q.required == 7 and q.present == 6
    assert q.text == "有表决权党员应到12人，实到6人，未超过半数（至少需7人），不符合规定"
    q = general_assembly_quorum(summarize_attendance(people(7, 5, prob_present=1)))
    assert q.ok and q.text == "有表决权党员应到12人，实到7人，超过半数，符合规定"


def test_excluded_members_reduce_due():
    # 13 正式, 2 excluded with approval: due 11, 6 present is > half
    assert not general_assembly_quorum(summarize_attendance(people(6, 7))).ok
    assert general_assembly_quorum(summarize_attendance(people(6, 5, excluded=2))).ok


def test_election_needs_more_than_four_fifths():
    assert not general_assembly_quorum(summarize_attendance(people(8, 2)), election=True).ok  # 8/10 = 4/5
    q = general_assembly_quorum(summarize_attendance(people(9, 1)), election=True)
    assert q.ok and q.required == 9


def test_motion_more_than_half_of_present_but_not_of_due_fails():
    s = summarize_attendance(people(7, 5))  # 应到 12, 实到 7
    v = evaluate_vote(6, 1, 0, s)  # 6 > 7/2 but not > 12/2
    assert not v.passed and v.required == 7 and not v.errors and not v.warnings
    assert evaluate_vote(7, 0, 0, s).passed


def test_vote_counts_consistency():
    s = summarize_attendance(people(10, 2, prob_present=2))
    v = evaluate_vote(8, 0, 1, s)
    assert v.passed and v.warnings == ("表决票数合计9与有表决权实到人数10不一致",)
    v = evaluate_vote(10, 1, 1, s)  # 预备党员 voted
    assert not v.passed and v.errors
    with pytest.raises(DomainValidationError) as e:
        evaluate_vote(-1, 0, 0, s)
    assert e.value.field == "赞成票数"


def test_committee_quorum():
    assert committee_quorum(summarize_attendance(people(3, 2))).ok
    q = committee_quorum(summarize_attendance(people(2, 2)))
    assert not q.ok and q.text.startswith("支委会委员应到4人，实到2人")


def test_small_helpers():
    assert number_label(3) == "第3次"
    assert required_attendance_kind(MeetingKind.COMMITTEE) == AttendanceScope.COMMITTEE
    assert required_attendance_kind(MeetingKind.GROUP) == AttendanceScope.GROUP
    assert required_attendance_kind(MeetingKind.LECTURE) == AttendanceScope.BRANCH
    validate_meeting_times(time(9), time(11, 30))
    with pytest.raises(DomainValidationError) as e:
        validate_meeting_times(time(9, 30), time(9))
    assert e.value.field == "结束时间" and "9:00" in e.value.message and "9:30" in e.value.message


def good_meeting(**kw):
    base = dict(
        kind=MeetingKind.GENERAL_ASSEMBLY,
        number=2,
        date=date(2026, 3, 18),
        start_time=time(9),
        end_time=time(11),
        place="局三楼会议室",
        host="王书记",
        recorder="李组织委员",
        attendees=people(9, 1),
        agenda=["学习党章", "讨论发展对象"],
        speeches=[("王书记", "传达上级精神。"), ("党员1", "表示赞同。")],
        content="王书记传达了文件精神。",
        motions=[MotionFacts("确定发展对象", 9, 0, 0)],
        resolution="同意列为发展对象。",
    )
    base.update(kw)
    return MeetingFacts(**base)


def codes(m):
    return [f.code for f in precheck_meeting(m)]


def test_clean_meeting_has_no_findings():
    assert precheck_meeting(good_meeting()) == []


def test_precheck_missing_basics():
    m = good_meeting(date=None, start_time=None, end_time=None, place="", host=" ", recorder="", agenda=[])
    c = codes(m)
    for code in (
        "missing_date",
        "missing_start_time",
        "missing_end_time",
        "missing_place",
        "missing_host",
        "missing_recorder",
        "missing_agenda",
    ):
        assert code in c
    assert "end_not_after_start" in codes(good_meeting(end_time=time(8)))


def test_precheck_absentee_without_reason():
    att = people(9) + [Attendee("x", "赵六", F, ABSENT), Attendee("y", "钱七", F, EXCLUDED)]
    fs = precheck_meeting(good_meeting(attendees=att))
    bad = [f for f in fs if f.code in ("absent_without_reason", "excluded_without_reason")]
    assert [(f.code, f.severity) for f in bad] == [
        ("absent_without_reason", "error"),
        ("excluded_without_reason", "error"),
    ]
    assert "赵六" in bad[0].message


def test_precheck_vague_phrase_without_named_speaker():
    fs = precheck_meeting(good_meeting(content="王书记传达了文件精神。会上大家一致认为要加强学习。"))
    assert [f.code for f in fs] == ["vague_phrase"] and fs[0].field == "会议内容"
    # a named speaker in the same sentence is fine
    assert precheck_meeting(good_meeting(content="王书记总结时说，大家一致认为要加强学习。")) == []


def test_precheck_no_named_speaker():
    assert "no_named_speaker" in codes(good_meeting(speeches=[], content="会议学习了文件。"))


def test_precheck_motions():
    assert "motion_count_mismatch" in codes(good_meeting(motions=[MotionFacts("事项", 8, 0, 0)]))
    assert "motion_incomplete_counts" in codes(good_meeting(motions=[MotionFacts("事项", 9, None, 0)]))
    assert "motion_negative_count" in codes(good_meeting(motions=[MotionFacts("事项", 9, -1, 0)]))
    assert "motion_invalid" in codes(good_meeting(motions=[MotionFacts("事项", 9, 1, 1)]))
    assert "motion_not_passed" in codes(good_meeting(motions=[MotionFacts("事项", 5, 4, 0)]))


def test_precheck_quorum():
    assert "quorum_not_met" in codes(good_meeting(attendees=people(5, 5), motions=[]))
    # a vote at an inquorate assembly is reported once, as quorum_not_met
    c = codes(good_meeting(attendees=people(5, 5), motions=[MotionFacts("事项", 5, 0, 0)]))
    assert c.count("quorum_not_met") == 1 and "motion_invalid" not in c
    # election: 9 of 10 passes, 8 of 10 does not
    assert "quorum_not_met" not in codes(good_meeting(motions=[MotionFacts("选举", 9, 0, 0, election=True)]))
    assert "quorum_not_met" in codes(
        good_meeting(attendees=people(8, 2), motions=[MotionFacts("选举", 8, 0, 0, True)])
    )


def test_precheck_lecture_and_theme_day():
    c = codes(good_meeting(kind=MeetingKind.LECTURE, motions=[], resolution=""))
    assert "lecture_missing_lecturer" in c and "lecture_missing_title" in c
    assert (
        codes(good_meeting(kind=MeetingKind.LECTURE, motions=[], lecturer="王书记", lecture_title="守初心"))
        == []
    )
    assert "theme_day_missing_theme" in codes(good_meeting(kind=MeetingKind.THEME_DAY, motions=[]))


def test_precheck_errors_first():
    fs = precheck_meeting(good_meeting(place="", content="大家表示同意。"))
    sev = [f.severity for f in fs]
    assert sev == sorted(sev, key=lambda s: s != "error")
