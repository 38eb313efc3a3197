"""Declarative base and the identity every record carries.

Every row has a stable UUID ``id`` (foreign keys point at it), a ``version`` counter that
SQLAlchemy bumps on every UPDATE (optimistic concurrency, and later merging of two diverged
copies of a file), ``modified_at`` (UTC) and ``deleted_at``: deletes are tombstones, so a
deleted record can be restored and a merge can tell "deleted" from "never existed".
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=(datetime.now(UTC).microsecond // 1000) * 1000)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes stored as ISO text (SQLite has no timezone type)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Record(Base):
    """Abstract base of every stored record."""

    __abstract__ = True

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def tombstone(self, at: datetime | None = None) -> None:
        """Delete (recoverably). Records deleted together share ``at``: the 回收站 restores them
        together (desktop.services.recycle)."""
        self.deleted_at = at or utcnow()

    def restore(self) -> None:
        self.deleted_at = None

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}


from . import portable  # noqa: E402,F401  (func.instr / func.group_concat on PostgreSQL too)
