"""Writing meetings: proposals for a new record, save, delete, finalize, reopen, agenda templates."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.dates import format_cn_date, parse_date, parse_time
from desktop.domain.enums import (
    AttendanceScope,
    AttendanceStatus,
    CommitteePost,
    GuestRole,
    MeetingState,
    MemberCategory,
)
from desktop.domain.errors import DomainValidationError, ErrorCollector
from desktop.domain.meeting_kinds import find_spec, kind_spec
from desktop.domain.meetings import validate_meeting_times
from desktop.domain.text import clean_line, clean_text
from desktop.store.base import utcnow
from desktop.store.models import (
    AgendaItem,
    Attendance,
    Branch,
    Guest,
    Meeting,
    Member,
    Motion,
    PartyGroup,
    Reopening,
    Speech,
)
from desktop.store.queries import committee_roster_on, posts_on, roster_on

from ..conflicts import check_version
from .data import AttendanceData, MeetingInput
from .listing import _meeting, _next_number
from .templates import _template


# ------------------------------------------------------------------------------ proposals
def _roster(s: Session, branch_id: str, kind: str, day: date, group_id: str | None) -> list[AttendanceData]:
    scope = kind_spec(kind).attendance
    if scope == AttendanceScope.COMMITTEE:
        due = committee_roster_on(s, branch_id, day)
    elif scope == AttendanceScope.GROUP and group_id:
        due = roster_on(s, branch_id, day, group_id)
    else:
        due = roster_on(s, branch_id, day)
    return [AttendanceData(d.member_id, d.name, str(d.category)) for d in due]


def roster_for(ledger, branch_id: str, kind: str, day: date, group_id: str | None = None) -> list[AttendanceData]:
    """Who is due at a meeting of ``kind`` on ``day`` (everyone present by default)."""
    with ledger.read() as s:
        return _roster(s, branch_id, kind, day, group_id)


def proposed_officers(s: Session, branch_id: str, kind: str, day: date, group_id: str | None) -> tuple[str, str]:
    """(主持人, 记录人) from the posts held on ``day``: 书记 hosts, 组织委员 records;
    a 党小组会 is hosted by its 党小组组长."""
    posts = posts_on(s, branch_id, day)
    by_post: dict[str, str] = {}
    for p, m in posts:
        if p.post == CommitteePost.GROUP_LEADER and p.group_id != group_id:
            continue
        by_post.setdefault(p.post, m.name)
    if kind_spec(kind).per_group:
        host = by_post.get(CommitteePost.GROUP_LEADER, "")
        return host, ""
    host = by_post.get(CommitteePost.SECRETARY) or by_post.get(CommitteePost.DEPUTY_SECRETARY, "")
    recorder = by_post.get(CommitteePost.ORGANIZATION, "")
    if not recorder:
        recorder = next((n for post, n in by_post.items() if n != host and post != CommitteePost.GROUP_LEADER), "")
    return host, recorder


def new_meeting(ledger, branch_id: str, kind: str, day: date, group_id: str | None = None) -> MeetingInput:
    """A new record filled in the way a secretary starts one: number, title, host and recorder,
    the agenda template, and the roster of the day with everyone present."""
    spec = kind_spec(kind)
    kind = spec.name
    with ledger.read() as s:
        branch = s.get(Branch, branch_id)
        if branch is None or branch.deleted_at is not None:
            raise DomainValidationError("支部", "请选择支部")
        group_id = group_id if spec.per_group else None
        number = _next_number(s, branch_id, kind, day.year, group_id)
        host, recorder = proposed_officers(s, branch_id, kind, day, group_id)
        group_name = ""
        if group_id:
            g = s.get(PartyGroup, group_id)
            group_name = g.name if g else ""
        return MeetingInput(
            branch_id=branch_id, kind=kind, date=day, group_id=group_id,
            number=number, title=f"{day.year}年{group_name}第{number}次{kind}", host=host, recorder=recorder,
            agenda=_template(s, kind), attendance=_roster(s, branch_id, kind, day, group_id),
            required_actions="\n".join(spec.default_required_actions),
        )


# ----------------------------------------------------------------------------------- save
def _opt_time(value: time | str | None, field: str) -> time | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_time(value, field)


def _sync_rows(existing: list, values: Sequence[Any], make: Callable[[], Any], apply: Callable[[Any, Any, int], None]) -> list:
    """Update rows in place by position, add new ones, tombstone the rest (never DELETE)."""
    alive = [r for r in existing if r.deleted_at is None]
    added = []
    for i, v in enumerate(values):
        if i < len(alive):
            row = alive[i]
        else:
            row = make()
            added.append(row)
        apply(row, v, i)
    for row in alive[len(values):]:
        row.tombstone()
    return added


def _validate(s: Session, inp: MeetingInput) -> tuple[Branch, date, time | None, time | None]:
    errs = ErrorCollector()
    branch = s.get(Branch, inp.branch_id) if inp.branch_id else None
    if branch is None or branch.deleted_at is not None:
        errs.add("支部", "请选择支部")
    spec = find_spec(inp.kind)
    if spec is None:
        errs.add("会议类型", f"“{inp.kind}”不是可选的会议类型")
    day = start = end = None
    with errs.check():
        day = parse_date(inp.date, "会议日期")
    with errs.check():
        start = _opt_time(inp.start_time, "开始时间")
    with errs.check():
        end = _opt_time(inp.end_time, "结束时间")
    with errs.check():
        validate_meeting_times(start, end)
    if not isinstance(inp.number, int) or inp.number < 1:
        errs.add("会议次数", f"第几次应为正整数（填写的是 {inp.number}）")
    per_group = spec is not None and spec.per_group
    if per_group and branch is not None and branch.has_groups:
        group = s.get(PartyGroup, inp.group_id) if inp.group_id else None
        if group is None or group.deleted_at is not None or group.branch_id != branch.id:
            errs.add("党小组", "党小组会须选择本支部的党小组")
    for i, mo in enumerate(inp.motions, 1):
        for label, v in (("赞成", mo.yes), ("反对", mo.no), ("弃权", mo.abstain)):
            if not isinstance(v, int) or v < 0:
                errs.add("表决情况", f"第{i}项表决的{label}票数应为不小于0的整数（填写的是 {v}）")
        if not clean_line(mo.title):
            errs.add("表决情况", f"第{i}项表决未填写表决事项")
    seen: set[str] = set()
    for a in inp.attendance:
        if a.member_id in seen:
            errs.add("参会人员", f"{a.name} 重复出现在参会名单中")
        seen.add(a.member_id)
        try:
            AttendanceStatus(a.status)
            MemberCategory(a.category)
        except ValueError:
            errs.add("参会人员", f"{a.name} 的出席情况“{a.status}”无效")
    if day is not None and branch is not None:
        _check_attendees(s, branch.id, day, inp.attendance, errs)
    for g in inp.guests:
        if not clean_line(g.name):
            errs.add("列席人员", "列席人员须填写姓名")
        if g.role not in tuple(GuestRole):
            errs.add("列席人员", f"{g.name} 的身份“{g.role}”无效")
    if day is not None and branch is not None and isinstance(inp.number, int) and inp.number >= 1:
        stmt = select(Meeting.date).where(
            Meeting.deleted_at.is_(None), Meeting.branch_id == branch.id, Meeting.kind == inp.kind,
            Meeting.number == inp.number, Meeting.date >= date(day.year, 1, 1),
            Meeting.date <= date(day.year, 12, 31), Meeting.id != (inp.id or ""),
        )
        if per_group and inp.group_id:
            stmt = stmt.where(Meeting.group_id == inp.group_id)
        clash = s.execute(stmt).first()
        if clash is not None:
            errs.add("会议次数", f"{day.year}年已有第{inp.number}次{inp.kind}（{clash[0].month}月{clash[0].day}日），请核对编号")
    errs.raise_if_any()
    return branch, day, start, end  # type: ignore[return-value]


def _check_attendees(s: Session, branch_id: str, day: date, rows: Sequence[AttendanceData],
                     errs: ErrorCollector) -> None:
    """Every attendance row must be a member of the branch on the meeting date (membership
    periods); anyone else (a member of another branch, a guest) goes to 列席人员."""
    if not rows:
        return
    due = {d.member_id for d in roster_on(s, branch_id, day)}
    for a in rows:
        if a.member_id in due:
            continue
        member = s.get(Member, a.member_id) if a.member_id else None
        name = member.name if member is not None else (clean_line(a.name) or "（未知人员）")
        errs.add("参会人员", f"{name} 在 {format_cn_date(day)} 不是本支部党员，不能列入参会名单"
                             "（其他人员请列入“列席人员”）")


def save_meeting(ledger, inp: MeetingInput) -> str:
    """Create or update a draft record in one transaction; returns its id.
    Raises ValidationErrors naming each bad field; a 定稿 record must be reopened first."""
    with ledger.write() as s:
        branch, day, start, end = _validate(s, inp)
        if inp.id:
            check_version(s, Meeting, inp.id, inp.version, "会议记录")  # row locked: one of two saves wins
            m = _meeting(s, inp.id)
            if m.state == MeetingState.FINAL:
                raise DomainValidationError("会议记录", "该记录已定稿，需先“重新打开”并说明原因才能修改")
        else:
            m = Meeting(branch_id=branch.id, kind=inp.kind, date=day)
            s.add(m)
        m.branch_id, m.kind, m.date, m.start_time, m.end_time = branch.id, str(inp.kind), day, start, end
        m.group_id = inp.group_id if kind_spec(inp.kind).per_group else None
        m.number = inp.number
        for f in ("title", "place", "host", "recorder", "lecturer", "lecturer_title", "lecture_title", "theme"):
            setattr(m, f, clean_line(getattr(inp, f)))
        for f in ("summary", "required_actions", "followup", "content", "resolution"):
            setattr(m, f, clean_text(getattr(inp, f)))
        m.is_election = any(x.is_election for x in inp.motions)

        def agenda(row, v, i):
            row.seq, row.text = i, clean_text(v)

        def speech(row, v, i):
            row.seq, row.section, row.speaker, row.text = i, clean_line(v.section), clean_line(v.speaker), clean_text(v.text)

        def motion(row, v, i):
            row.seq, row.title, row.is_election = i, clean_text(v.title), bool(v.is_election)
            row.yes, row.no, row.abstain = v.yes, v.no, v.abstain

        def guest(row, v, i):
            row.seq, row.name, row.title, row.role = i, clean_line(v.name), clean_line(v.title), v.role

        items = [x for x in inp.agenda if clean_text(x)]
        speeches = [x for x in inp.speeches if clean_line(x.speaker) or clean_text(x.text)]
        m.agenda.extend(_sync_rows(m.agenda, items, AgendaItem, agenda))
        m.speeches.extend(_sync_rows(m.speeches, speeches, Speech, speech))
        m.motions.extend(_sync_rows(m.motions, inp.motions, Motion, motion))
        m.guests.extend(_sync_rows(m.guests, inp.guests, lambda: Guest(name=""), guest))
        _sync_attendance(m, inp.attendance)
        m.modified_at = utcnow()  # always an UPDATE, so the version moves even for child-only edits
        s.flush()
        return m.id


def _sync_attendance(m: Meeting, rows: Sequence[AttendanceData]) -> None:
    by_member = {a.member_id: a for a in m.attendance}
    wanted = {a.member_id for a in rows}
    for a in rows:
        row = by_member.get(a.member_id)
        if row is None:
            row = Attendance(member_id=a.member_id)
            m.attendance.append(row)
        elif row.deleted_at is not None:
            row.restore()
        row.status, row.category = str(a.status), str(a.category)
        row.reason = clean_line(a.reason) if a.status != AttendanceStatus.PRESENT else ""
    for member_id, row in by_member.items():
        if member_id not in wanted and row.deleted_at is None:
            row.tombstone()


# ------------------------------------------------------------------ delete / final / reopen
def delete_meeting(ledger, meeting_id: str, version: int | None = None) -> None:
    """Tombstone a draft record (a 定稿 record must be reopened first). ``version``: the one the
    editor shows; a record someone else saved since is not deleted (RecordConflict)."""
    with ledger.write() as s:
        check_version(s, Meeting, meeting_id, version, "会议记录")
        m = _meeting(s, meeting_id)
        if m.state == MeetingState.FINAL:
            raise DomainValidationError("会议记录", "已定稿的记录不能删除，请先重新打开")
        m.tombstone()


def mark_final(s: Session, m: Meeting) -> None:
    m.state = MeetingState.FINAL
    m.finalized_at = utcnow()


def reopen_meeting(ledger, meeting_id: str, reason: str) -> None:
    """Make a 定稿 record editable again; the time and reason are kept (Reopening)."""
    why = clean_text(reason)
    if not why.strip():
        raise DomainValidationError("重新打开原因", "请说明为什么要修改已定稿的记录")
    with ledger.write() as s:
        m = _meeting(s, meeting_id)
        if m.state != MeetingState.FINAL:
            raise DomainValidationError("会议记录", "该记录尚未定稿，无需重新打开")
        m.state = MeetingState.DRAFT
        m.finalized_at = None
        m.reopenings.append(Reopening(at=utcnow(), reason=why))
