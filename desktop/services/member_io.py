"""党员名册 import (.xlsx / .csv) and export (.xlsx).

Import is three steps, nothing written before the last:
1. ``read_table(path)`` → RawTable (header row + text cells; Excel dates kept as dates). The
   header row is found among the first rows by its column names (a merged title row such as
   "某某支部党员名册" above it is skipped); ``table.with_header(i)`` takes another row as header
   (the dialog lets the user pick it);
2. ``preview_import(ledger, table, mapping, default_branch_id)`` → one ImportRow per line with
   its errors (every field checked with the same rules as the editor, duplicates in the file
   and in the ledger found);
3. ``commit_import(ledger, preview)`` adds the rows without errors in ONE transaction: either
   all of them are written or none.

Export writes a temp file beside the target and renames it (never a half-written file).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from desktop.domain.dates import parse_date
from desktop.domain.errors import DomainValidationError, ValidationErrors
from desktop.domain.members import id_birth_date
from desktop.domain.posts import posts_label, read_post_text
from desktop.domain.text import clean_line, clean_text
from desktop.store.models import Branch, PartyGroup
from desktop.store.queries import live

from .backups import backup_before
from .members import MemberInput, MemberRow, save_member_in, validate_member
from .organization.posts import add_posts_in
from .xlsx import DATE_FORMAT, open_workbook, save_workbook, set_column_widths

# (field key, label, header aliases); the label is what export writes, so export → import round-trips.
FIELDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("name", "姓名", ("姓名", "党员姓名", "名字")),
    ("gender", "性别", ("性别",)),
    ("ethnicity", "民族", ("民族",)),
    ("birth_date", "出生日期", ("出生日期", "出生年月", "出生年月日", "生日")),
    ("education", "学历", ("学历", "文化程度", "最高学历")),
    ("id_number", "身份证号", ("身份证号", "身份证号码", "公民身份号码", "身份证")),
    ("phone", "联系电话", ("联系电话", "手机", "手机号", "手机号码", "电话")),
    ("branch", "所在支部", ("所在支部", "支部", "党支部", "所在党支部")),
    ("group", "党小组", ("党小组", "所在党小组")),
    ("party_post", "党内职务", ("党内职务",)),
    ("job_title", "行政职务", ("行政职务", "职务", "职务职级", "工作岗位")),
    ("category", "人员类别", ("人员类别", "类别", "党员类别", "正式/预备")),
    ("status", "状态", ("状态", "党员状态")),
    ("join_date", "入党日期", ("入党日期", "入党时间", "加入党组织日期")),
    ("full_date", "转正日期", ("转正日期", "转正时间")),
    ("notes", "备注", ("备注",)),
)
LABELS = {key: label for key, label, _ in FIELDS}
REQUIRED = ("name", "join_date")
CATEGORY_WORDS = {"正式": "正式党员", "正式党员": "正式党员", "预备": "预备党员", "预备党员": "预备党员"}
MAX_ROWS = 5000


@dataclass
class RawTable:
    headers: list[str]
    rows: list[list[object]]
    source: str = ""
    header_row: int = 0  # index into all_rows
    all_rows: list[list[object]] = field(default_factory=list)  # every non-empty row, header included
    lines: list[int] = field(default_factory=list)  # file line of each of all_rows (1-based)

    def with_header(self, index: int) -> RawTable:
        """The same file read with ``all_rows[index]`` as the header row."""
        rows = self.all_rows or [self.headers, *self.rows]
        index = max(0, min(index, len(rows) - 1))
        return RawTable([clean_line(str(h)) for h in rows[index]], rows[index + 1:], self.source, index, rows,
                        self.lines)

    def line_of(self, offset: int) -> int:
        """File line of data row ``offset`` (for messages: "第12行")."""
        i = self.header_row + 1 + offset
        return self.lines[i] if i < len(self.lines) else i + 1


@dataclass
class ImportRow:
    line: int  # 1-based line in the file
    values: dict[str, object]
    data: MemberInput | None = None
    errors: list[str] = field(default_factory=list)
    exists: str = ""  # "已存在" explanation: the member is in the ledger already (not imported again)
    understood: dict[str, str] = field(default_factory=dict)  # what each cell was read as
    posts: list[str] = field(default_factory=list)  # 党内职务 recorded as post holdings (组织 › 任职)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.exists


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    mapping: dict[str, int | None]

    @property
    def good(self) -> list[ImportRow]:
        return [r for r in self.rows if r.ok]

    @property
    def bad(self) -> list[ImportRow]:
        return [r for r in self.rows if r.errors]

    @property
    def existing(self) -> list[ImportRow]:
        return [r for r in self.rows if r.exists and not r.errors]


class ImportFileError(Exception):
    """The file cannot be read as a roster; ``str(e)`` is a Chinese message for the user."""


def _cell_text(value: object) -> object:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, float) and 1900 <= value < 2100:
        value = f"{value:.2f}"  # 出生年月 typed as 1985.10 is the number 1985.1 in Excel: October
    return clean_text(str(value))  # line breaks kept for 备注; one-line fields: clean_line in preview


def read_table(path: str | Path, header_row: int | None = None) -> RawTable:
    """The first sheet (or CSV) as text cells; ``header_row`` (0-based among the non-empty rows)
    or, by default, the row that looks most like a header (see :func:`detect_header_row`)."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            rows = _read_xlsx(path)
        elif suffix in (".csv", ".txt"):
            rows = _read_csv(path)
        else:
            raise ImportFileError(f"不支持的文件类型“{path.suffix}”：请选择 .xlsx 或 .csv 文件（.xls 请先在 Excel 中另存为 .xlsx）")
    except OSError as exc:
        raise ImportFileError(f"无法读取文件：{exc.strerror or exc}") from exc
    numbered = [(i + 1, r) for i, r in enumerate(rows) if any(str(c).strip() for c in r)]
    if not numbered:
        raise ImportFileError("文件中没有数据")
    if len(numbered) - 1 > MAX_ROWS:
        raise ImportFileError(f"文件有{len(numbered) - 1}行，超过一次最多导入{MAX_ROWS}行，请分批导入")
    lines = [n for n, _r in numbered]
    rows = [r for _n, r in numbered]
    width = max(len(r) for r in rows)
    rows = [list(r) + [""] * (width - len(r)) for r in rows]
    index = detect_header_row(rows) if header_row is None else header_row
    return RawTable([], [], str(path), 0, rows, lines).with_header(index)


