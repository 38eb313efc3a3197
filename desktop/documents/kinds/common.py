"""Small text helpers shared by the builders."""

from __future__ import annotations

from datetime import date, time

from desktop.domain.dates import format_cn_date, format_cn_time
from desktop.domain.meeting_kinds import spec_or_other
from desktop.domain.meetings import number_label
from desktop.domain.rectification import cn_numeral


def date_time_span(day: date, start: time | None, end: time | None) -> str:
    """``2026年3月5日 9:00—11:30`` (whatever parts are known)."""
    text = format_cn_date(day)
    if start and end:
        return f"{text} {format_cn_time(start)}—{format_cn_time(end)}"
    if start:
        return f"{text} {format_cn_time(start)}起"
    return text


def record_name(m) -> str:
    """``支部委员会会议记录`` – what the record is called, the printed title (the kind's
    ``record_name``; 其他 and kinds no longer registered: ``<title>记录``)."""
    return spec_or_other(m.kind).printed_name(m.title)


def record_owner(m) -> str:
    """``第一党支部第一党小组 2026年第3次`` – the line under the title."""
    group = getattr(m, "group_name", "") or ""
    return f"{m.branch_name}{group}　{m.date.year}年{number_label(m.number)}"


def record_title(m) -> str:
    """``2026年第一党支部第3次支部委员会会议记录`` for a ``MeetingDetail``/``MeetingRow`` (file name)."""
    group = getattr(m, "group_name", "") or ""
    return f"{m.date.year}年{m.branch_name}{group}{number_label(m.number)}{record_name(m)}"


def section(n: int, text: str) -> str:
    """``一、会议议题``."""
    return f"{cn_numeral(n)}、{text}"


def sub_section(n: int, text: str) -> str:
    return f"（{cn_numeral(n)}）{text}"


def milestone_extra(number: int, label: str) -> str:
    """The milestones of ``label`` (``光荣在党50年、入党10周年``) that ``入党N周年`` does not already say."""
    return "、".join(x for x in (label or "").split("、") if x and x != f"入党{number}周年")


def anniversary_mark(number: int, label: str, is_round: bool = False) -> str:
    """``入党10周年（逢十）``, ``入党52周年（光荣在党50年）`` – the anniversary printed once."""
    extra = [x for x in (("逢十",) if is_round else ()) + tuple(milestone_extra(number, label).split("、")) if x]
    return f"入党{number}周年" + (f"（{'、'.join(extra)}）" if extra else "")


def or_blank(value: object) -> str:
    return "" if value is None else str(value)
