"""销号 and 撤销销号 of a measure."""

from __future__ import annotations

from datetime import date

from desktop.domain.dates import parse_date
from desktop.domain.enums import MeasureStatus, MeasureType
from desktop.domain.errors import DomainValidationError
from desktop.domain.rectification import (
    check_can_close,
    validate_close_date,
)
from desktop.domain.text import clean_text, is_blank
from desktop.store.models import Measure, ProgressEntry

from ..conflicts import check_version
from .records import _get


def close_measure(ledger, measure_id: str, on: date | str, today: date | None = None,
                  version: int | None = None) -> None:
    """销号: only from 已完成 / 阶段性完成并长期坚持; records the date."""
    on = parse_date(on, "销号日期")
    validate_close_date(on, today or date.today())
    with ledger.write() as s:
        check_version(s, Measure, measure_id, version, "整改措施")
        m = _get(s, Measure, measure_id, "整改措施")
        check_can_close(MeasureStatus(m.status))
        m.status, m.closed_on = MeasureStatus.CLOSED.value, on


def finish_and_close(ledger, measure_id: str, on: date | str, result: str = "", today: date | None = None,
                     version: int | None = None) -> None:
    """销号 in one step from any open state: the measure is finished and closed on ``on`` in one
    transaction; a ``result`` text is kept as a 进展 entry of that day (the record of what was done).
    A measure already closed is refused; one changed since ``version`` was shown is a RecordConflict."""
    on = parse_date(on, "销号日期")
    validate_close_date(on, today or date.today())
    body = clean_text(result)
    with ledger.write() as s:
        check_version(s, Measure, measure_id, version, "整改措施")
        m = _get(s, Measure, measure_id, "整改措施")
        if m.status == MeasureStatus.CLOSED:
            raise DomainValidationError("状态", f"该措施已于 {m.closed_on.isoformat() if m.closed_on else ''} 销号")
        if not is_blank(body):
            s.add(ProgressEntry(measure_id=m.id, date=on, text=body))
        m.status, m.closed_on = MeasureStatus.CLOSED.value, on


def undo_close(ledger, measure_id: str, version: int | None = None) -> None:
    """撤销销号: back to 已完成 (or 阶段性完成并长期坚持 for 长期坚持 measures)."""
    with ledger.write() as s:
        check_version(s, Measure, measure_id, version, "整改措施")
        m = _get(s, Measure, measure_id, "整改措施")
        if m.status != MeasureStatus.CLOSED:
            raise DomainValidationError("状态", "该措施尚未销号")
        m.status = (MeasureStatus.ONGOING if m.type == MeasureType.LONG_TERM else MeasureStatus.DONE).value
        m.closed_on = None
