"""Committee posts (书记, 组织委员, 党小组组长 …) held over periods."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import or_, select

from desktop.domain.dates import format_cn_date, parse_date, parse_optional_date
from desktop.domain.enums import CommitteePost
from desktop.domain.errors import DomainValidationError, ErrorCollector
from desktop.store.models import Member, Membership, PartyGroup, PostHolding
from desktop.store.queries import live

from ..conflicts import check_version
from .records import PostInput, PostRow, reading


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
            PostRow(p.id, p.branch_id, p.group_id, gname or "", p.member_id, mname, p.post, p.start_date, p.end_date,
                    p.version)
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
        check_version(s, PostHolding, data.id, data.version, "任职记录")
        if data.post == CommitteePost.GROUP_LEADER:
            _check_in_group(s, data.member_id, data.group_id or "", start)
        if data.id:
            p = s.get(PostHolding, data.id)
            if p is None or p.deleted_at is not None:  # deleted meanwhile: never edited as if it worked
                raise KeyError("任职记录不存在或已删除")
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


def _check_in_group(s, member_id: str, group_id: str, on: date) -> None:
    """A 党小组组长 is one of the group's members: placed in it now or on the day the post starts."""
    member, group = s.get(Member, member_id), s.get(PartyGroup, group_id)
    if member is None or group is None:
        raise DomainValidationError("党员" if member is None else "党小组", "所选的党员或党小组不存在")
    if member.group_id == group_id:
        return
    period = s.scalars(live(Membership).where(
        Membership.member_id == member_id, Membership.group_id == group_id, Membership.start_date <= on,
        or_(Membership.end_date.is_(None), Membership.end_date >= on))).first()
    if period is None:
        raise DomainValidationError(
            "党员", f"{member.name}不是{group.name}的党员，党小组组长须从本组党员中选择")


SINGLE_POSTS = (CommitteePost.SECRETARY, CommitteePost.ORGANIZATION, CommitteePost.PROPAGANDA,
                CommitteePost.DISCIPLINE, CommitteePost.GROUP_LEADER)


def add_posts_in(s, member_id: str, branch_id: str, group_id: str | None, posts: list[str], start: date,
                 today: date) -> list[str]:
    """Record a new member's posts (read from a roster's 党内职务) inside the caller's transaction,
    from ``start``. A post someone else holds on ``today`` is not taken from them: it is returned
    (with a 党小组组长 for a member without a group) for the caller to keep as text."""
    left: list[str] = []
    for post in posts:
        leader = post == CommitteePost.GROUP_LEADER
        if leader and not group_id:
            left.append(post)
            continue
        if post in SINGLE_POSTS:
            held = s.scalars(live(PostHolding).where(
                PostHolding.branch_id == branch_id, PostHolding.post == post, PostHolding.start_date <= today,
                or_(PostHolding.end_date.is_(None), PostHolding.end_date >= today),
                *([PostHolding.group_id == group_id] if leader else []))).first()
            if held is not None:
                left.append(post)
                continue
        s.add(PostHolding(branch_id=branch_id, group_id=group_id if leader else None, member_id=member_id,
                          post=post, start_date=start))
    return left


def end_post(ledger, post_id: str, on: date | str, version: int | None = None) -> None:
    """离任 on ``on``; ``version``: the holding as shown (changed since: RecordConflict)."""
    errs = ErrorCollector()
    with errs.check():
        day = parse_date(on, "离任日期")
    errs.raise_if_any()
    with ledger.write() as s:
        check_version(s, PostHolding, post_id, version, "任职记录")
        p = s.get(PostHolding, post_id)
        if p is None or p.deleted_at is not None:  # deleted meanwhile: never ended as if it worked
            raise KeyError("任职记录不存在或已删除")
        if day < p.start_date:
            errs.add("离任日期", f"{format_cn_date(day)} 早于任职日期 {format_cn_date(p.start_date)}")
            errs.raise_if_any()
        p.end_date = day


def delete_post(ledger, post_id: str, version: int | None = None) -> None:
    with ledger.write() as s:
        check_version(s, PostHolding, post_id, version, "任职记录")
        p = s.get(PostHolding, post_id)
        if p is not None and p.deleted_at is None:
            p.tombstone()
