"""组织: the committee, its branches (with the profile that decides which meetings they owe),
党小组 and committee posts held over periods.

Every function takes an open Ledger (or, for reads, a Session) and returns plain dataclasses.
Deletes are tombstones; a branch or group that still has members cannot be deleted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from desktop.domain.dates import format_cn_date, parse_date, parse_optional_date
from desktop.domain.enums import CommitteePost, LectureFrequency, MemberCategory, MemberStatus
from desktop.domain.errors import ErrorCollector
from desktop.domain.text import clean_line, clean_text
from desktop.store.models import Branch, Committee, Member, PartyGroup, PostHolding
from desktop.store.queries import live

IN_ROLL = (MemberStatus.ACTIVE, MemberStatus.RETIRED, MemberStatus.MOBILE)


@contextmanager
def reading(source: Any) -> Iterator[Session]:
    """A read session from a Ledger, or the caller's own Session passed through unchanged."""
    if isinstance(source, Session):
        yield source
    else:
        with source.read() as session:
            yield session


@dataclass(frozen=True)
class CommitteeInfo:
    id: str
    name: str
    unit_name: str


@dataclass(frozen=True)
class BranchRow:
    id: str
    name: str
    sort_order: int
    has_committee: bool
    has_groups: bool
    lecture_frequency: str
    lecture_custom_per_year: int | None
    theme_day_of_month: int | None
    established_on: date | None
    notes: str
    member_count: int
    full_count: int
    probationary_count: int
    group_count: int
    secretary: str

    @property
    def lecture_label(self) -> str:
        if self.lecture_frequency == LectureFrequency.CUSTOM:
            return f"每年{self.lecture_custom_per_year or 0}次"
        return self.lecture_frequency

    @property
    def theme_day_label(self) -> str:
        return f"每月{self.theme_day_of_month}日" if self.theme_day_of_month else "未固定"


@dataclass(frozen=True)
class BranchInput:
    name: str
    id: str | None = None
    has_committee: bool = True
    has_groups: bool = False
    lecture_frequency: str = LectureFrequency.QUARTER
    lecture_custom_per_year: int | None = None
    theme_day_of_month: int | None = None
    established_on: date | str | None = None
    notes: str = ""
    sort_order: int | None = None


@dataclass(frozen=True)
class GroupRow:
    id: str
    branch_id: str
    name: str
    sort_order: int
    member_count: int
    leader: str


@dataclass(frozen=True)
class PostRow:
    id: str
    branch_id: str
    group_id: str | None
    group_name: str
    member_id: str
    member_name: str
    post: str
    start_date: date
    end_date: date | None

    @property
    def current(self) -> bool:
        return self.end_date is None or self.end_date >= date.today()

    @property
    def period_label(self) -> str:
        end = format_cn_date(self.end_date) if self.end_date else "至今"
        return f"{format_cn_date(self.start_date)} — {end}"


@dataclass(frozen=True)
class PostInput:
    branch_id: str
    member_id: str
    post: str
    start_date: date | str
    end_date: date | str | None = None
    group_id: str | None = None
    id: str | None = None


# ------------------------------------------------------------------ committee
def get_committee(source: Any) -> CommitteeInfo | None:
    with reading(source) as s:
        c = s.scalars(live(Committee).order_by(Committee.name)).first()
        return CommitteeInfo(c.id, c.name, c.unit_name) if c else None


def save_committee(ledger, name: str, unit_name: str = "") -> str:
    errs = ErrorCollector()
    name = clean_line(name)
    if not name:
        errs.add("党组织名称", "不能为空（如 某某局机关党委）")
    errs.raise_if_any()
    with ledger.write() as s:
        c = s.scalars(live(Committee)).first()
        if c is None:
            c = Committee(name=name, unit_name=clean_line(unit_name))
            s.add(c)
        else:
            c.name = name
            c.unit_name = clean_line(unit_name)
        s.flush()
        return c.id


def _ensure_committee(s: Session) -> Committee:
    c = s.scalars(live(Committee)).first()
    if c is None:
        c = Committee(name="机关党委", unit_name="")
        s.add(c)
        s.flush()
    return c


