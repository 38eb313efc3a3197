"""The identity of a server database, so that each database is a copy of the ledger of its own.

A file gets a new copy id when it is saved as a copy (另存副本) or copied by the operating system
(its place changed: desktop.store.history.current_copy). A server database is copied too: its
dump loaded into a second database (``zhibu dump URL1 | zhibu load - URL2``, or a file pulled from
one pushed into an empty other), ``createdb -T``, ``pg_dump``/``pg_restore`` elsewhere. Its
history names each database user as a copy (``ledger_copy.place``, desktop.store.history.server_place);
without the database in it, the same login on both databases would write under ONE copy id and
a later merge's history could not tell the two databases' changes apart.

So ``zhibu_meta`` holds the database's id (``database_id``, a UUID) with the database's OID it was
made for (``database_oid``): made by :func:`mint` when the ledger is created or loaded; checked
by :func:`ensure` when it is opened — an OID that differs means the database was cloned or
restored elsewhere (the OID is the cluster's number of the database), and it gets a new id, as a
moved file gets a new copy id. A database from before (no id) gets one at its first opening by a
login allowed to (the owner; ``zhibu roles`` gives the secretaries UPDATE, not INSERT); until
then its users keep writing under the older ``server:<user>`` copies.
"""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from . import history
from .base import utcnow

KEYS = ("database_id", "database_oid")
_OID = "SELECT oid::text FROM pg_database WHERE datname = current_database()"
_READ = "SELECT key, value FROM zhibu_meta WHERE key IN ('database_id', 'database_oid')"


def mint(conn) -> str:
    """A new id for the database ``conn`` is on (inside the caller's transaction)."""
    new = str(uuid.uuid4())
    oid = conn.execute(text(_OID)).scalar_one()
    for key, value in zip(KEYS, (new, oid), strict=True):  # UPDATE first: a secretary may not INSERT
        if not conn.execute(text("UPDATE zhibu_meta SET value = :v WHERE key = :k"), {"k": key, "v": value}).rowcount:
            conn.execute(text("INSERT INTO zhibu_meta VALUES (:k, :v)"), {"k": key, "v": value})
    return new


def ensure(engine) -> str | None:
    """The id of the database ``engine`` opens, made first when it has none or was cloned (see the
    module docstring). None when this login may not record it (older database, not the owner)."""
    with engine.connect() as conn:
        oid = conn.execute(text(_OID)).scalar_one()
        meta = dict(conn.execute(text(_READ)).all())
    if meta.get("database_id") and meta.get("database_oid") == oid:
        return meta["database_id"]
    try:
        with engine.begin() as conn:
            if len(meta) < len(KEYS):  # an older database: the rows first (another program may add them too)
                conn.execute(text("INSERT INTO zhibu_meta VALUES ('database_id', :i), ('database_oid', '')"
                                  " ON CONFLICT (key) DO NOTHING"), {"i": str(uuid.uuid4())})  # fmt: skip
            meta = dict(conn.execute(text(_READ + " FOR UPDATE")).all())  # two programs opening: one mints
            if meta.get("database_oid") != oid:
                return mint(conn)
            return meta["database_id"]
    except DBAPIError as exc:
        if getattr(getattr(exc, "orig", None), "sqlstate", "") == "42501":  # may not write zhibu_meta
            return meta.get("database_id") if meta.get("database_oid") == oid else None
        raise


def user_copy(db, database_id: str | None, user: str, place: str) -> str:
    """The copy id of ``user`` on this database (``db``: the write's connection, sqlite3 style),
    made at its first write here with ``place``; the same login's copy on the database this one was
    loaded from is another copy. A copy from before the database had an id is the new one's parent."""
    rows = db.execute("SELECT id, place FROM ledger_copy WHERE place LIKE 'server:%'").fetchall()
    mine = [cid for cid, where in rows if history.is_user_copy(where, database_id, user)]
    if mine:
        return mine[0]
    older = [cid for cid, where in rows if where == f"server:{user}"]
    uid = str(uuid.uuid4())
    db.execute("INSERT INTO ledger_copy (id, made_at, origin, parent_id, place, current) VALUES (?, ?, ?, ?, ?, FALSE)",
               (uid, history.storage_text(utcnow()), history.CopyOrigin.SERVER_USER, older[0] if older else None, place))
    return uid
