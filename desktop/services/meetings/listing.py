"""Reading meetings: the filtered/searched list, one full record, the next number."""

from __future__ import annotations

import weakref
from datetime import date, time
from typing import Any

from sqlalchemy import case, func, select, text
from sqlalchemy.orm import Session, selectinload

from desktop.domain.enums import AttendanceStatus
from desktop.domain.errors import DomainValidationError
from desktop.domain.ledger_start import next_meeting_number, parse_start_numbers
from desktop.store.models import Attendance, Branch, Meeting, Member, PartyGroup
from desktop.store.queries import live

from .. import search as fts
from .data import (
    AttachmentInfo,
    AttendanceData,
    GuestData,
    MeetingDetail,
    MeetingRow,
    MotionData,
    ReopeningInfo,
    SpeechData,
)


def _period(year: int | None, date_from: date | None, date_to: date | None) -> tuple[date | None, date | None]:
    if year is not None:
        lo, hi = date(year, 1, 1), date(year, 12, 31)
        date_from = max(date_from, lo) if date_from else lo
        date_to = min(date_to, hi) if date_to else hi
    return date_from, date_to


# Ledgers whose index was verified or built in this process; from then on the session hooks
# keep it current (writes by raw SQL on another connection are caught at the next open).
_VERIFIED: weakref.WeakSet = weakref.WeakSet()


def search_index_current(ledger) -> bool:
    """True when the derived search tables exist and cover every meeting (checked once per open)."""
    if ledger in _VERIFIED:
        return True
    with ledger.read() as s:
        if not fts.tables_exist(s) or not _counts_match(s):
            return False
    _VERIFIED.add(ledger)
    return True


def ensure_search_index(ledger, progress=None) -> None:
    """Build the derived search tables if this file lacks them or they are out of step
    (``progress(done, total, text)`` is called while a large file is indexed)."""
    if search_index_current(ledger):
        return
    with ledger.write() as s:
        if not fts.tables_exist(s) or not _counts_match(s):
            fts.rebuild_index(s, progress)
    _VERIFIED.add(ledger)


def count_meetings(ledger) -> int:
    """All meeting rows (tombstoned too): what an index build has to read."""
    with ledger.read() as s:
        return s.execute(select(func.count()).select_from(Meeting)).scalar_one()


def _counts_match(s: Session) -> bool:
    n_m = s.execute(select(func.count()).select_from(Meeting)).scalar_one()
    return n_m == s.execute(text("SELECT count(*) FROM meeting_search")).scalar_one()


def list_meetings(
    ledger,
    *,
    branch_id: str | None = None,
    kind: str | None = None,
    year: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    state: str | None = None,
    search: str | None = None,
    limit: int | None = None,
) -> list[MeetingRow]:
    """Live meetings, newest first. ``search``: every whitespace-separated word must occur in the
    title, agenda, content, speeches, motions or resolution (case-insensitive substring)."""
    date_from, date_to = _period(year, date_from, date_to)
    filters = fts.SearchFilters(branch_id, kind, state, date_from, date_to)
    if fts.split_query(search):
        ensure_search_index(ledger)
        with ledger.read() as s:
            found = fts.search_rows(s, search or "", filters, limit, with_snippet=True)
            names = dict(s.execute(select(Branch.id, Branch.name)).all())
            return [_indexed_row(r[:-1], names, r[-1]) for r in found]
    if search_index_current(ledger):  # the index holds every list column: no read of the large rows
        with ledger.read() as s:
            found = fts.list_rows(s, filters, limit)
            names = dict(s.execute(select(Branch.id, Branch.name)).all())
            return [_indexed_row(r, names) for r in found]
    return list_from_tables(ledger, filters, limit)


def meeting_rows(ledger, ids) -> dict[str, MeetingRow | None]:
    """The list rows of ``ids`` (None for a deleted or unknown meeting): what a list needs to
    update the rows one save changed instead of reading the whole list again."""
    wanted = list(dict.fromkeys(ids))
    with ledger.read() as s:
        live = set(s.execute(select(Meeting.id).where(Meeting.id.in_(wanted), Meeting.deleted_at.is_(None))).scalars())
        rows = {r.id: r for r in _rows(s, [i for i in wanted if i in live])}
    return {i: rows.get(i) for i in wanted}


def list_from_tables(ledger, f, limit: int | None = None) -> list[MeetingRow]:
    """The list read from the meeting tables themselves (used while a file has no index yet;
    tests compare it with the index)."""
    branch_id, kind, state, date_from, date_to = f.branch_id, f.kind, f.state, f.date_from, f.date_to
    with ledger.read() as s:
        stmt = select(Meeting.id).where(Meeting.deleted_at.is_(None))
        if branch_id:
            stmt = stmt.where(Meeting.branch_id == branch_id)
        if kind:
            stmt = stmt.where(Meeting.kind == kind)
        if state:
            stmt = stmt.where(Meeting.state == state)
        if date_from:
            stmt = stmt.where(Meeting.date >= date_from)
        if date_to:
            stmt = stmt.where(Meeting.date <= date_to)
        stmt = stmt.order_by(Meeting.date.desc(), Meeting.start_time.desc(), Meeting.number.desc())
        if limit is not None:
            stmt = stmt.limit(limit)
        return _rows(s, list(s.execute(stmt).scalars()))


def _time(value) -> time | None:
    return time.fromisoformat(value) if value else None


def _indexed_row(r: tuple, names: dict[str, str], match: fts.Snippet | None = None) -> MeetingRow:
    mid, branch_id, kind, number, title, day, start, end, place, host, recorder, state, due, present, absent = r
    return MeetingRow(mid, branch_id, names.get(branch_id, ""), kind, number, title, date.fromisoformat(day),
                      _time(start), _time(end), place, host, recorder, state, due or 0, present or 0, absent or 0,
                      match)


