"""How each stored column looks on disk and in a dump, derived from the models.

SQLAlchemy keeps these SQLite storage formats (see docs/file-format.md):

======== ============================== ===============================================
kind     on disk (SQLite)               in a dump (JSON)
======== ============================== ===============================================
date     ``'2026-03-05'``               ``"2026-03-05"``
time     ``'14:30:00.000000'``          ``"14:30:00"`` (``"14:30:00.250000"`` if needed)
datetime ``'2026-03-05 06:30:00.123000'`` ``"2026-03-05T06:30:00.123000Z"`` (always UTC)
bool     ``0`` / ``1``                  ``false`` / ``true``
int      integer                        number
bytes    BLOB                           base64 text
text     text                           text
======== ============================== ===============================================

Closed vocabularies (``ENUMS``) list the values a column may hold; the UI relies on them.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum

from sqlalchemy import Boolean, Date, DateTime, Integer, LargeBinary, Text, Time
from sqlalchemy.sql.schema import Table

from desktop.domain import enums as E
from desktop.domain.meeting_kinds import is_kind, kind_names
from desktop.store.history import CopyOrigin
from desktop.store.models import HISTORY_MODELS, MODELS_IN_ORDER

FORMAT_NAME = "zhibu-dump"


def _values(enum: type[StrEnum], *extra: str) -> frozenset[str]:
    return frozenset({e.value for e in enum} | set(extra))


class _MeetingKinds(AbstractSet[str]):
    """The registered meeting kinds, read live (``desktop.domain.meeting_kinds``)."""

    def __contains__(self, value: object) -> bool:
        return is_kind(value)

    def __iter__(self) -> Iterator[str]:
        return iter(kind_names())

    def __len__(self) -> int:
        return len(kind_names())


# (table, column) -> allowed values; "" is allowed where the model's default is "".
ENUMS: dict[tuple[str, str], AbstractSet[str]] = {
    ("member", "gender"): _values(E.Gender, ""),
    ("member", "category"): _values(E.MemberCategory),
    ("member", "status"): _values(E.MemberStatus),
    ("membership", "start_reason"): _values(E.MembershipChange, ""),
    ("membership", "end_reason"): _values(E.MembershipChange, ""),
    ("post_holding", "post"): _values(E.CommitteePost),
    ("probation_event", "kind"): _values(E.ProbationStep),
    ("branch", "lecture_frequency"): _values(E.LectureFrequency),
    ("meeting", "kind"): _MeetingKinds(),
    ("meeting", "state"): _values(E.MeetingState),
    ("attendance", "status"): _values(E.AttendanceStatus),
    ("attendance", "category"): _values(E.MemberCategory, ""),
    ("guest", "role"): _values(E.GuestRole),
    ("agenda_template", "kind"): _MeetingKinds(),
    ("problem", "source"): _values(E.ProblemSource),
    ("ledger_copy", "origin"): CopyOrigin.ALL,
    ("measure", "type"): _values(E.MeasureType),
    ("measure", "status"): _values(E.MeasureStatus),
}

KIND_NAMES = {
    "date": "日期", "time": "时间", "datetime": "时间戳", "bool": "true 或 false", "int": "整数",
    "bytes": "base64 文本", "text": "文本",
}  # fmt: skip


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: str  # date | time | datetime | bool | int | bytes | text
    nullable: bool
    multiline: bool  # Text (multi-line) or String (one line) for clean_text
    default: object  # storage value of a constant default, or REQUIRED
    references: str | None  # parent table of a foreign key
    allowed: AbstractSet[str] | None


REQUIRED = object()


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[ColumnSpec, ...]
    unique: tuple[tuple[str, ...], ...]  # column sets that must be unique (besides id)

    def column(self, name: str) -> ColumnSpec | None:
        return next((c for c in self.columns if c.name == name), None)


def _kind(col) -> str:
    t = col.type
    if isinstance(t, Date):
        return "date"
    if isinstance(t, Time):
        return "time"
    if isinstance(t, DateTime) or isinstance(getattr(t, "impl", None), DateTime):
        return "datetime"
    if isinstance(t, Boolean):
        return "bool"
    if isinstance(t, Integer):
        return "int"
    if isinstance(t, LargeBinary):
        return "bytes"
    return "text"


def _default(col, kind: str) -> object:
    if col.name in ("id", "modified_at"):
        return REQUIRED
    if col.default is not None and col.default.is_scalar:
        value = col.default.arg
        return to_storage(kind, value.value if isinstance(value, StrEnum) else value)
    if col.nullable:
        return None
    return REQUIRED


def _spec(table: Table) -> TableSpec:
    columns = []
    for col in table.columns:
        kind = _kind(col)
        fk = next(iter(col.foreign_keys), None)
        columns.append(ColumnSpec(
            col.name, kind, bool(col.nullable), isinstance(col.type, Text), _default(col, kind),
            fk.column.table.name if fk is not None else None, ENUMS.get((table.name, col.name)),
        ))  # fmt: skip
    unique = [tuple(c.name for c in u.columns) for u in table.constraints if type(u).__name__ == "UniqueConstraint"]
    unique += [tuple(c.name for c in ix.columns) for ix in table.indexes if ix.unique]
    if len(table.primary_key.columns) > 1:  # history rows: (record_id, set_id, field)
        unique.append(tuple(c.name for c in table.primary_key.columns))
    return TableSpec(table.name, tuple(columns), tuple(unique))




# ------------------------------------------------------------------ conversions
def to_storage(kind: str, value: object) -> object:
    """A Python value (date, time, aware datetime, bool …) in SQLAlchemy's SQLite storage format."""
    if value is None:
        return None
    if kind == "date":
        return value.isoformat()
    if kind == "time":
        return value.strftime("%H:%M:%S.%f")
    if kind == "datetime":
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if kind == "bool":
        return int(bool(value))
    return value


