from dataclasses import dataclass
from datetime import date

import pytest

from desktop.domain.enums import MemberCategory
from desktop.domain.errors import DomainValidationError
from desktop.domain.members import (
    MemberFacts,
    birthdays_in_period,
    category_on,
    check_id_number,
    check_phone,
    id_birth_date,
    id_gender,
    mask_id_number,
    member_date_problems,
    member_date_warnings,
    party_age,
    political_birthday_number,
    validate_member_dates,
)

FULL, PROB = MemberCategory.FULL, MemberCategory.PROBATIONARY


def test_party_age_counts_from_full_date_not_join_date():
    # 入党 2000-07-01, 转正 2001-07-01: on 2026-07-01 入党 26 years ago, 党龄 25
    assert party_age(date(2000, 7, 1), date(2001, 7, 1), date(2026, 7, 1), FULL) == 25
    assert party_age(date(2000, 7, 1), date(2001, 7, 1), date(2026, 6, 30), FULL) == 24


def test_probationary_has_no_party_age():
    assert party_age(date(2025, 12, 1), None, date(2026, 7, 1), PROB) is None


def test_before_full_date_no_party_age():
    assert party_age(date(2000, 7, 1), date(2001, 7, 1), date(2001, 6, 30), FULL) is None
    assert party_age(date(2000, 7, 1), date(2001, 7, 1), date(2001, 7, 1), FULL) == 0


def test_legacy_full_member_without_full_date_counts_from_join_plus_one_year():
    assert party_age(date(1990, 5, 4), None, date(2026, 5, 4), FULL) == 35
    assert party_age(date(1990, 5, 4), None, date(2026, 5, 3), FULL) == 34


def test_category_on():
    j, f = date(2024, 6, 1), date(2025, 6, 1)
    assert category_on(j, f, FULL, date(2024, 5, 31)) is None
    assert category_on(j, f, FULL, date(2024, 6, 1)) == PROB
    assert category_on(j, f, FULL, date(2025, 6, 1)) == FULL
    assert category_on(j, None, PROB, date(2030, 1, 1)) == PROB


def test_political_birthday_number():
    assert political_birthday_number(date(1976, 7, 1), 2026) == 50
    assert political_birthday_number(date(2026, 7, 1), 2026) == 0


@dataclass
class M:
    name: str
    join_date: date | None
    full_date: date | None = None
    category: MemberCategory = FULL


def test_feb_29_birthday_in_2025_and_2028():
    leap = M("王芳", date(1996, 2, 29), date(1997, 3, 1))
    ((m, info),) = birthdays_in_period([leap], 2025, {2})
    assert m is leap and info.date_this_year == date(2025, 2, 28) and info.anniversary_number == 29
    ((_, info),) = birthdays_in_period([leap], 2028, {2})
    assert info.date_this_year == date(2028, 2, 29) and info.anniversary_number == 32


def test_fifty_years_milestone():
    old = M("李建国", date(1975, 7, 1), date(1976, 7, 1))
    ((_, info),) = birthdays_in_period([old], 2026, {7})
    assert info.is_fifty_years_party_age
    assert info.anniversary_number == 51 and not info.is_round
    assert info.party_age == 50
    assert "光荣在党50年" in info.milestone_label
    ((_, info),) = birthdays_in_period([old], 2025, {7})
    assert not info.is_fifty_years_party_age and info.is_round and info.milestone_label == "入党50周年"


def test_birthdays_filter_sort_and_skip():
    ms = [
        M("乙", date(2010, 7, 20), date(2011, 7, 20)),
        M("甲", date(2001, 7, 1), date(2002, 7, 1)),
        M("丙", date(2010, 8, 1), date(2011, 8, 1)),
        M("新", date(2026, 7, 1), None, PROB),
        M("无", None),
        M("预", date(2025, 7, 5), None, PROB),
    ]
    got = birthdays_in_period(ms, 2026, {7})
    assert [m.name for m, _ in got] == ["甲", "预", "乙"]
    assert got[1][1].party_age is None
    assert got[0][1].anniversary_number == 25 and not got[0][1].is_round
    assert [m.name for m, _ in birthdays_in_period(ms, 2026, {7}, include_joining_year=True)] == [
        "甲",
        "新",
        "预",
        "乙",
    ]


def test_member_facts_methods():
    m = MemberFacts("张三", None, date(1980, 1, 1), date(2005, 7, 1), date(2006, 7, 1), FULL)
    assert m.party_age(date(2026, 7, 1)) == 20
    assert m.category_on(date(2006, 1, 1)) == PROB


def test_full_date_before_join_date():
    with pytest.raises(DomainValidationError) as e:
        validate_member_dates(
            date(1980, 1, 1), date(2005, 7, 1), date(2005, 6, 30), FULL, today=date(2026, 1, 1)
        )
    assert e.value.field == "转正日期"
    assert "早于入党日期" in e.value.message


def test_join_before_18():
    with pytest.raises(DomainValidationError) as e:
        validate_member_dates(date(1990, 5, 1), date(2008, 4, 30), None, FULL, today=date(2026, 1, 1))
    assert e.value.field == "入党日期"


def test_birth_in_future_and_probationary_with_full_date():
    problems = member_date_problems(date(2030, 1, 1), None, None, FULL, today=date(2026, 1, 1))
    assert [p.field for p in problems] == ["出生日期"]
    problems = member_date_problems(
        date(1990, 1, 1), date(2020, 1, 1), date(2021, 1, 1), PROB, today=date(2026, 1, 1)
    )
    assert [p.field for p in problems] == ["转正日期"]
    assert "预备党员" in problems[0].message


def test_valid_dates_and_warnings():
    validate_member_dates(date(1990, 1, 1), date(2015, 7, 1), date(2016, 7, 1), FULL, today=date(2026, 1, 1))
    assert member_date_warnings(date(2015, 7, 1), date(2016, 7, 1)) == []
    assert member_date_warnings(date(2015, 7, 1), date(2015, 12, 1))


def test_id_number():
    assert check_id_number("11010519491231002x") == "11010519491231002X"
    assert check_id_number("") == ""
    assert id_birth_date("11010519491231002X") == date(1949, 12, 31)
    assert id_gender("11010519491231002X") is not None
    for bad in ("110105194912310021", "11010519491331002X", "1101051949123100", "11010519490230002X"):
        with pytest.raises(DomainValidationError) as e:
            check_id_number(bad)
        assert e.value.field == "身份证号"


def test_id_check_digit_error_message():
    with pytest.raises(DomainValidationError) as e:
        check_id_number("110105194912310021")
    assert "末位应为 X" in e.value.message


def test_mask_id_number():
    assert mask_id_number("110105194912311234") == "110105********1234"
    assert mask_id_number("") == ""


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("0579-82345678", "0579-82345678"),
        ("82345678", "82345678"),
        ("010-62345678", "010-62345678"),
        ("", ""),
    ],
)
def test_phone_ok(raw, expected):
    assert check_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345678901", "1381234567", "电话", "0579-123"])
def test_phone_bad(raw):
    with pytest.raises(DomainValidationError) as e:
        check_phone(raw)
    assert e.value.field == "联系电话"