def _rows(s: Session, ids: list[str]) -> list[MeetingRow]:
    """Rows for ``ids`` in that order, with attendance counts."""
    out: dict[str, MeetingRow] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        counts = {
            r.meeting_id: r
            for r in s.execute(
                select(
                    Attendance.meeting_id,
                    func.sum(case((Attendance.status != AttendanceStatus.EXCLUDED, 1), else_=0)).label("due"),
                    func.sum(case((Attendance.status == AttendanceStatus.PRESENT, 1), else_=0)).label("present"),
                    func.sum(case((Attendance.status == AttendanceStatus.ABSENT, 1), else_=0)).label("absent"),
                )
                .where(Attendance.meeting_id.in_(chunk), Attendance.deleted_at.is_(None))
                .group_by(Attendance.meeting_id)
            )
        }
        cols = (
            Meeting.id, Meeting.branch_id, Branch.name, Meeting.kind, Meeting.number, Meeting.title, Meeting.date,
            Meeting.start_time, Meeting.end_time, Meeting.place, Meeting.host, Meeting.recorder, Meeting.state,
        )
        for r in s.execute(select(*cols).join(Branch, Branch.id == Meeting.branch_id).where(Meeting.id.in_(chunk))):
            c = counts.get(r[0])
            out[r[0]] = MeetingRow(*r, int(c.due) if c else 0, int(c.present) if c else 0, int(c.absent) if c else 0)
    return [out[i] for i in ids if i in out]


def _meeting(s: Session, meeting_id: str) -> Meeting:
    m = s.execute(
        live(Meeting)
        .where(Meeting.id == meeting_id)
        .options(*(selectinload(getattr(Meeting, r)) for r in
                   ("agenda", "speeches", "motions", "attendance", "guests", "attachments", "reopenings")))
    ).scalar_one_or_none()
    if m is None:
        raise DomainValidationError("会议记录", "该会议记录不存在或已删除")
    return m


def detail_from(s: Session, m: Meeting) -> MeetingDetail:
    branch = s.get(Branch, m.branch_id)
    group = s.get(PartyGroup, m.group_id) if m.group_id else None
    att = [a for a in m.attendance if a.deleted_at is None]
    names = dict(
        s.execute(
            select(Member.id, Member.name)
            .where(Member.id.in_([a.member_id for a in att]))
            .order_by(Member.join_date, Member.name)
        ).all()
    )
    order = {mid: i for i, mid in enumerate(names)}
    attendance = tuple(
        AttendanceData(a.member_id, names.get(a.member_id, "（已删除党员）"), a.category, a.status, a.reason)
        for a in sorted(att, key=lambda a: (order.get(a.member_id, 1 << 30)))
    )
    alive = lambda rows: [x for x in rows if x.deleted_at is None]  # noqa: E731
    return MeetingDetail(
        id=m.id, version=m.version, branch_id=m.branch_id, branch_name=branch.name if branch else "",
        group_id=m.group_id, group_name=group.name if group else "", kind=m.kind, number=m.number, title=m.title,
        date=m.date, start_time=m.start_time, end_time=m.end_time, place=m.place, host=m.host,
        recorder=m.recorder, lecturer=m.lecturer, lecturer_title=m.lecturer_title, lecture_title=m.lecture_title,
        summary=m.summary, theme=m.theme, required_actions=m.required_actions, followup=m.followup,
        content=m.content, resolution=m.resolution, is_election=m.is_election, state=m.state,
        finalized_at=m.finalized_at, modified_at=m.modified_at,
        agenda=tuple(a.text for a in alive(m.agenda)),
        speeches=tuple(SpeechData(x.speaker, x.text, x.section) for x in alive(m.speeches)),
        motions=tuple(MotionData(x.title, x.yes, x.no, x.abstain, x.is_election) for x in alive(m.motions)),
        attendance=attendance,
        guests=tuple(GuestData(g.name, g.title, g.role) for g in alive(m.guests)),
        attachments=tuple(AttachmentInfo(a.id, a.filename, a.mime, a.size, a.caption) for a in alive(m.attachments)),
        reopenings=tuple(ReopeningInfo(r.at, r.reason) for r in alive(m.reopenings)),
    )


def get_meeting(ledger_or_session: Any, meeting_id: str) -> MeetingDetail:
    """The whole record as plain data (attendance in roster order: join date, then name)."""
    if isinstance(ledger_or_session, Session):
        return detail_from(ledger_or_session, _meeting(ledger_or_session, meeting_id))
    with ledger_or_session.read() as s:
        return detail_from(s, _meeting(s, meeting_id))


def next_number(ledger, branch_id: str, kind: str, year: int, group_id: str | None = None) -> int:
    """第N次: one more than the highest number of this branch's (group's) meetings of ``kind`` in ``year``."""
    with ledger.read() as s:
        return _next_number(s, branch_id, kind, year, group_id)


def _next_number(s: Session, branch_id: str, kind: str, year: int, group_id: str | None = None) -> int:
    stmt = select(func.max(Meeting.number)).where(
        Meeting.deleted_at.is_(None), Meeting.branch_id == branch_id, Meeting.kind == kind,
        Meeting.date >= date(year, 1, 1), Meeting.date <= date(year, 12, 31),
    )
    if group_id:
        stmt = stmt.where(Meeting.group_id == group_id)
    top = s.execute(stmt).scalar()
    branch = s.get(Branch, branch_id)
    if branch is None or group_id:  # a group's own count starts with the group's records
        return (top or 0) + 1
    return next_meeting_number(top, kind, year, branch.ledger_start, parse_start_numbers(branch.start_numbers))
