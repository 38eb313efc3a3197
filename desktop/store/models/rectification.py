"""主题教育整改: campaign → categories → problems → measures → dated progress entries."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.domain.enums import MeasureStatus, MeasureType, ProblemSource

from ..base import Record


class Campaign(Record):
    __tablename__ = "campaign"

    name: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer)
    branch_id: Mapped[str | None] = mapped_column(ForeignKey("branch.id"), default=None)  # None: whole committee
    start_date: Mapped[date | None] = mapped_column(Date, default=None)
    end_date: Mapped[date | None] = mapped_column(Date, default=None)
    description: Mapped[str] = mapped_column(Text, default="")

    categories: Mapped[list[RectCategory]] = relationship(order_by="RectCategory.seq")


class RectCategory(Record):
    """类别, e.g. 理论学习 / 政治素质 / 能力本领 / 担当作为 / 工作作风 / 廉洁自律."""

    __tablename__ = "rect_category"

    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaign.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(100))

    problems: Mapped[list[Problem]] = relationship(order_by="Problem.seq")


class Problem(Record):
    """问题表现 with its source; ``is_key`` marks a 重点整改项目."""

    __tablename__ = "problem"

    category_id: Mapped[str] = mapped_column(ForeignKey("rect_category.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20), default=ProblemSource.SELF_CHECK)
    is_key: Mapped[bool] = mapped_column(Boolean, default=False)

    measures: Mapped[list[Measure]] = relationship(order_by="Measure.seq")


class Measure(Record):
    """整改措施. Overdue / due soon are derived (desktop.domain.rectification), never stored."""

    __tablename__ = "measure"

    problem_id: Mapped[str] = mapped_column(ForeignKey("problem.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    content: Mapped[str] = mapped_column(Text)  # 整改措施
    target: Mapped[str] = mapped_column(Text, default="")  # 整改目标
    leader: Mapped[str] = mapped_column(String(100), default="")  # 责任领导
    owner: Mapped[str] = mapped_column(String(200), default="")  # 责任部门/责任人
    deadline: Mapped[date | None] = mapped_column(Date, default=None)  # 整改时限
    type: Mapped[str] = mapped_column(String(10), default=MeasureType.DEADLINE)
    status: Mapped[str] = mapped_column(String(20), default=MeasureStatus.NOT_STARTED)
    evidence: Mapped[str] = mapped_column(Text, default="")  # 佐证材料
    closed_on: Mapped[date | None] = mapped_column(Date, default=None)  # 销号日期

    progress: Mapped[list[ProgressEntry]] = relationship(order_by="ProgressEntry.date")


class ProgressEntry(Record):
    """进展: a dated note on a measure."""

    __tablename__ = "progress_entry"

    measure_id: Mapped[str] = mapped_column(ForeignKey("measure.id"), index=True)
    date: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
