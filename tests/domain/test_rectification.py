from datetime import date

import pytest

from desktop.domain.enums import MeasureStatus, MeasureType
from desktop.domain.errors import DomainValidationError
from desktop.domain.rectification import (
    MeasureFlag,
    can_close,
    check_can_close,
    cn_numeral,
    counts_sentence,
    measure_flags,
)

TODAY = date(2026, 6, 1)
S = MeasureStatus


def test_overdue_and_due_soon():
    assert measure_flags(date(2026, 5, 31), S.IN_PROGRESS, TODAY) == MeasureFlag.OVERDUE
    assert measure_flags(date(2026, 5, 31), S.NOT_STARTED, TODAY) == MeasureFlag.OVERDUE
    assert measure_flags(date(2026, 6, 1), S.IN_PROGRESS, TODAY) == MeasureFlag.DUE_SOON
    assert measure_flags(date(2026, 6, 15), S.IN_PROGRESS, TODAY) == MeasureFlag.DUE_SOON
    assert measure_flags(date(2026, 6, 16), S.IN_PROGRESS, TODAY) == MeasureFlag.OK
    assert measure_flags(date(2026, 6, 16), S.IN_PROGRESS, TODAY, soon_days=30) == MeasureFlag.DUE_SOON
    assert measure_flags(None, S.IN_PROGRESS, TODAY) == MeasureFlag.NONE


def test_finished_never_overdue():
    for st in (S.DONE, S.ONGOING, S.CLOSED):
        assert measure_flags(date(2020, 1, 1), st, TODAY) == MeasureFlag.NONE
    assert (
        measure_flags(date(2020, 1, 1), S.ONGOING, TODAY, measure_type=MeasureType.LONG_TERM)
        == MeasureFlag.NONE
    )


def test_can_close():
    assert can_close(S.DONE) and can_close(S.ONGOING)
    assert not can_close(S.IN_PROGRESS) and not can_close(S.NOT_STARTED) and not can_close(S.CLOSED)
    with pytest.raises(DomainValidationError) as e:
        check_can_close(S.IN_PROGRESS)
    assert e.value.field == "状态" and "整改中" in e.value.message


def test_counts_sentence():
    assert counts_sentence(6, 13, 20, 3) == "六类13个方面问题、20项整改措施、3个重点整改项目"
    assert counts_sentence(6, 13, 20, 0) == "六类13个方面问题、20项整改措施"
    assert counts_sentence(11, 30, 45, 1) == "十一类30个方面问题、45项整改措施、1个重点整改项目"


def test_cn_numeral():
    assert [cn_numeral(n) for n in (1, 6, 10, 11, 20, 21, 105)] == [
        "一",
        "六",
        "十",
        "十一",
        "二十",
        "二十一",
        "一百零五",
    ]
