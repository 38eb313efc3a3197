"""Plain data of the meetings use cases: what the UI and the documents receive and send."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from desktop.domain.enums import AttendanceStatus, MemberCategory
from desktop.domain.meeting_kinds import find_spec, kind_names
from desktop.domain.meetings import AttendanceSummary, Attendee, summarize_attendance
from desktop.domain.precheck import Finding

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

class _DefaultAgenda(Mapping[str, tuple[str, ...]]):
    """kind → the agenda a new meeting starts from when the secretary has not stored her own
    template: each kind's ``default_agenda`` in the registry (read live)."""

    def __getitem__(self, kind: str) -> tuple[str, ...]:
        spec = find_spec(kind)
        if spec is None:
            raise KeyError(kind)
        return spec.default_agenda

    def __iter__(self) -> Iterator[str]:
        return iter(kind_names())

    def __len__(self) -> int:
        return len(kind_names())


DEFAULT_AGENDA: Mapping[str, tuple[str, ...]] = _DefaultAgenda()


@dataclass(frozen=True)
class MeetingRow:
    id: str
    branch_id: str
    branch_name: str
    kind: str
    number: int
    title: str
    date: date
    start_time: time | None
    end_time: time | None
    place: str
    host: str
    recorder: str
    state: str
    due: int
    present: int
    absent_count: int
    match: Any = field(default=None, compare=False)  # search.Snippet: where a search matched (None: no search)


@dataclass(frozen=True)
class SpeechData:
    speaker: str
    text: str
    section: str = ""


@dataclass(frozen=True)
class MotionData:
    title: str
    yes: int = 0
    no: int = 0
    abstain: int = 0
    is_election: bool = False


@dataclass(frozen=True)
class AttendanceData:
    member_id: str
    name: str
    category: str  # 正式党员 / 预备党员 on the meeting date
    status: str = AttendanceStatus.PRESENT
    reason: str = ""

    def attendee(self) -> Attendee:
        return Attendee(self.member_id, self.name, MemberCategory(self.category), AttendanceStatus(self.status), self.reason)


@dataclass(frozen=True)
class GuestData:
    name: str
    title: str = ""
    role: str = "列席"


@dataclass(frozen=True)
class AttachmentInfo:
    id: str
    filename: str
    mime: str
    size: int
    caption: str


@dataclass(frozen=True)
class ReopeningInfo:
    at: datetime
    reason: str


@dataclass
class MeetingInput:
    """The editor's form. ``id`` None creates a meeting; ``version`` guards against overwriting a
    newer save (optimistic concurrency). Dates and times may be typed strings."""

    branch_id: str
    kind: str
    date: date | str
    id: str | None = None
    version: int | None = None
    group_id: str | None = None
    number: int = 1
    title: str = ""
    start_time: time | str | None = None
    end_time: time | str | None = None
    place: str = ""
    host: str = ""
    recorder: str = ""
    lecturer: str = ""
    lecturer_title: str = ""
    lecture_title: str = ""
    summary: str = ""
    theme: str = ""
    required_actions: str = ""
    followup: str = ""
    content: str = ""
    resolution: str = ""
    agenda: list[str] = field(default_factory=list)
    speeches: list[SpeechData] = field(default_factory=list)
    motions: list[MotionData] = field(default_factory=list)
    attendance: list[AttendanceData] = field(default_factory=list)
    guests: list[GuestData] = field(default_factory=list)


@dataclass(frozen=True)
class MeetingDetail:
    id: str
    version: int
    branch_id: str
    branch_name: str
    group_id: str | None
    group_name: str
    kind: str
    number: int
    title: str
    date: date
    start_time: time | None
    end_time: time | None
    place: str
    host: str
    recorder: str
    lecturer: str
    lecturer_title: str
    lecture_title: str
    summary: str
    theme: str
    required_actions: str
    followup: str
    content: str
    resolution: str
    is_election: bool
    state: str
    finalized_at: datetime | None
    modified_at: datetime
    agenda: tuple[str, ...]
    speeches: tuple[SpeechData, ...]
    motions: tuple[MotionData, ...]
    attendance: tuple[AttendanceData, ...]
    guests: tuple[GuestData, ...]
    attachments: tuple[AttachmentInfo, ...]
    reopenings: tuple[ReopeningInfo, ...]

    @property
    def attendance_summary(self) -> AttendanceSummary:
        return summarize_attendance(a.attendee() for a in self.attendance)

    @property
    def is_final(self) -> bool:
        return self.state == "定稿"

    def to_input(self) -> MeetingInput:
        keep = {k: getattr(self, k) for k in MeetingInput.__dataclass_fields__ if hasattr(self, k)}
        for k in ("agenda", "speeches", "motions", "attendance", "guests"):
            keep[k] = list(keep[k])
        return MeetingInput(**keep)


@dataclass(frozen=True)
class RecordFinding:
    """A pre-check finding of a branch-year, with the record that opens it."""

    record_kind: str  # "meeting" or "branch"
    record_id: str
    date: date | None
    subject: str  # e.g. 2026年3月5日 支部委员会（第3次）, or 2026年第1季度 支部党员大会
    finding: Finding
    kind: str = ""  # the meeting kind concerned (to open the record or create the missing meeting)
    group_id: str | None = None

    @property
    def severity(self) -> str:
        return self.finding.severity

    @property
    def message(self) -> str:
        return self.finding.message


@dataclass(frozen=True)
class FinalizeResult:
    finalized: bool
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


@dataclass(frozen=True)
class DraftInfo:
    id: str
    meeting_id: str | None
    branch_id: str | None
    saved_at: datetime
    label: str
