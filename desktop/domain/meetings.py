"""Rules for one meeting record: attendance, quorum, votes, times.

The inspector's precheck (MeetingFacts, MotionFacts, Finding, precheck_meeting) lives in
``precheck.py``, which builds on this module (never the other way round).

Quorum and votes (支部工作条例):
- 党员大会: more than half of the members with voting rights (正式党员) due must be
  present; for an election more than four fifths. 预备党员 attend but have no vote.
- A motion passes when 赞成 exceeds half of the voting members due (应到), not of
  those present.
- 支委会: more than half of the committee members present.
- Members excluded from 应到 with upper-level approval (不计入应到) are not due.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time

from .dates import format_cn_time
from .enums import AttendanceScope, AttendanceStatus, MemberCategory
from .errors import DomainValidationError
from .meeting_kinds import spec_or_other


@dataclass(frozen=True)
class Attendee:
    member_id: str
    name: str
    category: MemberCategory
    status: AttendanceStatus
    reason: str = ""


@dataclass(frozen=True)
class AttendanceSummary:
    """应到 / 实到 split 正式 / 预备; absent and excluded attendees in input order."""

    due_full: int
    due_prob: int
    present_full: int
    present_prob: int
    absent: tuple[Attendee, ...] = ()
    excluded: tuple[Attendee, ...] = ()

    @property
    def due(self) -> int:
        return self.due_full + self.due_prob

    @property
    def present(self) -> int:
        return self.present_full + self.present_prob

    @property
    def voting_due(self) -> int:
        return self.due_full

    @property
    def voting_present(self) -> int:
        return self.present_full

    def text(self) -> str:
        """``应到12人（正式党员10人、预备党员2人），实到11人（正式党员9人、预备党员2人）``."""
        return (
            f"应到{self.due}人（正式党员{self.due_full}人、预备党员{self.due_prob}人），"
            f"实到{self.present}人（正式党员{self.present_full}人、预备党员{self.present_prob}人）"
        )

    def absent_text(self) -> str:
        """``张三（因公出差）、李四（病假）`` or ``无``."""
        if not self.absent:
            return "无"
        return "、".join(f"{a.name}（{a.reason or '未注明原因'}）" for a in self.absent)


def summarize_attendance(attendees: Iterable[Attendee]) -> AttendanceSummary:
    """Count 应到 / 实到; excluded attendees are not due."""
    due = {MemberCategory.FULL: 0, MemberCategory.PROBATIONARY: 0}
    present = {MemberCategory.FULL: 0, MemberCategory.PROBATIONARY: 0}
    absent: list[Attendee] = []
    excluded: list[Attendee] = []
    for a in attendees:
        cat = MemberCategory(a.category)
        if a.status == AttendanceStatus.EXCLUDED:
            excluded.append(a)
            continue
        due[cat] += 1
        if a.status == AttendanceStatus.PRESENT:
            present[cat] += 1
        else:
            absent.append(a)
    return AttendanceSummary(
        due_full=due[MemberCategory.FULL],
        due_prob=due[MemberCategory.PROBATIONARY],
        present_full=present[MemberCategory.FULL],
        present_prob=present[MemberCategory.PROBATIONARY],
        absent=tuple(absent),
        excluded=tuple(excluded),
    )


@dataclass(frozen=True)
class QuorumResult:
    ok: bool
    required: int  # the smallest number present that satisfies the rule
    present: int
    text: str


def more_than_half(n: int) -> int:
    """Smallest count strictly greater than n/2."""
    return n // 2 + 1


def more_than_four_fifths(n: int) -> int:
    """Smallest count strictly greater than 4n/5."""
    return (4 * n) // 5 + 1


def _quorum(label: str, due: int, present: int, election: bool) -> QuorumResult:
    required = more_than_four_fifths(due) if election else more_than_half(due)
    rule = "超过应到人数的五分之四" if election else "超过半数"
    if due <= 0:
        return QuorumResult(False, required, present, f"{label}应到0人，无法开会表决")
    ok = present >= required
    verdict = f"{rule}，符合规定" if ok else f"未{rule}（至少需{required}人），不符合规定"
    return QuorumResult(ok, required, present, f"{label}应到{due}人，实到{present}人，{verdict}")


def general_assembly_quorum(summary: AttendanceSummary, election: bool = False) -> QuorumResult:
    """党员大会: more than half of voting members present (election: more than 4/5)."""
    label = "有选举权党员" if election else "有表决权党员"
    return _quorum(label, summary.voting_due, summary.voting_present, election)


def committee_quorum(summary: AttendanceSummary) -> QuorumResult:
    """支委会: more than half of the committee members present."""
    return _quorum("支委会委员", summary.due, summary.present, False)


@dataclass(frozen=True)
class VoteResult:
    yes: int
    no: int
    abstain: int
    voting_due: int
    voting_present: int
    required: int  # 赞成 needed: more than half of voting 应到
    passed: bool
    errors: tuple[str, ...] = ()  # make the vote invalid
    warnings: tuple[str, ...] = ()
    text: str = ""

    @property
    def total(self) -> int:
        return self.yes + self.no + self.abstain


def evaluate_vote(
    yes: int, no: int, abstain: int, summary: AttendanceSummary, election: bool = False
) -> VoteResult:
    """Judge a vote; raises DomainValidationError for a negative count.

    Passed only when the quorum holds, the counts do not exceed the voting members present,
    and 赞成 > half of voting 应到.
    """
    for label, value in (("赞成票数", yes), ("反对票数", no), ("弃权票数", abstain)):
        if value is None or value < 0:
            raise DomainValidationError(label, f"不能为负数或空（填写的是 {value}）")
    errors: list[str] = []
    warnings: list[str] = []
    quorum = general_assembly_quorum(summary, election)
    if not quorum.ok:
        errors.append(quorum.text)
    total = yes + no + abstain
    vp = summary.voting_present
    if total > vp:
        errors.append(f"表决票数合计{total}超过有表决权实到人数{vp}")
    elif total != vp:
        warnings.append(f"表决票数合计{total}与有表决权实到人数{vp}不一致")
    required = more_than_half(summary.voting_due)
    enough = summary.voting_due > 0 and yes >= required
    passed = enough and not errors
    counts = f"赞成{yes}票，反对{no}票，弃权{abstain}票"
    if passed:
        verdict = f"赞成票超过应到有表决权党员{summary.voting_due}人的半数，通过"
    elif not enough:
        verdict = f"赞成票未超过应到有表决权党员{summary.voting_due}人的半数（至少需{required}票），未通过"
    else:
        verdict = "表决无效"
    return VoteResult(
        yes,
        no,
        abstain,
        summary.voting_due,
        vp,
        required,
        passed,
        tuple(errors),
        tuple(warnings),
        f"{counts}；{verdict}",
    )


def number_label(n: int | None) -> str:
    """``第3次``; ``""`` when unnumbered."""
    return "" if n is None else f"第{n}次"


def validate_meeting_times(start: time | None, end: time | None) -> None:
    """Raise DomainValidationError(field="结束时间") when end is not after start."""
    if start is not None and end is not None and end <= start:
        raise DomainValidationError(
            "结束时间", f"{format_cn_time(end)} 应晚于开始时间 {format_cn_time(start)}"
        )


def required_attendance_kind(kind: str) -> AttendanceScope:
    """Who is due, by the kind's spec: 支委会 → committee members, 党小组会 → group members, else all."""
    return spec_or_other(kind).attendance
