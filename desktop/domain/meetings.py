"""Rules for one meeting record: attendance, quorum, votes, times, and the inspector's precheck.

Quorum and votes (支部工作条例):
- 党员大会: more than half of the members with voting rights (正式党员) due must be
  present; for an election more than four fifths. 预备党员 attend but have no vote.
- A motion passes when 赞成 exceeds half of the voting members due (应到), not of
  those present.
- 支委会: more than half of the committee members present.
- Members excluded from 应到 with upper-level approval (不计入应到) are not due.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import Literal

from .dates import format_cn_time
from .enums import AttendanceScope, AttendanceStatus, MeetingKind, MemberCategory
from .errors import DomainValidationError
from .text import find_vague_phrase_spans


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
        yes, no, abstain, summary.voting_due, vp, required, passed, tuple(errors), tuple(warnings),
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


def required_attendance_kind(kind: MeetingKind) -> AttendanceScope:
    """Who is due: 支委会 → committee members, 党小组会 → group members, else all members."""
    if kind == MeetingKind.COMMITTEE:
        return AttendanceScope.COMMITTEE
    if kind == MeetingKind.GROUP:
        return AttendanceScope.GROUP
    return AttendanceScope.BRANCH


# --- precheck -------------------------------------------------------------------------------

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    code: str  # stable English snake_case
    severity: Severity
    field: str  # Chinese field label
    message: str  # Chinese


@dataclass(frozen=True)
class MotionFacts:
    title: str
    yes: int | None
    no: int | None
    abstain: int | None
    election: bool = False


@dataclass
class MeetingFacts:
    kind: MeetingKind
    number: int | None = None
    date: date | None = None
    start_time: time | None = None
    end_time: time | None = None
    place: str = ""
    host: str = ""
    recorder: str = ""
    attendees: list[Attendee] = field(default_factory=list)
    agenda: list[str] = field(default_factory=list)
    speeches: list[tuple[str, str]] = field(default_factory=list)  # (speaker, text)
    content: str = ""
    motions: list[MotionFacts] = field(default_factory=list)
    resolution: str = ""
    lecturer: str = ""
    lecture_title: str = ""
    theme: str = ""


_SENTENCE_ENDS = "。！？；!?;\n"


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max((text.rfind(c, 0, start) for c in _SENTENCE_ENDS), default=-1)
    rights = [i for i in (text.find(c, end) for c in _SENTENCE_ENDS) if i >= 0]
    return text[left + 1 : min(rights) if rights else len(text)]


def _vague_findings(text: str, field_label: str, names: Sequence[str]) -> list[Finding]:
    out: list[Finding] = []
    for phrase, s, e in find_vague_phrase_spans(text):
        sentence = _sentence_around(text, s, e)
        if any(n and n in sentence for n in names):
            continue
        out.append(
            Finding(
                "vague_phrase", "warning", field_label,
                f"“{phrase}”未写明发言人，请记录具体是谁、说了什么",
            )
        )
    return out


def precheck_meeting(m: MeetingFacts) -> list[Finding]:
    """What an inspector would fault in one record (errors first, then warnings)."""
    f: list[Finding] = []

    def add(code: str, severity: Severity, field_label: str, message: str) -> None:
        f.append(Finding(code, severity, field_label, message))

    if m.date is None:
        add("missing_date", "error", "会议日期", "未填写会议日期")
    if m.start_time is None:
        add("missing_start_time", "error", "开始时间", "未填写开始时间（具体到分钟，如 9:00）")
    if m.end_time is None:
        add("missing_end_time", "error", "结束时间", "未填写结束时间（具体到分钟，如 11:30）")
    try:
        validate_meeting_times(m.start_time, m.end_time)
    except DomainValidationError as e:
        add("end_not_after_start", "error", e.field, e.message)
    if not m.place.strip():
        add("missing_place", "error", "会议地点", "未填写会议地点")
    if not m.host.strip():
        add("missing_host", "error", "主持人", "未填写主持人")
    if not m.recorder.strip():
        add("missing_recorder", "error", "记录人", "未填写记录人")
    if m.number is None and m.kind in (MeetingKind.GENERAL_ASSEMBLY, MeetingKind.COMMITTEE, MeetingKind.GROUP):
        add("missing_number", "warning", "会议次数", f"{m.kind}未编号（第N次）")

    summary = summarize_attendance(m.attendees)
    if not m.attendees:
        add("no_attendees", "error", "参会人员", "未登记参会人员，应到、实到人数无法统计")
    for a in summary.absent:
        if not a.reason.strip():
            add("absent_without_reason", "error", "缺席人员", f"{a.name} 缺席，未注明缺席原因")
    for a in summary.excluded:
        if not a.reason.strip():
            add("excluded_without_reason", "error", "不计入应到人员", f"{a.name} 不计入应到，未注明原因（须经上级批准）")
    if not [x for x in m.agenda if x.strip()]:
        add("missing_agenda", "error", "议题", "未填写会议议题")

    names = [a.name for a in m.attendees] + [m.host, m.recorder, m.lecturer]
    names += [s for s, _t in m.speeches]
    names = [n.strip() for n in names if n and n.strip()]
    named_speeches = [(s, t) for s, t in m.speeches if s.strip() and t.strip()]
    if m.kind != MeetingKind.LECTURE and not named_speeches and not any(n in m.content for n in names):
        add("no_named_speaker", "warning", "会议内容", "会议内容未记录任何发言人姓名，应写明谁发言、发言要点")
    f.extend(_vague_findings(m.content, "会议内容", names))
    for speaker, text in m.speeches:
        if not speaker.strip():
            f.extend(_vague_findings(text, "发言记录", names))
    f.extend(_vague_findings(m.resolution, "决议", names))

    for motion in m.motions:
        title = motion.title or "表决事项"
        counts = (motion.yes, motion.no, motion.abstain)
        if any(c is None for c in counts):
            add("motion_incomplete_counts", "error", "表决情况", f"“{title}”表决票数不完整（赞成、反对、弃权均须填写）")
            continue
        try:
            vote = evaluate_vote(motion.yes, motion.no, motion.abstain, summary, motion.election)  # type: ignore[arg-type]
        except DomainValidationError as e:
            add("motion_negative_count", "error", "表决情况", f"“{title}”{e}")
            continue
        for msg in vote.errors:
            add("motion_invalid", "error", "表决情况", f"“{title}”{msg}")
        for msg in vote.warnings:
            add("motion_count_mismatch", "warning", "表决情况", f"“{title}”{msg}")
        if not vote.errors and not vote.passed:
            add("motion_not_passed", "warning", "表决情况", f"“{title}”{vote.text}；如记录为通过请核对")
    if m.motions and not m.resolution.strip():
        add("missing_resolution", "warning", "决议", "有表决事项但未填写决议")

    if m.attendees and m.kind == MeetingKind.GENERAL_ASSEMBLY:
        q = general_assembly_quorum(summary, any(x.election for x in m.motions))
        if not q.ok:
            add("quorum_not_met", "error", "实到人数", q.text)
    if m.attendees and m.kind == MeetingKind.COMMITTEE:
        q = committee_quorum(summary)
        if not q.ok:
            add("quorum_not_met", "error", "实到人数", q.text)
    if m.kind == MeetingKind.LECTURE:
        if not m.lecturer.strip():
            add("lecture_missing_lecturer", "error", "授课人", "党课未填写授课人")
        if not m.lecture_title.strip():
            add("lecture_missing_title", "error", "党课题目", "党课未填写题目")
    if m.kind == MeetingKind.THEME_DAY and not m.theme.strip():
        add("theme_day_missing_theme", "error", "活动主题", "主题党日未填写主题")

    return sorted(f, key=lambda x: 0 if x.severity == "error" else 1)
