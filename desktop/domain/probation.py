"""The 预备期 (probation year) of a 预备党员 and what a 支部党员大会 may decide at its end.

党章 第七条/第八条 as the software checks them:
- the 预备期 is one year from the 入党日期 (the day the branch admitted the member);
- at its end the 支部党员大会 decides: 转正 (the 转正日期 is the day the 预备期 ends, never
  earlier: nobody becomes 正式 before the year is over), 延长预备期 (once, by at most a year:
  the new end lies after the current end and no later than two years after 入党日期), or
  取消预备党员资格;
- each decision is taken at a 支部党员大会 held no earlier than the 入党日期; the ledger links the
  record of that meeting where it is in the ledger (a decision from before the 台账启用日期 may
  have none).

``ProbationState`` is the member's current position (end of the 预备期, whether extended);
``check_step`` validates one decision and returns the errors; ``due_soon`` lists the
probationers whose 预备期 has ended or ends within the reminder horizon (首页).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .dates import add_years, format_cn_date
from .enums import ProbationStep
from .errors import DomainValidationError
from .meeting_kinds import membership_kinds

PROBATION_YEARS = 1
MAX_EXTENSION_YEARS = 1


def probation_end(join_date: date, extended_to: date | None = None) -> date:
    """The last day of the 预备期: one year after 入党日期, or the extended end."""
    return extended_to or add_years(join_date, PROBATION_YEARS)


@dataclass(frozen=True)
class ProbationState:
    join_date: date
    extended_to: date | None = None  # the new end set by a 延长预备期

    @property
    def end(self) -> date:
        return probation_end(self.join_date, self.extended_to)

    @property
    def extended(self) -> bool:
        return self.extended_to is not None

    def days_left(self, today: date) -> int:
        return (self.end - today).days


@dataclass(frozen=True)
class StepInput:
    kind: ProbationStep
    on: date  # 转正日期 / the day the decision takes effect
    meeting_date: date | None = None
    meeting_kind: str | None = None
    new_end: date | None = None  # 延长预备期 only
    reason: str = ""


def check_step(state: ProbationState, step: StepInput) -> list[DomainValidationError]:
    """Every reason the decision cannot be recorded (empty list = fine)."""
    errs: list[DomainValidationError] = []
    join = state.join_date
    if step.on < join:
        errs.append(DomainValidationError("日期", f"不能早于入党日期 {format_cn_date(join)}"))
    if step.meeting_kind is not None and step.meeting_kind not in membership_kinds():
        errs.append(DomainValidationError("党员大会", "应选择讨论这一事项的支部党员大会记录"))
    if step.meeting_date is not None and step.meeting_date < join:
        errs.append(DomainValidationError("党员大会", "所选党员大会早于该同志的入党日期"))
    if step.kind == ProbationStep.CONFIRMED:
        if step.on < state.end:
            errs.append(DomainValidationError(
                "日期", f"预备期到 {format_cn_date(state.end)} 才满，转正日期不能早于预备期满之日"))
    elif step.kind == ProbationStep.EXTENDED:
        latest = add_years(join, PROBATION_YEARS + MAX_EXTENSION_YEARS)
        if state.extended:
            errs.append(DomainValidationError("延长至", "预备期只能延长一次，已经延长过"))
        if step.new_end is None:
            errs.append(DomainValidationError("延长至", "请填写延长后的预备期满日期"))
        elif step.new_end <= state.end:
            errs.append(DomainValidationError("延长至", f"应晚于原预备期满日期 {format_cn_date(state.end)}"))
        elif step.new_end > latest:
            errs.append(DomainValidationError("延长至", f"延长期限最长一年，最晚到 {format_cn_date(latest)}"))
        if not step.reason.strip():
            errs.append(DomainValidationError("原因", "请写明延长预备期的原因"))
    elif step.kind == ProbationStep.CANCELLED:
        if not step.reason.strip():
            errs.append(DomainValidationError("原因", "请写明取消预备党员资格的原因"))
    return errs


@dataclass(frozen=True)
class ProbationDue:
    member_id: str
    name: str
    branch_name: str
    state: ProbationState
    days_left: int  # < 0: the 预备期 ended that many days ago

    @property
    def text(self) -> str:
        end = format_cn_date(self.state.end)
        extended = "（已延长）" if self.state.extended else ""
        if self.days_left < 0:
            return (f"{self.name}（{self.branch_name}）预备期已于{end}期满{extended}，"
                    "请召开支部党员大会讨论转正并登记")
        when = "今天期满" if self.days_left == 0 else f"还有{self.days_left}天期满"
        return f"{self.name}（{self.branch_name}）预备期{when}（{end}）{extended}，请准备转正材料、召开支部党员大会"


def due_soon(probationers: Iterable[tuple[str, str, str, ProbationState]], today: date,
             horizon_days: int) -> list[ProbationDue]:
    """Probationers (member_id, name, branch, state) whose 预备期 ended or ends within
    ``horizon_days``: the longest overdue first."""
    out = [ProbationDue(mid, name, branch, st, st.days_left(today))
           for mid, name, branch, st in probationers if st.days_left(today) <= horizon_days]
    return sorted(out, key=lambda d: (d.days_left, d.name))
