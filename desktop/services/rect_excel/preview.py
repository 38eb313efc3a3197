"""Row-by-row preview of a sheet (nothing written) and the one-transaction import."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from desktop.domain.enums import MeasureStatus, MeasureType, ProblemSource
from desktop.domain.errors import DomainValidationError, ValidationErrors
from desktop.domain.text import clean_text
from desktop.store.models import Measure, Problem, ProgressEntry, RectCategory
from desktop.store.queries import live

from ..backups import backup_before
from ..rectification import MeasureInput, NotFound, validate_measure
from .columns import COLUMN_BY_KEY, NO_WORDS, SOURCE_ALIASES, STATUS_ALIASES, YES_WORDS
from .sheet import Cell, SheetData
from .values import optional_date, parse_deadline, parse_progress


@dataclass
class PreviewRow:
    row_number: int
    category: str = ""
    problem: str = ""
    problem_group: int = -1  # rows with the same group form one problem
    source: str = ProblemSource.SELF_CHECK
    is_key: bool = False
    measure: MeasureInput | None = None
    progress: list[tuple[date, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportPreview:
    rows: list[PreviewRow]
    mapping_errors: list[str]

    @property
    def error_rows(self) -> int:
        return sum(1 for r in self.rows if not r.ok)

    @property
    def can_import(self) -> bool:
        return not self.mapping_errors and any(r.ok for r in self.rows)

    def counts(self, skip_errors: bool = True) -> tuple[int, int, int, int]:
        rows = [r for r in self.rows if r.ok or not skip_errors]
        groups = {r.problem_group: r for r in reversed(rows)}
        return (len({r.category for r in rows}), len(groups), len(rows), sum(1 for r in groups.values() if r.is_key))


def _text(cells: tuple[Cell, ...], mapping: dict[str, int | None], key: str, multiline: bool = True) -> str:
    i = mapping.get(key)
    if i is None or i >= len(cells):
        return ""
    v = cells[i].value
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return clean_text(str(v), multiline=multiline) if v is not None else ""


def _raw(cells: tuple[Cell, ...], mapping: dict[str, int | None], key: str) -> object:
    i = mapping.get(key)
    return cells[i].value if i is not None and i < len(cells) else None


def _merge(cells: tuple[Cell, ...], mapping: dict[str, int | None], key: str) -> str | None:
    i = mapping.get(key)
    return cells[i].merge if i is not None and i < len(cells) else None


def _is_note_row(cells: tuple[Cell, ...], mapping: dict[str, int | None]) -> bool:
    """A title or 注 row: everything mapped comes from one merged range spanning columns."""
    used = [cells[i] for i in mapping.values() if i is not None and i < len(cells) and cells[i].value not in (None, "")]
    merges = {c.merge for c in used}
    return bool(used) and len(merges) == 1 and None not in merges and len(used) > 1


def build_preview(sheet: SheetData, mapping: dict[str, int | None], today: date | None = None) -> ImportPreview:
    """Check every row; nothing is written. Errors are per row, in Chinese, naming the column."""
    today = today or date.today()
    missing = [f"未指定“{COLUMN_BY_KEY[k].label}”对应的列" for k in ("category", "problem", "measure")
               if mapping.get(k) is None]
    taken = [i for i in mapping.values() if i is not None]
    if len(taken) != len(set(taken)):
        missing.append("同一列被指定给了两个字段，请检查列对应关系")
    rows: list[PreviewRow] = []
    if missing:
        return ImportPreview(rows, missing)
    category = ""
    group = -1
    last_problem = ("", None, "")  # (text, merge range, category)
    for number, cells in sheet.rows:
        if _is_note_row(cells, mapping):
            continue
        row = PreviewRow(number)
        row.category = _text(cells, mapping, "category", False) or category
        if not row.category:
            row.errors.append("类别为空，且上方没有可沿用的类别")
        category = row.category
        text = _text(cells, mapping, "problem")
        merge = _merge(cells, mapping, "problem")
        if not text:
            if group < 0 or last_problem[2] != row.category:
                row.errors.append("整改措施没有对应的问题（问题表现为空）")
            else:
                text = last_problem[0]
        elif not ((merge is not None and merge == last_problem[1]) or
                  (merge is None and last_problem[1] is None and text == last_problem[0]
                   and row.category == last_problem[2])):
            group += 1
        if text:
            last_problem = (text, merge, row.category)
        row.problem, row.problem_group = text, group
        source = _text(cells, mapping, "source", False)
        if source:
            norm = SOURCE_ALIASES.get(source.replace(" ", ""))
            if norm is None:
                row.errors.append(f"问题来源“{source}”无法识别（可填：{'、'.join(ProblemSource)}）")
            else:
                row.source = norm
        key_text = _text(cells, mapping, "is_key", False).upper()
        if key_text in YES_WORDS:
            row.is_key = True
        elif key_text not in NO_WORDS:
            row.errors.append(f"重点整改项目“{key_text}”应填“是”或留空")
        content = _text(cells, mapping, "measure")
        if not content:
            row.errors.append("整改措施为空")
        deadline, implied_type = None, None
        try:
            deadline, implied_type = parse_deadline(_raw(cells, mapping, "deadline"))
        except DomainValidationError as e:
            row.errors.append(str(e))
        mtype = _text(cells, mapping, "type", False)
        if mtype and mtype not in set(MeasureType):
            row.errors.append(f"整改类型“{mtype}”无法识别（可填：{'、'.join(MeasureType)}）")
        if not mtype:
            mtype = implied_type or (MeasureType.DEADLINE if deadline else MeasureType.LONG_TERM)
            if not implied_type and not deadline:
                row.warnings.append("未填整改类型和整改时限，按“长期坚持”导入")
        closed_on = None
        try:
            closed_on = optional_date(_raw(cells, mapping, "closed_on"), "销号日期")
        except DomainValidationError as e:
            row.errors.append(str(e))
        status = _text(cells, mapping, "status", False)
        if status:
            status = status if status in set(MeasureStatus) else STATUS_ALIASES.get(status, "")
            if not status:
                row.errors.append(f"状态“{_text(cells, mapping, 'status', False)}”无法识别（可填：{'、'.join(MeasureStatus)}）")
        else:
            status = MeasureStatus.CLOSED if closed_on else MeasureStatus.NOT_STARTED
        row.progress, warns = parse_progress(_raw(cells, mapping, "progress"), today)
        row.warnings.extend(warns)
        data = MeasureInput("", content, _text(cells, mapping, "target"), _text(cells, mapping, "leader", False),
                            _text(cells, mapping, "owner", False), deadline, str(mtype), str(status or ""),
                            _text(cells, mapping, "evidence"), closed_on)
        if content and status and mtype in set(MeasureType):
            try:
                validate_measure(data, today)
            except ValidationErrors as errs:
                row.errors.extend(str(e) for e in errs if not (e.field == "整改措施"))
        row.measure = data
        rows.append(row)
    if not rows:
        missing.append("表头下方没有数据行")
    return ImportPreview(rows, missing)


def import_preview(ledger, campaign_id: str, preview: ImportPreview, *, skip_errors: bool = False) -> tuple[int, int, int, int]:
    """Write the previewed rows into ``campaign_id`` in one transaction; returns the counts written.

    Categories are matched by name (existing ones reused); problems and measures are appended.
    Refuses (ValidationErrors) when any row has an error unless ``skip_errors``.
    """
    if preview.mapping_errors:
        raise ValidationErrors([DomainValidationError("列对应", m) for m in preview.mapping_errors])
    bad = [r for r in preview.rows if not r.ok]
    if bad and not skip_errors:
        raise ValidationErrors([DomainValidationError(f"第{r.row_number}行", "；".join(r.errors)) for r in bad[:20]])
    rows = [r for r in preview.rows if r.ok]
    from desktop.store.models import Campaign  # local: keeps the import list short

    if rows:
        backup_before(ledger, "import")

    with ledger.write() as s:
        camp = s.get(Campaign, campaign_id)
        if camp is None or camp.deleted_at is not None:
            raise NotFound("主题教育活动不存在或已删除")
        cats = {c.name: c for c in s.scalars(live(RectCategory).where(RectCategory.campaign_id == campaign_id))}
        cat_seq = max((c.seq for c in cats.values()), default=0)
        problems: dict[int, Problem] = {}
        pseq: dict[str, int] = {}
        mseq: dict[str, int] = {}
        for row in rows:
            cat = cats.get(row.category)
            if cat is None:
                cat_seq += 1
                cat = RectCategory(campaign_id=campaign_id, name=row.category, seq=cat_seq)
                s.add(cat)
                s.flush()
                cats[row.category] = cat
            if cat.id not in pseq:
                pseq[cat.id] = max((p.seq for p in s.scalars(live(Problem).where(Problem.category_id == cat.id))),
                                   default=0)
            prob = problems.get(row.problem_group)
            if prob is None:
                pseq[cat.id] += 1
                prob = Problem(category_id=cat.id, seq=pseq[cat.id], description=row.problem,
                               source=str(row.source), is_key=row.is_key)
                s.add(prob)
                s.flush()
                problems[row.problem_group] = prob
            mseq[prob.id] = mseq.get(prob.id, 0) + 1
            m, d = Measure(problem_id=prob.id, seq=mseq[prob.id]), row.measure
            m.content, m.target, m.leader, m.owner = d.content, d.target, d.leader, d.owner
            m.deadline, m.type, m.status, m.evidence, m.closed_on = d.deadline, d.type, d.status, d.evidence, d.closed_on
            s.add(m)
            s.flush()
            for day, text in row.progress:
                s.add(ProgressEntry(measure_id=m.id, date=day, text=text))
    return preview.counts(skip_errors=True)
