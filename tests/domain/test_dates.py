from datetime import date, time

import pytest

from desktop.domain.dates import (
    anniversary_date,
    format_cn_date,
    format_cn_month,
    month_range,
    parse_date,
    parse_time,
    quarter_months,
    quarter_of,
    quarter_range,
    years_between,
)
from desktop.domain.errors import DomainValidationError


@pytest.mark.parametrize(
    "text", ["2023-02-28", "2023/2/28", "2023年2月28日", "20230228", " 2023.02.28 ", date(2023, 2, 28)]
)
def test_parse_date_formats(text):
    assert parse_date(text, "入党日期") == date(2023, 2, 28)


def test_parse_date_impossible():
    with pytest.raises(DomainValidationError) as e:
        parse_date("2023-02-30", "转正日期")
    assert e.value.field == "转正日期"
    assert "2023-02-30 不是有效日期" in e.value.message
    assert str(e.value) == "转正日期：2023-02-30 不是有效日期"


@pytest.mark.parametrize("text", ["", None, "昨天", "2023-2"])
def test_parse_date_rejects(text):
    with pytest.raises(DomainValidationError):
        parse_date(text, "会议日期")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("9:00", time(9)),
        ("09:30", time(9, 30)),
        ("9点30", time(9, 30)),
        ("9点", time(9)),
        ("14：05", time(14, 5)),
        ("9点半", time(9, 30)),
    ],
)
def test_parse_time(text, expected):
    assert parse_time(text, "开始时间") == expected


@pytest.mark.parametrize("text", ["上午", "9", "24:00", "9:75", ""])
def test_parse_time_rejects(text):
    with pytest.raises(DomainValidationError) as e:
        parse_time(text, "开始时间")
    assert e.value.field == "开始时间"


def test_anniversary_feb_29():
    assert anniversary_date(date(1996, 2, 29), 2025) == date(2025, 2, 28)
    assert anniversary_date(date(1996, 2, 29), 2028) == date(2028, 2, 29)


def test_years_between():
    assert years_between(date(2000, 7, 1), date(2026, 6, 30)) == 25
    assert years_between(date(2000, 7, 1), date(2026, 7, 1)) == 26
    assert years_between(date(2000, 2, 29), date(2025, 2, 28)) == 25


def test_quarters_and_ranges():
    assert quarter_of(date(2026, 3, 31)) == 1
    assert quarter_of(date(2026, 10, 1)) == 4
    assert quarter_months(2) == (4, 5, 6)
    assert month_range(2028, 2) == (date(2028, 2, 1), date(2028, 2, 29))
    assert quarter_range(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))


def test_format():
    assert format_cn_date(date(2026, 7, 1)) == "2026年7月1日"
    assert format_cn_month(date(2026, 7, 1)) == "2026年7月"
    assert format_cn_month(year=2026, month=3) == "2026年3月"
