"""首页提醒: what the secretary should act on now.

Four sections, each a list of :class:`ReminderItem` (most urgent first):
- 会议提醒: per branch, required meetings of this month and this quarter not yet held —
  "missing" when an earlier month of the quarter passed without one, "pending" for the current
  periods, urgent when the period ends within ``soon_days`` (setting, default 7); requirements of
  a half year or year (党课 每半年, 组织生活会, 民主评议党员) once their period ends in this quarter;
- 政治生日: members whose 入党日期 falls in this month or the next (anniversary number,
  逢十, 光荣在党50年), in the branch they belong to on that day;
- 整改措施: measures overdue, or due within ``reminder_days`` (setting, default 14);
- 待定稿: meeting records still in draft;
- 预备期满: 预备党员 whose 预备期 (one year after 入党日期, or the extended end) has ended or
  ends within ``reminder_days`` — 转正 is due (error once ended, warning within the horizon).
Which meetings are due now and which are urgent, and when a draft is stale: the domain's rules
(``desktop.domain.reminders``). Severity: ``error`` (missing / overdue), ``warning`` (urgent / due soon / 光荣在党50年 /
draft older than a week), ``info``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy import select

from desktop.domain.dates import format_cn_date, quarter_of, quarter_range
from desktop.domain.enums import MeasureStatus, MeetingState
from desktop.domain.rectification import MeasureFlag, measure_flags
from desktop.domain.reminders import draft_is_stale, is_due_now, is_urgent
from desktop.store.models import Branch, Campaign, Measure, Meeting, Problem, RectCategory

from .birthdays import birthdays_for
from .compliance import compliance_overview
from .settings import get_settings

Severity = Literal["error", "warning", "info"]
SECTION_MEETINGS = "会议提醒"
SECTION_BIRTHDAYS = "政治生日"
SECTION_MEASURES = "整改措施"
SECTION_DRAFTS = "待定稿记录"
SECTION_PROBATION = "预备期满"
_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class ReminderItem:
    section: str
    text: str
    record_kind: str | None  # "branch", "member", "measure", "meeting" (see open_record)
    record_id: str | None
    severity: Severity = "info"


@dataclass(frozen=True)
class HomeReminders:
    today: date
    meetings: list[ReminderItem] = field(default_factory=list)
    probation: list[ReminderItem] = field(default_factory=list)  # shown above the birthdays (same box)
    birthdays: list[ReminderItem] = field(default_factory=list)
    measures: list[ReminderItem] = field(default_factory=list)
    drafts: list[ReminderItem] = field(default_factory=list)

    def sections(self) -> list[tuple[str, list[ReminderItem]]]:
        return [(SECTION_MEETINGS, self.meetings), (SECTION_PROBATION, self.probation),
                (SECTION_BIRTHDAYS, self.birthdays), (SECTION_MEASURES, self.measures),
                (SECTION_DRAFTS, self.drafts)]

    def all(self) -> list[ReminderItem]:
        return [item for _name, items in self.sections() for item in items]

    def count(self, severity: Severity | None = None) -> int:
        return sum(1 for i in self.all() if severity is None or i.severity == severity)


def home_reminders(ledger: Any, today: date | None = None) -> HomeReminders:
    today = today or date.today()
    settings = get_settings(ledger)
    return HomeReminders(
        today,
        meetings=meeting_reminders(ledger, today, settings.soon_days),
        birthdays=birthday_reminders(ledger, today),
        measures=measure_reminders(ledger, today, settings.reminder_days),
        drafts=draft_reminders(ledger, today),
        probation=probation_reminders(ledger, today, settings.reminder_days),
    )


# ------------------------------------------------------------------ meetings
def meeting_reminders(ledger: Any, today: date, soon_days: int = 7) -> list[ReminderItem]:
    q = quarter_of(today)
    q_start, q_end = quarter_range(today.year, q)
    months = range(q_start.month, today.month + 1)
    out: list[tuple[int, ReminderItem]] = []
    for bc in compliance_overview(ledger, today.year, months, today):
        for item in bc.report.items:
            if not is_due_now(item, today):
                continue
            req = item.requirement
            what = f"{req.group_name}{req.kind}" if req.group_name else str(req.kind)
            need = f"{item.held}/{req.required_count}"
            if item.status == "missing":
                text = f"{bc.branch_name}：{req.period_label}{what}未开展（{need}），请补开或说明原因"
                severity: Severity = "error"
            else:
                left = (req.end - today).days
                when = "今天截止" if left == 0 else f"距截止还有{left}天"
                text = f"{bc.branch_name}：{req.period_label}{what}尚未开展（{need}），{when}（{format_cn_date(req.end)}）"
                severity = "warning" if is_urgent(item, today, soon_days) else "info"
            out.append((_ORDER[severity], ReminderItem(SECTION_MEETINGS, text, "branch", bc.branch_id, severity)))
    out.sort(key=lambda t: t[0])  # stable: branch order within a severity
    return [item for _o, item in out]


# ----------------------------------------------------------------- birthdays
def birthday_reminders(ledger: Any, today: date) -> list[ReminderItem]:
    nxt = date(today.year + 1, 1, 1) if today.month == 12 else date(today.year, today.month + 1, 1)
    rows = birthdays_for(ledger, today.year, [today.month])
    rows += birthdays_for(ledger, nxt.year, [nxt.month])
    out: list[ReminderItem] = []
    for r in rows:
        marks = []
        if r.is_fifty:
            marks.append("光荣在党50年，请申报纪念章")
        if r.is_round:
            marks.append("逢十周年")
        when = "今天" if r.date_this_year == today else f"{r.date_this_year.month}月{r.date_this_year.day}日"
        past = "（已过）" if r.date_this_year < today else ""
        text = f"{r.name}（{r.branch_name}）{when}入党{r.anniversary_number}周年{past}" + (
            "，" + "，".join(marks) if marks else "")
        out.append(ReminderItem(SECTION_BIRTHDAYS, text, "member", r.member_id, "warning" if r.is_fifty else "info"))
    return out


# ----------------------------------------------------------------- probation
def probation_reminders(ledger: Any, today: date, horizon_days: int = 14) -> list[ReminderItem]:
    from .members.probation import probation_due

    return [ReminderItem(SECTION_PROBATION, d.text, "member", d.member_id, "error" if d.days_left < 0 else "warning")
            for d in probation_due(ledger, today, horizon_days)]


# ------------------------------------------------------------------ measures
def measure_reminders(ledger: Any, today: date, horizon_days: int = 14) -> list[ReminderItem]:
    stmt = (
        select(Measure.id, Measure.content, Measure.deadline, Measure.status, Measure.owner)
        .join(Problem, Problem.id == Measure.problem_id)
        .join(RectCategory, RectCategory.id == Problem.category_id)
        .join(Campaign, Campaign.id == RectCategory.campaign_id)
        .where(
            Measure.deleted_at.is_(None), Problem.deleted_at.is_(None), RectCategory.deleted_at.is_(None),
            Campaign.deleted_at.is_(None), Measure.deadline.is_not(None),
            Measure.deadline <= today + timedelta(days=horizon_days),
        )
        .order_by(Measure.deadline)
    )
    out: list[ReminderItem] = []
    with ledger.read() as s:
        rows = s.execute(stmt).all()
    for mid, content, deadline, status, owner in rows:
        try:
            st = MeasureStatus(status)
        except ValueError:
            continue
        flag = measure_flags(deadline, st, today, soon_days=horizon_days)
        if flag not in (MeasureFlag.OVERDUE, MeasureFlag.DUE_SOON):
            continue
        days = (deadline - today).days
        if flag == MeasureFlag.OVERDUE:
            when, severity = f"已逾期{-days}天", "error"
        else:
            when, severity = ("今天到期" if days == 0 else f"还有{days}天到期"), "warning"
        who = f"，责任人：{owner}" if owner else ""
        text = f"{_short(content)}（整改时限{format_cn_date(deadline)}，{when}{who}）"
        out.append(ReminderItem(SECTION_MEASURES, text, "measure", mid, severity))  # type: ignore[arg-type]
    out.sort(key=lambda i: _ORDER[i.severity])
    return out


def _short(text: str, n: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# -------------------------------------------------------------------- drafts
def draft_reminders(ledger: Any, today: date) -> list[ReminderItem]:
    stmt = (
        select(Meeting.id, Meeting.date, Meeting.kind, Meeting.title, Branch.name)
        .join(Branch, Branch.id == Meeting.branch_id)
        .where(Meeting.deleted_at.is_(None), Meeting.state == MeetingState.DRAFT.value)
        .order_by(Meeting.date)
    )
    with ledger.read() as s:
        rows = s.execute(stmt).all()
    out = []
    for mid, day, kind, title, branch in rows:
        stale = draft_is_stale(day, today)
        text = f"{branch} {format_cn_date(day)} {title or kind} 仍是草稿" + ("，请尽快核对定稿" if stale else "")
        out.append(ReminderItem(SECTION_DRAFTS, text, "meeting", mid, "warning" if stale else "info"))
    return out
