"""Plain rows and inputs of the organization services, the read-session helper and the
shared roll/post queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from desktop.domain.dates import format_cn_date
from desktop.domain.enums import CommitteePost, LectureFrequency, MemberStatus
from desktop.store.models import Member, PostHolding

IN_ROLL = (MemberStatus.ACTIVE, MemberStatus.RETIRED, MemberStatus.MOBILE)


@contextmanager
def reading(source: Any) -> Iterator[Session]:
    """A read session from a Ledger, or the caller's own Session passed through unchanged."""
    if isinstance(source, Session):
        yield source
    else:
        with source.read() as session:
            yield session


@dataclass(frozen=True)
class CommitteeInfo:
    id: str
    name: str
    unit_name: str
    version: int = 0


@dataclass(frozen=True)
class BranchRow:
    id: str
    name: str
    sort_order: int
    has_committee: bool
    has_groups: bool
    lecture_frequency: str
    lecture_custom_per_year: int | None
    theme_day_of_month: int | None
    established_on: date | None
    notes: str
    member_count: int
    full_count: int
    probationary_count: int
    group_count: int
    secretary: str
    ledger_start: date | None = None  # 台账启用日期
    start_numbers: dict[str, int] = field(default_factory=dict)  # {kind: 第N次} in the start year
    version: int = 0  # what an editor opened: saving checks it (desktop.services.conflicts)

    @property
    def ledger_start_label(self) -> str:
        return format_cn_date(self.ledger_start) if self.ledger_start else "未设置（全部按台账记录判断）"

    @property
    def lecture_label(self) -> str:
        if self.lecture_frequency == LectureFrequency.CUSTOM:
            return f"每年{self.lecture_custom_per_year or 0}次"
        return self.lecture_frequency

    @property
    def theme_day_label(self) -> str:
        return f"每月{self.theme_day_of_month}日" if self.theme_day_of_month else "未固定"


@dataclass(frozen=True)
class BranchInput:
    name: str
    id: str | None = None
    has_committee: bool = True
    has_groups: bool = False
    lecture_frequency: str = LectureFrequency.QUARTER
    lecture_custom_per_year: int | None = None
    theme_day_of_month: int | None = None
    established_on: date | str | None = None
    notes: str = ""
    sort_order: int | None = None
    ledger_start: date | str | None = None
    start_numbers: dict[str, int | None] | None = None  # None = keep what is stored
    version: int | None = None  # the version the editor opened; None: not guarded


@dataclass(frozen=True)
class GroupRow:
    id: str
    branch_id: str
    name: str
    sort_order: int
    member_count: int
    leader: str
    version: int = 0


@dataclass(frozen=True)
class PostRow:
    id: str
    branch_id: str
    group_id: str | None
    group_name: str
    member_id: str
    member_name: str
    post: str
    start_date: date
    end_date: date | None
    version: int = 0

    @property
    def current(self) -> bool:
        return self.end_date is None or self.end_date >= date.today()

    @property
    def period_label(self) -> str:
        end = format_cn_date(self.end_date) if self.end_date else "至今"
        return f"{format_cn_date(self.start_date)} — {end}"


@dataclass(frozen=True)
class PostInput:
    branch_id: str
    member_id: str
    post: str
    start_date: date | str
    end_date: date | str | None = None
    group_id: str | None = None
    id: str | None = None
    version: int | None = None


def count_in_roll(s: Session, *columns: Any) -> dict[Any, int]:
    """Members in the roll (在职/退休/流动, not tombstoned) counted by ``columns``: keyed by the
    column value, or by a tuple of values when there are several columns."""
    rows = s.execute(
        select(*columns, func.count())
        .where(Member.deleted_at.is_(None), Member.status.in_([str(x) for x in IN_ROLL]))
        .group_by(*columns)
    )
    return {(tuple(r[:-1]) if len(columns) > 1 else r[0]): r[-1] for r in rows}


def current_holders(s: Session, post: CommitteePost, key: Any) -> dict[str, str]:
    """Who holds ``post`` today, by ``key`` (``PostHolding.branch_id`` or ``.group_id``): the
    first holder's name per key; holdings without a key are skipped."""
    today = date.today()
    out: dict[str, str] = {}
    for k, name in s.execute(
        select(key, Member.name)
        .join(Member, Member.id == PostHolding.member_id)
        .where(
            PostHolding.deleted_at.is_(None),
            PostHolding.post == post.value,
            PostHolding.start_date <= today,
            or_(PostHolding.end_date.is_(None), PostHolding.end_date >= today),
        )
    ):
        if k:
            out.setdefault(k, name)
    return out
