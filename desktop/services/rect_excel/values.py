"""Cell values as drafted: 整改时限 in words, dated 进展 lines, optional dates."""

from __future__ import annotations

import re
from datetime import date, datetime

from desktop.domain.dates import month_range, parse_date
from desktop.domain.enums import MeasureType
from desktop.domain.errors import DomainValidationError
from desktop.domain.text import clean_line, clean_text

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


def optional_date(value: object, label: str) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    return parse_date(value, label)
