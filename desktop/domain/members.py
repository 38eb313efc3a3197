"""Rules about one party member: 党龄, category on a date, 政治生日, ID and phone checks.

- 党龄 counts full years from 转正日期; the probation year does not count and a
  预备党员 has no 党龄 (None).
- Legacy data: a 正式党员 recorded without 转正日期 is assumed to have become full one
  year after 入党日期 (the normal probation), and 党龄 counts from there.
- 政治生日 is the anniversary of 入党日期 (29 February → 28 February, see dates).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from .dates import add_years, anniversary_date, format_cn_date, years_between
from .enums import Gender, MemberCategory, MemberStatus
from .errors import DomainValidationError

T = TypeVar("T")

MIN_JOIN_AGE = 18
FIFTY_YEARS = 50


@dataclass(frozen=True)
class MemberFacts:
    """What the rules need to know about a member."""

    name: str
    gender: Gender | None
    birth_date: date | None
    join_date: date | None  # 入党日期 = 政治生日
    full_date: date | None  # 转正日期
    category: MemberCategory
    status: MemberStatus = MemberStatus.ACTIVE

    def party_age(self, on: date) -> int | None:
        if self.join_date is None:
            return None
        return party_age(self.join_date, self.full_date, on, self.category)

    def category_on(self, on: date) -> MemberCategory | None:
        if self.join_date is None:
            return None
        return category_on(self.join_date, self.full_date, self.category, on)


def party_age_start(join_date: date, full_date: date | None, category: MemberCategory) -> date | None:
    """The day 党龄 starts: 转正日期, or 入党日期 + 1 year for a legacy 正式党员 without it."""
    if full_date is not None:
        return full_date
    if category == MemberCategory.FULL:
        return add_years(join_date, 1)
    return None


def party_age(join_date: date, full_date: date | None, on: date, category: MemberCategory) -> int | None:
    """Full years of 党龄 on ``on``; None for a 预备党员 or before 转正."""
    if category == MemberCategory.PROBATIONARY:
        return None
    start = party_age_start(join_date, full_date, category)
    if start is None or on < start:
        return None
    return years_between(start, on)


def category_on(
    join_date: date | None, full_date: date | None, recorded_category: MemberCategory | str, on: date
) -> MemberCategory | None:
    """THE rule for 正式党员 or 预备党员 on ``on`` (应到/实到, quorum and votes of a meeting,
    政治生日 lists, 首页 counts all ask this one function; ``store.queries.category_on`` and the
    compliance counts call it):

    - before 入党日期: not a member yet (None); on 入党日期 itself: 预备党员;
    - with a 转正日期: 正式 from that day on (转正 on the meeting date counts as 正式), 预备 before;
    - without one: a recorded 预备党员 stays 预备; a recorded 正式党员 (an old record without the
      date) is 正式 from one year after 入党日期, the end of the usual 预备期;
    - without 入党日期: the recorded category (nothing else is known).
    """
    recorded = MemberCategory(recorded_category)
    if join_date is None:
        return recorded
    if on < join_date:
        return None
    if full_date is not None:
        return MemberCategory.FULL if on >= full_date else MemberCategory.PROBATIONARY
    if recorded == MemberCategory.PROBATIONARY:
        return MemberCategory.PROBATIONARY
    return MemberCategory.FULL if on >= add_years(join_date, 1) else MemberCategory.PROBATIONARY


def political_birthday_number(join_date: date, year: int) -> int:
    """Which anniversary of 入党日期 falls in ``year`` (0 = the joining year; negative before)."""
    return year - join_date.year


@dataclass(frozen=True)
class BirthdayInfo:
    """One member's 政治生日 in a given year.

    ``party_age`` is the 党龄 on ``date_this_year`` (None for a 预备党员).
    ``is_fifty_years_party_age`` is True when the 50th anniversary of the 党龄 start
    (转正日期) falls in that year: the year of 光荣在党50年.
    """

    date_this_year: date
    anniversary_number: int
    party_age: int | None
    is_round: bool
    is_fifty_years_party_age: bool
    milestone_label: str


def birthday_info(
    join_date: date, full_date: date | None, category: MemberCategory, year: int
) -> BirthdayInfo:
    """The 政治生日 facts of one member for ``year``."""
    when = anniversary_date(join_date, year)
    number = political_birthday_number(join_date, year)
    age = party_age(join_date, full_date, when, category)
    start = party_age_start(join_date, full_date, category) if category == MemberCategory.FULL else None
    fifty = start is not None and start.year + FIFTY_YEARS == year
    is_round = number > 0 and number % 10 == 0
    labels = []
    if fifty:
        labels.append("光荣在党50年")
    if is_round:
        labels.append(f"入党{number}周年")
    return BirthdayInfo(when, number, age, is_round, fifty, "、".join(labels))


def birthdays_in_period(
    members: Iterable[T],
    year: int,
    months: set[int] | Iterable[int],
    join_date: Callable[[T], date | None] = lambda m: m.join_date,  # type: ignore[attr-defined]
    full_date: Callable[[T], date | None] = lambda m: getattr(m, "full_date", None),
    category: Callable[[T], Any] = lambda m: getattr(m, "category", MemberCategory.FULL),
    *,
    include_joining_year: bool = False,
) -> list[tuple[T, BirthdayInfo]]:
    """Members whose 政治生日 falls in ``months`` of ``year``, sorted by date then input order.

    Members without 入党日期, or who join after ``year``, are skipped; those who joined in
    ``year`` itself (anniversary 0) only with ``include_joining_year=True``. Filtering by
    status (转出, 去世) is the caller's business.
    """
    wanted = set(months)
    found: list[tuple[int, T, BirthdayInfo]] = []
    for index, member in enumerate(members):
        jd = join_date(member)
        if jd is None or jd.month not in wanted:
            continue
        number = political_birthday_number(jd, year)
        if number < 0 or (number == 0 and not include_joining_year):
            continue
        cat = MemberCategory(category(member) or MemberCategory.FULL)
        found.append((index, member, birthday_info(jd, full_date(member), cat, year)))
    found.sort(key=lambda t: (t[2].date_this_year, t[0]))
    return [(m, info) for _i, m, info in found]


def member_date_problems(
    birth_date: date | None,
    join_date: date | None,
    full_date: date | None,
    category: MemberCategory,
    today: date | None = None,
) -> list[DomainValidationError]:
    """All contradictions among a member's dates (empty list when consistent)."""
    today = today or date.today()
    out: list[DomainValidationError] = []
    if birth_date is not None and birth_date > today:
        out.append(DomainValidationError("出生日期", f"{format_cn_date(birth_date)} 晚于今天，请核对"))
    if join_date is not None and join_date > today:
        out.append(DomainValidationError("入党日期", f"{format_cn_date(join_date)} 晚于今天，请核对"))
    if (
        birth_date is not None
        and join_date is not None
        and years_between(birth_date, join_date) < MIN_JOIN_AGE
    ):
        out.append(
            DomainValidationError(
                "入党日期",
                f"{format_cn_date(join_date)} 时未满{MIN_JOIN_AGE}周岁（出生日期 {format_cn_date(birth_date)}），请核对",
            )
        )
    if full_date is not None:
        if category == MemberCategory.PROBATIONARY:
            out.append(
                DomainValidationError(
                    "转正日期",
                    f"预备党员不应有转正日期（填写的是 {format_cn_date(full_date)}）；"
                    "已转正的请把类别改为正式党员",
                )
            )
        if join_date is not None and full_date < join_date:
            out.append(
                DomainValidationError(
                    "转正日期",
                    f"{format_cn_date(full_date)} 早于入党日期 {format_cn_date(join_date)}",
                )
            )
        if full_date > today:
            out.append(DomainValidationError("转正日期", f"{format_cn_date(full_date)} 晚于今天，请核对"))
    return out


