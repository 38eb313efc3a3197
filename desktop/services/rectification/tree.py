"""Reading a campaign: the category → problem → measure tree with derived flags, counts, and
one node for an editor."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import func, select

from desktop.domain.enums import MeasureStatus, MeasureType, ProblemSource
from desktop.domain.rectification import (
    measure_flags,
)
from desktop.store.models import Campaign, Measure, Problem, ProgressEntry, RectCategory
from desktop.store.queries import live

from .records import (
    KINDS,
    CampaignTree,
    CategoryNode,
    MeasureInput,
    MeasureNode,
    ProblemInput,
    ProblemNode,
    ProgressRow,
    _branch_names,
    _campaign_of,
    _campaign_row,
    _get,
    soon_days_setting,
)


def get_campaign_tree(ledger, campaign_id: str, today: date | None = None, soon_days: int | None = None) -> CampaignTree:
    """The live tree with derived flags; numbering follows the list order."""
    today = today or date.today()
    horizon = soon_days_setting(ledger) if soon_days is None else soon_days
    with ledger.read() as s:
        camp = _get(s, Campaign, campaign_id, "主题教育活动")
        row = _campaign_row(camp, _branch_names(s))
        cats = list(s.scalars(live(RectCategory).where(RectCategory.campaign_id == campaign_id)
                              .order_by(RectCategory.seq, RectCategory.name)))
        cat_ids = [c.id for c in cats]
        probs = list(s.scalars(live(Problem).where(Problem.category_id.in_(cat_ids)).order_by(Problem.seq)))
        prob_ids = [p.id for p in probs]
        meas = list(s.scalars(live(Measure).where(Measure.problem_id.in_(prob_ids)).order_by(Measure.seq)))
        meas_ids = [m.id for m in meas]
        prog = list(s.scalars(live(ProgressEntry).where(ProgressEntry.measure_id.in_(meas_ids))
                              .order_by(ProgressEntry.date, ProgressEntry.modified_at)))
        progress: dict[str, list[ProgressRow]] = {}
        for e in prog:
            progress.setdefault(e.measure_id, []).append(ProgressRow(e.id, e.date, e.text))
        by_problem: dict[str, list[Measure]] = {}
        for m in meas:
            by_problem.setdefault(m.problem_id, []).append(m)
        by_cat: dict[str, list[Problem]] = {}
        for p in probs:
            by_cat.setdefault(p.category_id, []).append(p)
        n_prob = n_meas = n_key = 0
        categories = []
        for ci, c in enumerate(cats, 1):
            pnodes = []
            for p in by_cat.get(c.id, []):
                n_prob += 1
                n_key += bool(p.is_key)
                mnodes = []
                for m in by_problem.get(p.id, []):
                    n_meas += 1
                    status = MeasureStatus(m.status)
                    mnodes.append(MeasureNode(
                        m.id, p.id, n_meas, m.content, m.target, m.leader, m.owner, m.deadline,
                        MeasureType(m.type), status, m.evidence, m.closed_on,
                        measure_flags(m.deadline, status, today, horizon, MeasureType(m.type)),
                        tuple(progress.get(m.id, ())), m.version,
                    ))  # fmt: skip
                pnodes.append(ProblemNode(p.id, c.id, n_prob, p.description, ProblemSource(p.source),
                                          bool(p.is_key), tuple(mnodes), p.version))
            categories.append(CategoryNode(c.id, ci, c.name, tuple(pnodes), c.version))
    counts = (len(cats), n_prob, n_meas, n_key)
    return CampaignTree(row, tuple(categories), today, horizon, counts)


def measure_nodes(tree: CampaignTree, ledger, ids: set[str]) -> CampaignTree | None:
    """``tree`` with the measures ``ids`` read again (same numbering, flags as of the tree's day),
    or None when the tree must be read whole: a measure that is new, deleted or moved."""
    old = {m.id: m for _c, _p, m in tree.measures()}
    new: dict[str, MeasureNode] = {}
    with ledger.read() as s:
        rows = {m.id: m for m in s.scalars(live(Measure).where(Measure.id.in_(list(ids))))}
        if set(rows) != set(ids) or any(i not in old or rows[i].problem_id != old[i].problem_id for i in ids):
            return None
        shown = {p.id: [m.id for m in p.measures] for c in tree.categories for p in c.problems}
        for pid in {m.problem_id for m in rows.values()}:  # a move changes the order: read whole
            order = s.scalars(live(Measure).where(Measure.problem_id == pid).order_by(Measure.seq)
                              .with_only_columns(Measure.id)).all()
            if list(order) != shown.get(pid):
                return None
        progress: dict[str, list[ProgressRow]] = {}
        for e in s.scalars(live(ProgressEntry).where(ProgressEntry.measure_id.in_(list(ids)))
                           .order_by(ProgressEntry.date, ProgressEntry.modified_at)):
            progress.setdefault(e.measure_id, []).append(ProgressRow(e.id, e.date, e.text))
        for i, m in rows.items():
            status = MeasureStatus(m.status)
            new[i] = MeasureNode(
                m.id, m.problem_id, old[i].number, m.content, m.target, m.leader, m.owner, m.deadline,
                MeasureType(m.type), status, m.evidence, m.closed_on,
                measure_flags(m.deadline, status, tree.today, tree.soon_days, MeasureType(m.type)),
                tuple(progress.get(i, ())), m.version,
            )  # fmt: skip
    cats = tuple(replace(c, problems=tuple(
        replace(p, measures=tuple(new.get(m.id, m) for m in p.measures)) if any(m.id in new for m in p.measures)
        else p for p in c.problems)) for c in tree.categories)
    return replace(tree, categories=cats)


def campaign_counts(ledger, campaign_id: str) -> tuple[int, int, int, int]:
    """(categories, problems, measures, key items) of the live tree."""
    with ledger.read() as s:
        _get(s, Campaign, campaign_id, "主题教育活动")
        cat_q = live(RectCategory).where(RectCategory.campaign_id == campaign_id).with_only_columns(RectCategory.id)
        prob_q = live(Problem).where(Problem.category_id.in_(cat_q))
        cats = s.scalar(select(func.count()).select_from(cat_q.subquery())) or 0
        probs = s.scalar(select(func.count()).select_from(prob_q.subquery())) or 0
        keys = s.scalar(select(func.count()).select_from(prob_q.where(Problem.is_key.is_(True)).subquery())) or 0
        meas_q = live(Measure).where(Measure.problem_id.in_(prob_q.with_only_columns(Problem.id)))
        meas = s.scalar(select(func.count()).select_from(meas_q.subquery())) or 0
        return (cats, probs, meas, keys)


def get_measure(ledger, measure_id: str) -> MeasureInput:
    """The stored values of one measure, for an editor."""
    with ledger.read() as s:
        m = _get(s, Measure, measure_id, "整改措施")
        return MeasureInput(m.problem_id, m.content, m.target, m.leader, m.owner, m.deadline, m.type,
                            m.status, m.evidence, m.closed_on, m.id, m.version)


def get_problem(ledger, problem_id: str) -> ProblemInput:
    with ledger.read() as s:
        p = _get(s, Problem, problem_id, "问题")
        return ProblemInput(p.category_id, p.description, p.source, p.is_key, p.id, p.version)


def campaign_of(ledger, kind: str, record_id: str) -> str | None:
    """The campaign a node belongs to (for open_record); None when unknown."""
    model = KINDS.get(kind) or (Campaign if kind == "campaign" else None)
    if model is None:
        return None
    with ledger.read() as s:
        obj = s.get(model, record_id)
        if obj is None:
            return None
        return obj.id if kind == "campaign" else _campaign_of(s, kind, obj)
