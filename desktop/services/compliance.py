"""三会一课 compliance of a branch-year: which meetings were owed and which were held.

The rules are ``desktop.domain.compliance``; this module only gathers the facts:
- ``branch_profile``: the branch's obligations on a date (committee, groups, 正式党员 on the
  roster of that day, 党课 frequency, 主题党日 day), from aggregate queries for any number
  of branches at once;
- the meetings held, as one aggregate query per branch-year — (kind, month, group, state,
  count) plus the ids of drafts — never loading Meeting objects, so a ledger with 100,000
  meetings answers in milliseconds.

The profile of a year is taken on the last day of the year, or on ``today`` while the year is
running (a branch that fell below 7 正式党员 owes no 支委会 from then on).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from desktop.domain.compliance import BranchProfile, ComplianceReport, HeldMeeting, evaluate_compliance
from desktop.domain.enums import AttendanceStatus, LectureFrequency, MeetingState, MemberCategory
from desktop.domain.meeting_kinds import find_spec, is_kind, kind_names, kind_specs
from desktop.domain.meetings import AttendanceSummary, committee_quorum, general_assembly_quorum
from desktop.domain.members import category_on
from desktop.store.models import Attendance, Branch, Meeting, Member, Membership, Motion, PartyGroup
from desktop.store.queries import live

from .organization import reading


class BranchNotFound(LookupError):
    def __init__(self, branch_id: str):
        super().__init__(f"党支部不存在或已删除（{branch_id}）")
        self.message = "党支部不存在或已删除。"


@dataclass(frozen=True)
class BranchCompliance:
    branch_id: str
    branch_name: str
    report: ComplianceReport


def profile_day(year: int, today: date) -> date:
    """The day a year's obligations are judged on: 31 December, or ``today`` inside the year."""
    if today.year == year:
        return today
    return date(year, 12, 31) if today.year > year else date(year, 1, 1)


def _full_counts(session: Session, branch_ids: list[str], on: date) -> dict[str, int]:
    """正式党员 per branch on ``on`` over membership periods, each member judged by the one rule
    (``desktop.domain.members.category_on``: 转正日期 reached, a recorded 正式 without one from a
    year after 入党日期, nobody before 入党日期)."""
    stmt = (
        select(Membership.branch_id, Member.id, Member.join_date, Member.full_date, Member.category)
        .join(Member, Member.id == Membership.member_id)
        .where(
            Member.deleted_at.is_(None),
            Membership.deleted_at.is_(None),
            Membership.branch_id.in_(branch_ids),
            Membership.start_date <= on,
            or_(Membership.end_date.is_(None), Membership.end_date >= on),
        )
    )
    full: dict[str, set[str]] = defaultdict(set)
    for branch_id, member_id, joined, full_date, category in session.execute(stmt):
        if category_on(joined, full_date, category, on) == MemberCategory.FULL:
            full[branch_id].add(member_id)
    return {b: len(ids) for b, ids in full.items()}


def _profiles(session: Session, branches: list[Branch], on: date) -> dict[str, BranchProfile]:
    ids = [b.id for b in branches]
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for g in session.execute(
        select(PartyGroup.branch_id, PartyGroup.id, PartyGroup.name)
        .where(PartyGroup.deleted_at.is_(None), PartyGroup.branch_id.in_(ids))
        .order_by(PartyGroup.sort_order, PartyGroup.name)
    ):
        groups[g.branch_id].append((g.id, g.name))
    full = _full_counts(session, ids, on)
    out: dict[str, BranchProfile] = {}
    for b in branches:
        try:
            lecture = LectureFrequency(b.lecture_frequency)
        except ValueError:
            lecture = LectureFrequency.QUARTER
        gs = tuple(groups.get(b.id, ()))
        out[b.id] = BranchProfile(
            has_committee=bool(b.has_committee),
            has_groups=bool(b.has_groups) and bool(gs),
            group_count=len(gs),
            full_member_count=full.get(b.id, 0),
            lecture_frequency=lecture,
            lecture_custom_per_year=b.lecture_custom_per_year,
            theme_day_of_month=b.theme_day_of_month,
            groups=gs,
            ledger_start=b.ledger_start,
        )
    return out


