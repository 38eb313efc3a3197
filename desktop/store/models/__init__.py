"""All stored record types. Import models from here: ``from desktop.store.models import Meeting``."""

from ..base import Base, Record, new_id, utcnow
from .birthdays import BirthdayEvent, Celebrant
from .history import HISTORY_MODELS, Change, ChangeSet, LedgerCopy
from .meetings import (
    AgendaItem,
    AgendaTemplate,
    Attachment,
    Attendance,
    Guest,
    Meeting,
    MeetingDraft,
    Motion,
    Reopening,
    Speech,
)
from .org import Branch, Committee, Member, Membership, PartyGroup, PostHolding, ProbationEvent, Setting
from .rectification import Campaign, Measure, Problem, ProgressEntry, RectCategory

# Dump/load order: parents before children (foreign keys resolve as rows are inserted).
MODELS_IN_ORDER: tuple[type[Record], ...] = (
    Committee, Branch, PartyGroup, Member, Membership, PostHolding, Setting,
    Meeting, AgendaItem, Speech, Motion, Attendance, Guest, Attachment, Reopening, AgendaTemplate, MeetingDraft,
    Campaign, RectCategory, Problem, Measure, ProgressEntry,
    BirthdayEvent, Celebrant, ProbationEvent,
)  # fmt: skip

__all__ = [m.__name__ for m in MODELS_IN_ORDER] + ["Base", "Record", "new_id", "utcnow", "MODELS_IN_ORDER",
    "HISTORY_MODELS", "Change", "ChangeSet", "LedgerCopy"]
