"""三会一课 use cases against a real temp ledger (org_ledger from tests/conftest.py)."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from desktop.domain.enums import AttendanceStatus, MeetingKind, MeetingState
from desktop.domain.errors import DomainValidationError, ValidationErrors
from desktop.services import meetings as svc
from desktop.services.meetings.data import DEFAULT_AGENDA
from desktop.store.models import AgendaItem, Attendance, Reopening

DAY = date(2026, 6, 20)


def complete(inp: svc.MeetingInput) -> svc.MeetingInput:
    """Fill what an inspector asks for: times, place, a named speaker, resolution."""
    inp.start_time, inp.end_time, inp.place = time(9, 0), time(11, 0), "三楼会议室"
    inp.content = f"{inp.host}传达了上级会议精神。"
    inp.speeches = [svc.SpeechData(inp.host or "张建国", "要求全体党员认真学习，结合岗位抓好落实。")]
    inp.resolution = "会议同意上述事项。"
    inp.lecturer, inp.lecture_title, inp.summary = "张建国", "学习党章 做合格党员", "围绕党章讲了三点。"
    inp.theme = "学习贯彻党的二十届四中全会精神"
    return inp


def test_new_committee_meeting_is_proposed_from_posts(org_ledger):
    ids = org_ledger.ids
    inp = svc.new_meeting(org_ledger, ids["branch1"], MeetingKind.COMMITTEE, DAY)
    assert (inp.number, inp.host, inp.recorder) == (1, "张建国", "李秀英")
    assert inp.title == "2026年第1次支部委员会"
    assert {a.name for a in inp.attendance} == {"张建国", "李秀英"}
    assert all(a.status == AttendanceStatus.PRESENT for a in inp.attendance)
    assert inp.agenda == list(DEFAULT_AGENDA[MeetingKind.COMMITTEE])


def test_roster_follows_kind_group_and_date(org_ledger):
    ids = org_ledger.ids
    whole = svc.new_meeting(org_ledger, ids["branch1"], MeetingKind.GENERAL_ASSEMBLY, DAY)
    assert [a.name for a in whole.attendance] == ["张建国", "李秀英", "王磊", "赵敏"]
    assert {a.name: a.category for a in whole.attendance}["赵敏"] == "预备党员"
    group = svc.new_meeting(org_ledger, ids["branch1"], MeetingKind.GROUP, DAY, ids["group2"])
    assert [a.name for a in group.attendance] == ["王磊", "赵敏"]
    assert group.host == ""  # no 党小组组长 recorded
    before_join = svc.roster_for(org_ledger, ids["branch1"], MeetingKind.GENERAL_ASSEMBLY, date(2025, 6, 1))
    assert "赵敏" not in [a.name for a in before_join]


def test_agenda_template_is_stored_and_used(org_ledger):
    svc.save_agenda_template(org_ledger, MeetingKind.THEME_DAY, ["重温入党誓词", " ", "观看警示教育片"])
    assert svc.get_agenda_template(org_ledger, MeetingKind.THEME_DAY) == ["重温入党誓词", "观看警示教育片"]
    inp = svc.new_meeting(org_ledger, org_ledger.ids["branch1"], MeetingKind.THEME_DAY, DAY)
    assert inp.agenda == ["重温入党誓词", "观看警示教育片"]
    assert "交纳党费" in inp.required_actions


def test_save_and_read_back_general_assembly_with_absence_and_vote(org_ledger):
    ids = org_ledger.ids
    inp = complete(svc.new_meeting(org_ledger, ids["branch1"], MeetingKind.GENERAL_ASSEMBLY, DAY))
    inp.attendance = [
        a if a.name != "王磊" else svc.AttendanceData(a.member_id, a.name, a.category, AttendanceStatus.ABSENT, "因公出差")
        for a in inp.attendance
    ]
    inp.motions = [svc.MotionData("接收赵敏同志为预备党员", 2, 0, 0)]
    inp.guests = [svc.GuestData("刘洋", "机关党委组织员", "上级指导")]
    mid = svc.save_meeting(org_ledger, inp)
    d = svc.get_meeting(org_ledger, mid)
    assert d.kind == MeetingKind.GENERAL_ASSEMBLY and d.number == 1 and d.state == MeetingState.DRAFT
    assert d.attendance_summary.text() == "应到4人（正式党员3人、预备党员1人），实到3人（正式党员2人、预备党员1人）"
    assert d.attendance_summary.absent_text() == "王磊（因公出差）"
    assert d.motions[0].yes == 2 and d.guests[0].role == "上级指导"
    rows = svc.list_meetings(org_ledger, year=2026)
    assert [(r.id, r.due, r.present, r.absent_count, r.branch_name) for r in rows] == [(mid, 4, 3, 1, "第一党支部")]
    # 3 voting members due → 2 赞成 is more than half: valid, no findings at all
    assert svc.precheck_meeting(org_ledger, mid) == []
    assert svc.next_number(org_ledger, ids["branch1"], MeetingKind.GENERAL_ASSEMBLY, 2026) == 2


def test_precheck_finds_what_inspectors_fault(org_ledger):
    ids = org_ledger.ids
    inp = svc.new_meeting(org_ledger, ids["branch1"], MeetingKind.GENERAL_ASSEMBLY, DAY)
    inp.attendance = [svc.AttendanceData(a.member_id, a.name, a.category, AttendanceStatus.ABSENT, "")
                      if a.name == "王磊" else a for a in inp.attendance]
    inp.host = ""
    inp.content = "大家一致认为要抓好落实。"
    inp.motions = [svc.MotionData("某事项", 1, 0, 3)]
    mid = svc.save_meeting(org_ledger, inp)
    codes = {f.code for f in svc.precheck_meeting(org_ledger, mid)}
    assert {"missing_start_time", "missing_end_time", "missing_place", "missing_host",
            "absent_without_reason", "vague_phrase", "motion_invalid"} <= codes


def test_validation_names_fields(org_ledger):
    ids = org_ledger.ids
    inp = svc.new_meeting(org_ledger, ids["branch1"], MeetingKind.COMMITTEE, DAY)
    inp.start_time, inp.end_time, inp.date = "10:00", "9点半", "2026-02-30"
    inp.motions = [svc.MotionData("", -1, 0, 0)]
    with pytest.raises(ValidationErrors) as e:
        svc.save_meeting(org_ledger, inp)
    fields = e.value.by_field()
    assert "会议日期" in fields and "表决情况" in fields
    inp.date = DAY
    with pytest.raises(ValidationErrors) as e:
        svc.save_meeting(org_ledger, inp)
    assert "结束时间" in e.value.by_field()
    # duplicate number in the same year
    first = complete(svc.new_meeting(org_ledger, ids["branch1"], MeetingKind.COMMITTEE, DAY))
    svc.save_meeting(org_ledger, first)
    dup = complete(svc.new_meeting(org_ledger, ids["branch1"], MeetingKind.COMMITTEE, date(2026, 7, 1)))
    dup.number = 1
    with pytest.raises(ValidationErrors) as e:
        svc.save_meeting(org_ledger, dup)
    assert "第1次" in str(e.value)
    # 党小组会 in a branch with groups needs its group
    grp = svc.new_meeting(org_ledger, ids["branch1"], MeetingKind.GROUP, DAY)
    with pytest.raises(ValidationErrors) as e:
        svc.save_meeting(org_ledger, grp)
    assert "党小组" in e.value.by_field()


def test_edits_tombstone_removed_rows_and_keep_history(org_ledger):
    ids = org_ledger.ids
    inp = complete(svc.new_meeting(org_ledger, ids["branch1"], MeetingKind.COMMITTEE, DAY))
    mid = svc.save_meeting(org_ledger, inp)
    d = svc.get_meeting(org_ledger, mid)
    again = d.to_input()
    again.agenda = again.agenda[:1]
    again.attendance = again.attendance[:1]
    svc.save_meeting(org_ledger, again)
    d2 = svc.get_meeting(org_ledger, mid)
    assert len(d2.agenda) == 1 and len(d2.attendance) == 1
    with org_ledger.read() as s:
        all_items = s.execute(select(AgendaItem).where(AgendaItem.meeting_id == mid)).scalars().all()
        assert len(all_items) == len(d.agenda) and sum(a.deleted_at is not None for a in all_items) == len(d.agenda) - 1
        att = s.execute(select(Attendance).where(Attendance.meeting_id == mid)).scalars().all()
        assert len(att) == 2
    # putting the member back restores the tombstoned row (unique meeting+member index)
    svc.save_meeting(org_ledger, _with_version(d, d2.version))
    assert len(svc.get_meeting(org_ledger, mid).attendance) == 2
    # a stale form is refused
    with pytest.raises(DomainValidationError):
        svc.save_meeting(org_ledger, d.to_input())


def _with_version(d: svc.MeetingDetail, version: int) -> svc.MeetingInput:
    inp = d.to_input()
    inp.version = version
    return inp


def test_finalize_blocks_errors_asks_warnings_and_reopen_is_logged(org_ledger):
    ids = org_ledger.ids
    inp = svc.new_meeting(org_ledger, ids["branch1"], MeetingKind.COMMITTEE, DAY)
    mid = svc.save_meeting(org_ledger, inp)
    res = svc.finalize_meeting(org_ledger, mid, accept_warnings=True)
    assert not res.finalized and res.errors
    d = svc.get_meeting(org_ledger, mid)
    fixed = complete(d.to_input())
    fixed.speeches = []
    fixed.content = "会议研究了近期工作。"  # no named speaker: a warning only
    svc.save_meeting(org_ledger, fixed)
    res = svc.finalize_meeting(org_ledger, mid)
    assert not res.finalized and not res.errors and res.warnings
    res = svc.finalize_meeting(org_ledger, mid, accept_warnings=True)
    assert res.finalized
    d = svc.get_meeting(org_ledger, mid)
    assert d.is_final and d.finalized_at is not None
    with pytest.raises(DomainValidationError, match="定稿"):
        svc.save_meeting(org_ledger, d.to_input())
    with pytest.raises(DomainValidationError, match="定稿"):
        svc.delete_meeting(org_ledger, mid)
    with pytest.raises(DomainValidationError):
        svc.reopen_meeting(org_ledger, mid, "  ")
    svc.reopen_meeting(org_ledger, mid, "补记缺席人员原因")
    d = svc.get_meeting(org_ledger, mid)
    assert d.state == MeetingState.DRAFT and [r.reason for r in d.reopenings] == ["补记缺席人员原因"]
    with org_ledger.read() as s:
        assert s.execute(select(Reopening)).scalar_one().at is not None
    svc.delete_meeting(org_ledger, mid)
    assert svc.list_meetings(org_ledger) == []


def test_attachments_travel_in_the_ledger_with_a_size_limit(org_ledger, tmp_path):
    ids = org_ledger.ids
    mid = svc.save_meeting(org_ledger, svc.new_meeting(org_ledger, ids["branch1"], MeetingKind.COMMITTEE, DAY))
    photo = tmp_path / "签到表.jpg"
    photo.write_bytes(b"\xff\xd8" + b"x" * 1000)
    info = svc.add_attachment(org_ledger, mid, photo, "签到表扫描件")
    assert (info.filename, info.mime, info.size) == ("签到表.jpg", "image/jpeg", 1002)
    assert svc.attachment_data(org_ledger, info.id) == photo.read_bytes()
    out = svc.save_attachment_as(org_ledger, info.id, tmp_path / "out.jpg")
    assert out.read_bytes() == photo.read_bytes()
    big = tmp_path / "big.png"
    with open(big, "wb") as f:
        f.truncate(svc.MAX_ATTACHMENT_BYTES + 1)
    with pytest.raises(DomainValidationError, match="10.0 MB"):
        svc.add_attachment(org_ledger, mid, big)
    if not org_ledger.is_server:  # the open ledger file itself is refused before it is read (SQLite's lock)
        with pytest.raises(DomainValidationError, match="正在使用的台账文件"):
            svc.add_attachment(org_ledger, mid, org_ledger.path)
    assert [a.filename for a in svc.get_meeting(org_ledger, mid).attachments] == ["签到表.jpg"]
    svc.remove_attachment(org_ledger, info.id)
    assert svc.get_meeting(org_ledger, mid).attachments == ()


def test_draft_survives_a_crash(tmp_path):
    from desktop.store.ledger import Ledger

    path = tmp_path / "crash.zhibu"
    led = Ledger.open(path, create=True)
    from desktop.services.organization import BranchInput, save_branch, save_committee

    save_committee(led, "机关党委")
    b = save_branch(led, BranchInput("第三党支部", has_committee=False))
    inp = svc.MeetingInput(branch_id=b, kind=MeetingKind.LECTURE, date=DAY, title="专题党课",
                           start_time=time(14, 30), content="张三讲授党课。" * 20000)
    draft = svc.save_draft(led, inp)
    inp.lecture_title = "以案为鉴"
    assert svc.save_draft(led, inp, draft) == draft
    led.close()  # the program dies without saving or discarding
    led = Ledger.open(path)
    drafts = svc.list_drafts(led)
    assert [d.id for d in drafts] == [draft] and "专题党课" in drafts[0].label
    back = svc.load_draft(led, draft)
    assert back == inp
    svc.discard_draft(led, draft)
    assert svc.list_drafts(led) == []
    led.close()


def test_branch_year_precheck_lists_records_and_missing_meetings(org_ledger):
    ids = org_ledger.ids
    inp = complete(svc.new_meeting(org_ledger, ids["branch2"], MeetingKind.THEME_DAY, date(2026, 3, 10)))
    inp.place = ""
    mid = svc.save_meeting(org_ledger, inp)
    found = svc.precheck_branch_year(org_ledger, ids["branch2"], 2026, today=date(2026, 12, 31))
    mine = [f for f in found if f.record_kind == "meeting"]
    assert {f.finding.code for f in mine} >= {"missing_place", "not_finalized"}
    assert all(f.record_id == mid for f in mine)
    missing = [f for f in found if f.finding.code == "required_meeting_missing"]
    assert missing and all(f.record_kind == "branch" and f.record_id == ids["branch2"] for f in missing)
    assert any("主题党日" in f.message and "2月" in f.subject + f.message for f in missing)
    assert not any("3月" in f.subject and "主题党日" in f.subject for f in missing)


def test_branch_year_precheck_faults_numbering_gaps(org_ledger):
    ids = org_ledger.ids
    for month, number in ((3, 1), (6, 3)):  # 第2次 is missing
        inp = complete(svc.new_meeting(org_ledger, ids["branch1"], MeetingKind.COMMITTEE, date(2026, month, 5)))
        inp.number = number
        svc.save_meeting(org_ledger, inp)
    found = [f for f in svc.precheck_branch_year(org_ledger, ids["branch1"], 2026, today=date(2026, 12, 31))
             if f.finding.code == "number_out_of_sequence"]
    assert len(found) == 1 and "应为2026年第2次支部委员会，记录为第3次" in found[0].message
    assert found[0].date == date(2026, 6, 5)
