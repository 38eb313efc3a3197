"""Recording the change history of every write (see :mod:`desktop.store.models.history`).

``Ledger`` listens to the session's ``after_flush``: :func:`collect` turns the flushed objects into
change rows (new records → one ``+`` row; updated records → one row per changed column with old
and new value in the SQLite storage format, as text). ``Ledger.write()`` calls :func:`record`
before it commits, in the same transaction: one :class:`ChangeSet` with a fresh uid, the current
copy of the file (minted first when needed, see :func:`current_copy`) and the rows, several
flushes of one field folded into one row (first old value, last new value).

Values are stored the way the record table stores them, as text: dates ``2026-03-05``, times
``14:30:00.000000``, timestamps ``2026-03-05 06:30:00.123000`` (UTC), flags ``0``/``1``,
integers in decimal, bytes as ``sha1:<hex>`` (attachments are not copied into the history).
``version`` and ``modified_at`` are not recorded (they change with every write).
"""

from __future__ import annotations

import hashlib
import os
import platform
import re
import sqlite3
import uuid
from datetime import UTC, date, datetime, time
from enum import Enum
from pathlib import Path, PureWindowsPath
from urllib.parse import unquote

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from .base import Record, utcnow
from .models.history import CREATED

SKIPPED = frozenset({"version", "modified_at"})
PROGRAM = "0.1.0"
try:  # the program version written into every change set
    from desktop import __version__ as PROGRAM  # noqa: F811
except ImportError:  # pragma: no cover
    pass


class CopyOrigin:
    """How a copy of the ledger came to be (``ledger_copy.origin``)."""

    CREATED = "新建"
    SAVED_AS = "另存副本"
    FILE_COPY = "复制文件"  # a plain OS copy or move, detected at its first write
    MERGED = "合并"
    UPGRADED = "开始记录"  # first write to a file of a schema without history
    SERVER_USER = "服务器用户"  # one per database user and server database (place: server_place)

    ALL = frozenset({CREATED, SAVED_AS, FILE_COPY, MERGED, UPGRADED, SERVER_USER})


def storage_text(value: object) -> str | None:
    """A Python value as the text of its SQLite storage form (see the module docstring)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S.%f")
    if isinstance(value, bytes | bytearray | memoryview):
        return "sha1:" + hashlib.sha1(bytes(value)).hexdigest()
    return str(value)


def raw_text(value: object) -> str | None:
    """A value read from SQLite (storage form) as history text: same rule as :func:`storage_text`."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return "sha1:" + hashlib.sha1(value).hexdigest()
    return str(value)


# ------------------------------------------------------------------------ collecting
def collect(session: Session, _flush_context) -> None:
    """after_flush hook: remember the change rows of this flush in ``session.info['history']``."""
    pending: dict[tuple[str, str], list] = session.info.setdefault("history", {})
    for obj in session.new:
        if isinstance(obj, Record):
            pending.setdefault((obj.id, CREATED), [type(obj).__tablename__, None, None, obj.version or 1])
    for obj in session.dirty:
        if not isinstance(obj, Record) or obj in session.new:
            continue
        state = inspect(obj)
        table = type(obj).__tablename__
        for attr in state.mapper.column_attrs:
            key = attr.key
            if key in SKIPPED:
                continue
            hist = state.attrs[key].history
            if not hist.added and not hist.deleted:
                continue
            if not hist.added:  # a deleted-only history: the attribute was expired, not changed
                continue
            old = storage_text(hist.deleted[0]) if hist.deleted else None
            new = storage_text(hist.added[0])
            if not hist.deleted and key == "data":  # deferred column never loaded: old unknown
                old = None
            row = pending.get((obj.id, key))
            if row is None:
                if old == new:
                    continue
                pending[(obj.id, key)] = [table, old, new, obj.version]
            else:
                row[2], row[3] = new, obj.version
    for obj in session.deleted:  # hard deletes do not happen (tombstones); recorded if they ever do
        if isinstance(obj, Record):
            pending[(obj.id, "-")] = [type(obj).__tablename__, None, None, obj.version]


def created_in_bulk(session: Session, table: str, ids: list[str], version: int = 1) -> None:
    """Rows inserted with ``session.execute(insert(Model), rows)`` skip the flush hooks: record
    them as created here, like :func:`collect` does for added objects (same transaction, same
    change set)."""
    pending: dict[tuple[str, str], list] = session.info.setdefault("history", {})
    for rid in ids:
        pending.setdefault((rid, CREATED), [table, None, None, version])


