"""The 机关党委 record and its 党支部 (with the profile that decides which meetings they owe)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.domain.dates import parse_optional_date
from desktop.domain.enums import CommitteePost, LectureFrequency, MemberCategory
from desktop.domain.errors import ErrorCollector
from desktop.domain.ledger_start import dump_start_numbers, parse_start_numbers
from desktop.domain.text import clean_line, clean_text
from desktop.store.models import Branch, Committee, Member, PartyGroup, PostHolding, utcnow
from desktop.store.queries import live

from ..conflicts import check_version
from .records import BranchInput, BranchRow, CommitteeInfo, count_in_roll, current_holders, reading


# ------------------------------------------------------------------ committee
def get_committee(source: Any) -> CommitteeInfo | None:
    with reading(source) as s:
        c = s.scalars(live(Committee).order_by(Committee.name)).first()
        return CommitteeInfo(c.id, c.name, c.unit_name, c.version) if c else None


def save_committee(ledger, name: str, unit_name: str = "", version: int | None = None) -> str:
    """Name the 机关党委; ``version``: the one shown (changed since: RecordConflict)."""
    errs = ErrorCollector()
    name = clean_line(name)
    if not name:
        errs.add("党组织名称", "不能为空（如 某某局机关党委）")
    errs.raise_if_any()
    with ledger.write() as s:
        c = s.scalars(live(Committee)).first()
        if c is not None:
            check_version(s, Committee, c.id, version, "党组织")
            s.refresh(c)
        if c is None:
            c = Committee(name=name, unit_name=clean_line(unit_name))
            s.add(c)
        else:
            c.name = name
            c.unit_name = clean_line(unit_name)
        s.flush()
        return c.id


def _ensure_committee(s: Session) -> Committee:
    c = s.scalars(live(Committee)).first()
    if c is None:
        c = Committee(name="机关党委", unit_name="")
        s.add(c)
        s.flush()
    return c


# ------------------------------------------------------------------ branches
def list_branches(source: Any) -> list[BranchRow]:
    with reading(source) as s:
        branches = s.scalars(live(Branch).order_by(Branch.sort_order, Branch.name)).all()
        counts = count_in_roll(s, Member.branch_id, Member.category)
        groups = dict(
            s.execute(
                select(PartyGroup.branch_id, func.count())
                .where(PartyGroup.deleted_at.is_(None))
                .group_by(PartyGroup.branch_id)
            ).all()
        )
        secretaries = current_holders(s, CommitteePost.SECRETARY, PostHolding.branch_id)
        out = []
        for b in branches:
            full = counts.get((b.id, MemberCategory.FULL.value), 0)
            prob = counts.get((b.id, MemberCategory.PROBATIONARY.value), 0)
            out.append(
                BranchRow(
                    b.id, b.name, b.sort_order, b.has_committee, b.has_groups, b.lecture_frequency,
                    b.lecture_custom_per_year, b.theme_day_of_month, b.established_on, b.notes,
                    full + prob, full, prob, groups.get(b.id, 0), secretaries.get(b.id, ""),
                    b.ledger_start, {str(k): v for k, v in parse_start_numbers(b.start_numbers).items()},
                    b.version,
                )
            )
        return out


def get_branch(source: Any, branch_id: str) -> BranchRow:
    for row in list_branches(source):
        if row.id == branch_id:
            return row
    raise KeyError(branch_id)


def save_branch(ledger, data: BranchInput) -> str:
    errs = ErrorCollector()
    name = clean_line(data.name)
    if not name:
        errs.add("支部名称", "不能为空（如 第一党支部）")
    freq = data.lecture_frequency
    if freq not in {f.value for f in LectureFrequency}:
        errs.add("党课频次", f"“{freq}”不是可选的频次")
    per_year = data.lecture_custom_per_year
    if freq == LectureFrequency.CUSTOM and (per_year is None or not 1 <= per_year <= 24):
        errs.add("党课频次", "自定义时请填写每年次数（1–24）")
    day = data.theme_day_of_month
    if day is not None and not 1 <= day <= 28:
        errs.add("主题党日", f"固定日应在每月1–28日之间（填写的是{day}日），月末日子并非每月都有")
    with errs.check():
        established = parse_optional_date(data.established_on, "成立日期")
    ledger_start = None
    with errs.check():
        ledger_start = parse_optional_date(data.ledger_start, "台账启用日期")
    numbers = None
    if data.start_numbers is not None:
        with errs.check():
            numbers = dump_start_numbers(data.start_numbers)
        if numbers not in (None, "{}") and ledger_start is None and not data.ledger_start:
            errs.add("起始编号", "起始第N次用于台账启用当年，请先填写台账启用日期")
    with ledger.write() as s:
        check_version(s, Branch, data.id, data.version, "党支部")  # row locked: one of two saves wins
        dup = s.scalars(live(Branch).where(Branch.name == name, Branch.id != (data.id or ""))).first()
        if name and dup is not None:
            errs.add("支部名称", f"已有名为“{name}”的支部")
        errs.raise_if_any()
        if data.id:
            b = s.get(Branch, data.id)
            if b is None or b.deleted_at is not None:
                raise KeyError(data.id)
        else:
            committee = _ensure_committee(s)
            top = s.scalar(select(func.max(Branch.sort_order)).where(Branch.deleted_at.is_(None))) or 0
            b = Branch(committee_id=committee.id, sort_order=top + 1, name=name)
            s.add(b)
        b.name = name
        b.has_committee = bool(data.has_committee)
        b.has_groups = bool(data.has_groups)
        b.lecture_frequency = freq
        b.lecture_custom_per_year = per_year if freq == LectureFrequency.CUSTOM else None
        b.theme_day_of_month = day
        b.established_on = established
        b.ledger_start = ledger_start
        if numbers is not None:
            b.start_numbers = numbers
        b.notes = clean_text(data.notes)
        if data.sort_order is not None:
            b.sort_order = data.sort_order
        s.flush()
        return b.id


def delete_branch(ledger, branch_id: str, version: int | None = None) -> None:
    """Tombstone an empty branch (no members in the roll); its groups and posts go with it.
    ``version``: the one shown (changed since: RecordConflict)."""
    errs = ErrorCollector()
    with ledger.write() as s:
        check_version(s, Branch, branch_id, version, "党支部")
        b = s.get(Branch, branch_id)
        if b is None or b.deleted_at is not None:
            return
        n = s.scalar(
            select(func.count()).select_from(Member).where(Member.deleted_at.is_(None), Member.branch_id == branch_id)
        )
        if n:
            errs.add("支部", f"“{b.name}”还有{n}名党员的记录，请先把他们调到其他支部")
            errs.raise_if_any()
        at = utcnow()  # one stamp: the 回收站 brings them back together
        for g in s.scalars(live(PartyGroup).where(PartyGroup.branch_id == branch_id)):
            g.tombstone(at)
        for p in s.scalars(live(PostHolding).where(PostHolding.branch_id == branch_id)):
            p.tombstone(at)
        b.tombstone(at)
