"""预备期: 转正, 延长预备期 and 取消预备党员资格 as recorded decisions of a 支部党员大会.

Each decision is one transaction that writes a ``ProbationEvent`` (the history: kind, date,
the 党员大会 record that voted it, the new end of an extension, the reason) and brings the
member record in line:
- 转正: ``category`` 正式党员, ``full_date`` = the 转正日期 (党龄 counts from it);
- 延长预备期: stays 预备党员; the 预备期 now ends on ``new_end``;
- 取消预备党员资格: status 取消资格, the open membership period ends that day, so the member
  leaves the roll and counts for meetings before it only.
The rules are ``desktop.domain.probation``; 首页 lists ``probation_due`` (预备期满).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from desktop.domain.dates import format_cn_date, parse_date, parse_optional_date
from desktop.domain.enums import MemberCategory, MembershipChange, MemberStatus, ProbationStep
from desktop.domain.errors import DomainValidationError, ErrorCollector
from desktop.domain.meeting_kinds import membership_kinds
from desktop.domain.probation import ProbationDue, ProbationState, StepInput, check_step, due_soon
from desktop.domain.text import clean_text
from desktop.store.base import utcnow
from desktop.store.models import Branch, Meeting, Member, Membership, ProbationEvent
from desktop.store.queries import live

from ..conflicts import check_version
from ..organization import IN_ROLL, reading
from .records import _live_member


@dataclass(frozen=True)
class ProbationEventRow:
    id: str
    kind: str
    on_date: date
    meeting_id: str | None
    meeting_label: str  # "2026年12月3日 支部党员大会（第4次）" or "" when none is linked
    new_end: date | None
    reason: str

    @property
    def text(self) -> str:
        what = f"{self.kind}（延长至{format_cn_date(self.new_end)}）" if self.new_end else self.kind
        meeting = f"，{self.meeting_label}通过" if self.meeting_label else "，未关联党员大会记录"
        return f"{format_cn_date(self.on_date)} {what}{meeting}" + (f"；{self.reason}" if self.reason else "")


@dataclass(frozen=True)
class ProbationInfo:
    member_id: str
    name: str
    branch_id: str | None
    category: str
    state: ProbationState | None  # None: no 入党日期 recorded
    events: list[ProbationEventRow]

    @property
    def is_probationary(self) -> bool:
        return self.category == MemberCategory.PROBATIONARY


@dataclass(frozen=True)
class AssemblyChoice:
    id: str
    date: date
    label: str


def _meeting_label(day: date, number: int | None, kind: str) -> str:
    return f"{format_cn_date(day)} {kind}" + (f"（第{number}次）" if number else "")


def _state(s, m: Member) -> ProbationState | None:
    if m.join_date is None:
        return None
    extended = s.scalars(live(ProbationEvent).where(
        ProbationEvent.member_id == m.id, ProbationEvent.kind == ProbationStep.EXTENDED.value)
        .order_by(ProbationEvent.on_date.desc())).first()
    return ProbationState(m.join_date, extended.new_end if extended is not None else None)


def _events(s, member_id: str) -> list[ProbationEventRow]:
    rows = s.execute(
        select(ProbationEvent, Meeting.date, Meeting.number, Meeting.kind)
        .outerjoin(Meeting, (Meeting.id == ProbationEvent.meeting_id) & Meeting.deleted_at.is_(None))
        .where(ProbationEvent.member_id == member_id, ProbationEvent.deleted_at.is_(None))
        .order_by(ProbationEvent.on_date, ProbationEvent.modified_at)
    ).all()
    return [ProbationEventRow(e.id, e.kind, e.on_date, e.meeting_id,
                              _meeting_label(day, number, kind) if day is not None else "", e.new_end, e.reason)
            for e, day, number, kind in rows]


def probation_info(source: Any, member_id: str) -> ProbationInfo:
    with reading(source) as s:
        m = _live_member(s, member_id)
        return ProbationInfo(m.id, m.name, m.branch_id, m.category, _state(s, m), _events(s, member_id))


def assembly_choices(source: Any, branch_id: str | None, since: date | None = None) -> list[AssemblyChoice]:
    """The branch's 支部党员大会 records (newest first), from ``since`` on."""
    if not branch_id:
        return []
    with reading(source) as s:
        stmt = live(Meeting).where(Meeting.branch_id == branch_id, Meeting.kind.in_(membership_kinds()))
        if since is not None:
            stmt = stmt.where(Meeting.date >= since)
        return [AssemblyChoice(m.id, m.date, _meeting_label(m.date, m.number, m.kind) + (f" {m.title}" if m.title else ""))
                for m in s.scalars(stmt.order_by(Meeting.date.desc()))]