# ------------------------------------------------------------------ branches
def list_branches(source: Any) -> list[BranchRow]:
    with reading(source) as s:
        branches = s.scalars(live(Branch).order_by(Branch.sort_order, Branch.name)).all()
        counts: dict[tuple[str, str], int] = {}
        for bid, cat, n in s.execute(
            select(Member.branch_id, Member.category, func.count())
            .where(Member.deleted_at.is_(None), Member.status.in_([str(x) for x in IN_ROLL]))
            .group_by(Member.branch_id, Member.category)
        ):
            counts[(bid, cat)] = n
        groups = dict(
            s.execute(
                select(PartyGroup.branch_id, func.count())
                .where(PartyGroup.deleted_at.is_(None))
                .group_by(PartyGroup.branch_id)
            ).all()
        )
        today = date.today()
        secretaries: dict[str, str] = {}
        for bid, name in s.execute(
            select(PostHolding.branch_id, Member.name)
            .join(Member, Member.id == PostHolding.member_id)
            .where(
                PostHolding.deleted_at.is_(None),
                PostHolding.post == CommitteePost.SECRETARY.value,
                PostHolding.start_date <= today,
                or_(PostHolding.end_date.is_(None), PostHolding.end_date >= today),
            )
        ):
            secretaries.setdefault(bid, name)
        out = []
        for b in branches:
            full = counts.get((b.id, MemberCategory.FULL.value), 0)
            prob = counts.get((b.id, MemberCategory.PROBATIONARY.value), 0)
            out.append(
                BranchRow(
                    b.id, b.name, b.sort_order, b.has_committee, b.has_groups, b.lecture_frequency,
                    b.lecture_custom_per_year, b.theme_day_of_month, b.established_on, b.notes,
                    full + prob, full, prob, groups.get(b.id, 0), secretaries.get(b.id, ""),
                )
            )
        return out


def get_branch(source: Any, branch_id: str) -> BranchRow:
    for row in list_branches(source):
        if row.id == branch_id:
            return row
    raise KeyError(branch_id)


def save_branch(ledger, data: BranchInput) -> str:
    errs = ErrorCollector()
    name = clean_line(data.name)
    if not name:
        errs.add("支部名称", "不能为空（如 第一党支部）")
    freq = data.lecture_frequency
    if freq not in {f.value for f in LectureFrequency}:
        errs.add("党课频次", f"“{freq}”不是可选的频次")
    per_year = data.lecture_custom_per_year
    if freq == LectureFrequency.CUSTOM and (per_year is None or not 1 <= per_year <= 24):
        errs.add("党课频次", "自定义时请填写每年次数（1–24）")
    day = data.theme_day_of_month
    if day is not None and not 1 <= day <= 28:
        errs.add("主题党日", f"固定日应在每月1–28日之间（填写的是{day}日），月末日子并非每月都有")
    with errs.check():
        established = parse_optional_date(data.established_on, "成立日期")
    with ledger.write() as s:
        dup = s.scalars(live(Branch).where(Branch.name == name, Branch.id != (data.id or ""))).first()
        if name and dup is not None:
            errs.add("支部名称", f"已有名为“{name}”的支部")
        errs.raise_if_any()
        if data.id:
            b = s.get(Branch, data.id)
            if b is None or b.deleted_at is not None:
                raise KeyError(data.id)
        else:
            committee = _ensure_committee(s)
            top = s.scalar(select(func.max(Branch.sort_order)).where(Branch.deleted_at.is_(None))) or 0
            b = Branch(committee_id=committee.id, sort_order=top + 1, name=name)
            s.add(b)
        b.name = name
        b.has_committee = bool(data.has_committee)
        b.has_groups = bool(data.has_groups)
        b.lecture_frequency = freq
        b.lecture_custom_per_year = per_year if freq == LectureFrequency.CUSTOM else None
        b.theme_day_of_month = day
        b.established_on = established
        b.notes = clean_text(data.notes)
        if data.sort_order is not None:
            b.sort_order = data.sort_order
        s.flush()
        return b.id


