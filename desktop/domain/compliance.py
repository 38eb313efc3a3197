"""Which meetings a branch owes in a period (支部工作条例 frequencies) and whether it held them.

What each kind owes is its spec's ``due`` rule (``desktop.domain.meeting_kinds``); the built-in
requirements:
- 支部党员大会 once a quarter; 主题党日 once a month.
- 支委会 once a month, only when the branch has a committee and ≥7 正式党员.
- 党小组会 once a month per group, only when the branch has groups.
- 党课 per profile: every quarter, every half year, or N a year spread evenly: the
  finest of month / quarter / half / year whose number of periods divides N (N=4 →
  one a quarter, N=6 → three a half year, N=3 → three a year); N missing or 0 → none.
- 组织生活会 and 民主评议党员 once a year, due by 31 December.

Counting: a meeting counts for the requirement whose period contains its date.
Drafts (草稿) count as held, so a secretary is not told a meeting is missing while
writing it up, but they are listed in ``ComplianceReport.drafts()`` to be finalised.
A requirement whose period has not ended by ``today`` and is not yet met is "pending",
not "missing".

台账启用日期 (``BranchProfile.ledger_start``): records kept before it are on paper only, so a
requirement not met in the ledger whose period began before that day is "not_entered"
(未录入), never "missing": a branch entered in November is not told it missed January–October,
nor the fourth quarter that began in October. Meetings entered for such periods still count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from .dates import half_range, month_range, quarter_months, quarter_range, year_range
from .enums import LectureFrequency, MeetingState
from .meeting_kinds import (  # noqa: F401  (committee_required, lecture_plan, offered_kinds: re-exported)
    COMMITTEE_MIN_FULL_MEMBERS,
    Scope,
    committee_required,
    find_spec,
    iter_due,
    lecture_plan,
    offered_kinds,
)

Status = Literal["held", "missing", "pending", "not_entered"]
STATUS_LABELS: dict[str, str] = {"held": "已开展", "missing": "缺", "pending": "未到期", "not_entered": "未录入"}


@dataclass(frozen=True)
class BranchProfile:
    has_committee: bool
    has_groups: bool
    group_count: int
    full_member_count: int
    lecture_frequency: LectureFrequency = LectureFrequency.QUARTER
    lecture_custom_per_year: int | None = None
    theme_day_of_month: int | None = None
    groups: tuple[tuple[str, str], ...] = ()  # optional (group_id, group_name) pairs
    ledger_start: date | None = None  # 台账启用日期: earlier periods are 未录入, not missing


@dataclass(frozen=True)
class Requirement:
    kind: str  # a registered meeting kind
    period_label: str
    period: tuple[date, date]
    required_count: int
    scope: Scope
    group_id: str | None = None
    group_name: str | None = None

    @property
    def start(self) -> date:
        return self.period[0]

    @property
    def end(self) -> date:
        return self.period[1]


SHORT_MARK = "※"  # in a grid cell: a meeting of that month was short of quorum


@dataclass(frozen=True)
class HeldMeeting:
    kind: str
    date: date
    group_id: str | None = None
    state: MeetingState = MeetingState.FINAL
    meeting_id: str | None = None
    short_of_quorum: str = ""  # why the meeting could not decide (``实到…，不符合规定``); counted, but marked


def _periods(year: int, scope: Scope, months: set[int]) -> list[tuple[str, tuple[date, date]]]:
    out: list[tuple[str, tuple[date, date]]] = []
    if scope == "month":
        out = [(f"{year}年{m}月", month_range(year, m)) for m in range(1, 13) if m in months]
    elif scope == "quarter":
        out = [
            (f"{year}年第{q}季度", quarter_range(year, q))
            for q in range(1, 5)
            if months & set(quarter_months(q))
        ]
    elif scope == "half":
        for h, label in ((1, "上半年"), (2, "下半年")):
            span = range(1, 7) if h == 1 else range(7, 13)
            if months & set(span):
                out.append((f"{year}年{label}", half_range(year, h)))
    elif months:
        out = [(f"{year}年", year_range(year))]
    return out


def requirements_for_period(profile: BranchProfile, year: int, months: Iterable[int]) -> list[Requirement]:
    """All requirements whose period overlaps ``months`` of ``year``, kinds in registry order
    (三会 order: 大会, 支委会, 小组会, then 党课 …); a per-group kind owes one per 党小组."""
    ms = set(months)
    out: list[Requirement] = []
    for spec, scope, count in iter_due(profile):
        if spec.per_group:
            out += _group_requirements(spec.name, profile, year, scope, ms)
        else:
            out += [Requirement(spec.name, label, span, count, scope) for label, span in _periods(year, scope, ms)]
    return out


def _group_requirements(kind: str, profile: BranchProfile, year: int, scope: Scope, months: set[int]
                        ) -> list[Requirement]:
    out: list[Requirement] = []
    for label, span in _periods(year, scope, months):
        if profile.groups:
            out += [Requirement(kind, label, span, 1, scope, gid, name) for gid, name in profile.groups]
        elif profile.group_count > 0:
            out.append(Requirement(kind, label, span, profile.group_count, scope))
    return out


@dataclass(frozen=True)
class RequirementStatus:
    requirement: Requirement
    held: int
    status: Status
    meetings: tuple[HeldMeeting, ...] = ()

    @property
    def cell(self) -> str:
        """``1/1``, ``0/1 缺``, ``0/1 未到期``."""
        text = f"{self.held}/{self.requirement.required_count}"
        return text if self.status == "held" else f"{text} {STATUS_LABELS[self.status]}"


@dataclass(frozen=True)
class ComplianceGrid:
    """Months × kinds table for the 三会一课落实情况统计表.

    A month-scope cell is ``held/required`` (+ `` 缺`` / `` 未到期``); a longer period's
    ``held/required`` sits in its last month shown, its other months show the number held
    in that month (or ``""``).
    """

    months: list[int]
    kinds: list[str]
    cells: list[list[str]]

    def header(self) -> list[str]:
        return ["月份", *[str(k) for k in self.kinds]]

    def rows(self) -> list[list[str]]:
        return [[f"{m}月", *row] for m, row in zip(self.months, self.cells, strict=True)]


@dataclass
class ComplianceReport:
    profile: BranchProfile
    year: int
    months: list[int]
    items: list[RequirementStatus] = field(default_factory=list)

    def missing(self) -> list[RequirementStatus]:
        return [i for i in self.items if i.status == "missing"]

    def pending(self) -> list[RequirementStatus]:
        return [i for i in self.items if i.status == "pending"]

    def not_entered(self) -> list[RequirementStatus]:
        """Periods that began before the 台账启用日期 and have no record in the ledger."""
        return [i for i in self.items if i.status == "not_entered"]

    def drafts(self) -> list[HeldMeeting]:
        """Draft meetings that were counted as held (to be finalised)."""
        seen: dict[int, HeldMeeting] = {}
        for item in self.items:
            for m in item.meetings:
                if m.state == MeetingState.DRAFT:
                    seen.setdefault(id(m), m)
        return sorted(seen.values(), key=lambda m: m.date)

    def short_of_quorum(self) -> list[HeldMeeting]:
        """Meetings counted as held although fewer members came than the rules require."""
        seen: dict[int, HeldMeeting] = {}
        for item in self.items:
            for m in item.meetings:
                if m.short_of_quorum:
                    seen.setdefault(id(m), m)
        return sorted(seen.values(), key=lambda m: m.date)

    def grid(self) -> ComplianceGrid:
        kinds: list[str] = []
        for i in self.items:
            if i.requirement.kind not in kinds:
                kinds.append(i.requirement.kind)
        cells = [["" for _k in kinds] for _m in self.months]
        for ki, kind in enumerate(kinds):
            items = [i for i in self.items if i.requirement.kind == kind]
            for mi, month in enumerate(self.months):
                in_month = [i for i in items if i.requirement.start.month <= month <= i.requirement.end.month]
                if not in_month:
                    continue
                last_shown = max(
                    m
                    for m in self.months
                    if in_month[0].requirement.start.month <= m <= in_month[0].requirement.end.month
                )
                if in_month[0].requirement.scope == "month" or month == last_shown:
                    held = sum(i.held for i in in_month)
                    req = sum(i.requirement.required_count for i in in_month)
                    worst = next(
                        (s for s in ("missing", "pending", "not_entered") if any(i.status == s for i in in_month)), ""
                    )
                    cells[mi][ki] = f"{held}/{req}" + (f" {STATUS_LABELS[worst]}" if worst else "")
                else:
                    n = sum(1 for i in in_month for m in i.meetings if m.date.month == month)
                    cells[mi][ki] = str(n) if n else ""
                short = sum(1 for i in in_month for m in i.meetings if m.short_of_quorum and m.date.month == month)
                if short:  # counted, but never silently: 不足法定人数
                    cells[mi][ki] = (cells[mi][ki] + f" {SHORT_MARK}").strip()
        return ComplianceGrid(list(self.months), kinds, cells)


def evaluate_compliance(
    profile: BranchProfile,
    year: int,
    held: Iterable[HeldMeeting],
    months: Iterable[int] = range(1, 13),
    today: date | None = None,
) -> ComplianceReport:
    """Match held meetings to requirements; ``today`` defaults to date.today()."""
    today = today or date.today()
    ms = sorted(set(months))
    meetings = list(held)
    report = ComplianceReport(profile, year, ms)
    for req in requirements_for_period(profile, year, ms):
        matched = tuple(
            m
            for m in meetings
            if m.kind == req.kind
            and req.start <= m.date <= req.end
            and (req.group_id is None or m.group_id == req.group_id)
        )
        count = len(matched)
        spec = find_spec(req.kind)
        if spec is not None and spec.per_group and req.group_id is None:
            # one requirement for all groups: count distinct groups, ungrouped records individually
            ids = {m.group_id for m in matched if m.group_id is not None}
            count = len(ids) + sum(1 for m in matched if m.group_id is None)
        if count >= req.required_count:
            status: Status = "held"
        elif profile.ledger_start is not None and req.start < profile.ledger_start:
            status = "not_entered"
        elif today <= req.end:
            status = "pending"
        else:
            status = "missing"
        report.items.append(RequirementStatus(req, count, status, matched))
    return report
