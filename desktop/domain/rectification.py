"""Rules of a 主题教育 rectification list (整改清单): derived flags, 销号, report wording.

- Overdue is derived, never stored: a measure is OVERDUE when its 整改时限 has passed and
  it is neither finished (已完成, 阶段性完成并长期坚持) nor closed (已销号). A 长期坚持
  measure therefore stops being overdue once it is 阶段性完成并长期坚持.
- 销号 is allowed only from 已完成 or 阶段性完成并长期坚持.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from .enums import FINISHED_MEASURE_STATES, MeasureStatus, MeasureType
from .errors import DomainValidationError


class MeasureFlag(StrEnum):
    OVERDUE = "已逾期"
    DUE_SOON = "即将到期"
    OK = "正常"
    NONE = ""  # finished, closed or without deadline: nothing to flag


def measure_flags(
    deadline: date | None,
    status: MeasureStatus,
    today: date,
    soon_days: int = 14,
    measure_type: MeasureType | None = None,
) -> MeasureFlag:
    """The flag shown next to a measure on ``today``.

    ``measure_type`` is accepted for callers that have it; the rule is the same for every
    type because 阶段性完成并长期坚持 already counts as finished.
    """
    status = MeasureStatus(status)
    if status == MeasureStatus.CLOSED or status in FINISHED_MEASURE_STATES or deadline is None:
        return MeasureFlag.NONE
    if deadline < today:
        return MeasureFlag.OVERDUE
    if (deadline - today).days <= soon_days:
        return MeasureFlag.DUE_SOON
    return MeasureFlag.OK


def is_overdue(deadline: date | None, status: MeasureStatus, today: date) -> bool:
    return measure_flags(deadline, status, today) == MeasureFlag.OVERDUE


def can_close(status: MeasureStatus) -> bool:
    """销号 only from 已完成 or 阶段性完成并长期坚持."""
    return MeasureStatus(status) in FINISHED_MEASURE_STATES


def check_can_close(status: MeasureStatus) -> None:
    """Raise DomainValidationError(field="状态") when the measure cannot be closed."""
    if not can_close(status):
        raise DomainValidationError(
            "状态",
            f"当前状态为“{MeasureStatus(status)}”，只有“已完成”或“阶段性完成并长期坚持”的措施才能销号",
        )


def validate_close_date(closed_on: date | None, today: date) -> None:
    """销号日期 must be given and not in the future."""
    if closed_on is None:
        raise DomainValidationError("销号日期", "销号时须填写销号日期")
    if closed_on > today:
        raise DomainValidationError("销号日期", f"{closed_on.isoformat()} 晚于今天")


_DIGITS = "零一二三四五六七八九"
_UNITS = ((1000, "千"), (100, "百"), (10, "十"))


def _cn_below_10000(n: int) -> str:
    out = ""
    zero = False
    for value, unit in _UNITS:
        d, n = divmod(n, value)
        if d:
            if zero:
                out += "零"
                zero = False
            out += _DIGITS[d] + unit
        elif out:
            zero = True
    if n:
        if zero:
            out += "零"
        out += _DIGITS[n]
    return out


def cn_numeral(n: int) -> str:
    """Chinese numeral as written in reports: 0 零, 6 六, 10 十, 13 十三, 20 二十, 105 一百零五."""
    if n < 0:
        return "负" + cn_numeral(-n)
    if n == 0:
        return "零"
    if n >= 100_000_000:
        return str(n)
    if n >= 10000:
        high, low = divmod(n, 10000)
        rest = _cn_below_10000(low)
        if low and low < 1000:
            rest = "零" + rest
        return cn_numeral(high) + "万" + rest
    text = _cn_below_10000(n)
    return text[1:] if 10 <= n < 20 else text  # 十三, not 一十三


def cn_count(n: int) -> str:
    """A Chinese numeral before a measure word: 两类 (not 二类), otherwise as cn_numeral."""
    return "两" if n == 2 else cn_numeral(n)


def percent(part: int, whole: int) -> int:
    """``part`` of ``whole`` in whole percent, rounded half up (1/6 → 17, not 16); 0 of nothing is 0."""
    if whole <= 0:
        return 0
    return (part * 200 + whole) // (2 * whole)


def counts_sentence(categories: int, problems: int, measures: int, key_items: int) -> str:
    """``六类13个方面问题、20项整改措施、3个重点整改项目`` (last clause only when key_items > 0);
    ``两类``, not 二类; without categories just ``0个方面问题`` (never 零类0个)."""
    head = f"{cn_count(categories)}类{problems}个方面问题" if categories else f"{problems}个方面问题"
    parts = [head, f"{measures}项整改措施"]
    if key_items:
        parts.append(f"{key_items}个重点整改项目")
    return "、".join(parts)
