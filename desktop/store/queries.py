"""Queries shared by several services: who belonged where on a given day, live rows only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from desktop.domain.enums import CommitteePost, MemberCategory
from desktop.domain.members import category_on as domain_category_on

from .base import Record
from .models import Member, Membership, PostHolding

R = TypeVar("R", bound=Record)


def live(model: type[R]) -> Select[tuple[R]]:
    """``SELECT model WHERE deleted_at IS NULL`` — the starting point of every list."""
    return select(model).where(model.deleted_at.is_(None))


def category_on(member: Member, day: date) -> MemberCategory | None:
    """正式/预备 of a stored member on ``day``: the one rule, ``desktop.domain.members.category_on``."""
    return domain_category_on(member.join_date, member.full_date, member.category, day)


@dataclass(frozen=True)
class DueMember:
    member_id: str
    name: str
    category: MemberCategory
    group_id: str | None


def roster_on(session: Session, branch_id: str, day: date, group_id: str | None = None) -> list[DueMember]:
    """Members of ``branch_id`` (optionally of one group) on ``day``, from membership periods:
    a meeting held in March counts the members of March, not of today. Sorted by name order
    of the roster (sort by join date, then name)."""
    stmt = (
        select(Member, Membership)
        .join(Membership, Membership.member_id == Member.id)
        .where(
            Member.deleted_at.is_(None),
            Membership.deleted_at.is_(None),
            Membership.branch_id == branch_id,
            Membership.start_date <= day,
            or_(Membership.end_date.is_(None), Membership.end_date >= day),
        )
        .order_by(Member.join_date, Member.name)
    )
    if group_id is not None:
        stmt = stmt.where(Membership.group_id == group_id)
    out: list[DueMember] = []
    seen: set[str] = set()
    for member, period in session.execute(stmt):
        cat = category_on(member, day)
        if cat is None or member.id in seen:
            continue
        seen.add(member.id)
        out.append(DueMember(member.id, member.name, cat, period.group_id))
    return out


def posts_on(session: Session, branch_id: str, day: date) -> Sequence[tuple[PostHolding, Member]]:
    """Committee posts held in ``branch_id`` on ``day`` (书记 first)."""
    order = {p.value: i for i, p in enumerate(CommitteePost)}
    rows = session.execute(
        select(PostHolding, Member)
        .join(Member, Member.id == PostHolding.member_id)
        .where(
            PostHolding.deleted_at.is_(None),
            PostHolding.branch_id == branch_id,
            PostHolding.start_date <= day,
            or_(PostHolding.end_date.is_(None), PostHolding.end_date >= day),
        )
    ).all()
    return sorted(((p, m) for p, m in rows), key=lambda pm: order.get(pm[0].post, 99))


def committee_roster_on(session: Session, branch_id: str, day: date) -> list[DueMember]:
    """支委会 members on ``day``: holders of committee posts other than 党小组组长."""
    out: dict[str, DueMember] = {}
    for post, member in posts_on(session, branch_id, day):
        if post.post == CommitteePost.GROUP_LEADER:
            continue
        cat = category_on(member, day) or MemberCategory.FULL
        out.setdefault(member.id, DueMember(member.id, member.name, cat, None))
    return list(out.values())
