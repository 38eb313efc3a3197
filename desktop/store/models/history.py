"""Change history kept in the ledger: which copy of the file, when, and what changed.

- :class:`LedgerCopy` — one row per *copy* of the ledger file. A copy id is minted when the file
  is created, saved as a copy (另存副本), written by a merge, and when the first write happens
  in a place other than the one the current copy was bound to (a plain file copy by the
  operating system, a move, a loaded dump, a working copy: the place is computer name + path +
  inode).
  Exactly one row has ``current`` set.
- :class:`ChangeSet` — one committed write (one ``Ledger.write()`` transaction): a globally
  unique ``uid`` (a merge tells shared history from one side's own by it), the copy and the time.
- :class:`Change` — one field of one record changed by a change set: old and new value (as
  text in the SQLite storage format; ``NULL`` for no value) and the record's version after it.
  ``field`` is ``+`` for "record created" (no values: they are in the record itself).

These are not records (no tombstones, never edited): the history is append-only. Compact on
purpose: the change rows form a WITHOUT ROWID table keyed by (record, change set, field).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..base import Base, UTCDateTime

CREATED = "+"


class LedgerCopy(Base):
    __tablename__ = "ledger_copy"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)
    origin: Mapped[str] = mapped_column(String(10))  # CopyOrigin
    parent_id: Mapped[str | None] = mapped_column(String(36), default=None)  # the copy it was made from
    place: Mapped[str] = mapped_column(Text, default="")  # computer|path|inode it was bound to
    current: Mapped[bool] = mapped_column(Boolean, default=False)


class ChangeSet(Base):
    __tablename__ = "change_set"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    copy_id: Mapped[str] = mapped_column(ForeignKey("ledger_copy.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    program: Mapped[str] = mapped_column(String(20), default="")  # program version that wrote it
    note: Mapped[str] = mapped_column(Text, default="")  # e.g. 合并 …


class Change(Base):
    __tablename__ = "change"
    __table_args__ = (
        PrimaryKeyConstraint("record_id", "set_id", "field"),
        {"sqlite_with_rowid": False},
    )

    record_id: Mapped[str] = mapped_column(String(36))
    set_id: Mapped[int] = mapped_column(ForeignKey("change_set.id"))
    field: Mapped[str] = mapped_column(String(40))
    tbl: Mapped[str] = mapped_column(String(20))
    old: Mapped[str | None] = mapped_column(Text, default=None)
    new: Mapped[str | None] = mapped_column(Text, default=None)
    version: Mapped[int] = mapped_column(Integer, default=1)


HISTORY_MODELS = (LedgerCopy, ChangeSet, Change)