def _branch(session: Session, branch_id: str) -> Branch:
    branch = session.get(Branch, branch_id)
    if branch is None or branch.deleted_at is not None:
        raise BranchNotFound(branch_id)
    return branch


def branch_profile(source: Any, branch_id: str, on: date) -> BranchProfile:
    """The obligations of ``branch_id`` on ``on`` (from a Ledger or an open Session)."""
    with reading(source) as s:
        return _profiles(s, [_branch(s, branch_id)], on)[branch_id]


def _held(session: Session, year: int, branch_ids: Iterable[str] | None) -> dict[str, list[HeldMeeting]]:
    """Meetings of ``year`` per branch from one GROUP BY query (drafts keep their id and date)."""
    month = func.strftime("%m", Meeting.date)
    draft_ref = func.group_concat(
        case((Meeting.state == MeetingState.DRAFT.value, Meeting.id + "|" + func.strftime("%Y-%m-%d", Meeting.date)))
    )
    stmt = (
        select(Meeting.branch_id, Meeting.kind, month, Meeting.group_id, Meeting.state, func.count(), draft_ref)
        .where(
            Meeting.deleted_at.is_(None),
            Meeting.date >= date(year, 1, 1),
            Meeting.date <= date(year, 12, 31),
        )
        .group_by(Meeting.branch_id, Meeting.kind, month, Meeting.group_id, Meeting.state)
    )
    if branch_ids is not None:
        stmt = stmt.where(Meeting.branch_id.in_(list(branch_ids)))
    out: dict[str, list[HeldMeeting]] = defaultdict(list)
    for branch_id, kind, mon, group_id, state, count, drafts in session.execute(stmt):
        if not is_kind(kind):
            continue
        k = str(kind)
        if state == MeetingState.DRAFT.value and drafts:
            for ref in drafts.split(","):
                mid, _, day = ref.partition("|")
                out[branch_id].append(HeldMeeting(k, date.fromisoformat(day), group_id, MeetingState.DRAFT, mid))
        else:
            # one shared object per cell: only kind, month and group matter for counting
            out[branch_id].extend([HeldMeeting(k, date(year, int(mon), 1), group_id, MeetingState.FINAL)] * count)
    for branch_id, short in _short_of_quorum(session, year, branch_ids).items():
        _mark_short(out[branch_id], short)
    return out


