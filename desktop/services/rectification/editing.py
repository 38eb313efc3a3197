"""Editing the tree: categories, problems, measures (validated), progress entries, reordering."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from desktop.domain.dates import parse_date, parse_optional_date
from desktop.domain.enums import MeasureStatus, MeasureType, ProblemSource
from desktop.domain.errors import DomainValidationError, ErrorCollector
from desktop.domain.rectification import (
    validate_close_date,
)
from desktop.domain.text import clean_line, clean_text, is_blank
from desktop.store.models import Campaign, Measure, Problem, ProgressEntry, RectCategory
from desktop.store.queries import live

from ..conflicts import check_version
from .records import (
    KIND_LABELS,
    KINDS,
    MeasureInput,
    ProblemInput,
    _get,
    _next_seq,
)


def delete(ledger, kind: str, record_id: str, version: int | None = None) -> None:
    """Tombstone one node (its children disappear with it and come back with it from the
    回收站, desktop.services.recycle). ``version``: the one shown (changed since: RecordConflict)."""
    with ledger.write() as s:
        check_version(s, KINDS[kind], record_id, version, KIND_LABELS[kind])
        _get(s, KINDS[kind], record_id, KIND_LABELS[kind]).tombstone()


def save_category(ledger, campaign_id: str, name: str, category_id: str | None = None,
                  version: int | None = None) -> str:
    text = clean_line(name)
    if not text:
        raise DomainValidationError("类别", "不能为空，例如“理论学习”")
    with ledger.write() as s:
        check_version(s, RectCategory, category_id, version, "类别")
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
        check_version(s, Problem, data.id, data.version, "问题")
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
        check_version(s, Measure, data.id, data.version, "整改措施")
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