def delete_branch(ledger, branch_id: str) -> None:
    """Tombstone an empty branch (no members in the roll); its groups and posts go with it."""
    errs = ErrorCollector()
    with ledger.write() as s:
        b = s.get(Branch, branch_id)
        if b is None or b.deleted_at is not None:
            return
        n = s.scalar(
            select(func.count()).select_from(Member).where(Member.deleted_at.is_(None), Member.branch_id == branch_id)
        )
        if n:
            errs.add("支部", f"“{b.name}”还有{n}名党员的记录，请先把他们调到其他支部")
            errs.raise_if_any()
        for g in s.scalars(live(PartyGroup).where(PartyGroup.branch_id == branch_id)):
            g.tombstone()
        for p in s.scalars(live(PostHolding).where(PostHolding.branch_id == branch_id)):
            p.tombstone()
        b.tombstone()


# ------------------------------------------------------------------ groups
def list_groups(source: Any, branch_id: str | None = None) -> list[GroupRow]:
    with reading(source) as s:
        stmt = live(PartyGroup).order_by(PartyGroup.sort_order, PartyGroup.name)
        if branch_id:
            stmt = stmt.where(PartyGroup.branch_id == branch_id)
        groups = s.scalars(stmt).all()
        counts = dict(
            s.execute(
                select(Member.group_id, func.count())
                .where(Member.deleted_at.is_(None), Member.status.in_([str(x) for x in IN_ROLL]))
                .group_by(Member.group_id)
            ).all()
        )
        today = date.today()
        leaders: dict[str, str] = {}
        for gid, name in s.execute(
            select(PostHolding.group_id, Member.name)
            .join(Member, Member.id == PostHolding.member_id)
            .where(
                PostHolding.deleted_at.is_(None),
                PostHolding.post == CommitteePost.GROUP_LEADER.value,
                PostHolding.start_date <= today,
                or_(PostHolding.end_date.is_(None), PostHolding.end_date >= today),
            )
        ):
            if gid:
                leaders.setdefault(gid, name)
        return [
            GroupRow(g.id, g.branch_id, g.name, g.sort_order, counts.get(g.id, 0), leaders.get(g.id, ""))
            for g in groups
        ]


def save_group(ledger, branch_id: str, name: str, group_id: str | None = None) -> str:
    errs = ErrorCollector()
    name = clean_line(name)
    if not name:
        errs.add("党小组名称", "不能为空（如 第一党小组）")
    errs.raise_if_any()
    with ledger.write() as s:
        dup = s.scalars(
            live(PartyGroup).where(
                PartyGroup.branch_id == branch_id, PartyGroup.name == name, PartyGroup.id != (group_id or "")
            )
        ).first()
        if dup is not None:
            errs.add("党小组名称", f"本支部已有“{name}”")
            errs.raise_if_any()
        if group_id:
            g = s.get(PartyGroup, group_id)
            if g is None:
                raise KeyError(group_id)
        else:
            top = s.scalar(select(func.max(PartyGroup.sort_order)).where(PartyGroup.branch_id == branch_id)) or 0
            g = PartyGroup(branch_id=branch_id, sort_order=top + 1, name=name)
            s.add(g)
            b = s.get(Branch, branch_id)
            if b is not None and not b.has_groups:
                b.has_groups = True
        g.name = name
        s.flush()
        return g.id


def delete_group(ledger, group_id: str) -> None:
    errs = ErrorCollector()
    with ledger.write() as s:
        g = s.get(PartyGroup, group_id)
        if g is None or g.deleted_at is not None:
            return
        n = s.scalar(
            select(func.count()).select_from(Member).where(
                Member.deleted_at.is_(None), Member.group_id == group_id, Member.status.in_([str(x) for x in IN_ROLL])
            )
        )
        if n:
            errs.add("党小组", f"“{g.name}”还有{n}名党员，请先把他们调到其他党小组")
            errs.raise_if_any()
        g.tombstone()