HEADER_SEARCH_ROWS = 15


def _header_score(row: list[object]) -> int:
    """How many cells of ``row`` are known column names (exact alias, or containing a long one)."""
    score = 0
    for cell in row:
        if not isinstance(cell, str):
            continue
        h = _norm_header(cell)
        if not h or len(h) > 12:
            continue  # a title ("某某局第一党支部党员名册") is not a column name
        if any(h in aliases or any(len(a) >= 3 and a in h for a in aliases) for _k, _l, aliases in FIELDS):
            score += 1
    return score


def detect_header_row(rows: list[list[object]]) -> int:
    """Index of the header among the first rows: the one with most known column names (at least
    two); a merged title row, a date line or a blank-looking row above it is skipped."""
    best, best_score = 0, 1
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = _header_score(row)
        if score > best_score:
            best, best_score = i, score
    return best


def _read_xlsx(path: Path) -> list[list[object]]:
    def damaged(exc: Exception) -> ImportFileError:
        return ImportFileError(f"无法读取 Excel 文件（文件可能已损坏或已加密）：{exc}")

    with open_workbook(path, damaged, read_only=True, data_only=True) as wb:
        ws = wb.worksheets[0]
        return [[_cell_text(c) for c in row] for row in ws.iter_rows(values_only=True)]


