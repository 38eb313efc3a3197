"""``zhibu demo``: the sample ledger holds exactly what the description promises."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from desktop.domain.compliance import committee_required
from desktop.domain.enums import (
    AttendanceStatus,
    MeasureStatus,
    MeetingKind,
    MeetingState,
    MemberCategory,
    MemberStatus,
)
from desktop.domain.meetings import Attendee, summarize_attendance
from desktop.domain.members import check_id_number, check_phone, id_birth_date, id_gender, party_age
from desktop.domain.precheck import MeetingFacts, MotionFacts, precheck_meeting
from desktop.domain.rectification import MeasureFlag, counts_sentence, measure_flags
from desktop.domain.text import find_vague_phrases
from desktop.services.demo import DEMO_TODAY, build_demo
from desktop.store.errors import FileExists
from desktop.store.ledger import Ledger
from desktop.store.models import (
    BirthdayEvent,
    Branch,
    Campaign,
    Measure,
    Meeting,
    Member,
    Membership,
    Problem,
    RectCategory,
)
from desktop.store.queries import committee_roster_on, live, roster_on

K = MeetingKind
ROOT = Path(__file__).resolve().parents[2]


def zhibu(*args: str) -> subprocess.CompletedProcess:
    """Run the real command line (``python -m desktop``), as a secretary would."""
    return subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.zhibu"
    result = build_demo(path)
    led = Ledger.open(path)
    yield led, result
    led.close()


@pytest.fixture(scope="module")
def facts(demo):
    """(meeting, branch name, MeetingFacts) for every meeting."""
    led, _ = demo
    out = []
    with led.read() as s:
        names = {m.id: m.name for m in s.scalars(live(Member))}
        branches = {b.id: b.name for b in s.scalars(live(Branch))}
        for m in s.scalars(live(Meeting).order_by(Meeting.date)):
            f = MeetingFacts(
                kind=K(m.kind), number=m.number, date=m.date, start_time=m.start_time, end_time=m.end_time,
                place=m.place, host=m.host, recorder=m.recorder,
                attendees=[Attendee(a.member_id, names[a.member_id], MemberCategory(a.category),
                                    AttendanceStatus(a.status), a.reason) for a in m.attendance],
                agenda=[a.text for a in m.agenda], speeches=[(x.speaker, x.text) for x in m.speeches],
                content=m.content,
                motions=[MotionFacts(x.title, x.yes, x.no, x.abstain, x.is_election) for x in m.motions],
                resolution=m.resolution, lecturer=m.lecturer, lecture_title=m.lecture_title, theme=m.theme,
            )
            snap = SimpleNamespace(**{c: getattr(m, c) for c in SNAPSHOT},
                                   sections=[x.section for x in m.speeches])
            out.append((snap, branches[m.branch_id], f))
    return out


SNAPSHOT = ("id", "branch_id", "group_id", "kind", "number", "date", "start_time", "end_time", "place", "host",
            "recorder", "lecturer", "lecturer_title", "lecture_title", "summary", "theme", "required_actions", "state")


def _branch_ids(led) -> dict[str, str]:
    with led.read() as s:
        return {b.name: b.id for b in s.scalars(live(Branch))}


def test_organization_counts(demo):
    led, result = demo
    assert result.members == 42 and result.transferred_out == 1
    with led.read() as s:
        branches = s.scalars(live(Branch).order_by(Branch.sort_order)).all()
        assert [b.name for b in branches] == ["第一党支部", "第二党支部", "第三党支部"]
        members = s.scalars(live(Member)).all()
        current = [m for m in members if m.status != MemberStatus.TRANSFERRED_OUT]
        assert len(current) == 42
        assert sum(len(roster_on(s, b.id, DEMO_TODAY)) for b in branches) == 42
        assert {m.gender for m in current} == {"男", "女"}
        assert len({m.name[0] for m in current}) >= 30  # varied surnames
        assert len([m for m in current if m.ethnicity != "汉族"]) >= 3
        assert [m.name for m in members if m.status == MemberStatus.RETIRED] == ["童立新"]


def test_member_identity_data_is_valid(demo):
    led, _ = demo
    with led.read() as s:
        members = s.scalars(live(Member)).all()
        assert len({m.id_number for m in members}) == len(members)
        for m in members:
            assert check_id_number(m.id_number, today=DEMO_TODAY) == m.id_number
            assert id_birth_date(m.id_number) == m.birth_date
            assert id_gender(m.id_number) == m.gender
            assert check_phone(m.phone) == m.phone
            assert m.education and m.job_title
            assert (m.join_date - m.birth_date).days > 18 * 365


def test_exactly_one_member_with_fifty_years(demo):
    led, _ = demo
    with led.read() as s:
        ages = {m.name: party_age(m.join_date, m.full_date, DEMO_TODAY, MemberCategory(m.category))
                for m in s.scalars(live(Member))}
    assert [n for n, a in ages.items() if a is not None and a >= 50] == ["童立新"]


def test_political_birthdays_in_every_month(demo):
    led, _ = demo
    with led.read() as s:
        months = Counter(m.join_date.month for m in s.scalars(live(Member)) if m.status != MemberStatus.TRANSFERRED_OUT)
    assert set(months) == set(range(1, 13))


def test_july_collective_birthday(demo):
    led, _ = demo
    with led.read() as s:
        events = s.scalars(live(BirthdayEvent)).all()
        assert len(events) == 1
        event = events[0]
        assert event.date.month in (6, 7) and "7月" in event.title
        assert "重温入党誓词" in event.activities.splitlines()
        names = {s.get(Member, c.member_id).name: c.message for c in event.celebrants}
        assert "童立新" in names and len(names) >= 3
        assert all(msg.strip() for msg in names.values())
        assert all(s.get(Member, c.member_id).join_date.month == 7 for c in event.celebrants)


def test_membership_changes_during_2026(demo):
    led, _ = demo
    b = _branch_ids(led)
    with led.read() as s:
        def names(branch, day):
            return {d.name: d.category for d in roster_on(s, b[branch], day)}

        assert "何俊杰" in names("第一党支部", date(2026, 4, 30))
        assert "何俊杰" not in names("第一党支部", date(2026, 5, 1))
        assert "程琳" not in names("第二党支部", date(2026, 6, 14))
        assert "程琳" in names("第二党支部", date(2026, 6, 15))
        assert names("第一党支部", date(2026, 5, 19))["赵思远"] == MemberCategory.PROBATIONARY
        assert names("第一党支部", date(2026, 5, 20))["赵思远"] == MemberCategory.FULL
        out = s.scalars(select(Membership).join(Member).where(Member.name == "何俊杰")).one()
        assert out.end_reason == "转出"


def test_small_branch_owes_no_committee_meeting(demo):
    from desktop.services.compliance import branch_profile

    led, _ = demo
    b = _branch_ids(led)
    profiles = {name: branch_profile(led, bid, DEMO_TODAY) for name, bid in b.items()}
    assert profiles["第三党支部"].full_member_count < 7
    assert not committee_required(profiles["第三党支部"])
    assert committee_required(profiles["第一党支部"]) and committee_required(profiles["第二党支部"])
    assert profiles["第一党支部"].group_count == 2
    assert profiles["第二党支部"].lecture_frequency == "每半年"


def test_rectification_counts_sentence_and_mixed_states(demo):
    from desktop.services.rectification import campaign_counts

    led, _ = demo
    with led.read() as s:
        campaign_id = s.scalars(live(Campaign)).one().id
        cats = s.scalars(live(RectCategory).order_by(RectCategory.seq)).all()
        problems = s.scalars(live(Problem)).all()
        measures = s.scalars(live(Measure)).all()
        assert [c.name for c in cats] == ["理论学习", "政治素质", "能力本领", "担当作为", "工作作风", "廉洁自律"]
        assert {p.source for p in problems} == {"自查", "群众反映", "上级点评", "巡视巡察"}
        flags = Counter(measure_flags(m.deadline, MeasureStatus(m.status), DEMO_TODAY) for m in measures)
        statuses = Counter(m.status for m in measures)
        assert all(m.closed_on for m in measures if m.status == MeasureStatus.CLOSED)
        assert sum(1 for m in measures if m.progress) >= 15
    assert counts_sentence(*campaign_counts(led, campaign_id)) == "六类13个方面问题、20项整改措施、3个重点整改项目"
    assert flags[MeasureFlag.OVERDUE] >= 2 and flags[MeasureFlag.DUE_SOON] >= 1
    assert statuses[MeasureStatus.CLOSED] >= 3 and len(statuses) == len(MeasureStatus)


def test_meetings_of_every_kind_until_today(demo, facts):
    kinds_2026 = {m.kind for m, _b, _f in facts if m.date.year == 2026}
    assert kinds_2026 == {k.value for k in K if k != K.OTHER}
    assert any(m.date.year == 2025 for m, _b, _f in facts)
    assert max(m.date for m, _b, _f in facts) <= DEMO_TODAY
    drafts = [m for m, _b, _f in facts if m.state == MeetingState.DRAFT]
    assert 2 <= len(drafts) <= 8 and all((d.date.year, d.date.month) == (2026, 11) for d in drafts)
    numbers = Counter((m.branch_id, m.group_id, m.kind, m.date.year, m.number) for m, _b, _f in facts)
    assert max(numbers.values()) == 1


def test_records_read_like_real_minutes(facts):
    for m, _b, f in facts:
        assert f.agenda and m.host and m.recorder and m.place and m.start_time < m.end_time
        if m.kind == K.LECTURE:
            assert m.lecturer and m.lecturer_title and m.lecture_title and m.summary
        if m.kind == K.THEME_DAY:
            actions = m.required_actions.splitlines()
            assert m.theme and "交纳党费" in actions and "重温入党誓词" in actions
        if m.kind == K.ORG_LIFE:
            assert "批评与自我批评" in m.sections and len([x for x in m.sections if x]) >= 5
    vague = [(m.date, b) for m, b, f in facts
             if find_vague_phrases(" ".join([f.content, f.resolution, m.summary, *(t for _s, t in f.speeches)]))]
    assert vague == [(date(2026, 6, 22), "第三党支部")]


def test_attendance_is_the_roster_of_the_meeting_date(demo, facts):
    led, _ = demo
    with led.read() as s:
        for m, _b, f in facts:
            if m.kind == K.COMMITTEE:
                due = committee_roster_on(s, m.branch_id, m.date)
            else:
                due = roster_on(s, m.branch_id, m.date, group_id=m.group_id)
            assert {(d.member_id, d.category) for d in due} == {(a.member_id, a.category) for a in f.attendees}


def test_only_the_deliberate_faults_are_found(facts):
    found = {}
    for m, b, f in facts:
        codes = sorted({x.code for x in precheck_meeting(f)})
        if codes:
            found[(b, m.date, m.kind)] = codes
        for motion in f.motions:  # tallies consistent with attendance
            assert motion.yes + motion.no + motion.abstain == summarize_attendance(f.attendees).voting_present
    assert found == {
        ("第二党支部", date(2026, 5, 11), K.THEME_DAY): ["absent_without_reason"],
        ("第三党支部", date(2026, 6, 22), K.THEME_DAY): ["no_named_speaker", "vague_phrase"],
        ("第一党支部", date(2026, 7, 16), K.GENERAL_ASSEMBLY): ["quorum_not_met"],
    }


def test_compliance_finds_the_missing_committee_meeting(demo):
    from desktop.services.compliance import compliance_overview

    led, _ = demo
    overview = compliance_overview(led, 2026, range(1, 13), today=DEMO_TODAY)
    missing = [(o.branch_name, i.requirement.kind, i.requirement.period_label) for o in overview
               for i in o.report.missing()]
    assert missing == [("第二党支部", K.COMMITTEE, "2026年8月")]
    by_name = {o.branch_name: o.report for o in overview}
    assert K.COMMITTEE not in {i.requirement.kind for i in by_name["第三党支部"].items}
    assert [(i.requirement.kind, i.requirement.period_label) for i in by_name["第三党支部"].pending()][0] == (
        K.GENERAL_ASSEMBLY, "2026年第4季度")
    assert len(by_name["第二党支部"].drafts()) == 2
    last_year = compliance_overview(led, 2025, range(1, 13), today=DEMO_TODAY)
    assert [o.branch_name for o in last_year if o.report.missing() or o.report.pending()] == []


def test_applicants_attend_their_admission_as_observers(demo):
    led, _ = demo
    with led.read() as s:
        for name in ("赵思远", "任晓薇"):
            member = s.scalars(select(Member).where(Member.name == name)).one()
            meeting = s.scalars(live(Meeting).where(Meeting.date == member.join_date,
                                                    Meeting.kind == K.GENERAL_ASSEMBLY)).one()
            assert [(g.name, g.role) for g in meeting.guests] == [(name, "列席")]
            assert member.id not in {a.member_id for a in meeting.attendance}
            assert any(f"接收{name}同志为中共预备党员" in m.title for m in meeting.motions)


def test_deterministic(tmp_path, demo, facts):
    build_demo(tmp_path / "again.zhibu")
    with Ledger.open(tmp_path / "again.zhibu") as again, again.read() as s:
        members = sorted((m.name, m.id_number, m.phone) for m in s.scalars(live(Member)))
        meetings = [(m.date, m.kind, m.title, m.content, m.resolution) for m in
                    s.scalars(live(Meeting).order_by(Meeting.date, Meeting.kind, Meeting.title))]
    led, _ = demo
    with led.read() as s:
        assert members == sorted((m.name, m.id_number, m.phone) for m in s.scalars(live(Member)))
        assert meetings == [(m.date, m.kind, m.title, m.content, m.resolution) for m in
                            s.scalars(live(Meeting).order_by(Meeting.date, Meeting.kind, Meeting.title))]


def test_build_refuses_an_existing_file(tmp_path):
    target = tmp_path / "mine.zhibu"
    target.write_bytes(b"secretary's own data")
    with pytest.raises(FileExists):
        build_demo(target)
    assert target.read_bytes() == b"secretary's own data"


def test_cli_demo_refuses_to_overwrite_and_summary_reads_it(tmp_path):
    target = tmp_path / "demo.zhibu"
    proc = zhibu("demo", str(target))
    assert proc.returncode == 0, proc.stderr
    assert "党员42名" in proc.stdout
    before = target.read_bytes()
    proc = zhibu("demo", str(target))
    assert proc.returncode == 2 and "文件已存在" in proc.stderr
    assert target.read_bytes() == before
    assert zhibu("demo", str(tmp_path / "no-such-dir" / "x.zhibu")).returncode == 2

    proc = zhibu("summary", str(target), "--date", "2026-07-01")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "党支部3个，党员42名（正式党员41名、预备党员1名）" in out
    assert "第三党支部：书记 郭伟，党员6名（正式5、预备1），不设支委会" in out
    assert "六类13个方面问题、20项整改措施、3个重点整改项目" in out
    assert "童立新（第二党支部）7月1日，入党51周年，光荣在党50年" in out
    assert "主题党日33" in out
    assert zhibu("summary", str(tmp_path / "missing.zhibu")).returncode == 2
    assert zhibu("summary", str(target), "--date", "明天").returncode == 2
    assert target.read_bytes() == before

    # `zhibu demo x && zhibu check x` exits 0: the deliberate gaps are inspection findings
    # (notes here, problems for `zhibu precheck`), not damage to the file
    proc = zhibu("check", str(target))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "党员：43" in proc.stdout and "会议：213" in proc.stdout and "整改措施：20" in proc.stdout
    assert "石磊 记为缺席，但没有写明原因" in proc.stdout
    assert target.read_bytes() == before


def test_every_sample_record_has_its_history(demo):
    """The sample data is written like normal edits: every record of every kind (the bulk-inserted
    attendance too) has its creation in the change history, so 记录 › 修改历史 and a merge of two
    copies of the sample see it; an edit afterwards is recorded on top."""
    from desktop.services.ledger_format import TABLES
    from desktop.services.record_history import record_history
    from desktop.store.models import Attendance

    led, _ = demo
    raw = led.engine.raw_connection()  # the ledger holds its file exclusively: read through it
    try:
        db = raw.driver_connection
        created = {r[0] for r in db.execute("SELECT record_id FROM change WHERE field = '+'")}
        missing = {}
        for table in TABLES:
            ids = {r[0] for r in db.execute(f'SELECT id FROM "{table}"')}
            if ids - created:
                missing[table] = len(ids - created)
        meeting_id, attendance_id = db.execute("SELECT meeting_id, id FROM attendance ORDER BY id LIMIT 1").fetchone()
    finally:
        raw.close()
    assert missing == {}, missing
    rows = record_history(led, meeting_id)
    assert sum(1 for r in rows if r.event == "创建" and r.what == "出席记录") >= 1, rows
    with led.write() as s:
        s.get(Attendance, attendance_id).reason = "补记：因公出差"
    rows = record_history(led, meeting_id)
    assert [r for r in rows if r.what == "出席记录：原因" and r.new == "补记：因公出差"], rows