# ------------------------------------------------------------------------ copies
def place_of(path: Path) -> str:
    """Where a file lives: computer name, real path and inode. A different value at the first write
    means the file was copied or moved by the operating system since the copy id was minted."""
    real = os.path.realpath(path)
    try:
        inode = os.stat(real).st_ino  # stat, never open(): see ledger._OPEN
    except OSError:
        inode = 0
    return f"{platform.node()}|{os.path.normcase(real)}|{inode}"


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def server_place(database_id: str | None, user: str, where: str = "") -> str:
    """The place of a database user's copy on a server: ``server:<database id>:<user>:<where>``
    (where: the server and database as the user reads them; ``%`` and ``:`` in either as ``%25``,
    ``%3A``). The
    database id (desktop.store.serverid) makes the same login on two databases two copies, as a
    copied file is a copy of its own. ``server:<user>``: a database without an id yet (older)."""
    if not database_id:
        return f"server:{user}"
    return f"server:{database_id}:{_quote(user)}:{_quote(where)}"


def _quote(text: str) -> str:
    return text.replace("%", "%25").replace(":", "%3A")


def place_database(place: str | None) -> str:
    """The server database id in a user copy's place ("" for any other place, or an older one)."""
    rest = (place or "").removeprefix("server:")
    if rest != place and _UUID.fullmatch(rest[:36]) and rest[36:37] == ":":
        return rest[:36]
    return ""


def read_place(place: str | None) -> tuple[str, str, str]:
    """A copy's place as (kind, who, where): ("server", user, server and database) for a database
    user of a server (where "" for an older place ``server:<user>``), ("push", user, "") for a copy
    merged into a server by that user, ("file", computer, file name) for a file (place_of),
    ("", "", "") for a copy not bound to a place yet."""
    place = place or ""
    if place_database(place):
        user, _, where = place[len("server:") + 37 :].partition(":")
        return "server", unquote(user), unquote(where)
    for kind in ("server", "push"):
        if place.startswith(f"{kind}:"):
            return kind, place[len(kind) + 1 :], ""
    if "|" not in place:
        return "", "", ""
    computer, _, rest = place.partition("|")
    path = rest.rpartition("|")[0]  # computer|path|inode (a path on Linux may hold a "|")
    return "file", computer, PureWindowsPath(path).name if path else ""


def is_user_copy(place: str | None, database_id: str | None, user: str) -> bool:
    """Is ``place`` the copy of ``user`` on the database ``database_id`` (None: an older database
    without an id, whose user copies are ``server:<user>``)?"""
    if not database_id:
        return place == f"server:{user}"
    return place_database(place) == database_id and read_place(place)[1] == user


def has_history(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='change_set'").fetchone() is not None


def mint_copy(db: sqlite3.Connection, origin: str, place: str, at: datetime | None = None) -> str:
    """Make a new current copy id (the previous current copy becomes its parent)."""
    parent = db.execute("SELECT id FROM ledger_copy WHERE current = TRUE").fetchone()
    db.execute("UPDATE ledger_copy SET current = FALSE WHERE current = TRUE")
    uid = str(uuid.uuid4())
    db.execute(  # TRUE/FALSE: the same SQL on SQLite (3.23+) and PostgreSQL (desktop.store.server)
        "INSERT INTO ledger_copy (id, made_at, origin, parent_id, place, current) VALUES (?, ?, ?, ?, ?, TRUE)",
        (uid, storage_text(at or utcnow()), origin, parent[0] if parent else None, place),
    )
    return uid


def current_copy(db: sqlite3.Connection, path: Path) -> str:
    """The current copy id, minted first when there is none or the file is no longer where it was."""
    place = place_of(path)
    row = db.execute("SELECT id, place FROM ledger_copy WHERE current = TRUE").fetchone()
    if row is None:
        any_copy = db.execute("SELECT 1 FROM ledger_copy LIMIT 1").fetchone()
        return mint_copy(db, CopyOrigin.FILE_COPY if any_copy else CopyOrigin.UPGRADED, place)
    if row[1] != place:
        if row[1] == "":  # bound lazily (a copy made elsewhere: saved/loaded/merged into a temp name)
            db.execute("UPDATE ledger_copy SET place = ? WHERE id = ?", (place, row[0]))
            return row[0]
        return mint_copy(db, CopyOrigin.FILE_COPY, place)
    return row[0]


def record(db: sqlite3.Connection, path: Path, pending: dict[tuple[str, str], list], note: str = "",
           copy: str | None = None) -> int | None:
    """Write one change set with ``pending``'s rows (inside the caller's transaction); its id.
    ``copy``: the copy id to write it under (a server ledger's user, desktop.store.server)."""
    pending = {k: v for k, v in pending.items() if k[1] in (CREATED, "-") or v[1] != v[2]}
    if not pending:
        return None
    copy = copy or current_copy(db, path)
    cur = db.execute(
        "INSERT INTO change_set (uid, copy_id, at, program, note) VALUES (?, ?, ?, ?, ?)",
        (str(uuid.uuid4()), copy, storage_text(utcnow()), PROGRAM, note),
    )
    set_id = cur.lastrowid
    db.executemany(
        'INSERT INTO change (record_id, set_id, field, tbl, "old", "new", version) VALUES (?, ?, ?, ?, ?, ?, ?)',
        ((rid, set_id, field, t, old, new, v) for (rid, field), (t, old, new, v) in pending.items()),
    )
    return set_id