def record_probation_step(ledger, member_id: str, kind: str, on: date | str, *, meeting_id: str | None = None,
                          new_end: date | str | None = None, reason: str = "", version: int | None = None) -> str:
    """Record 转正 / 延长预备期 / 取消预备党员资格 for a 预备党员; returns the event id.
    ``version``: the member as shown (changed since: RecordConflict)."""
    errs = ErrorCollector()
    try:
        step = ProbationStep(kind)
    except ValueError:
        raise DomainValidationError("事项", f"“{kind}”不是可登记的事项") from None
    day = end = None
    with errs.check():
        day = parse_date(on, "日期")
    if step == ProbationStep.EXTENDED:
        with errs.check():
            end = parse_optional_date(new_end, "延长至")
    errs.raise_if_any()
    reason = clean_text(reason)
    with ledger.write() as s:
        check_version(s, Member, member_id, version, "党员")
        m = _live_member(s, member_id)
        if m.category != MemberCategory.PROBATIONARY or MemberStatus(m.status) not in IN_ROLL:
            raise DomainValidationError("党员", f"{m.name}现在不是在册的预备党员（{m.category}，{m.status}）")
        state = _state(s, m)
        if state is None:
            raise DomainValidationError("入党日期", f"{m.name}没有登记入党日期，无法计算预备期，请先在“编辑”中补上")
        meeting = None
        if meeting_id:
            meeting = s.get(Meeting, meeting_id)
            if meeting is None or meeting.deleted_at is not None or meeting.branch_id != m.branch_id:
                errs.add("党员大会", "所选会议记录不存在或不是本支部的")
                errs.raise_if_any()
        for e in check_step(state, StepInput(step, day, meeting.date if meeting else None,
                                             meeting.kind if meeting else None, end, reason)):
            errs.add(e.field, e.message)
        errs.raise_if_any()
        event = ProbationEvent(member_id=m.id, kind=step.value, on_date=day, meeting_id=meeting_id or None,
                               new_end=end, reason=reason)
        s.add(event)
        m.modified_at = utcnow()  # always an UPDATE: the member's version moves with each decision
        if step == ProbationStep.CONFIRMED:
            m.category = MemberCategory.FULL
            m.full_date = day
        elif step == ProbationStep.CANCELLED:
            period = s.scalars(live(Membership).where(Membership.member_id == m.id, Membership.end_date.is_(None))
                               .order_by(Membership.start_date.desc())).first()
            if period is not None:
                if day < period.start_date:
                    raise DomainValidationError("日期", f"早于本段组织关系的开始日期 {format_cn_date(period.start_date)}")
                period.end_date = day
                period.end_reason = MembershipChange.CANCELLED
            m.status = MemberStatus.CANCELLED
        s.flush()
        return event.id


def probation_due(source: Any, today: date, horizon_days: int) -> list[ProbationDue]:
    """预备党员 in the roll whose 预备期 ended or ends within ``horizon_days``."""
    with reading(source) as s:
        rows = s.execute(
            select(Member.id, Member.name, Member.join_date, Branch.name)
            .outerjoin(Branch, Branch.id == Member.branch_id)
            .where(Member.deleted_at.is_(None), Member.category == MemberCategory.PROBATIONARY.value,
                   Member.status.in_([str(x) for x in IN_ROLL]), Member.join_date.is_not(None))
        ).all()
        extended = dict(s.execute(
            select(ProbationEvent.member_id, ProbationEvent.new_end)
            .where(ProbationEvent.deleted_at.is_(None), ProbationEvent.kind == ProbationStep.EXTENDED.value)
            .order_by(ProbationEvent.on_date)
        ).all())
    people = [(mid, name, branch or "", ProbationState(joined, extended.get(mid))) for mid, name, joined, branch in rows]
    return due_soon(people, today, horizon_days)
