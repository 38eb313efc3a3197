"""Plain rows, inputs and tree nodes of the 整改 services, and the session helpers they share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.domain.enums import MeasureStatus, MeasureType, ProblemSource
from desktop.domain.rectification import (
    MeasureFlag,
    counts_sentence,
)
from desktop.store.models import Branch, Campaign, Measure, Problem, ProgressEntry, RectCategory

DEFAULT_SOON_DAYS = 14


KINDS = {"category": RectCategory, "problem": Problem, "measure": Measure, "progress": ProgressEntry}


KIND_LABELS = {"category": "类别", "problem": "问题", "measure": "整改措施", "progress": "进展"}


class NotFound(LookupError):
    """The record does not exist or was deleted."""


@dataclass(frozen=True)
class CampaignRow:
    id: str
    name: str
    year: int
    branch_id: str | None
    branch_name: str  # "" = whole committee
    start_date: date | None
    end_date: date | None
    description: str
    version: int = 0


@dataclass(frozen=True)
class CampaignInput:
    name: str
    year: int
    branch_id: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    description: str = ""
    id: str | None = None
    version: int | None = None  # the version the editor opened; None: not guarded


@dataclass(frozen=True)
class ProgressRow:
    id: str
    date: date
    text: str


@dataclass(frozen=True)
class MeasureNode:
    id: str
    problem_id: str
    number: int  # 1..N over the whole campaign, in list order
    content: str
    target: str
    leader: str
    owner: str
    deadline: date | None
    type: MeasureType
    status: MeasureStatus
    evidence: str
    closed_on: date | None
    flag: MeasureFlag
    progress: tuple[ProgressRow, ...] = ()
    version: int = 0

    @property
    def latest_progress(self) -> str:
        return self.progress[-1].text if self.progress else ""


@dataclass(frozen=True)
class ProblemNode:
    id: str
    category_id: str
    number: int  # 1..N over the whole campaign
    description: str
    source: ProblemSource
    is_key: bool
    measures: tuple[MeasureNode, ...] = ()
    version: int = 0


@dataclass(frozen=True)
class CategoryNode:
    id: str
    number: int
    name: str
    problems: tuple[ProblemNode, ...] = ()
    version: int = 0


@dataclass(frozen=True)
class CampaignTree:
    campaign: CampaignRow
    categories: tuple[CategoryNode, ...]
    today: date
    soon_days: int
    counts: tuple[int, int, int, int] = (0, 0, 0, 0)  # categories, problems, measures, key items

    @property
    def sentence(self) -> str:
        return counts_sentence(*self.counts)

    def measures(self) -> list[tuple[CategoryNode, ProblemNode, MeasureNode]]:
        return [(c, p, m) for c in self.categories for p in c.problems for m in p.measures]

    def problems(self) -> list[tuple[CategoryNode, ProblemNode]]:
        return [(c, p) for c in self.categories for p in c.problems]

    def flag_counts(self) -> dict[MeasureFlag, int]:
        out = {f: 0 for f in MeasureFlag}
        for _c, _p, m in self.measures():
            out[m.flag] += 1
        return out

    def status_counts(self) -> dict[MeasureStatus, int]:
        out = {s: 0 for s in MeasureStatus}
        for _c, _p, m in self.measures():
            out[m.status] += 1
        return out


@dataclass(frozen=True)
class ProblemInput:
    category_id: str
    description: str
    source: str = ProblemSource.SELF_CHECK
    is_key: bool = False
    id: str | None = None
    version: int | None = None


@dataclass(frozen=True)
class MeasureInput:
    problem_id: str
    content: str
    target: str = ""
    leader: str = ""
    owner: str = ""
    deadline: date | None = None
    type: str = MeasureType.DEADLINE
    status: str = MeasureStatus.NOT_STARTED
    evidence: str = ""
    closed_on: date | None = None
    id: str | None = None
    version: int | None = None


def soon_days_setting(ledger) -> int:
    """The 'due soon' horizon for measures: ledger setting ``reminder_days`` (default 14)."""
    try:
        from desktop.services import settings as settings_service
    except ImportError:
        return DEFAULT_SOON_DAYS
    try:
        value = getattr(settings_service.get_settings(ledger), "reminder_days", None)
    except Exception:  # noqa: BLE001 - settings are optional here; the default is safe
        return DEFAULT_SOON_DAYS
    return int(value) if isinstance(value, int) and value >= 0 else DEFAULT_SOON_DAYS


def _get(session: Session, model, record_id: str | None, label: str):
    obj = session.get(model, record_id) if record_id else None
    if obj is None or obj.deleted_at is not None:
        raise NotFound(f"{label}不存在或已删除")
    return obj


def _next_seq(session: Session, model, parent_col, parent_id: str) -> int:
    current = session.scalar(select(func.max(model.seq)).where(parent_col == parent_id))
    return (current or 0) + 1


def _campaign_row(c: Campaign, branch_names: dict[str, str]) -> CampaignRow:
    return CampaignRow(
        c.id, c.name, c.year, c.branch_id, branch_names.get(c.branch_id or "", ""),
        c.start_date, c.end_date, c.description, c.version,
    )  # fmt: skip


def _branch_names(session: Session) -> dict[str, str]:
    return {b.id: b.name for b in session.scalars(select(Branch))}


def _ancestors(s: Session, kind: str, obj) -> list:
    chain = []
    if kind == "progress":
        obj = s.get(Measure, obj.measure_id)
        chain.append(obj)
        kind = "measure"
    if kind == "measure":
        obj = s.get(Problem, obj.problem_id)
        chain.append(obj)
        kind = "problem"
    if kind == "problem":
        chain.append(s.get(RectCategory, obj.category_id))
    return chain


def _campaign_of(s: Session, kind: str, obj) -> str:
    chain = [obj, *_ancestors(s, kind, obj)]
    return chain[-1].campaign_id
