"""When each sample meeting took place: January 2025 – 22 November 2026, with deliberate gaps.

Deliberate faults an inspector (and the software) must find:
- 第二党支部 held no 支委会 in August 2026;
- 第一党支部's 党员大会 of 16 July 2026 was short of quorum (9 of 19 voting members);
- 第二党支部's May 2026 主题党日 lists an absentee without a reason;
- 第三党支部's June 2026 主题党日 is the one vague record (“大家一致认为”, no speaker named).
Meetings from 16 November 2026 on are still drafts; nothing is dated after "today".
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from desktop.domain.enums import MeetingKind

K = MeetingKind
FIRST_MONTH = (2025, 1)
DRAFTS_FROM = date(2026, 11, 16)

# Official days off (weekends aside) that fall on the dates below.
HOLIDAYS = {
    date(2025, 1, 1), *(date(2025, 1, d) for d in range(28, 32)), *(date(2025, 2, d) for d in range(1, 5)),
    date(2025, 4, 4), *(date(2025, 5, d) for d in range(1, 6)), date(2025, 6, 2),
    *(date(2025, 10, d) for d in range(1, 9)),
    date(2026, 1, 1), date(2026, 1, 2),
    *(date(2026, 2, d) for d in range(15, 24)),
    date(2026, 4, 6), *(date(2026, 5, d) for d in range(1, 6)), date(2026, 6, 19),
    *(date(2026, 10, d) for d in range(1, 9)),
}

GAP_NO_COMMITTEE = ("b2", (2026, 8))
NO_QUORUM = ("b1", date(2026, 7, 16))
NO_REASON = ("b2", (2026, 5))
VAGUE = ("b3", (2026, 6))

GENERAL_ASSEMBLIES = {
    "b1": ("2025-03-13", "2025-05-20", "2025-08-14", "2025-12-18",
           "2026-03-12", "2026-05-14", "2026-07-16", "2026-10-22"),
    "b2": ("2025-03-20", "2025-06-19", "2025-09-11", "2025-12-18",
           "2026-02-05", "2026-06-25", "2026-09-17", "2026-11-19"),
    "b3": ("2025-03-27", "2025-06-26", "2025-09-25", "2025-12-11",
           "2026-03-26", "2026-06-18", "2026-09-24"),  # Q4 2026 still to come
}
LECTURE_DATES = {
    "b1": ("2025-03-28", "2025-06-27", "2025-09-26", "2025-12-26",
           "2026-03-27", "2026-06-26", "2026-09-25", "2026-11-06"),
    "b2": ("2025-04-25", "2025-11-28", "2026-04-24", "2026-10-30"),  # 每半年
    "b3": ("2025-02-27", "2025-05-29", "2025-08-28", "2025-11-27",
           "2026-01-29", "2026-04-23", "2026-07-30", "2026-10-29"),
}
ORG_LIFE = {"b1": ("2025-12-23", "2026-11-12"), "b2": ("2025-12-25", "2026-11-17"), "b3": ("2025-12-24", "2026-11-20")}
EVALUATION = {"b1": ("2025-12-23", "2026-11-12"), "b2": ("2025-12-25",), "b3": ("2025-12-24", "2026-11-20")}
COMMITTEE_DAY = {"b1": 6, "b2": 4}
GROUP_DAY = {"g1": 19, "g2": 24}
THEME_DAY = {"b1": 15, "b2": 10, "b3": 20}

TIMES = {
    K.COMMITTEE: (time(8, 30), time(9, 40)),
    K.GROUP: (time(16, 0), time(17, 10)),
    K.GENERAL_ASSEMBLY: (time(14, 30), time(16, 0)),
    K.LECTURE: (time(14, 30), time(16, 10)),
    K.THEME_DAY: (time(14, 0), time(16, 30)),
    K.ORG_LIFE: (time(8, 30), time(11, 40)),
    K.EVALUATION: (time(14, 30), time(16, 20)),
}


@dataclass
class Plan:
    branch: str
    kind: MeetingKind
    day: date
    group: str | None = None
    number: int = 0
    flags: set[str] = field(default_factory=set)


def workday(year: int, month: int, day: int) -> date:
    """The given day, or the next working day in the same month (else the previous one)."""
    last = calendar.monthrange(year, month)[1]
    d = date(year, month, min(day, last))
    probe = d
    while probe.weekday() >= 5 or probe in HOLIDAYS:
        probe += timedelta(days=1)
    if probe.month == month:
        return probe
    probe = d
    while probe.weekday() >= 5 or probe in HOLIDAYS:
        probe -= timedelta(days=1)
    return probe


def months_until(today: date) -> list[tuple[int, int]]:
    y, m = FIRST_MONTH
    out = []
    while (y, m) <= (today.year, today.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def plan_meetings(today: date) -> list[Plan]:
    plans: list[Plan] = []
    for y, m in months_until(today):
        for b, day in COMMITTEE_DAY.items():
            if (b, (y, m)) != GAP_NO_COMMITTEE:
                plans.append(Plan(b, K.COMMITTEE, workday(y, m, day)))
        for g, day in GROUP_DAY.items():
            plans.append(Plan("b1", K.GROUP, workday(y, m, day), group=g))
        for b, day in THEME_DAY.items():
            plan = Plan(b, K.THEME_DAY, workday(y, m, day))
            if (b, (y, m)) == NO_REASON:
                plan.flags.add("absent_without_reason")
            if (b, (y, m)) == VAGUE:
                plan.flags.add("vague")
            plans.append(plan)
    for table, kind in ((GENERAL_ASSEMBLIES, K.GENERAL_ASSEMBLY), (LECTURE_DATES, K.LECTURE),
                        (ORG_LIFE, K.ORG_LIFE), (EVALUATION, K.EVALUATION)):
        for b, days in table.items():
            plans += [Plan(b, kind, date.fromisoformat(d)) for d in days]
    for p in plans:
        if (p.branch, p.day) == NO_QUORUM and p.kind == K.GENERAL_ASSEMBLY:
            p.flags.add("no_quorum")
    plans = [p for p in plans if p.day <= today]
    order = list(TIMES)
    plans.sort(key=lambda p: (p.day, order.index(p.kind), p.branch, p.group or ""))
    counters: dict[tuple[str, MeetingKind, int, str | None], int] = {}
    for p in plans:
        key = (p.branch, p.kind, p.day.year, p.group)  # each 党小组 numbers its own meetings
        counters[key] = counters.get(key, 0) + 1
        p.number = counters[key]
    return plans
