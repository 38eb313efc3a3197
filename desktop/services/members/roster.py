"""Reading the roster and one member's record with its history."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import or_, select

from desktop.domain.enums import CommitteePost
from desktop.domain.members import member_date_warnings
from desktop.domain.posts import post_title
from desktop.domain.text import clean_line
from desktop.store.models import Branch, Member, Membership, PostHolding
from desktop.store.queries import live

from ..organization import IN_ROLL, reading
from .records import (
    ROW_COLUMNS,
    MemberDetail,
    MemberRow,
    PeriodRow,
    _live_member,
    _names,
    _row,
    _row_from_tuple,
    post_labels,
)


def list_members(
    ledger: Any,
    *,
    branch_id: str | None = None,
    category: str | None = None,
    status: str | list[str] | None = None,
    search: str | None = None,
    group_id: str | None = None,
    today: date | None = None,
    ids: set[str] | None = None,
) -> list[MemberRow]:
    """Members sorted by branch order, then 入党日期. ``status`` may be one value, a list, or
    ``"在册"`` for everyone still in the roll (在职/退休/流动)."""
    today = today or date.today()
    with reading(ledger) as s:
        stmt = (  # plain columns, not ORM objects: 5,000 members list in a fraction of the time
            select(*ROW_COLUMNS)
            .where(Member.deleted_at.is_(None))
            .outerjoin(Branch, Branch.id == Member.branch_id)
            .order_by(Branch.sort_order, Member.join_date, Member.name)
        )
        if branch_id:
            stmt = stmt.where(Member.branch_id == branch_id)
        if group_id:
            stmt = stmt.where(Member.group_id == group_id)
        if ids is not None:
            stmt = stmt.where(Member.id.in_(list(ids)))
        if category:
            stmt = stmt.where(Member.category == category)
        if status == "在册":
            stmt = stmt.where(Member.status.in_([str(x) for x in IN_ROLL]))
        elif isinstance(status, list | tuple | set):
            stmt = stmt.where(Member.status.in_([str(x) for x in status]))
        elif status:
            stmt = stmt.where(Member.status == status)
        text = clean_line(search or "")
        if text:
            like = f"%{text}%"
            posts = [p.value for p in CommitteePost if text in post_title(p)]
            holders = select(PostHolding.member_id).where(
                PostHolding.deleted_at.is_(None), PostHolding.post.in_(posts), PostHolding.start_date <= today,
                or_(PostHolding.end_date.is_(None), PostHolding.end_date >= today))
            stmt = stmt.where(or_(Member.name.like(like), Member.phone.like(like), Member.id.in_(holders),
                                  Member.job_title.like(like)))
        branches, groups = _names(s)
        posts_held = post_labels(s, today)
        return [_row_from_tuple(tuple(m), branches, groups, today, posts_held) for m in s.execute(stmt)]


def member_rows(ledger: Any, ids: set[str], today: date | None = None) -> dict[str, MemberRow | None]:
    """The list rows of a few members (None for one deleted): what a page updates after a save."""
    found = {r.id: r for r in list_members(ledger, ids=ids, today=today)}
    return {i: found.get(i) for i in ids}


def get_member(ledger: Any, member_id: str, today: date | None = None) -> MemberDetail:
    today = today or date.today()
    with reading(ledger) as s:
        m = _live_member(s, member_id)
        branches, groups = _names(s)
        periods = [
            PeriodRow(p.id, branches.get(p.branch_id, ""), groups.get(p.group_id or "", ""), p.start_date,
                      p.end_date, p.start_reason, p.end_reason, p.notes)
            for p in s.scalars(live(Membership).where(Membership.member_id == member_id)
                               .order_by(Membership.start_date))
        ]
        return MemberDetail(_row(m, branches, groups, today, post_labels(s, today, m.id)), m.notes, periods,
                            member_date_warnings(m.join_date, m.full_date))
