"""Dates and times as the secretary types them, and calendar arithmetic for the ledger.

Rule for anniversaries of 29 February: in a non-leap year the anniversary is kept on
28 February (still inside the month of 入党, so a February 政治生日 stays in February).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time

from .errors import DomainValidationError

_DATE_SEP_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_DATE_COMPACT_RE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_TIME_RE = re.compile(r"^\s*(\d{1,2})\s*(?:[:：]|点|时)\s*(\d{1,2})?\s*(?:分)?\s*$")
_TIME_HOUR_ONLY_RE = re.compile(r"^\s*(\d{1,2})\s*(?:点|时)?\s*(整|半)?\s*$")
_TIME_HALF_RE = re.compile(r"^\s*(\d{1,2})\s*点\s*半\s*$")


def parse_date(value: date | datetime | str | None, field: str) -> date:
    """Accept a date or "2023-02-28", "2023/2/28", "2023.2.28", "2023年2月28日", "20230228"."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = "" if value is None else str(value).strip()
    if not text:
        raise DomainValidationError(field, "不能为空，请填写日期（如 2023-02-28）")
    m = _DATE_SEP_RE.match(text) or _DATE_COMPACT_RE.match(text)
    if not m:
        raise DomainValidationError(field, f"“{text}”不是可识别的日期，请按 2023-02-28 或 2023年2月28日 填写")
    y, mo, d = (int(g) for g in m.groups())
    try:
        return date(y, mo, d)
    except ValueError:
        raise DomainValidationError(field, f"{y:04d}-{mo:02d}-{d:02d} 不是有效日期") from None


def parse_optional_date(value: date | str | None, field: str) -> date | None:
    """Like parse_date, but blank means None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_date(value, field)


def parse_time(value: time | datetime | str | None, field: str) -> time:
    """Accept a time or "9:00", "09:30", "9：30", "9点30", "9点30分", "9点", "9点半", "14时"."""
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value
    text = "" if value is None else str(value).strip()
    if not text:
        raise DomainValidationError(field, "不能为空，请填写具体时间（如 9:00）")
    hour: int
    minute: int
    m = _TIME_HALF_RE.match(text)
    if m:
        hour, minute = int(m.group(1)), 30
    else:
        m = _TIME_RE.match(text)
        if m:
            hour, minute = int(m.group(1)), int(m.group(2) or 0)
        else:
            m2 = _TIME_HOUR_ONLY_RE.match(text)
            if not m2 or (m2.group(2) is None and not re.search(r"[点时]", text)):
                raise DomainValidationError(field, f"“{text}”不是可识别的时间，请按 9:00 或 9点30 填写")
            hour, minute = int(m2.group(1)), 30 if m2.group(2) == "半" else 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise DomainValidationError(field, f"“{text}”不是有效时间（时 0–23，分 0–59）")
    return time(hour, minute)


def anniversary_date(d: date, year: int) -> date:
    """The anniversary of ``d`` in ``year``; 29 February becomes 28 February in non-leap years."""
    if d.month == 2 and d.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return d.replace(year=year)


def years_between(start: date, end: date) -> int:
    """Full years from ``start`` to ``end`` (negative when end is before start).

    A 29 February start completes its year on 28 February of a non-leap year.
    """
    if end < start:
        return -years_between(end, start)
    years = end.year - start.year
    if anniversary_date(start, end.year) > end:
        years -= 1
    return years


def add_years(d: date, years: int) -> date:
    """``d`` moved by whole years (29 February → 28 February when needed)."""
    return anniversary_date(d, d.year + years)


def quarter_of(d: date) -> int:
    """1–4."""
    return (d.month - 1) // 3 + 1


def quarter_months(q: int) -> tuple[int, int, int]:
    """The three months of quarter ``q`` (1–4)."""
    if not 1 <= q <= 4:
        raise ValueError(f"quarter must be 1-4, got {q}")
    first = 3 * (q - 1) + 1
    return first, first + 1, first + 2


def month_range(year: int, month: int) -> tuple[date, date]:
    """First and last day of the month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def quarter_range(year: int, q: int) -> tuple[date, date]:
    """First and last day of the quarter."""
    months = quarter_months(q)
    return month_range(year, months[0])[0], month_range(year, months[2])[1]


def half_range(year: int, half: int) -> tuple[date, date]:
    """First and last day of the half year (1 = 上半年, 2 = 下半年)."""
    if half not in (1, 2):
        raise ValueError(f"half must be 1 or 2, got {half}")
    return (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))


def year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def format_cn_date(d: date | None) -> str:
    """``2026年7月1日`` (no leading zeros); ``""`` for None."""
    return "" if d is None else f"{d.year}年{d.month}月{d.day}日"


def format_cn_month(d: date | None = None, *, year: int | None = None, month: int | None = None) -> str:
    """``2026年7月`` from a date or from ``year=``/``month=``."""
    if d is not None:
        return f"{d.year}年{d.month}月"
    if year is None or month is None:
        return ""
    return f"{year}年{month}月"


def format_cn_time(t: time | None) -> str:
    """``9:00`` / ``14:30`` (hour without leading zero)."""
    return "" if t is None else f"{t.hour}:{t.minute:02d}"


def format_cn_year_month(d: date | None) -> str:
    """``1985.03`` as rosters print 出生年月."""
    return "" if d is None else f"{d.year}.{d.month:02d}"
