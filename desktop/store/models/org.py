"""Organization and people: committee → branches → groups; members, their branch periods, posts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.domain.enums import LectureFrequency, MemberCategory, MemberStatus

from ..base import Record


class Committee(Record):
    """机关党委 (or 总支): the top of the tree kept in one ledger."""

    __tablename__ = "committee"

    name: Mapped[str] = mapped_column(String(200))
    unit_name: Mapped[str] = mapped_column(String(200), default="")  # the office/unit printed on covers

    branches: Mapped[list[Branch]] = relationship(back_populates="committee", order_by="Branch.sort_order")


class Branch(Record):
    """党支部 with its profile: which meetings it owes."""

    __tablename__ = "branch"

    committee_id: Mapped[str] = mapped_column(ForeignKey("committee.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    has_committee: Mapped[bool] = mapped_column(Boolean, default=True)  # 设支部委员会
    has_groups: Mapped[bool] = mapped_column(Boolean, default=False)  # 设党小组
    lecture_frequency: Mapped[str] = mapped_column(String(20), default=LectureFrequency.QUARTER)
    lecture_custom_per_year: Mapped[int | None] = mapped_column(Integer, default=None)
    theme_day_of_month: Mapped[int | None] = mapped_column(Integer, default=None)  # 主题党日 fixed day
    established_on: Mapped[date | None] = mapped_column(Date, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")
    # 台账启用日期: records before it are on paper only (periods that began earlier are 未录入)
    ledger_start: Mapped[date | None] = mapped_column(Date, default=None)
    # 第N次 to start from in the year of ledger_start: JSON {meeting kind: number}
    start_numbers: Mapped[str] = mapped_column(Text, default="{}")

    committee: Mapped[Committee] = relationship(back_populates="branches")
    groups: Mapped[list[PartyGroup]] = relationship(back_populates="branch", order_by="PartyGroup.sort_order")


class PartyGroup(Record):
    """党小组."""

    __tablename__ = "party_group"

    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    branch: Mapped[Branch] = relationship(back_populates="groups")


class Member(Record):
    """党员. ``join_date`` (入党日期, the political birthday) and ``full_date`` (转正日期, from which
    党龄 counts) are never conflated. ``branch_id``/``group_id`` are the *current* placement; the
    history lives in :class:`Membership`."""

    __tablename__ = "member"

    name: Mapped[str] = mapped_column(String(100), index=True)
    gender: Mapped[str] = mapped_column(String(4), default="")
    ethnicity: Mapped[str] = mapped_column(String(20), default="汉族")
    birth_date: Mapped[date | None] = mapped_column(Date, default=None)
    education: Mapped[str] = mapped_column(String(40), default="")
    id_number: Mapped[str] = mapped_column(String(18), default="")  # sensitive: masked when shown
    phone: Mapped[str] = mapped_column(String(40), default="")
    branch_id: Mapped[str | None] = mapped_column(ForeignKey("branch.id"), index=True, default=None)
    group_id: Mapped[str | None] = mapped_column(ForeignKey("party_group.id"), default=None)
    job_title: Mapped[str] = mapped_column(String(100), default="")  # 职务 in the unit
    category: Mapped[str] = mapped_column(String(10), default=MemberCategory.FULL)
    status: Mapped[str] = mapped_column(String(10), default=MemberStatus.ACTIVE)
    join_date: Mapped[date | None] = mapped_column(Date, default=None)  # 入党日期
    full_date: Mapped[date | None] = mapped_column(Date, default=None)  # 转正日期
    notes: Mapped[str] = mapped_column(Text, default="")

    memberships: Mapped[list[Membership]] = relationship(back_populates="member", order_by="Membership.start_date")


class Membership(Record):
    """A period in which a member belonged to a branch (and group). ``end_date`` None = still there.
    A meeting on day D counts the members whose period contains D."""

    __tablename__ = "membership"

    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    group_id: Mapped[str | None] = mapped_column(ForeignKey("party_group.id"), default=None)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, default=None)  # last day in the branch
    start_reason: Mapped[str] = mapped_column(String(20), default="")  # MembershipChange
    end_reason: Mapped[str] = mapped_column(String(20), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    member: Mapped[Member] = relationship(back_populates="memberships")


class ProbationEvent(Record):
    """A step of a 预备党员's probation: 转正, 延长预备期 or 取消预备党员资格, dated, with the
    党员大会 that voted it (``meeting_id``), the new probation end for an extension, the reason.
    The member's ``category``/``full_date`` follow the latest event; these rows keep the history."""

    __tablename__ = "probation_event"

    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # ProbationStep
    on_date: Mapped[date] = mapped_column(Date)
    meeting_id: Mapped[str | None] = mapped_column(ForeignKey("meeting.id"), default=None)
    new_end: Mapped[date | None] = mapped_column(Date, default=None)  # 延长预备期: the new end
    reason: Mapped[str] = mapped_column(Text, default="")


class PostHolding(Record):
    """A committee post (书记, 组织委员 …, or 党小组组长 with ``group_id``) held over a period."""

    __tablename__ = "post_holding"

    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    group_id: Mapped[str | None] = mapped_column(ForeignKey("party_group.id"), default=None)
    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    post: Mapped[str] = mapped_column(String(20))  # CommitteePost
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, default=None)


class Setting(Record):
    """Ledger-level settings (unit name, fonts per role, reminder horizons, agenda templates …).
    Values are JSON text; keys are documented in ``desktop.services.settings``."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), unique=True)
    value: Mapped[str] = mapped_column(Text, default="null")
