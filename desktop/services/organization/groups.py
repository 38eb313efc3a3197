"""党小组 of a branch."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from desktop.domain.enums import CommitteePost
from desktop.domain.errors import ErrorCollector
from desktop.domain.text import clean_line
from desktop.store.models import Branch, Member, PartyGroup, PostHolding
from desktop.store.queries import live

from ..conflicts import check_version
from .records import IN_ROLL, GroupRow, count_in_roll, current_holders, reading


# ------------------------------------------------------------------ groups
def list_groups(source: Any, branch_id: str | None = None) -> list[GroupRow]:
    with reading(source) as s:
        stmt = live(PartyGroup).order_by(PartyGroup.sort_order, PartyGroup.name)
        if branch_id:
            stmt = stmt.where(PartyGroup.branch_id == branch_id)
        groups = s.scalars(stmt).all()
        counts = count_in_roll(s, Member.group_id)
        leaders = current_holders(s, CommitteePost.GROUP_LEADER, PostHolding.group_id)
        return [
            GroupRow(g.id, g.branch_id, g.name, g.sort_order, counts.get(g.id, 0), leaders.get(g.id, ""), g.version)
            for g in groups
        ]


def save_group(ledger, branch_id: str, name: str, group_id: str | None = None, version: int | None = None) -> str:
    """Add or rename a 党小组; ``version``: the one shown (changed since: RecordConflict)."""
    errs = ErrorCollector()
    name = clean_line(name)
    if not name:
        errs.add("党小组名称", "不能为空（如 第一党小组）")
    errs.raise_if_any()
    with ledger.write() as s:
        check_version(s, PartyGroup, group_id, version, "党小组")
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
            if g is None or g.deleted_at is not None:  # deleted meanwhile: never renamed as if it worked
                raise KeyError("党小组不存在或已删除")
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


def delete_group(ledger, group_id: str, version: int | None = None) -> None:
    errs = ErrorCollector()
    with ledger.write() as s:
        check_version(s, PartyGroup, group_id, version, "党小组")
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
