"""全局搜索 (Ctrl+Shift+F): one search box over meeting records, the 党员 roster and the 整改清单.

Same words rule as the meeting search (``desktop.services.search``): whitespace separates words,
every word must occur (AND), case-insensitive substring. Meetings use the bigram FTS index
(agenda, content, speeches and speakers, motions, resolution, guests …); members (name, 党内职务,
职务, 备注, phone) and 整改 items (problem text, measure text, 责任领导/部门/人, 进展) are a few
thousand short rows at most and are matched in SQL with ``instr(lower(…))`` — exact substring
semantics for any word length, which the tests check against a brute-force scan.
Each hit carries a :class:`~desktop.services.search.Snippet` of where it matched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select

from desktop.store.models import Branch, Campaign, Measure, Member, Problem, ProgressEntry, RectCategory

from . import search as fts
from .meetings import ensure_search_index
from .organization import reading

KIND_LABELS = {"meeting": "会议记录", "member": "党员", "problem": "整改问题", "measure": "整改措施"}


@dataclass(frozen=True)
class Hit:
    kind: str  # meeting / member / problem / measure (open_record kinds)
    record_id: str
    title: str  # what the record is: "2026年3月10日 支部党员大会（第1次）", "张建国（第一党支部）" …
    match: fts.Snippet

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def _short(text: str, n: int = 24) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _all_words(columns: list[Any], needles: list[str]):
    """SQL: every needle occurs in one of the columns (lower-cased, substring)."""
    hay = func.lower(func.coalesce(columns[0], ""))
    for c in columns[1:]:
        hay = hay + "\n" + func.lower(func.coalesce(c, ""))
    return and_(*[func.instr(hay, n) > 0 for n in needles]), hay


def search_everything(ledger, query: str, limit: int = 200) -> list[Hit]:
    """Hits for ``query``: meetings (newest first), then members, then 整改 problems and measures."""
    words = fts.split_query(query)
    if not words:
        return []
    needles = [fts.normalize(w) for w in words]
    ensure_search_index(ledger)
    hits: list[Hit] = []
    with reading(ledger) as s:
        branches = dict(s.execute(select(Branch.id, Branch.name)).all())
        for r in fts.search_rows(s, query, limit=limit, with_snippet=True):
            mid, branch_id, kind, number, title, day = r[:6]
            label = f"{day} {branches.get(branch_id, '')} {title or kind}" + (f"（第{number}次）" if number and not title else "")
            hits.append(Hit("meeting", mid, label, r[-1]))
        cols = [Member.name, Member.job_title, Member.phone, Member.notes]
        cond, hay = _all_words(cols, needles)
        for mid, name, branch_id, text in s.execute(
            select(Member.id, Member.name, Member.branch_id, hay).where(Member.deleted_at.is_(None), cond)
            .order_by(Member.name).limit(limit)
        ):
            hits.append(Hit("member", mid, f"{name}（{branches.get(branch_id, '')}）", fts.snippet([text], needles)))
        live_tree = and_(Problem.deleted_at.is_(None), RectCategory.deleted_at.is_(None),
                         Campaign.deleted_at.is_(None))
        cond, hay = _all_words([Problem.description, Problem.source], needles)
        for pid, desc, cname, text in s.execute(
            select(Problem.id, Problem.description, Campaign.name, hay)
            .join(RectCategory, RectCategory.id == Problem.category_id)
            .join(Campaign, Campaign.id == RectCategory.campaign_id)
            .where(live_tree, cond).order_by(Campaign.year.desc(), RectCategory.seq, Problem.seq).limit(limit)
        ):
            hits.append(Hit("problem", pid, f"问题：{_short(desc)}（{cname}）", fts.snippet([text], needles)))
        progress = (select(func.group_concat(ProgressEntry.text, "\n"))
                    .where(ProgressEntry.measure_id == Measure.id, ProgressEntry.deleted_at.is_(None))
                    .correlate(Measure).scalar_subquery())
        cond, hay = _all_words([Measure.content, Measure.target, Measure.leader, Measure.owner, Measure.evidence,
                                progress], needles)
        for mid, content, cname, text in s.execute(
            select(Measure.id, Measure.content, Campaign.name, hay)
            .join(Problem, Problem.id == Measure.problem_id)
            .join(RectCategory, RectCategory.id == Problem.category_id)
            .join(Campaign, Campaign.id == RectCategory.campaign_id)
            .where(Measure.deleted_at.is_(None), live_tree, cond)
            .order_by(Campaign.year.desc(), RectCategory.seq, Problem.seq, Measure.seq).limit(limit)
        ):
            hits.append(Hit("measure", mid, f"措施：{_short(content)}（{cname}）", fts.snippet([text], needles)))
    return hits