def _short_of_quorum(session: Session, year: int, branch_ids: Iterable[str] | None
                     ) -> dict[str, list[tuple[HeldMeeting, str]]]:
    """Per branch, the meetings of ``year`` of a kind with a quorum rule (党员大会, 民主评议, 支委会)
    whose attendance fails it, as (the meeting as ``_held`` counts it, the meeting marked), from
    one query over attendance."""
    quorum_kinds = [s.name for s in kind_specs() if s.quorum]
    cond = [Meeting.deleted_at.is_(None), Meeting.kind.in_(quorum_kinds),
            Meeting.date >= date(year, 1, 1), Meeting.date <= date(year, 12, 31)]
    if branch_ids is not None:
        cond.append(Meeting.branch_id.in_(list(branch_ids)))
    counts: dict[str, dict] = {}
    stmt = (select(Meeting.id, Meeting.branch_id, Meeting.kind, Meeting.date, Meeting.group_id, Meeting.state,
                   Attendance.status, Attendance.category, func.count())
            .join(Attendance, and_(Attendance.meeting_id == Meeting.id, Attendance.deleted_at.is_(None)))
            .where(*cond)
            .group_by(Meeting.id, Attendance.status, Attendance.category))
    for mid, branch_id, kind, day, group_id, state, status, category, n in session.execute(stmt):
        c = counts.setdefault(mid, {"meta": (branch_id, kind, day, group_id, state), "due": [0, 0], "present": [0, 0]})
        if status == AttendanceStatus.EXCLUDED.value:
            continue
        prob = 1 if category == MemberCategory.PROBATIONARY.value else 0
        c["due"][prob] += n
        if status == AttendanceStatus.PRESENT.value:
            c["present"][prob] += n
    elections = set(session.scalars(select(Motion.meeting_id).join(Meeting, Motion.meeting_id == Meeting.id)
                                    .where(*cond, Motion.deleted_at.is_(None), Motion.is_election.is_(True))))
    out: dict[str, list[tuple[HeldMeeting, str]]] = defaultdict(list)
    for mid, c in counts.items():
        branch_id, kind, day, group_id, state = c["meta"]
        summary = AttendanceSummary(due_full=c["due"][0], due_prob=c["due"][1], present_full=c["present"][0],
                                    present_prob=c["present"][1], absent=(), excluded=())
        spec = find_spec(kind)
        if spec is None:
            continue
        q = committee_quorum(summary) if spec.quorum == "committee" else \
            general_assembly_quorum(summary, mid in elections)
        if q.ok:
            continue
        k, st = spec.name, MeetingState(state)
        counted = HeldMeeting(k, day if st == MeetingState.DRAFT else date(year, day.month, 1), group_id, st,
                              mid if st == MeetingState.DRAFT else None)
        out[branch_id].append((counted, HeldMeeting(k, day, group_id, st, mid, q.text)))
    return out


def _mark_short(held: list[HeldMeeting], short: list[tuple[HeldMeeting, str]]) -> None:
    """Replace the counted entry of each meeting short of quorum by its marked twin."""
    for counted, marked in short:
        for i, h in enumerate(held):
            if h == counted and not h.short_of_quorum:
                held[i] = marked
                break


def branch_year_compliance(ledger: Any, branch_id: str, year: int, today: date | None = None,
                           months: Iterable[int] = range(1, 13)) -> ComplianceReport:
    """The requirements of ``year`` (optionally some ``months``) and whether each was met."""
    today = today or date.today()
    with reading(ledger) as s:
        profile = _profiles(s, [_branch(s, branch_id)], profile_day(year, today))[branch_id]
        held = _held(s, year, [branch_id]).get(branch_id, [])
    return evaluate_compliance(profile, year, held, months, today)


def compliance_overview(ledger: Any, year: int, months: Iterable[int], today: date | None = None
                        ) -> list[BranchCompliance]:
    """Every live branch (in display order) with its report for ``months`` of ``year``."""
    today = today or date.today()
    ms = sorted(set(months))
    with reading(ledger) as s:
        branches = s.scalars(live(Branch).order_by(Branch.sort_order, Branch.name)).all()
        held = _held(s, year, None)
        profiles = _profiles(s, list(branches), profile_day(year, today))
        rows = [(b.id, b.name) for b in branches]
    return [BranchCompliance(bid, name, evaluate_compliance(profiles[bid], year, held.get(bid, []), ms, today))
            for bid, name in rows]


def year_meeting_counts(ledger: Any, year: int, branch_id: str | None = None) -> dict[str, int]:
    """Live meetings of ``year`` per kind (drafts included), every kind present with 0 when none."""
    with reading(ledger) as s:
        stmt = (
            select(Meeting.kind, func.count())
            .where(Meeting.deleted_at.is_(None), Meeting.date >= date(year, 1, 1), Meeting.date <= date(year, 12, 31))
            .group_by(Meeting.kind)
        )
        if branch_id is not None:
            stmt = stmt.where(Meeting.branch_id == branch_id)
        counts = dict.fromkeys(kind_names(), 0)
        for kind, n in s.execute(stmt):
            if kind in counts:
                counts[kind] += n
        return counts
