"""台账启用日期 and the 第N次 a branch's numbering starts from.

A secretary who starts keeping the ledger mid-year (say in November) has the year's earlier
meetings on paper: the ledger must neither call them missing (see ``domain.compliance``:
periods that began before the start date are 未录入) nor number the first entered
支部党员大会 第1次 when paper already holds three. ``start_numbers`` says, per meeting kind, which
number the start year continues from; later years start at 1 as usual.

Stored on the branch as JSON text ``{"支部党员大会": 4, …}`` (``branch.start_numbers``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date

from .errors import DomainValidationError
from .meeting_kinds import is_kind, kind_names

MAX_START_NUMBER = 999


def parse_start_numbers(text: str | None) -> dict[str, int]:
    """The stored JSON as {kind: number}; unknown kinds, non-numbers and numbers < 2 are dropped."""
    try:
        raw = json.loads(text or "{}")
    except (TypeError, ValueError):
        return {}
    out: dict[str, int] = {}
    if not isinstance(raw, dict):
        return out
    for key, value in raw.items():
        if not is_kind(key):
            continue
        if isinstance(value, int) and not isinstance(value, bool) and 2 <= value <= MAX_START_NUMBER:
            out[key] = value
    return out


def dump_start_numbers(numbers: Mapping[str, int | None]) -> str:
    """Validate and serialise (kinds in registry order; 1 or empty = the ordinary start, not kept)."""
    out: dict[str, int] = {}
    for key, value in numbers.items():
        if not is_kind(key):
            raise DomainValidationError("起始编号", f"“{key}”不是会议类型")
        kind = str(key)
        if value is None or value == 1:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_START_NUMBER:
            raise DomainValidationError("起始编号", f"{kind}的起始第N次应为 1–{MAX_START_NUMBER} 的整数（填写的是 {value}）")
        out[kind] = value
    ordered = {k: out[k] for k in kind_names() if k in out}
    return json.dumps(ordered, ensure_ascii=False)


def next_meeting_number(highest: int | None, kind: str, year: int, ledger_start: date | None,
                        start_numbers: Mapping[str, int]) -> int:
    """第N次 for a new meeting: one past the highest entered number of the year, but in the start
    year never below the number the paper record continues from."""
    nxt = (highest or 0) + 1
    if ledger_start is not None and year == ledger_start.year:
        nxt = max(nxt, start_numbers.get(str(kind), 1))
    return nxt