def _read_csv(path: Path) -> list[list[object]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError("无法识别文件编码：请在 Excel 中另存为“CSV UTF-8”或 .xlsx")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    return [[_cell_text(c) for c in row] for row in csv.reader(io.StringIO(text), dialect)]


def _norm_header(h: str) -> str:
    return re.sub(r"[\s*（）()：:]", "", h)


def guess_mapping(headers: list[str]) -> dict[str, int | None]:
    """Field key → column index, by header names (exact alias first, then containment)."""
    normalized = [_norm_header(h) for h in headers]
    mapping: dict[str, int | None] = {}
    used: set[int] = set()
    for key, _label, aliases in FIELDS:
        found = next((i for i, h in enumerate(normalized) if h in aliases and i not in used), None)
        if found is None:
            found = next((i for i, h in enumerate(normalized) if h and i not in used
                          and any(a in h for a in aliases if len(a) >= 3)), None)
        mapping[key] = found
        if found is not None:
            used.add(found)
    return mapping


_YM_RE = re.compile(r"^\s*(\d{4})\s*(?:[.\-/年]\s*(\d{1,2})\s*月?|(\d{2}))\s*$")


def _date_value(value: object) -> object:
    """Rosters often give 出生年月 as a month: 1985.07, 1985-07, 1985/7, 1985年7月, 198507 (and
    the number 1985.1 Excel keeps for 1985.10): read it as the first of that month."""
    if isinstance(value, str):
        m = _YM_RE.match(value)
        if m and 1 <= int(m.group(2) or m.group(3)) <= 12:
            return f"{m.group(1)}-{int(m.group(2) or m.group(3)):02d}-01"
    return value


DATE_KEYS = ("birth_date", "join_date", "full_date")


def _understood(key: str, value: object, data: MemberInput, branch_names: dict[str, str],
                group_names: dict[str, str]) -> str:
    """What the preview shows for a cell: the value as it will be stored, not the raw text."""
    if key in DATE_KEYS:
        raw = getattr(data, key)
        if raw in (None, ""):
            return ""
        try:
            d = parse_date(raw, LABELS[key])
        except DomainValidationError:
            return f"{value}（无法识别）"
        month_only = key == "birth_date" and raw != value and _YM_RE.match(str(value)) and d.day == 1
        return f"{d:%Y-%m}" if month_only else d.isoformat()
    if key == "branch":
        return branch_names.get(data.branch_id or "", "")
    if key == "group":
        return group_names.get(data.group_id or "", "")
    if key == "category":
        return data.category
    if key == "status":
        return data.status
    if key == "ethnicity":
        return data.ethnicity if value else ""
    if key == "party_post":
        posts, other = read_post_text(str(value or ""))
        return "；".join(x for x in (posts_label(posts), other and "记入备注：" + "、".join(other)) if x)
    return "" if value is None else str(value)


def preview_import(ledger, table: RawTable, mapping: dict[str, int | None],
                   default_branch_id: str | None = None, today: date | None = None) -> ImportPreview:
    today = today or date.today()
    rows: list[ImportRow] = []
    missing = [LABELS[k] for k in REQUIRED if mapping.get(k) is None]
    with ledger.read() as s:
        branches = {b.name: b.id for b in s.scalars(live(Branch))}
        groups = {(g.branch_id, g.name): g.id for g in s.scalars(live(PartyGroup))}
        branch_names = {v: k for k, v in branches.items()}
        group_names = {v: k[1] for k, v in groups.items()}
        known = _known_members(s)
        seen_ids: dict[str, int] = {}
        seen_people: dict[tuple, int] = {}
        for offset, raw in enumerate(table.rows):
            line = table.line_of(offset)
            values = {k: (raw[i] if i is not None and i < len(raw) else "") for k, i in mapping.items()}
            values = {k: clean_line(v) if isinstance(v, str) and k != "notes" else v for k, v in values.items()}
            row = ImportRow(line, values)
            rows.append(row)
            if missing:
                row.errors.append(f"缺少必需的列：{'、'.join(missing)}")
                continue
            branch_name = str(values.get("branch") or "")
            branch_id = branches.get(branch_name) if branch_name else default_branch_id
            if branch_name and branch_id is None:
                row.errors.append(f"所在支部：没有名为“{branch_name}”的支部，请先在“组织”中建立或改正名称")
            elif branch_id is None:
                row.errors.append("所在支部：文件中未填写，且没有选择默认支部")
            group_name = str(values.get("group") or "")
            group_id = groups.get((branch_id, group_name)) if group_name and branch_id else None
            if group_name and branch_id and group_id is None:
                row.errors.append(f"党小组：“{branch_name or '所选支部'}”没有名为“{group_name}”的党小组")
            id_text = str(values.get("id_number") or "")
            if "*" in id_text:
                row.errors.append("身份证号：是打码的号码（导出时未显示完整号码），请填写完整号码或留空")
                id_text = ""
            birth = _date_value(values.get("birth_date")) or None
            if birth and birth != values.get("birth_date") and id_text:  # 出生年月 only: the ID has the day
                from_id = id_birth_date(id_text)
                if from_id is not None and f"{from_id:%Y-%m}" == str(birth)[:7]:
                    birth = from_id.isoformat()
            posts, other_posts = read_post_text(str(values.get("party_post") or ""))
            notes = str(values.get("notes") or "")
            if other_posts:  # text naming no post is kept, not dropped
                notes = "\n".join(x for x in (notes, "党内职务：" + "、".join(other_posts)) if x)
            category = str(values.get("category") or "正式党员")
            status = str(values.get("status") or "在职")
            data = MemberInput(
                name=str(values.get("name") or ""), branch_id=branch_id, group_id=group_id,
                gender=str(values.get("gender") or ""), ethnicity=str(values.get("ethnicity") or "汉族"),
                birth_date=birth, education=str(values.get("education") or ""),
                id_number=id_text, phone=str(values.get("phone") or ""),
                job_title=str(values.get("job_title") or ""),
                category=CATEGORY_WORDS.get(category, category), status=status,
                join_date=values.get("join_date") or None, full_date=values.get("full_date") or None,
                notes=notes,
            )
            row.posts = [p.value for p in posts]
            if status in ("转出", "去世"):
                row.errors.append(f"状态：名册中是“{status}”的党员不导入（只导入在册党员）")
            if not row.errors:
                try:
                    validate_member(s, data, today)
                except ValidationErrors as exc:
                    row.errors.extend(str(e) for e in exc.errors)
                except DomainValidationError as exc:
                    row.errors.append(str(exc))
            row.understood = {k: _understood(k, values.get(k), data, branch_names, group_names) for k in LABELS}
            if data.id_number and not row.errors:
                key = data.id_number.strip().upper()
                if key in seen_ids:
                    row.errors.append(f"身份证号：与第{seen_ids[key]}行重复")
                else:
                    seen_ids[key] = line
            if not row.errors:
                _check_known(row, data, known, seen_people)
            row.data = data if row.ok else None
    return ImportPreview(rows, dict(mapping))


def _known_members(s) -> dict[tuple, str]:
    """Members in the ledger by (name, 入党日期) and (name, 出生日期): how a roster row without
    an ID number is recognised when the same roster is imported again."""
    from desktop.store.models import Member

    known: dict[tuple, str] = {}
    for m in s.scalars(live(Member)):
        if m.join_date:
            known.setdefault((m.name, "join", m.join_date), f"入党日期 {m.join_date.isoformat()}")
        if m.birth_date:
            known.setdefault((m.name, "birth", m.birth_date), f"出生日期 {m.birth_date.isoformat()}")
        if m.id_number:
            known.setdefault(("id", m.id_number.upper()), "身份证号相同")
    return known


def _check_known(row: ImportRow, data: MemberInput, known: dict[tuple, str], seen: dict[tuple, int]) -> None:
    """Mark a row that is in the ledger already (已存在) or repeats an earlier row of the file."""
    keys = []
    if data.id_number:
        keys.append(("id", data.id_number.strip().upper()))
    for kind, key in (("join", "join_date"), ("birth", "birth_date")):
        try:
            d = parse_date(getattr(data, key), LABELS[key]) if getattr(data, key) else None
        except DomainValidationError:
            d = None
        if d is not None:
            keys.append((data.name.strip(), kind, d))
    for key in keys:
        if key in known:
            row.exists = f"已存在：台账中已有{data.name}（{known[key]}），不重复导入"
            return
    for key in keys[1:] if data.id_number else keys:
        if key in seen:
            row.errors.append(f"与第{seen[key]}行是同一人（姓名和{'入党日期' if key[1] == 'join' else '出生日期'}相同）")
            return
    for key in keys:
        seen.setdefault(key, row.line)


def commit_import(ledger, preview: ImportPreview, progress=None, today: date | None = None) -> int:
    """Add every error-free row in one transaction (after a backup); returns how many were added."""
    today = today or date.today()
    good = preview.good
    if good:
        backup_before(ledger, "import")
    with ledger.write() as s:
        for i, row in enumerate(good):
            assert row.data is not None
            member_id = save_member_in(s, row.data, today)
            if row.posts:
                _add_posts(s, member_id, row.data, row.posts, today)
            if progress is not None and i % 20 == 0:
                progress(i, len(good), f"正在导入第 {i + 1} 人，共 {len(good)} 人")
    return len(good)


def _add_posts(s, member_id: str, data: MemberInput, posts: list[str], today: date) -> None:
    """The row's 党内职务 as post holdings from the member's first day in the branch; a post
    someone else holds today stays text in 备注 (the roster may be older than the ledger)."""
    from desktop.store.models import Member

    start = parse_date(data.since or data.join_date or today, "入党日期")
    left = add_posts_in(s, member_id, data.branch_id or "", data.group_id, posts, start, today)
    if left:
        m = s.get(Member, member_id)
        line = f"党内职务：{posts_label(left)}（已有他人在任或未分党小组，未登记任职）"
        m.notes = f"{m.notes}\n{line}" if m.notes else line


TEMPLATE_EXAMPLE = ("张三", "男", "汉族", "1985.07", "大学本科", "", "13800000000", "", "", "", "科员", "正式党员", "在职",
                    "2008-07-01", "2009-07-01", "")
TEMPLATE_NOTES = (
    "第一行是列名，请勿改动；从第二行起每行一名党员，示例行可以删除或改写。",
    "必填：姓名、入党日期。其余可空。",
    "日期可写 2008-07-01、2008/7/1、2008.7.1、20080701 或 2008年7月1日；出生年月可只写到月（1985.07）。",
    "所在支部、党小组须与“组织”中的名称一致；不填所在支部时，导入到对话框中选择的支部。",
    "人员类别填“正式党员”或“预备党员”；预备党员不填转正日期。",
    "没有身份证号的党员按“姓名 + 入党日期（或出生日期）”识别：同一名册再次导入时不会重复添加。",
)


def write_import_template(target: str | Path) -> Path:
    """The roster template offered by the import dialog: the column names import recognises, an
    example row and a sheet of instructions (written via a temp file + rename)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "党员名册"
    ws.append([label for _k, label, _a in FIELDS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    ws.append(list(TEMPLATE_EXAMPLE))
    for row in ws.iter_rows(min_row=2, max_row=200):
        for c in row:
            c.number_format = "@"  # text: 1985.07 stays 1985.07, ID numbers keep their digits
    set_column_widths(ws, (10, 6, 8, 12, 10, 21, 14, 16, 12, 12, 12, 10, 8, 12, 12, 20))
    ws.freeze_panes = "B2"
    notes = wb.create_sheet("填写说明")
    notes.column_dimensions["A"].width = 100
    for line in TEMPLATE_NOTES:
        notes.append([line])
    return save_workbook(wb, Path(target))


EXPORT_COLUMNS = ("序号", "姓名", "性别", "民族", "出生日期", "学历", "身份证号", "联系电话", "所在支部", "党小组",
                  "党内职务", "行政职务", "人员类别", "状态", "入党日期", "转正日期", "党龄")


def export_members_xlsx(rows: list[MemberRow], target: str | Path, *, reveal_ids: bool = False,
                        title: str = "党员名册") -> Path:
    """Write the roster to ``target`` (.xlsx) via a temp file + rename. ID numbers are masked
    unless ``reveal_ids``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    target = Path(target)
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(list(EXPORT_COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for n, r in enumerate(rows, 1):
        ws.append([
            n, r.name, r.gender, r.ethnicity, r.birth_date, r.education,
            r.id_number if reveal_ids else r.id_masked, r.phone, r.branch_name, r.group_name, r.party_post,
            r.job_title, r.category, r.status, r.join_date, r.full_date,
            "" if r.party_age is None else r.party_age,
        ])
    for col in (5, 15, 16):
        for cell in ws.iter_cols(min_col=col, max_col=col, min_row=2):
            for c in cell:
                c.number_format = DATE_FORMAT
    set_column_widths(ws, (6, 10, 6, 8, 12, 10, 21, 14, 16, 12, 12, 14, 10, 8, 12, 12, 6))
    ws.freeze_panes = "C2"
    return save_workbook(wb, target)
