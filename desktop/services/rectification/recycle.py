"""Deleting nodes (tombstones) and the 回收站: list what was deleted, restore it with its ancestors."""

from __future__ import annotations

from sqlalchemy import select

from desktop.domain.text import clean_line
from desktop.store.models import Measure, Problem, ProgressEntry, RectCategory

from .records import (
    KIND_LABELS,
    KINDS,
    DeletedItem,
    NotFound,
    _ancestors,
    _get,
)


def delete(ledger, kind: str, record_id: str) -> None:
    """Tombstone one node (its children disappear with it and come back with it)."""
    with ledger.write() as s:
        _get(s, KINDS[kind], record_id, KIND_LABELS[kind]).tombstone()


def restore(ledger, kind: str, record_id: str) -> None:
    """Restore a deleted node and any deleted ancestor of it."""
    with ledger.write() as s:
        obj = s.get(KINDS[kind], record_id)
        if obj is None:
            raise NotFound(f"{KIND_LABELS[kind]}不存在")
        for node in (obj, *_ancestors(s, kind, obj)):
            if node.deleted_at is not None:
                node.restore()


def list_deleted(ledger, campaign_id: str) -> list[DeletedItem]:
    """The 回收站 of a campaign, most recently deleted first."""
    out: list[DeletedItem] = []
    with ledger.read() as s:
        cats = {c.id: c for c in s.scalars(select(RectCategory).where(RectCategory.campaign_id == campaign_id))}
        probs = {p.id: p for p in s.scalars(select(Problem).where(Problem.category_id.in_(list(cats))))}
        meas = {m.id: m for m in s.scalars(select(Measure).where(Measure.problem_id.in_(list(probs))))}
        progs = s.scalars(select(ProgressEntry).where(ProgressEntry.measure_id.in_(list(meas)),
                                                     ProgressEntry.deleted_at.is_not(None)))
        for c in cats.values():
            if c.deleted_at:
                out.append(DeletedItem("category", c.id, f"类别：{c.name}", "", c.deleted_at))
        for p in probs.values():
            if p.deleted_at:
                out.append(DeletedItem("problem", p.id, f"问题：{_short(p.description)}",
                                       cats[p.category_id].name, p.deleted_at))
        for m in meas.values():
            if m.deleted_at:
                p = probs[m.problem_id]
                out.append(DeletedItem("measure", m.id, f"整改措施：{_short(m.content)}",
                                       f"{cats[p.category_id].name} › {_short(p.description)}", m.deleted_at))
        for e in progs:
            m = meas[e.measure_id]
            out.append(DeletedItem("progress", e.id, f"进展：{e.date.isoformat()} {_short(e.text)}",
                                   f"整改措施：{_short(m.content)}", e.deleted_at))
    out.sort(key=lambda d: d.deleted_at, reverse=True)
    return out


def _short(text: str, n: int = 24) -> str:
    one = clean_line(text)
    return one if len(one) <= n else one[: n - 1] + "…"
