"""The inspector's read of one meeting record: what 迎检 would fault, as Findings.

Checked: date and start/end time (end after start), place, 主持人, 记录人; absentees and
members excluded from 应到 each with a reason; agenda; content naming its speakers; vague
wording ("大家一致认为" …) with no speaker named in the same sentence; vote counts (complete,
not exceeding and equal to the voting members present, 赞成 > half of voting 应到);
quorum by the kind's rule (党员大会 and 民主评议: > half of the voting members due, election
> 4/5; 支委会: > half of the committee); then the checks of the kind's spec (``meeting_kinds``:
党课 授课人, 题目 and 内容摘要, 主题党日 theme and 规定动作, 组织生活会 批评与自我批评 …).
``precheck_record`` adds the kind's further points (``extra_checks``).
Errors come first, then warnings. ``desktop.domain.meetings`` re-exports these names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import Literal

from .errors import DomainValidationError
from .meeting_kinds import spec_or_other
from .meetings import (
    Attendee,
    committee_quorum,
    evaluate_vote,
    general_assembly_quorum,
    summarize_attendance,
    validate_meeting_times,
)
from .text import find_vague_phrase_spans

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
    kind: str  # a registered meeting kind (unknown kinds are judged as 其他)
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
    summary: str = ""  # 党课 内容摘要
    required_actions: str = ""  # 主题党日 规定动作
    speech_sections: list[str] = field(default_factory=list)  # the 环节 of each speech


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
                "vague_phrase",
                "warning",
                field_label,
                f"“{phrase}”未写明发言人，请记录具体是谁、说了什么",
            )
        )
    return out


def precheck_meeting(m: MeetingFacts) -> list[Finding]:
    """What an inspector would fault in one record (errors first, then warnings)."""
    f: list[Finding] = []
    spec = spec_or_other(m.kind)

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
    if m.number is None and spec.number_required:
        add("missing_number", "warning", "会议次数", f"{m.kind}未编号（第N次）")

    summary = summarize_attendance(m.attendees)
    if not m.attendees:
        add("no_attendees", "error", "参会人员", "未登记参会人员，应到、实到人数无法统计")
    for a in summary.absent:
        if not a.reason.strip():
            add("absent_without_reason", "error", "缺席人员", f"{a.name} 缺席，未注明缺席原因")
    for a in summary.excluded:
        if not a.reason.strip():
            add(
                "excluded_without_reason",
                "error",
                "不计入应到人员",
                f"{a.name} 不计入应到，未注明原因（须经上级批准）",
            )
    if not [x for x in m.agenda if x.strip()]:
        add("missing_agenda", "error", "议题", "未填写会议议题")

    names = [a.name for a in m.attendees] + [m.host, m.recorder, m.lecturer]
    names += [s for s, _t in m.speeches]
    names = [n.strip() for n in names if n and n.strip()]
    named_speeches = [(s, t) for s, t in m.speeches if s.strip() and t.strip()]
    if spec.speakers_named and not named_speeches and not any(n in m.content for n in names):
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
            add(
                "motion_incomplete_counts",
                "error",
                "表决情况",
                f"“{title}”表决票数不完整（赞成、反对、弃权均须填写）",
            )
            continue
        try:
            vote = evaluate_vote(motion.yes, motion.no, motion.abstain, summary, motion.election)  # type: ignore[arg-type]
        except DomainValidationError as e:
            add("motion_negative_count", "error", "表决情况", f"“{title}”{e}")
            continue
        quorum_text = general_assembly_quorum(summary, motion.election).text
        for msg in vote.errors:
            if msg == quorum_text and spec.quorum == "assembly":
                continue  # reported once as quorum_not_met
            add("motion_invalid", "error", "表决情况", f"“{title}”{msg}")
        for msg in vote.warnings:
            add("motion_count_mismatch", "warning", "表决情况", f"“{title}”{msg}")
        if not vote.errors and not vote.passed:
            add("motion_not_passed", "warning", "表决情况", f"“{title}”{vote.text}；如记录为通过请核对")
    if m.motions and not m.resolution.strip():
        add("missing_resolution", "warning", "决议", "有表决事项但未填写决议")

    if m.attendees and spec.quorum:
        q = committee_quorum(summary) if spec.quorum == "committee" else \
            general_assembly_quorum(summary, any(x.election for x in m.motions))
        if not q.ok:
            add("quorum_not_met", "error", "实到人数", q.text)
    f.extend(_kind_findings(spec.required, m))

    return sorted(f, key=lambda x: 0 if x.severity == "error" else 1)


def _kind_findings(checks, m: MeetingFacts) -> list[Finding]:
    return [Finding(c.code, c.severity, c.field, c.message) for c in checks if c.failed(m)]


def precheck_record(m: MeetingFacts) -> list[Finding]:
    """``precheck_meeting`` and the kind's further 迎检 points (``extra_checks`` of its spec),
    errors first: what the editor's 检查 and 定稿 show."""
    found = precheck_meeting(m) + _kind_findings(spec_or_other(m.kind).extra_checks, m)
    return sorted(found, key=lambda x: 0 if x.severity == "error" else 1)
