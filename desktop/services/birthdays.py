"""政治生日 use cases: who celebrates in a month / quarter, and collective celebrations.

The branch a member celebrates with is the branch they belonged to on the anniversary date
(membership periods), so someone transferred in July counts in their new branch for an
August birthday and in the old one for a March birthday. Members out of every branch on that
day (transferred out of the committee, deceased) are not listed. 党龄 and the category are
taken as of the anniversary date (a 预备党员 then has no 党龄).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import or_, select

from desktop.domain.dates import parse_date
from desktop.domain.enums import MemberCategory, MemberStatus
from desktop.domain.errors import DomainValidationError, ErrorCollector
from desktop.domain.members import birthday_info, birthdays_in_period, category_on
from desktop.domain.text import clean_line, clean_text
from desktop.store.base import utcnow
from desktop.store.models import BirthdayEvent, Branch, Celebrant, Member, Membership, Setting
from desktop.store.queries import live

from .conflicts import check_version
from .rectification import NotFound
from .setting_guard import changed_meanwhile, lock_settings

TEMPLATE_KEY = "birthday.message_template"
DEFAULT_TEMPLATE = (
    "值此入党{周年}周年政治生日之际，希望{姓名}同志不忘初心、牢记使命，始终对党忠诚，"
    "立足岗位当先锋、作表率，以实际行动践行入党誓词！"
)
ACTIVITY_CHOICES = ("重温入党誓词", "赠送政治生日贺卡", "讲述初心故事", "政治生日寄语", "观看党性教育片", "交纳党费")
OATH = (
    "我志愿加入中国共产党，拥护党的纲领，遵守党的章程，履行党员义务，执行党的决定，严守党的纪律，"
    "保守党的秘密，对党忠诚，积极工作，为共产主义奋斗终身，随时准备为党和人民牺牲一切，永不叛党。"
)


@dataclass(frozen=True)
class BirthdayRow:
    member_id: str
    name: str
    gender: str
    birth_date: date | None
    join_date: date  # 入党日期 = 政治生日
    full_date: date | None
    category: MemberCategory  # on the anniversary date
    branch_id: str | None
    branch_name: str
    date_this_year: date
    anniversary_number: int  # 入党第N周年
    party_age: int | None  # 党龄 on the anniversary; None for a 预备党员
    is_round: bool
    is_fifty: bool  # 光荣在党50年 (50 years of 党龄 reached this year)
    milestone_label: str

    @property
    def highlighted(self) -> bool:
        return self.is_round or self.is_fifty


def _branch_on(periods: list[Membership], day: date) -> str | None:
    for p in periods:
        if p.deleted_at is None and p.start_date <= day and (p.end_date is None or p.end_date >= day):
            return p.branch_id
    return None


def birthdays_for(ledger, year: int, months, branch_id: str | None = None) -> list[BirthdayRow]:
    """Members whose 入党日期 falls in ``months`` (1-12) of ``year``, sorted by date then name."""
    wanted = {int(m) for m in months}
    with ledger.read() as s:
        branches = {b.id: b.name for b in s.scalars(select(Branch))}
        members = [m for m in s.scalars(live(Member).where(Member.join_date.is_not(None))
                                         .order_by(Member.join_date, Member.name))
                   if m.join_date.month in wanted]
        periods: dict[str, list[Membership]] = {}
        ids = [m.id for m in members]
        for p in s.scalars(live(Membership).where(Membership.member_id.in_(ids))):
            periods.setdefault(p.member_id, []).append(p)
        out: list[BirthdayRow] = []
        for m, info in birthdays_in_period(members, year, wanted):  # 29 Feb → 28 Feb handled there
            day = info.date_this_year
            if m.id in periods:
                where = _branch_on(periods[m.id], day)
                if where is None:
                    continue
            else:  # legacy record without periods: the current placement, unless gone
                if m.status in (MemberStatus.TRANSFERRED_OUT, MemberStatus.DECEASED):
                    continue
                where = m.branch_id
            if branch_id is not None and where != branch_id:
                continue
            cat = category_on(m.join_date, m.full_date, MemberCategory(m.category), day) or MemberCategory.PROBATIONARY
            # facts as of the anniversary: a member who was still 预备 that day has no 党龄 yet
            facts = birthday_info(m.join_date, m.full_date if cat == MemberCategory.FULL else None, cat, year)
            out.append(BirthdayRow(
                m.id, m.name, m.gender, m.birth_date, m.join_date, m.full_date, cat, where,
                branches.get(where or "", ""), day, facts.anniversary_number, facts.party_age,
                facts.is_round, facts.is_fifty_years_party_age, facts.milestone_label,
            ))  # fmt: skip
    out.sort(key=lambda r: (r.date_this_year, r.name))
    return out


# ------------------------------------------------------------------ 寄语 template
def render_message(template: str, name: str, number: int) -> str:
    """Fill {姓名} and {周年}; other braces are left as typed."""
    return template.replace("{姓名}", name).replace("{周年}", str(number))


def get_message_template(ledger) -> str:
    with ledger.read() as s:
        return _stored_template(s)


def _stored_template(s) -> str:
    row = s.scalar(live(Setting).where(Setting.key == TEMPLATE_KEY))
    if row is None:
        return DEFAULT_TEMPLATE
    try:
        value = json.loads(row.value)
    except ValueError:
        return DEFAULT_TEMPLATE
    return value if isinstance(value, str) and value.strip() else DEFAULT_TEMPLATE


def save_message_template(ledger, text: str, shown: str | None = None) -> None:
    """``shown``: the template the editor showed; another program's different one stored since
    is a RecordConflict (desktop.services.setting_guard), nothing written."""
    body = clean_text(text)
    with ledger.write() as s:
        if shown is not None:
            lock_settings(s, [TEMPLATE_KEY])
            stored = _stored_template(s)
            if stored != shown and stored != (body or DEFAULT_TEMPLATE):
                raise changed_meanwhile(s, TEMPLATE_KEY, "寄语模板")
        row = s.scalar(select(Setting).where(Setting.key == TEMPLATE_KEY))
        if row is None:
            row = Setting(key=TEMPLATE_KEY)
            s.add(row)
        row.restore()
        row.value = json.dumps(body or DEFAULT_TEMPLATE, ensure_ascii=False)


# --------------------------------------------------------------------- events
@dataclass(frozen=True)
class EventRow:
    id: str
    branch_id: str | None
    branch_name: str
    date: date
    title: str
    place: str
    activities: tuple[str, ...]
    celebrant_count: int
    version: int = 0


@dataclass(frozen=True)
class CelebrantRow:
    member_id: str
    name: str
    join_date: date | None
    anniversary_number: int | None
    party_age: int | None
    milestone_label: str
    message: str


@dataclass(frozen=True)
class EventDetail:
    event: EventRow
    notes: str
    celebrants: tuple[CelebrantRow, ...]


@dataclass(frozen=True)
class CelebrantInput:
    member_id: str
    message: str = ""


@dataclass(frozen=True)
class EventInput:
    date: date | None
    celebrants: tuple[CelebrantInput, ...]
    branch_id: str | None = None
    title: str = ""
    place: str = ""
    activities: tuple[str, ...] = ()
    notes: str = ""
    id: str | None = None
    version: int | None = None  # the version the editor opened; None: not guarded


def _activities(text: str) -> tuple[str, ...]:
    return tuple(a for a in (clean_line(x) for x in (text or "").split("\n")) if a)


def _event_row(e: BirthdayEvent, branches: dict[str, str], count: int) -> EventRow:
    return EventRow(e.id, e.branch_id, branches.get(e.branch_id or "", ""), e.date, e.title, e.place,
                    _activities(e.activities), count, e.version)


def list_events(ledger, year: int | None = None, branch_id: str | None = None,
                ids: set[str] | None = None) -> list[EventRow]:
    """Collective celebrations, newest first (only ``ids`` when given)."""
    with ledger.read() as s:
        branches = {b.id: b.name for b in s.scalars(select(Branch))}
        q = live(BirthdayEvent).order_by(BirthdayEvent.date.desc())
        if ids is not None:
            q = q.where(BirthdayEvent.id.in_(list(ids)))
        if year is not None:
            q = q.where(BirthdayEvent.date >= date(year, 1, 1), BirthdayEvent.date <= date(year, 12, 31))
        if branch_id is not None:
            q = q.where(or_(BirthdayEvent.branch_id == branch_id, BirthdayEvent.branch_id.is_(None)))
        out = []
        for e in s.scalars(q):
            count = sum(1 for c in e.celebrants if c.deleted_at is None)
            out.append(_event_row(e, branches, count))
        return out


def event_rows(ledger, ids: set[str]) -> dict[str, EventRow | None]:
    """The list rows of a few events (None for one deleted): what the page updates after a save."""
    found = {r.id: r for r in list_events(ledger, ids=ids)}
    return {i: found.get(i) for i in ids}


def get_event(ledger, event_id: str) -> EventDetail:
    with ledger.read() as s:
        e = s.get(BirthdayEvent, event_id)
        if e is None or e.deleted_at is not None:
            raise NotFound("政治生日活动不存在或已删除")
        branches = {b.id: b.name for b in s.scalars(select(Branch))}
        rows = []
        for c in e.celebrants:
            if c.deleted_at is not None:
                continue
            m = s.get(Member, c.member_id)
            number = age = None
            label = ""
            if m is not None and m.join_date is not None:
                info = birthday_info(m.join_date, m.full_date, MemberCategory(m.category), e.date.year)
                number, age, label = info.anniversary_number, info.party_age, info.milestone_label
            rows.append(CelebrantRow(c.member_id, m.name if m else "", m.join_date if m else None,
                                     number, age, label, c.message))
        rows.sort(key=lambda r: ((r.join_date or date.max).timetuple()[1:3], r.name))
        return EventDetail(_event_row(e, branches, len(rows)), e.notes, tuple(rows))


def save_event(ledger, data: EventInput) -> str:
    """Create or update a celebration with its celebrants (removed ones are tombstoned)."""
    errs = ErrorCollector()
    try:
        data = replace(data, date=parse_date(data.date, "活动日期"))
    except DomainValidationError as exc:
        errs.errors.append(exc)
    if not data.celebrants:
        errs.add("参加党员", "请至少选择一名过政治生日的党员")
    ids = [c.member_id for c in data.celebrants]
    if len(set(ids)) != len(ids):
        errs.add("参加党员", "同一名党员被选了两次")
    errs.raise_if_any()
    with ledger.write() as s:
        check_version(s, BirthdayEvent, data.id, data.version, "政治生日活动")  # row locked: one save wins
        if data.branch_id and s.get(Branch, data.branch_id) is None:
            raise NotFound("支部不存在")
        join_months: set[int] = set()
        for mid in ids:
            m = s.get(Member, mid)
            if m is None or m.deleted_at is not None:
                raise NotFound("所选党员不存在或已删除")
            if m.join_date:
                join_months.add(m.join_date.month)
        if data.id:
            e = s.get(BirthdayEvent, data.id)
            if e is None or e.deleted_at is not None:
                raise NotFound("政治生日活动不存在或已删除")
            e.modified_at = utcnow()  # always an UPDATE, so the version moves even for celebrant-only edits
        else:
            e = BirthdayEvent()
            s.add(e)
        e.date, e.branch_id = data.date, data.branch_id or None
        e.title = clean_line(data.title) or default_title(data.date, join_months)
        e.place, e.notes = clean_line(data.place), clean_text(data.notes)
        e.activities = "\n".join(a for a in (clean_line(x) for x in data.activities) if a)
        existing = {c.member_id: c for c in e.celebrants}
        for item in data.celebrants:
            c = existing.pop(item.member_id, None)
            if c is None:
                c = Celebrant(member_id=item.member_id)
                e.celebrants.append(c)
            c.restore()
            c.message = clean_text(item.message)
        for gone in existing.values():
            if gone.deleted_at is None:
                gone.tombstone()
        s.flush()
        return e.id


def event_cards(ledger, event_id: str) -> tuple[EventRow, list[BirthdayRow], list[str]]:
    """A celebration's cards: each celebrant's BirthdayRow in the event's year and their own 寄语
    (the template when none was written). Used by the ``cards`` export with an event filter."""
    detail = get_event(ledger, event_id)
    year = detail.event.date.year
    months = {c.join_date.month for c in detail.celebrants if c.join_date}
    found = {r.member_id: r for r in birthdays_for(ledger, year, months)}
    template = get_message_template(ledger)
    rows, messages = [], []
    for c in detail.celebrants:
        row = found.get(c.member_id)
        if row is None:  # no longer in any branch that day: still print the card asked for
            continue
        rows.append(row)
        messages.append(c.message or render_message(template, row.name, row.anniversary_number))
    return detail.event, rows, messages


def default_title(day: date, join_months: set[int]) -> str:
    """"7月份入党党员集体政治生日" from the celebrants' 入党 months (a July celebration is often
    held late in June); a quarter or the event's month otherwise."""
    if len(join_months) == 1:
        return f"{next(iter(join_months))}月份入党党员集体政治生日"
    quarters = {(m - 1) // 3 + 1 for m in join_months}
    if len(quarters) == 1:
        q = "一二三四"[next(iter(quarters)) - 1]
        return f"第{q}季度入党党员集体政治生日"
    return f"{day.month}月份党员集体政治生日"


def delete_event(ledger, event_id: str, version: int | None = None) -> None:
    with ledger.write() as s:
        check_version(s, BirthdayEvent, event_id, version, "政治生日活动")
        e = s.get(BirthdayEvent, event_id)
        if e is None or e.deleted_at is not None:
            raise NotFound("政治生日活动不存在或已删除")
        e.tombstone()
