"""整改清单 in Excel: read a drafted .xlsx (merged cells, synonym headers), preview it row by row,
import it in one transaction; export a campaign back to .xlsx in the same layout.

Reading merged cells: every cell of a merged range takes the range's top-left value and
remembers the range, so the rows of one merged 问题表现 cell form one problem. A problem cell
left blank continues the problem above; identical text in consecutive unmerged rows is
also one problem (copy-pasted lists).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from desktop.domain.dates import month_range, parse_date
from desktop.domain.enums import MeasureStatus, MeasureType, ProblemSource
from desktop.domain.errors import DomainValidationError, ValidationErrors
from desktop.domain.rectification import MeasureFlag
from desktop.domain.text import clean_line, clean_text
from desktop.store.models import Measure, Problem, ProgressEntry, RectCategory
from desktop.store.queries import live

from .rectification import MeasureInput, NotFound, get_campaign_tree, validate_measure
from .xlsx import DATE_FORMAT, open_workbook, save_workbook


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    synonyms: tuple[str, ...]
    required: bool = False
    width: int = 12


COLUMNS: tuple[Column, ...] = (
    Column("seq", "序号", ("序号", "编号", "序"), width=6),
    Column("category", "类别", ("类别", "问题类别", "分类", "问题分类", "方面"), True, 10),
    Column("problem", "问题表现", ("问题表现", "存在问题", "问题", "问题描述", "主要问题", "具体问题"), True, 30),
    Column("source", "问题来源", ("问题来源", "来源"), width=10),
    Column("is_key", "重点整改项目", ("重点整改项目", "重点项目", "是否重点", "重点"), width=8),
    Column("measure", "整改措施", ("整改措施", "措施", "整改举措", "具体措施"), True, 36),
    Column("target", "整改目标", ("整改目标", "目标", "预期目标"), width=20),
    Column("leader", "责任领导", ("责任领导", "牵头领导", "分管领导", "领导"), width=10),
    Column("owner", "责任部门/责任人", ("责任部门/责任人", "责任部门", "责任人", "责任单位", "责任科室", "具体责任人"), width=14),
    Column("deadline", "整改时限", ("整改时限", "完成时限", "时限", "完成时间", "整改期限", "整改时间"), width=12),
    Column("type", "整改类型", ("整改类型", "类型", "整改方式"), width=10),
    Column("progress", "进展", ("进展", "进展情况", "整改进展", "整改情况", "推进情况", "完成情况"), width=36),
    Column("evidence", "佐证材料", ("佐证材料", "佐证", "证明材料", "支撑材料"), width=18),
    Column("status", "状态", ("状态", "整改状态", "完成状态"), width=12),
    Column("closed_on", "销号日期", ("销号日期", "销号时间"), width=12),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}

_SOURCE_ALIASES = {"自查": "自查", "自查自纠": "自查", "检视": "自查", "自我检视": "自查", "群众": "群众反映",
                   "群众反映": "群众反映", "群众意见": "群众反映", "上级": "上级点评", "上级点评": "上级点评",
                   "上级反馈": "上级点评", "上级指出": "上级点评", "巡视": "巡视巡察", "巡察": "巡视巡察",
                   "巡视巡察": "巡视巡察", "巡视反馈": "巡视巡察", "巡察反馈": "巡视巡察"}  # fmt: skip
_STATUS_ALIASES = {"完成": "已完成", "已整改": "已完成", "整改完成": "已完成", "已完成整改": "已完成",
                   "正在整改": "整改中", "推进中": "整改中", "进行中": "整改中", "未完成": "整改中",
                   "长期坚持": "阶段性完成并长期坚持", "阶段性完成": "阶段性完成并长期坚持",
                   "销号": "已销号", "已销号": "已销号", "未启动": "未开始"}  # fmt: skip
_TRUE = {"是", "√", "✓", "✔", "重点", "Y", "YES", "1", "TRUE"}
_FALSE = {"", "否", "×", "N", "NO", "0", "FALSE", "-"}


def _norm_header(value: object) -> str:
    text = re.sub(r"\s+", "", str(value or ""))
    return text.replace("／", "/").replace("、", "/").replace("（", "(").replace("）", ")")


# --------------------------------------------------------------------- reading
@dataclass(frozen=True)
class Cell:
    value: object
    merge: str | None = None  # "A3:A5" when the cell belongs to a merged range


@dataclass(frozen=True)
class SheetData:
    sheet_name: str
    sheet_names: tuple[str, ...]
    header_row: int  # 1-based
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]  # (excel row number, cells)


def _header_score(values: list[object]) -> int:
    names = {s for c in COLUMNS for s in c.synonyms}
    return sum(1 for v in values if _norm_header(v) in names)


def read_sheet(path: Path | str, sheet: str | None = None) -> SheetData:
    """Read one worksheet (the first by default), finding the header row in the first 15 rows."""
    path = Path(path)

    def unreadable(exc: Exception) -> DomainValidationError:
        return DomainValidationError("文件", f"无法读取“{path.name}”：不是有效的 .xlsx 文件（{exc.__class__.__name__}）")

    with open_workbook(path, unreadable, data_only=True) as wb:
        ws = wb[sheet] if sheet else wb.worksheets[0]
        merged: dict[tuple[int, int], Cell] = {}
        for rng in ws.merged_cells.ranges:
            top = ws.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    merged[(r, c)] = Cell(top, rng.coord)
        width = ws.max_column
        grid: list[tuple[int, tuple[Cell, ...]]] = []
        for r, row in enumerate(ws.iter_rows(values_only=True), 1):
            cells = tuple(merged.get((r, c + 1)) or Cell(row[c] if c < len(row) else None) for c in range(width))
            grid.append((r, cells))
        best, header_at = 0, 0
        for i, (_r, cells) in enumerate(grid[:15]):
            score = _header_score([c.value for c in cells])
            if score > best:
                best, header_at = score, i
        if best < 2:
            raise DomainValidationError("文件", f"在“{ws.title}”前15行中找不到表头（应有“问题表现”“整改措施”等列名）")
        headers = tuple(clean_line(str(c.value or "")) for c in grid[header_at][1])
        body = tuple((r, cells) for r, cells in grid[header_at + 1:]
                     if any(clean_line(str(c.value or "")) for c in cells))
        return SheetData(ws.title, tuple(wb.sheetnames), grid[header_at][0], headers, body)


def guess_mapping(headers: tuple[str, ...] | list[str]) -> dict[str, int | None]:
    """Field key → column index (0-based) or None: exact synonym first, then containment."""
    normed = [_norm_header(h) for h in headers]
    mapping: dict[str, int | None] = {c.key: None for c in COLUMNS}
    used: set[int] = set()
    for col in COLUMNS:
        for syn in col.synonyms:
            hit = next((i for i, h in enumerate(normed) if h == syn and i not in used), None)
            if hit is not None:
                mapping[col.key] = hit
                used.add(hit)
                break
    for col in COLUMNS:
        if mapping[col.key] is not None:
            continue
        for syn in sorted(col.synonyms, key=len, reverse=True):
            if len(syn) < 2:
                continue
            hit = next((i for i, h in enumerate(normed) if syn in h and i not in used), None)
            if hit is not None:
                mapping[col.key] = hit
                used.add(hit)
                break
    return mapping


# --------------------------------------------------------------------- parsing
_YEAR_END_RE = re.compile(r"^(\d{4})\s*年\s*(?:年)?底前?$|^(\d{4})\s*年\s*12\s*月\s*31\s*日?前?$")
_MONTH_RE = re.compile(r"^(\d{4})\s*[年./-]\s*(\d{1,2})\s*月?\s*(?:底|末)?\s*(?:前|以前|之前)?$")


def parse_deadline(value: object) -> tuple[date | None, MeasureType | None]:
    """整改时限 as drafted: a date, "2026年12月底前", "2026年底", "长期坚持", "立行立改"."""
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    text = clean_line(str(value or "")).replace("（", "(").replace("）", ")")
    if not text:
        return None, None
    for t in MeasureType:
        if t.value in text or (t == MeasureType.IMMEDIATE and text in ("立即整改", "即知即改")):
            return None, t
    m = _YEAR_END_RE.match(text)
    if m:
        return date(int(m.group(1) or m.group(2)), 12, 31), None
    text_wo_before = re.sub(r"(前|以前|之前)$", "", text)
    try:
        return parse_date(text_wo_before, "整改时限"), None
    except DomainValidationError:
        pass
    m = _MONTH_RE.match(text)
    if m and 1 <= int(m.group(2)) <= 12:
        return month_range(int(m.group(1)), int(m.group(2)))[1], None
    raise DomainValidationError("整改时限", f"“{text}”无法识别，请写成 2026-12-31、2026年12月底前 或 长期坚持")


_LINE_DATE_RE = re.compile(r"^\s*(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)\s*[：:，,、\s]?\s*(.*)$")


def parse_progress(value: object, today: date) -> tuple[list[tuple[date, str]], list[str]]:
    """One entry per dated line ("2026-03-15 完成…"); undated lines continue the entry above."""
    entries: list[tuple[date, str]] = []
    warnings: list[str] = []
    for line in clean_text(str(value or "")).split("\n"):
        if not line.strip():
            continue
        m = _LINE_DATE_RE.match(line)
        day = None
        if m:
            try:
                day = parse_date(m.group(1), "进展")
            except DomainValidationError:
                day = None
        if day is not None:
            entries.append((day, m.group(2).strip()))
        elif entries:
            entries[-1] = (entries[-1][0], entries[-1][1] + "\n" + line)
        else:
            entries.append((today, line.strip()))
            warnings.append(f"进展“{line.strip()[:12]}”未注明日期，按今天（{today.isoformat()}）记录")
    return [(d, t) for d, t in entries if t], warnings


def _opt_date(value: object, label: str) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    return parse_date(value, label)


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
            norm = _SOURCE_ALIASES.get(source.replace(" ", ""))
            if norm is None:
                row.errors.append(f"问题来源“{source}”无法识别（可填：{'、'.join(ProblemSource)}）")
            else:
                row.source = norm
        key_text = _text(cells, mapping, "is_key", False).upper()
        if key_text in _TRUE:
            row.is_key = True
        elif key_text not in _FALSE:
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
            closed_on = _opt_date(_raw(cells, mapping, "closed_on"), "销号日期")
        except DomainValidationError as e:
            row.errors.append(str(e))
        status = _text(cells, mapping, "status", False)
        if status:
            status = status if status in set(MeasureStatus) else _STATUS_ALIASES.get(status, "")
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


# --------------------------------------------------------------------- export
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
_CENTERED_KEYS = {"seq", "category", "source", "is_key", "leader", "deadline", "type", "status", "closed_on"}


def export_campaign_xlsx(ledger, campaign_id: str, dest: Path | str, today: date | None = None) -> Path:
    """Write the campaign's list to ``dest`` (temp file + rename): title, counts sentence, header,
    one row per measure, category / problem cells merged across their rows."""
    tree = get_campaign_tree(ledger, campaign_id, today=today)
    dest = Path(dest)
    wb = Workbook()
    ws = wb.active
    ws.title = "整改清单"
    ncol = len(COLUMNS)
    last = get_column_letter(ncol)
    ws["A1"] = f"{tree.campaign.name}整改清单"
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    ws["A1"].alignment = _CENTER
    ws.merge_cells(f"A1:{last}1")
    ws["A2"] = f"共{tree.sentence}。"
    ws["A2"].alignment = Alignment(horizontal="left", vertical="center")
    ws.merge_cells(f"A2:{last}2")
    ws.row_dimensions[1].height = 30
    header_fill = PatternFill("solid", fgColor="D9D9D9")
    for j, col in enumerate(COLUMNS, 1):
        c = ws.cell(3, j, col.label)
        c.font, c.fill, c.alignment, c.border = Font(bold=True), header_fill, _CENTER, _BORDER
        ws.column_dimensions[get_column_letter(j)].width = col.width
    r = 4
    for cat in tree.categories:
        cat_start = r
        for prob in cat.problems:
            p_start = r
            for m in prob.measures or (None,):
                values = {"seq": prob.number, "category": cat.name, "problem": prob.description,
                          "source": str(prob.source), "is_key": "是" if prob.is_key else ""}
                if m is not None:
                    values.update(
                        measure=m.content, target=m.target, leader=m.leader, owner=m.owner,
                        deadline=m.deadline or (str(m.type) if m.type != MeasureType.DEADLINE else None),
                        type=str(m.type), status=str(m.status), evidence=m.evidence, closed_on=m.closed_on,
                        progress="\n".join(f"{e.date.isoformat()} {e.text}" for e in m.progress),
                    )  # fmt: skip
                for j, col in enumerate(COLUMNS, 1):
                    c = ws.cell(r, j, values.get(col.key))
                    c.border = _BORDER
                    c.alignment = _CENTER if col.key in _CENTERED_KEYS else _WRAP
                    if isinstance(c.value, date):
                        c.number_format = DATE_FORMAT
                    if col.key == "deadline" and m is not None and m.flag == MeasureFlag.OVERDUE:
                        c.font = Font(color="C00000", bold=True)
                r += 1
            for key in ("seq", "problem", "source", "is_key"):
                j = [c.key for c in COLUMNS].index(key) + 1
                if r - p_start > 1:
                    ws.merge_cells(start_row=p_start, start_column=j, end_row=r - 1, end_column=j)
        if r - cat_start > 1:
            ws.merge_cells(start_row=cat_start, start_column=2, end_row=r - 1, end_column=2)
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return save_workbook(wb, dest)
