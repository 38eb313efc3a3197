"""主题教育整改 use cases: campaigns, the category → problem → measure tree, 销号, recycle bin.

Every function opens one transaction and returns plain dataclasses. Deletes are tombstones:
deleting a node hides it and everything under it; :func:`list_deleted` / :func:`restore`
form the 回收站 (restoring a node also restores any deleted ancestor, so it becomes visible).
Overdue / due-soon flags are derived on read (desktop.domain.rectification.measure_flags).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.domain.dates import parse_date, parse_optional_date
from desktop.domain.enums import MeasureStatus, MeasureType, ProblemSource
from desktop.domain.errors import DomainValidationError, ErrorCollector
from desktop.domain.rectification import (
    MeasureFlag,
    check_can_close,
    counts_sentence,
    measure_flags,
    validate_close_date,
)
from desktop.domain.text import clean_line, clean_text, is_blank
from desktop.store.models import Branch, Campaign, Measure, Problem, ProgressEntry, RectCategory
from desktop.store.queries import live

DEFAULT_SOON_DAYS = 14
KINDS = {"category": RectCategory, "problem": Problem, "measure": Measure, "progress": ProgressEntry}
KIND_LABELS = {"category": "类别", "problem": "问题", "measure": "整改措施", "progress": "进展"}


class NotFound(LookupError):
    """The record does not exist or was deleted."""


# --------------------------------------------------------------------------- data
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


@dataclass(frozen=True)
class CampaignInput:
    name: str
    year: int
    branch_id: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    description: str = ""
    id: str | None = None


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


@dataclass(frozen=True)
class CategoryNode:
    id: str
    number: int
    name: str
    problems: tuple[ProblemNode, ...] = ()


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


@dataclass(frozen=True)
class DeletedItem:
    kind: str  # category / problem / measure / progress
    id: str
    label: str  # e.g. "整改措施：建立……"
    path: str  # where it was: "理论学习 › 学习不够深入"
    deleted_at: object = field(default=None)


# ----------------------------------------------------------------------- helpers
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
        c.start_date, c.end_date, c.description,
    )  # fmt: skip


def _branch_names(session: Session) -> dict[str, str]:
    return {b.id: b.name for b in session.scalars(select(Branch))}


# --------------------------------------------------------------------- campaigns
def list_campaigns(ledger) -> list[CampaignRow]:
    """Live campaigns, newest year first."""
    with ledger.read() as s:
        names = _branch_names(s)
        rows = s.scalars(live(Campaign).order_by(Campaign.year.desc(), Campaign.start_date.desc(), Campaign.name))
        return [_campaign_row(c, names) for c in rows]


def get_campaign(ledger, campaign_id: str) -> CampaignRow:
    with ledger.read() as s:
        return _campaign_row(_get(s, Campaign, campaign_id, "主题教育活动"), _branch_names(s))


def save_campaign(ledger, data: CampaignInput) -> str:
    errs = ErrorCollector()
    name = clean_line(data.name)
    if not name:
        errs.add("活动名称", "不能为空，例如“学习贯彻新时代中国特色社会主义思想主题教育”")
    if not 1921 <= int(data.year or 0) <= 2100:
        errs.add("年度", f"“{data.year}”不是有效年份")
    start = end = None
    with errs.check():
        start = parse_optional_date(data.start_date, "开始日期")
    with errs.check():
        end = parse_optional_date(data.end_date, "结束日期")
    if start and end and end < start:
        errs.add("结束日期", "早于开始日期")
    errs.raise_if_any()
    with ledger.write() as s:
        if data.branch_id:
            _get(s, Branch, data.branch_id, "支部")
        c = _get(s, Campaign, data.id, "主题教育活动") if data.id else Campaign()
        c.name, c.year, c.branch_id = name, int(data.year), data.branch_id or None
        c.start_date, c.end_date, c.description = start, end, clean_text(data.description)
        s.add(c)
        s.flush()
        return c.id


def delete_campaign(ledger, campaign_id: str) -> None:
    with ledger.write() as s:
        _get(s, Campaign, campaign_id, "主题教育活动").tombstone()


def restore_campaign(ledger, campaign_id: str) -> None:
    with ledger.write() as s:
        c = s.get(Campaign, campaign_id)
        if c is None:
            raise NotFound("主题教育活动不存在")
        c.restore()


def list_deleted_campaigns(ledger) -> list[CampaignRow]:
    with ledger.read() as s:
        names = _branch_names(s)
        rows = s.scalars(select(Campaign).where(Campaign.deleted_at.is_not(None)).order_by(Campaign.year.desc()))
        return [_campaign_row(c, names) for c in rows]


# -------------------------------------------------------------------------- tree
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
                        tuple(progress.get(m.id, ())),
                    ))  # fmt: skip
                pnodes.append(ProblemNode(p.id, c.id, n_prob, p.description, ProblemSource(p.source),
                                          bool(p.is_key), tuple(mnodes)))
            categories.append(CategoryNode(c.id, ci, c.name, tuple(pnodes)))
    counts = (len(cats), n_prob, n_meas, n_key)
    return CampaignTree(row, tuple(categories), today, horizon, counts)


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


# ------------------------------------------------------------------------- nodes
def save_category(ledger, campaign_id: str, name: str, category_id: str | None = None) -> str:
    text = clean_line(name)
    if not text:
        raise DomainValidationError("类别", "不能为空，例如“理论学习”")
    with ledger.write() as s:
        _get(s, Campaign, campaign_id, "主题教育活动")
        dup = s.scalar(live(RectCategory).where(RectCategory.campaign_id == campaign_id,
                                                RectCategory.name == text, RectCategory.id != (category_id or "")))
        if dup is not None:
            raise DomainValidationError("类别", f"“{text}”已存在")
        if category_id:
            cat = _get(s, RectCategory, category_id, "类别")
        else:
            cat = RectCategory(campaign_id=campaign_id,
                               seq=_next_seq(s, RectCategory, RectCategory.campaign_id, campaign_id))
            s.add(cat)
        cat.name = text
        s.flush()
        return cat.id


def save_problem(ledger, data: ProblemInput) -> str:
    errs = ErrorCollector()
    desc = clean_text(data.description)
    if is_blank(desc):
        errs.add("问题表现", "不能为空")
    if data.source not in set(ProblemSource):
        errs.add("问题来源", f"“{data.source}”不是可选来源（{'、'.join(ProblemSource)}）")
    errs.raise_if_any()
    with ledger.write() as s:
        _get(s, RectCategory, data.category_id, "类别")
        if data.id:
            p = _get(s, Problem, data.id, "问题")
            if p.category_id != data.category_id:
                p.seq = _next_seq(s, Problem, Problem.category_id, data.category_id)
        else:
            p = Problem(seq=_next_seq(s, Problem, Problem.category_id, data.category_id))
            s.add(p)
        p.category_id, p.description, p.source, p.is_key = data.category_id, desc, str(data.source), bool(data.is_key)
        s.flush()
        return p.id


def validate_measure(data: MeasureInput, today: date | None = None) -> MeasureInput:
    """All problems of a measure at once (ValidationErrors naming each field). Returns ``data``
    with 整改时限 / 销号日期 as dates (typed text such as "2026-06-30" is accepted; an
    impossible date such as 2023-02-30 is refused naming the field)."""
    errs = ErrorCollector()
    bad_dates: set[str] = set()
    dates: dict[str, date | None] = {}
    for key, label in (("deadline", "整改时限"), ("closed_on", "销号日期")):
        try:
            dates[key] = parse_optional_date(getattr(data, key), label)
        except DomainValidationError as exc:
            errs.errors.append(exc)
            bad_dates.add(key)
            dates[key] = None
    data = replace(data, **dates)
    if is_blank(data.content):
        errs.add("整改措施", "不能为空")
    if data.type not in set(MeasureType):
        errs.add("整改类型", f"“{data.type}”不是可选类型（{'、'.join(MeasureType)}）")
    if data.status not in set(MeasureStatus):
        errs.add("状态", f"“{data.status}”不是可选状态（{'、'.join(MeasureStatus)}）")
    elif data.status == MeasureStatus.CLOSED:
        if "closed_on" not in bad_dates:
            with errs.check():
                validate_close_date(data.closed_on, today or date.today())
    elif data.closed_on is not None:
        errs.add("销号日期", f"填写了销号日期，但状态是“{data.status}”而不是“已销号”")
    if (data.type == MeasureType.DEADLINE and data.deadline is None and data.status != MeasureStatus.CLOSED
            and "deadline" not in bad_dates):
        errs.add("整改时限", "限期整改的措施须填写整改时限")
    errs.raise_if_any()
    return data


def _apply_measure(m: Measure, data: MeasureInput) -> None:
    m.content, m.target = clean_text(data.content), clean_text(data.target)
    m.leader, m.owner = clean_line(data.leader), clean_line(data.owner)
    m.deadline, m.type, m.status = data.deadline, str(data.type), str(data.status)
    m.evidence, m.closed_on = clean_text(data.evidence), data.closed_on


def save_measure(ledger, data: MeasureInput, today: date | None = None) -> str:
    data = validate_measure(data, today)
    with ledger.write() as s:
        _get(s, Problem, data.problem_id, "问题")
        if data.id:
            m = _get(s, Measure, data.id, "整改措施")
            if m.problem_id != data.problem_id:
                m.seq = _next_seq(s, Measure, Measure.problem_id, data.problem_id)
        else:
            m = Measure(seq=_next_seq(s, Measure, Measure.problem_id, data.problem_id))
            s.add(m)
        m.problem_id = data.problem_id
        _apply_measure(m, data)
        s.flush()
        return m.id


def close_measure(ledger, measure_id: str, on: date | str, today: date | None = None) -> None:
    """销号: only from 已完成 / 阶段性完成并长期坚持; records the date."""
    on = parse_date(on, "销号日期")
    validate_close_date(on, today or date.today())
    with ledger.write() as s:
        m = _get(s, Measure, measure_id, "整改措施")
        check_can_close(MeasureStatus(m.status))
        m.status, m.closed_on = MeasureStatus.CLOSED.value, on


def undo_close(ledger, measure_id: str) -> None:
    """撤销销号: back to 已完成 (or 阶段性完成并长期坚持 for 长期坚持 measures)."""
    with ledger.write() as s:
        m = _get(s, Measure, measure_id, "整改措施")
        if m.status != MeasureStatus.CLOSED:
            raise DomainValidationError("状态", "该措施尚未销号")
        m.status = (MeasureStatus.ONGOING if m.type == MeasureType.LONG_TERM else MeasureStatus.DONE).value
        m.closed_on = None


def add_progress(ledger, measure_id: str, day: date | str, text: str, today: date | None = None) -> str:
    body = clean_text(text)
    errs = ErrorCollector()
    try:
        day = parse_date(day, "进展日期")
    except DomainValidationError as exc:
        errs.errors.append(exc)
    else:
        if day > (today or date.today()):
            errs.add("进展日期", f"{day.isoformat()} 晚于今天")
    if is_blank(body):
        errs.add("进展情况", "不能为空")
    errs.raise_if_any()
    with ledger.write() as s:
        _get(s, Measure, measure_id, "整改措施")
        e = ProgressEntry(measure_id=measure_id, date=day, text=body)
        s.add(e)
        s.flush()
        return e.id


# ---------------------------------------------------------- reorder and delete
_PARENT = {"category": "campaign_id", "problem": "category_id", "measure": "problem_id"}


def move(ledger, kind: str, record_id: str, delta: int) -> bool:
    """Move a category / problem / measure up (-1) or down (+1) among its live siblings."""
    model = KINDS[kind]
    with ledger.write() as s:
        obj = _get(s, model, record_id, KIND_LABELS[kind])
        col = getattr(model, _PARENT[kind])
        sibs = list(s.scalars(live(model).where(col == getattr(obj, _PARENT[kind])).order_by(model.seq)))
        i = next(k for k, o in enumerate(sibs) if o.id == obj.id)
        j = i + delta
        if not 0 <= j < len(sibs):
            return False
        sibs[i], sibs[j] = sibs[j], sibs[i]
        for seq, o in enumerate(sibs, 1):
            if o.seq != seq:
                o.seq = seq
        return True


def delete(ledger, kind: str, record_id: str) -> None:
    """Tombstone one node (its children disappear with it and come back with it)."""
    with ledger.write() as s:
        _get(s, KINDS[kind], record_id, KIND_LABELS[kind]).tombstone()


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


def get_measure(ledger, measure_id: str) -> MeasureInput:
    """The stored values of one measure, for an editor."""
    with ledger.read() as s:
        m = _get(s, Measure, measure_id, "整改措施")
        return MeasureInput(m.problem_id, m.content, m.target, m.leader, m.owner, m.deadline, m.type,
                            m.status, m.evidence, m.closed_on, m.id)


def get_problem(ledger, problem_id: str) -> ProblemInput:
    with ledger.read() as s:
        p = _get(s, Problem, problem_id, "问题")
        return ProblemInput(p.category_id, p.description, p.source, p.is_key, p.id)


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