def storage_to_json(kind: str, raw: object) -> object:
    """A stored value as it appears in a dump; a value SQLite holds in the wrong shape is kept as text
    (``zhibu check`` reports it; ``zhibu load`` refuses it with its JSON path)."""
    if raw is None:
        return None
    if isinstance(raw, str) and raw[-7:-6] == ".":  # fast paths for SQLAlchemy's own formats
        if kind == "datetime" and len(raw) == 26 and raw[10] == " ":
            return f"{raw[:10]}T{raw[11:19]}{'' if raw[20:] == '000000' else raw[19:]}Z"
        if kind == "time" and len(raw) == 15:
            return raw[:8] if raw[9:] == "000000" else raw
    try:
        if kind == "time" and isinstance(raw, str):
            return time.fromisoformat(raw).isoformat()
        if kind == "datetime" and isinstance(raw, str):
            return datetime.fromisoformat(raw).replace(tzinfo=None).isoformat() + "Z"
        if kind == "bool" and raw in (0, 1):
            return bool(raw)
    except ValueError:
        return raw
    if isinstance(raw, bytes):
        return base64.b64encode(raw).decode("ascii")
    return raw


def json_to_storage(kind: str, value: object) -> object:
    """Parse a dump value into its storage format; ValueError with a Chinese message if invalid."""
    if kind == "text":
        if not isinstance(value, str):
            raise ValueError(f"{_show(value)} 不是文本")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{_show(value)} 不是整数")
        if not -(2**63) <= value < 2**63:
            raise ValueError(f"{value} 超出整数范围")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"{_show(value)} 不是 true 或 false")
        return int(value)
    if not isinstance(value, str):
        raise ValueError(f"{_show(value)} 不是有效{KIND_NAMES[kind]}（应为文本）")
    try:
        if kind == "date":
            if len(value) != 10:
                raise ValueError
            return date.fromisoformat(value).isoformat()
        if kind == "time":
            return to_storage("time", time.fromisoformat(value))
        if kind == "datetime":
            parsed = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            return to_storage("datetime", parsed)
        if kind == "bytes":
            return base64.b64decode(value.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError, binascii.Error):
        raise ValueError(f"{value} 不是有效{KIND_NAMES[kind]}") from None
    raise ValueError(f"unknown column kind {kind}")


def _show(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "…"


# table name -> spec, parents before children (the order rows are loaded in)
TABLES: dict[str, TableSpec] = {m.__table__.name: _spec(m.__table__) for m in MODELS_IN_ORDER}
# the change history (desktop.store.models.history): dumped and loaded after the records, not
# counted or checked as records (no tombstones)
HISTORY_TABLES: dict[str, TableSpec] = {m.__table__.name: _spec(m.__table__) for m in HISTORY_MODELS}
DUMP_TABLES: dict[str, TableSpec] = {**TABLES, **HISTORY_TABLES}
