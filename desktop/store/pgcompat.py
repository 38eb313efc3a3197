"""Code written against ``sqlite3`` running on a PostgreSQL connection (desktop.store.server).

The change history, ``zhibu check``, dump/load and the schema upgrade steps talk to the file
through the ``sqlite3`` module's API; :class:`CompatConnection` lets the same code run on a
server ledger's psycopg connection (see its docstring for what it translates).
"""

from __future__ import annotations

import re

from . import history


class _Rows:
    """A finished statement's result rows, in SQLite's storage form (see :class:`CompatConnection`)."""

    def __init__(self, rows: list[tuple], lastrowid: int | None = None):
        self._rows = rows
        self.lastrowid = lastrowid

    def fetchone(self):
        return self._rows.pop(0) if self._rows else None

    def fetchall(self):
        rows, self._rows = self._rows, []
        return rows

    def __iter__(self):
        return iter(self.fetchall())


def _storage(value):
    """A PostgreSQL value as SQLite's driver returns the same column: dates, times and
    timestamps as their storage text, flags as 0/1, bytes as bytes."""
    if value is None or isinstance(value, str | int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, bytes | bytearray | memoryview):  # psycopg gives bytea as bytes: the bytes, not a digest
        return bytes(value)
    return history.storage_text(value)


_INSERT = re.compile(r'\s*INSERT\s+INTO\s+(?:main\.)?"?(\w+)"?\s*\(([^)]*)\)', re.I)
_TABLES_SQL = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"


class CompatConnection:
    """A psycopg connection that the code written against ``sqlite3`` runs on unchanged: ``?``
    placeholders, rows in SQLite's storage form, and the few SQLite statements that code uses
    to look at a file answered from the server's catalog (``PRAGMA user_version``, ``table_info``,
    ``sqlite_master``); ``foreign_key_check`` and ``integrity_check`` find nothing (the server
    enforces its foreign keys and keeps its pages itself)."""

    server = True  # desktop.services.ledger_checks: typed columns need no value check

    def __init__(self, conn):
        self._conn = conn

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self._conn.info.transaction_status != TransactionStatus.IDLE

    @staticmethod
    def _coerce(sql: str, rows: list[tuple]) -> list[tuple]:
        """SQLite takes 0/1 for a flag; PostgreSQL wants a boolean: convert the parameters of an
        ``INSERT INTO "table" (columns)`` by the table's column types."""
        m = _INSERT.match(sql)
        if not m:
            return rows
        from sqlalchemy import Boolean

        from .models import Base

        table = Base.metadata.tables.get(m.group(1))
        if table is None:
            return rows
        cols = [c.strip().strip('"') for c in m.group(2).split(",")]
        flags = [i for i, c in enumerate(cols) if c in table.c and isinstance(table.c[c].type, Boolean)]
        if not flags or any(len(r) != len(cols) for r in rows):  # literals in VALUES: written for both
            return rows
        out = []
        for r in rows:
            r = list(r)
            for i in flags:
                if r[i] is not None and not isinstance(r[i], bool):
                    r[i] = bool(r[i])
            out.append(tuple(r))
        return out

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s")

    def _pragma(self, sql: str) -> list[tuple] | None:
        low = " ".join(sql.lower().split())
        if low.startswith("pragma user_version"):
            return [(int(self._query("SELECT value FROM zhibu_meta WHERE key = 'schema_version'")[0][0]),)]
        if low.startswith(("pragma foreign_key_check", "pragma main.foreign_key_check")):
            return []
        if low.startswith(("pragma integrity_check", "pragma quick_check")):
            return [("ok",)]
        if low == "pragma database_list":  # one "attached database": the schema the ledger lives in
            return [(0, self._query("SELECT current_schema()")[0][0], "")]
        if low.startswith("pragma table_info") or (low.startswith("pragma ") and ".table_info(" in low):
            table = sql.split("(", 1)[1].rsplit(")", 1)[0].strip().strip("'\"")
            return [(i, name, typ, int(nullable == "NO"), None, 0) for i, (name, typ, nullable) in enumerate(self._query(
                "SELECT column_name, data_type, is_nullable FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position", (table,)))]
        if "from sqlite_master" in low:
            names = [r[0] for r in self._query(_TABLES_SQL)]
            if "where type='table' and name='change_set'" in low.replace(" = ", "=") or "name='change_set'" in low:
                return [(1,)] if "change_set" in names else []
            return [(n,) for n in names]
        if low in ("begin", "begin deferred", "begin immediate", "begin exclusive"):
            return []  # psycopg opens the transaction itself at the first statement
        if low == "commit":
            self._conn.commit()
            return []
        if low == "rollback":
            self._conn.rollback()
            return []
        if low.startswith("pragma"):
            raise NotImplementedError(f"not on a server ledger: {sql}")
        return None

    def _query(self, sql: str, params=()) -> list[tuple]:
        cur = self._conn.cursor()
        cur.execute(sql, params)
        return cur.fetchall() if cur.description else []

    def execute(self, sql: str, params=()):
        emulated = self._pragma(sql)
        if emulated is not None:
            return _Rows(emulated)
        cur = self._conn.cursor()
        if sql.lstrip().upper().startswith("INSERT INTO CHANGE_SET") and "RETURNING" not in sql.upper():
            cur.execute(self._sql(sql) + " RETURNING id", tuple(params))
            return _Rows([], cur.fetchone()[0])
        cur.execute(self._sql(sql), self._coerce(sql, [tuple(params)])[0])
        rows = [tuple(map(_storage, r)) for r in cur.fetchall()] if cur.description else []
        return _Rows(rows)

    def executemany(self, sql: str, rows):
        cur = self._conn.cursor()
        cur.executemany(self._sql(sql), self._coerce(sql, [tuple(r) for r in rows]))
        return _Rows([])
