"""三会一课 and other organizational life: a meeting and everything its record holds."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.domain.enums import AttendanceStatus, MeetingState

from ..base import Record, UTCDateTime


class Meeting(Record):
    __tablename__ = "meeting"
    __table_args__ = (Index("ix_meeting_branch_date", "branch_id", "date"),)

    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"))
    group_id: Mapped[str | None] = mapped_column(ForeignKey("party_group.id"), default=None)  # 党小组会
    kind: Mapped[str] = mapped_column(String(20), index=True)  # MeetingKind
    number: Mapped[int] = mapped_column(Integer, default=1)  # 第N次 (per branch, kind and year)
    title: Mapped[str] = mapped_column(String(300), default="")
    date: Mapped[date] = mapped_column(Date)
    start_time: Mapped[time | None] = mapped_column(Time, default=None)
    end_time: Mapped[time | None] = mapped_column(Time, default=None)
    place: Mapped[str] = mapped_column(String(200), default="")
    host: Mapped[str] = mapped_column(String(100), default="")  # 主持人
    recorder: Mapped[str] = mapped_column(String(100), default="")  # 记录人
    # 党课
    lecturer: Mapped[str] = mapped_column(String(100), default="")
    lecturer_title: Mapped[str] = mapped_column(String(200), default="")
    lecture_title: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")  # 内容摘要
    # 主题党日
    theme: Mapped[str] = mapped_column(String(300), default="")
    required_actions: Mapped[str] = mapped_column(Text, default="")  # 规定动作, one per line
    followup: Mapped[str] = mapped_column(Text, default="")  # 上次议定事项落实情况
    # every kind
    content: Mapped[str] = mapped_column(Text, default="")  # narrative 会议内容
    resolution: Mapped[str] = mapped_column(Text, default="")  # 决议 / 会议决定
    is_election: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(10), default=MeetingState.DRAFT)
    finalized_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    agenda: Mapped[list[AgendaItem]] = relationship(order_by="AgendaItem.seq", cascade="all, delete-orphan")
    speeches: Mapped[list[Speech]] = relationship(order_by="Speech.seq", cascade="all, delete-orphan")
    motions: Mapped[list[Motion]] = relationship(order_by="Motion.seq", cascade="all, delete-orphan")
    attendance: Mapped[list[Attendance]] = relationship(cascade="all, delete-orphan")
    guests: Mapped[list[Guest]] = relationship(order_by="Guest.seq", cascade="all, delete-orphan")
    attachments: Mapped[list[Attachment]] = relationship(order_by="Attachment.seq", cascade="all, delete-orphan")
    reopenings: Mapped[list[Reopening]] = relationship(order_by="Reopening.at", cascade="all, delete-orphan")


class AgendaItem(Record):
    """议题."""

    __tablename__ = "agenda_item"

    meeting_id: Mapped[str] = mapped_column(ForeignKey("meeting.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text, default="")


class Speech(Record):
    """A named speaker's contribution (发言). ``section`` groups them, e.g. 对照检查 / 批评与自我批评."""

    __tablename__ = "speech"

    meeting_id: Mapped[str] = mapped_column(ForeignKey("meeting.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    section: Mapped[str] = mapped_column(String(100), default="")
    speaker: Mapped[str] = mapped_column(String(100), default="")
    text: Mapped[str] = mapped_column(Text, default="")


class Motion(Record):
    """A matter put to the vote with its tally (表决情况)."""

    __tablename__ = "motion"

    meeting_id: Mapped[str] = mapped_column(ForeignKey("meeting.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text, default="")
    yes: Mapped[int] = mapped_column(Integer, default=0)
    no: Mapped[int] = mapped_column(Integer, default=0)
    abstain: Mapped[int] = mapped_column(Integer, default=0)
    is_election: Mapped[bool] = mapped_column(Boolean, default=False)


class Attendance(Record):
    """One due member's attendance at a meeting: present, absent (reason), or excluded from 应到 (reason).
    The rows are the roster of the meeting date, frozen when the record is made."""

    __tablename__ = "attendance"
    __table_args__ = (Index("ix_attendance_meeting_member", "meeting_id", "member_id", unique=True),)

    meeting_id: Mapped[str] = mapped_column(ForeignKey("meeting.id"))
    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=AttendanceStatus.PRESENT)
    reason: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str] = mapped_column(String(10), default="")  # 正式/预备 on the meeting date


class Guest(Record):
    """A non-member attendee: 列席人员 or a higher-level guest (上级指导)."""

    __tablename__ = "guest"

    meeting_id: Mapped[str] = mapped_column(ForeignKey("meeting.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200), default="")  # unit and post
    role: Mapped[str] = mapped_column(String(10), default="列席")  # GuestRole


class Attachment(Record):
    """A photo or scan (e.g. the signed sign-in sheet) stored inside the ledger so it travels with it."""

    __tablename__ = "attachment"

    meeting_id: Mapped[str] = mapped_column(ForeignKey("meeting.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    filename: Mapped[str] = mapped_column(String(260))
    mime: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    caption: Mapped[str] = mapped_column(String(300), default="")


class Reopening(Record):
    """A finalized record reopened for editing, with its time and reason (kept for inspectors)."""

    __tablename__ = "reopening"

    meeting_id: Mapped[str] = mapped_column(ForeignKey("meeting.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")


class AgendaTemplate(Record):
    """The agenda a new meeting of ``kind`` starts from (one item per line), editable by the secretary."""

    __tablename__ = "agenda_template"

    kind: Mapped[str] = mapped_column(String(20), unique=True)
    items: Mapped[str] = mapped_column(Text, default="")


class MeetingDraft(Record):
    """Autosave of an open editor: the unsaved form as JSON, so a crash loses only seconds.
    ``meeting_id`` is None for a meeting not yet saved once."""

    __tablename__ = "meeting_draft"

    meeting_id: Mapped[str | None] = mapped_column(ForeignKey("meeting.id"), index=True, default=None)
    branch_id: Mapped[str | None] = mapped_column(ForeignKey("branch.id"), default=None)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    payload: Mapped[str] = mapped_column(Text, default="{}")
