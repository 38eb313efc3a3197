"""What one committed write changed, as a typed event: which kinds of record, which ids, how.

``Ledger.write()`` builds one :class:`ChangeEvent` from the flushes of its transaction and hands
it to the ledger's listeners after the commit (the one place events are made). The UI delivers
it to the pages on the GUI thread (``AppContext.dataChanged``); a page asks
``event.touches(RecordKind.MEMBER, ...)`` and ``event.ids(RecordKind.MEETING)`` instead of
comparing class-name strings.

No SQLAlchemy here: the window imports this before the store has loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class RecordKind(StrEnum):
    """One member per stored record type (the value is the model class's name;
    tests/store/test_changes.py checks that every model has one)."""

    COMMITTEE = "Committee"
    BRANCH = "Branch"
    PARTY_GROUP = "PartyGroup"
    MEMBER = "Member"
    MEMBERSHIP = "Membership"
    POST_HOLDING = "PostHolding"
    PROBATION_EVENT = "ProbationEvent"
    SETTING = "Setting"
    MEETING = "Meeting"
    AGENDA_ITEM = "AgendaItem"
    SPEECH = "Speech"
    MOTION = "Motion"
    ATTENDANCE = "Attendance"
    GUEST = "Guest"
    ATTACHMENT = "Attachment"
    REOPENING = "Reopening"
    AGENDA_TEMPLATE = "AgendaTemplate"
    MEETING_DRAFT = "MeetingDraft"
    CAMPAIGN = "Campaign"
    RECT_CATEGORY = "RectCategory"
    PROBLEM = "Problem"
    MEASURE = "Measure"
    PROGRESS_ENTRY = "ProgressEntry"
    BIRTHDAY_EVENT = "BirthdayEvent"
    CELEBRANT = "Celebrant"

    @classmethod
    def of(cls, record: object) -> RecordKind:
        return cls(type(record).__name__)


class Op(StrEnum):
    ADDED = "added"
    CHANGED = "changed"  # including a move to the recycle bin (deleted_at set) and a restore
    DELETED = "deleted"  # removed for good


# Autosaved editor drafts are the editor's own business: a write that touched nothing else (every
# few seconds while someone types) is not a change of the ledger for pages or backups.
PRIVATE_KINDS = frozenset({RecordKind.MEETING_DRAFT})


@dataclass(frozen=True)
class RecordChange:
    kind: RecordKind
    id: str
    op: Op


@dataclass(frozen=True)
class ChangeEvent:
    records: frozenset[RecordChange] = frozenset()

    @property
    def kinds(self) -> frozenset[RecordKind]:
        return frozenset(r.kind for r in self.records)

    def __bool__(self) -> bool:
        return bool(self.records)

    def touches(self, *kinds: RecordKind | Iterable[RecordKind]) -> bool:
        """True if any record of one of ``kinds`` changed (kinds given one by one or as sets)."""
        return not self.kinds.isdisjoint(_flatten(kinds))

    def only(self, kinds: Iterable[RecordKind]) -> bool:
        """True if something changed and every changed record is of one of ``kinds``."""
        return bool(self.records) and self.kinds <= frozenset(kinds)

    def ids(self, kind: RecordKind) -> frozenset[str]:
        return frozenset(r.id for r in self.records if r.kind == kind)

    def ops(self, kind: RecordKind) -> frozenset[Op]:
        return frozenset(r.op for r in self.records if r.kind == kind)

    def without(self, kinds: Iterable[RecordKind]) -> ChangeEvent:
        drop = frozenset(kinds)
        return ChangeEvent(frozenset(r for r in self.records if r.kind not in drop))

    def __or__(self, other: ChangeEvent) -> ChangeEvent:
        """Several writes while a page waited: one event for all of them."""
        return ChangeEvent(self.records | other.records)


SESSION_KEY = "changed"  # session.info[SESSION_KEY]: the RecordChanges of the open transaction


def note_changes(session, kind: RecordKind, ids, op: Op = Op.ADDED) -> None:
    """Rows written past the ORM's flush (``session.execute(insert(Model), rows)``) are told to the
    listeners like any flushed record: call this in the same ``Ledger.write()`` block."""
    session.info.setdefault(SESSION_KEY, set()).update(RecordChange(kind, i, op) for i in ids)


def change(kind: RecordKind, *ids: str, op: Op = Op.CHANGED) -> ChangeEvent:
    """An event by hand (tests, and code that changes records outside ``Ledger.write``)."""
    if not ids:
        raise ValueError("a change names the records it changed")
    return ChangeEvent(frozenset(RecordChange(kind, i, op) for i in ids))


def _flatten(kinds) -> frozenset[RecordKind]:
    out: set[RecordKind] = set()
    for k in kinds:
        if isinstance(k, RecordKind):
            out.add(k)
        else:
            out.update(k)
    return frozenset(out)
