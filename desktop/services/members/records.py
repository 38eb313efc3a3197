"""Plain rows and inputs of the member services, and turning records into rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import or_, select

from desktop.domain.dates import format_cn_date
from desktop.domain.enums import MemberCategory, MembershipChange, MemberStatus
from desktop.domain.members import (
    mask_id_number,
    party_age,
)
from desktop.domain.posts import posts_label
from desktop.store.models import Branch, Member, PartyGroup, PostHolding

ENDING = {MemberStatus.TRANSFERRED_OUT: MembershipChange.TRANSFER_OUT, MemberStatus.DECEASED: MembershipChange.DECEASED,
          MemberStatus.CANCELLED: MembershipChange.CANCELLED}


@dataclass(frozen=True)
class MemberRow:
    id: str
    name: str
    gender: str
    birth_date: date | None
    branch_id: str | None
    branch_name: str
    group_id: str | None
    group_name: str
    category: str
    status: str
    join_date: date | None
    full_date: date | None
    party_age: int | None
    id_number: str
    id_masked: str
    phone: str
    party_post: str  # 党内职务: the posts held today (组织 › 任职), e.g. 「支部书记、党小组组长」
    job_title: str
    education: str
    ethnicity: str
    version: int = 0  # what an editor opened: saving checks it (desktop.services.conflicts)


@dataclass(frozen=True)
class PeriodRow:
    id: str
    branch_name: str
    group_name: str
    start_date: date
    end_date: date | None
    start_reason: str
    end_reason: str
    notes: str

    @property
    def label(self) -> str:
        end = format_cn_date(self.end_date) if self.end_date else "至今"
        return f"{format_cn_date(self.start_date)} — {end}"


@dataclass(frozen=True)
class MemberDetail:
    row: MemberRow
    notes: str
    periods: list[PeriodRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class MemberInput:
    name: str
    branch_id: str | None
    id: str | None = None
    gender: str = ""
    ethnicity: str = "汉族"
    birth_date: date | str | None = None
    education: str = ""
    id_number: str = ""
    phone: str = ""
    group_id: str | None = None
    job_title: str = ""
    category: str = MemberCategory.FULL
    status: str = MemberStatus.ACTIVE
    join_date: date | str | None = None
    full_date: date | str | None = None
    notes: str = ""
    since: date | str | None = None  # first day in the branch (new members); default 入党日期
    version: int | None = None  # the version the editor opened; None: not guarded


ROW_COLUMNS = (Member.id, Member.name, Member.gender, Member.birth_date, Member.branch_id, Member.group_id,
               Member.category, Member.status, Member.join_date, Member.full_date, Member.id_number, Member.phone,
               Member.job_title, Member.education, Member.ethnicity, Member.version)


def post_labels(s, today: date, member_id: str | None = None) -> dict[str, str]:
    """党内职务 by member: the posts held on ``today`` (one query for the whole list)."""
    stmt = select(PostHolding.member_id, PostHolding.post).where(
        PostHolding.deleted_at.is_(None), PostHolding.start_date <= today,
        or_(PostHolding.end_date.is_(None), PostHolding.end_date >= today))
    if member_id is not None:
        stmt = stmt.where(PostHolding.member_id == member_id)
    held: dict[str, list[str]] = {}
    for mid, post in s.execute(stmt):
        held.setdefault(mid, []).append(post)
    return {mid: posts_label(posts) for mid, posts in held.items()}


def _row(m: Any, branch_names: dict[str, str], group_names: dict[str, str], today: date,
         posts: dict[str, str]) -> MemberRow:
    age = None
    if m.join_date is not None:
        age = party_age(m.join_date, m.full_date, today, MemberCategory(m.category))
    return MemberRow(
        m.id, m.name, m.gender, m.birth_date, m.branch_id, branch_names.get(m.branch_id or "", ""),
        m.group_id, group_names.get(m.group_id or "", ""), m.category, m.status, m.join_date, m.full_date,
        age, m.id_number, mask_id_number(m.id_number), m.phone, posts.get(m.id, ""), m.job_title, m.education,
        m.ethnicity, m.version,
    )


def _row_from_tuple(t: tuple, branch_names: dict[str, str], group_names: dict[str, str], today: date,
                    posts: dict[str, str]) -> MemberRow:
    """``_row`` for a tuple of ROW_COLUMNS (the list path: no attribute lookups per field)."""
    (mid, name, gender, birth, bid, gid, category, status, joined, full, idn, phone, job, edu, eth, version) = t
    age = party_age(joined, full, today, MemberCategory(category)) if joined is not None else None
    return MemberRow(mid, name, gender, birth, bid, branch_names.get(bid or "", ""), gid, group_names.get(gid or "", ""),
                     category, status, joined, full, age, idn, mask_id_number(idn) if idn else "", phone,
                     posts.get(mid, ""), job, edu, eth, version)


def _names(s) -> tuple[dict[str, str], dict[str, str]]:
    branches = dict(s.execute(select(Branch.id, Branch.name)).all())
    groups = dict(s.execute(select(PartyGroup.id, PartyGroup.name)).all())
    return branches, groups


def _live_member(s, member_id: str) -> Member:
    """The member record, or KeyError when it does not exist or was deleted."""
    m = s.get(Member, member_id)
    if m is None or m.deleted_at is not None:
        raise KeyError(member_id)
    return m
