"""Reading a roster file (.xlsx / .csv) as a table of text cells, finding its header row among the
first rows, and guessing which column is which field (FIELDS: the labels export writes)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from desktop.domain.text import clean_line, clean_text

from ..xlsx import open_workbook

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
