"""政治生日: a collective celebration and the members celebrated, each with a 寄语."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..base import Record


class BirthdayEvent(Record):
    __tablename__ = "birthday_event"

    branch_id: Mapped[str | None] = mapped_column(ForeignKey("branch.id"), index=True, default=None)
    date: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300), default="")  # e.g. 7月份党员集体政治生日
    place: Mapped[str] = mapped_column(String(200), default="")
    activities: Mapped[str] = mapped_column(Text, default="")  # one per line: 重温入党誓词 …
    notes: Mapped[str] = mapped_column(Text, default="")

    celebrants: Mapped[list[Celebrant]] = relationship(cascade="all, delete-orphan")


class Celebrant(Record):
    __tablename__ = "celebrant"
    __table_args__ = (Index("ix_celebrant_event_member", "event_id", "member_id", unique=True),)

    event_id: Mapped[str] = mapped_column(ForeignKey("birthday_event.id"))
    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")  # 寄语