# ------------------------------------------------------------------ posts
def list_posts(source: Any, branch_id: str, *, include_ended: bool = True) -> list[PostRow]:
    order = {p.value: i for i, p in enumerate(CommitteePost)}
    with reading(source) as s:
        rows = s.execute(
            select(PostHolding, Member.name, PartyGroup.name)
            .join(Member, Member.id == PostHolding.member_id)
            .outerjoin(PartyGroup, PartyGroup.id == PostHolding.group_id)
            .where(PostHolding.deleted_at.is_(None), PostHolding.branch_id == branch_id)
        ).all()
        out = [
            PostRow(p.id, p.branch_id, p.group_id, gname or "", p.member_id, mname, p.post, p.start_date, p.end_date)
            for p, mname, gname in rows
        ]
    if not include_ended:
        out = [r for r in out if r.current]
    out.sort(key=lambda r: (not r.current, order.get(r.post, 99), r.group_name, -r.start_date.toordinal()))
    return out


def save_post(ledger, data: PostInput) -> str:
    """Record that a member holds a post over a period. Starting a post that someone else
    holds (one 书记 at a time; one 组长 per group) ends the other holding the day before."""
    errs = ErrorCollector()
    if data.post not in {p.value for p in CommitteePost}:
        errs.add("职务", f"“{data.post}”不是可选的职务")
    if data.post == CommitteePost.GROUP_LEADER and not data.group_id:
        errs.add("党小组", "党小组组长请选择所在党小组")
    if not data.member_id:
        errs.add("党员", "请选择任职的党员")
    with errs.check():
        start = parse_date(data.start_date, "任职日期")
    with errs.check():
        end = parse_optional_date(data.end_date, "离任日期")
    if not errs.errors and end is not None and end < start:
        errs.add("离任日期", f"{format_cn_date(end)} 早于任职日期 {format_cn_date(start)}")
    errs.raise_if_any()
    single = data.post in (CommitteePost.SECRETARY, CommitteePost.DEPUTY_SECRETARY, CommitteePost.GROUP_LEADER,
                           CommitteePost.ORGANIZATION, CommitteePost.PROPAGANDA, CommitteePost.DISCIPLINE)
    with ledger.write() as s:
        if data.id:
            p = s.get(PostHolding, data.id)
            if p is None:
                raise KeyError(data.id)
        else:
            p = PostHolding(branch_id=data.branch_id, member_id=data.member_id, post=data.post, start_date=start)
        if single and data.post != CommitteePost.DEPUTY_SECRETARY:
            others = s.scalars(
                live(PostHolding).where(
                    PostHolding.branch_id == data.branch_id,
                    PostHolding.post == data.post,
                    PostHolding.id != (data.id or ""),
                    PostHolding.start_date < start,
                    or_(PostHolding.end_date.is_(None), PostHolding.end_date >= start),
                )
            ).all()
            for other in others:
                if data.post == CommitteePost.GROUP_LEADER and other.group_id != data.group_id:
                    continue
                other.end_date = start - timedelta(days=1)
        p.branch_id = data.branch_id
        p.group_id = data.group_id if data.post == CommitteePost.GROUP_LEADER else None
        p.member_id = data.member_id
        p.post = data.post
        p.start_date = start
        p.end_date = end
        s.add(p)
        s.flush()
        return p.id


def end_post(ledger, post_id: str, on: date | str) -> None:
    errs = ErrorCollector()
    with errs.check():
        day = parse_date(on, "离任日期")
    errs.raise_if_any()
    with ledger.write() as s:
        p = s.get(PostHolding, post_id)
        if p is None:
            raise KeyError(post_id)
        if day < p.start_date:
            errs.add("离任日期", f"{format_cn_date(day)} 早于任职日期 {format_cn_date(p.start_date)}")
            errs.raise_if_any()
        p.end_date = day


def delete_post(ledger, post_id: str) -> None:
    with ledger.write() as s:
        p = s.get(PostHolding, post_id)
        if p is not None and p.deleted_at is None:
            p.tombstone()