def validate_member_dates(
    birth_date: date | None,
    join_date: date | None,
    full_date: date | None,
    category: MemberCategory,
    today: date | None = None,
) -> None:
    """Raise the first DomainValidationError from member_date_problems()."""
    problems = member_date_problems(birth_date, join_date, full_date, category, today)
    if problems:
        raise problems[0]


def member_date_warnings(join_date: date | None, full_date: date | None) -> list[str]:
    """Unusual but allowed: probation shorter than 1 year or longer than 2 years."""
    if join_date is None or full_date is None or full_date < join_date:
        return []
    if full_date < add_years(join_date, 1):
        return [f"转正日期 {format_cn_date(full_date)} 距入党日期不满一年（预备期一般为一年），请核对"]
    if full_date > add_years(join_date, 2):
        return [f"转正日期 {format_cn_date(full_date)} 距入党日期超过两年（预备期最长延长一年），请核对"]
    return []


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^[1-9]\d{16}[\dX]$")


def id_check_digit(first17: str) -> str:
    """GB 11643-1999 check character for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def _normalize_id(s: str | None) -> str:
    text = (s or "").strip().translate(str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX"))
    return re.sub(r"\s+", "", text).upper()


def check_id_number(s: str | None, today: date | None = None) -> str:
    """Validate an 18-digit resident ID; return it normalised (upper-case X). Blank → ""."""
    text = _normalize_id(s)
    if not text:
        return ""
    field = "身份证号"
    if len(text) != 18:
        raise DomainValidationError(field, f"“{text}”应为18位，实际{len(text)}位")
    if not _ID_RE.match(text):
        raise DomainValidationError(field, f"“{text}”格式不正确：前17位应为数字，末位为数字或X")
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise DomainValidationError(field, f"“{text}”中的出生日期 {text[6:14]} 不是有效日期") from None
    if born.year < 1900 or born > (today or date.today()):
        raise DomainValidationError(field, f"“{text}”中的出生日期 {format_cn_date(born)} 不合理")
    expected = id_check_digit(text[:17])
    if text[17] != expected:
        raise DomainValidationError(field, f"“{text}”校验位错误（末位应为 {expected}），请核对是否输错")
    return text


def id_birth_date(s: str) -> date | None:
    """Birth date embedded in a valid ID number, else None."""
    try:
        text = check_id_number(s)
    except DomainValidationError:
        return None
    return date(int(text[6:10]), int(text[10:12]), int(text[12:14])) if text else None


def id_gender(s: str) -> Gender | None:
    """Gender from the 17th digit (odd = 男) of a valid ID number, else None."""
    try:
        text = check_id_number(s)
    except DomainValidationError:
        return None
    return (Gender.MALE if int(text[16]) % 2 else Gender.FEMALE) if text else None


def mask_id_number(s: str | None) -> str:
    """Keep the first 6 and last 4 characters: ``110105********1234``."""
    text = _normalize_id(s)
    if len(text) <= 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


_MOBILE_RE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
# Area codes: 010 and 02X have 3 digits, all others (03XX-09XX) 4.
_LANDLINE_RE = re.compile(r"^(?:(0[12]\d|0[3-9]\d{2})-?)?([2-9]\d{6,7})(?:(?:-|转)(\d{1,6}))?$")


def check_phone(s: str | None) -> str:
    """Validate a phone number and return it normalised; blank → "".

    Mobile: 11 digits starting 1[3-9] (spaces, hyphens and +86 allowed) → ``13812345678``.
    Landline: ``0579-82345678``, ``057982345678`` → ``0579-82345678``; local ``82345678``;
    an extension ``-123`` or ``转123`` is kept as ``-123``.
    """
    raw = (s or "").strip()
    if not raw:
        return ""
    text = raw.translate(str.maketrans("０１２３４５６７８９－＋", "0123456789-+"))
    text = re.sub(r"[\s()（）]", "", text)
    m = _MOBILE_RE.match(text.replace("-", ""))
    if m:
        return m.group(1)
    m = _LANDLINE_RE.match(text)
    if m:
        area, number, ext = m.groups()
        out = f"{area}-{number}" if area else number
        return f"{out}-{ext}" if ext else out
    raise DomainValidationError(
        "联系电话", f"“{raw}”不是有效号码：手机应为1开头的11位数字，座机如 0579-82345678 或 82345678"
    )
