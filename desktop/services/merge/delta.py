"""Writing a merge result onto the server ledger it was computed from (``zhibu push``, 合并… on a server).

The merge itself runs on files (:mod:`.run`): MINE is a snapshot of the server (one consistent
``REPEATABLE READ`` read), the result a checked file. What the server receives is the difference
between that snapshot and the result, in ONE write transaction of the open ledger
(``Ledger.write``, so the change counter and change log tell the other programs' windows):

- records only the result has are inserted (parents first), changed records are updated column by
  column **only if still at the snapshot's version** (``UPDATE … WHERE version = ? RETURNING``);
- the history the server lacks is added: the file's copies (never current on a server), its change
  sets (new ids from the server's sequence) with their change rows, and the merge's own set;
- the meetings touched are re-indexed for search in the same transaction;
- last, with the change counter locked, the writes other programs committed since the snapshot are
  read from the change log: one that touched a record this merge read or wrote, or added a member or
  a meeting (a duplicate person, a meeting number the plan could not see), makes the snapshot stale.

A stale snapshot raises :class:`StaleSnapshot` and everything is rolled back: the caller plans
again on a fresh snapshot (desktop.services.merge.onserver). Any other failure rolls back too.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from desktop.store.changes import Op, RecordKind, note_changes
from desktop.store.models import MODELS_IN_ORDER
from desktop.store.pgcompat import CompatConnection

from ..ledger_format import TABLES
from .plan import _columns, _fetch, _q

KIND_OF = {m.__table__.name: RecordKind(m.__name__) for m in MODELS_IN_ORDER}
PLAN_KINDS = frozenset({RecordKind.MEMBER.value, RecordKind.MEETING.value})  # added elsewhere: re-plan


class StaleSnapshot(Exception):
    """Another program changed what the merge was computed from; nothing was written."""


@dataclass
class Delta:
    inserts: dict[str, list[dict]] = field(default_factory=dict)  # table → rows
    updates: dict[str, list[tuple[str, dict, int]]] = field(default_factory=dict)  # table → (id, fields, version)
    history_sets: int = 0
    history_changes: int = 0

    @property
    def written(self) -> set[str]:
        return {r["id"] for rows in self.inserts.values() for r in rows} | {
            rid for rows in self.updates.values() for rid, _f, _v in rows}


def compute(merged: sqlite3.Connection) -> Delta:
    """The result (``main``) against the snapshot (attached as ``s``), table by table."""
    out = Delta()
    for table, cols in _columns(merged).items():
        rows = merged.execute(f'SELECT {_q(cols)} FROM main."{table}" WHERE id NOT IN (SELECT id FROM s."{table}")')
        new = [dict(zip(cols, r, strict=True)) for r in rows]
        if new:
            out.inserts[table] = new
        differs = " OR ".join(f'm."{c}" IS NOT x."{c}"' for c in cols if c != "id")
        sql = f'SELECT m.id FROM main."{table}" m JOIN s."{table}" x ON x.id = m.id WHERE {differs}'
        ids = [r[0] for r in merged.execute(sql)]
        if ids:
            after, before = _fetch(merged, "main", table, cols, ids), _fetch(merged, "s", table, cols, ids)
            out.updates[table] = [
                (rid, {c: after[rid][c] for c in cols if c != "id" and after[rid][c] != before[rid][c]},
                 before[rid]["version"]) for rid in ids]  # fmt: skip
    return out


def _flags(table: str) -> set[str]:
    return {c.name for c in TABLES[table].columns if c.kind == "bool"}


def _value(v, flag: bool):
    return bool(v) if flag and v is not None else v


def _refused(ledger, exc: Exception, what: str) -> Exception:
    """A psycopg error as the ledger maps it; a refused write names the record (roles, desktop.store.serverroles)."""
    from desktop.store import errors
    from desktop.store.servererrors import refusal

    mapped = ledger._map_error(exc)
    if isinstance(mapped, errors.PermissionDenied):
        why = refusal(ledger.user, ledger.rights, mapped.detail, head="")  # the server's reason for this login
        err = errors.PermissionDenied(ledger.url, f"服务器拒绝了这次合并：您没有修改{what}的权限，没有写入任何内容。{why}",
                                      mapped.detail)  # fmt: skip
        err.advice = ""  # the reason says who may change it
        return err
    return mapped or exc


def _write_records(ledger, pg: CompatConnection, merged: sqlite3.Connection, delta: Delta) -> None:
    import psycopg

    from .labels import record_label, table_label

    for table in TABLES:  # parents first
        rows = delta.inserts.get(table)
        if rows:
            cols = list(rows[0])
            try:
                pg.executemany(f'INSERT INTO "{table}" ({_q(cols)}) VALUES ({", ".join("?" * len(cols))})',
                               ([r[c] for c in cols] for r in rows))  # fmt: skip
            except psycopg.Error as exc:
                raise _refused(ledger, exc, f"“{table_label(table)}”") from exc
    for table, rows in delta.updates.items():
        flags = _flags(table)
        for rid, fields, version in rows:
            sets = ", ".join(f'"{c}" = ?' for c in fields)
            values = [_value(v, c in flags) for c, v in fields.items()]
            try:
                found = pg.execute(f'UPDATE "{table}" SET {sets} WHERE id = ? AND version = ? RETURNING id',
                                   [*values, rid, version]).fetchone()  # fmt: skip
            except psycopg.Error as exc:
                raise _refused(ledger, exc, record_label(merged, "main", table, rid)) from exc
            if found is None:
                raise StaleSnapshot(f"{table} {rid} changed on the server since the snapshot")


def _write_history(pg: CompatConnection, merged: sqlite3.Connection, delta: Delta, place: str, missing=()) -> None:
    """The copies, change sets and changes the server lacks (``missing``: copies the snapshot has
    and the server does not); set ids from the server's sequence."""
    sets = merged.execute("SELECT id, uid, copy_id, at, program, note FROM main.change_set "
                          "WHERE uid NOT IN (SELECT uid FROM s.change_set) ORDER BY id").fetchall()  # fmt: skip
    merged.execute("CREATE TEMP TABLE IF NOT EXISTS push_missing (id TEXT PRIMARY KEY)")
    merged.execute("DELETE FROM temp.push_missing")
    merged.executemany("INSERT INTO temp.push_missing VALUES (?)", ((i,) for i in missing))
    copies = {r[0]: r for r in merged.execute(
        "SELECT id, made_at, origin, parent_id, place FROM main.ledger_copy "
        "WHERE id NOT IN (SELECT id FROM s.ledger_copy) OR id IN (SELECT id FROM temp.push_missing)")}  # fmt: skip
    needed, todo = set(), [s[2] for s in sets]  # the copies the new sets were made in, and their parents
    while todo:
        cid = todo.pop()
        if cid in copies and cid not in needed:
            needed.add(cid)
            todo.append(copies[cid][3])
    rows = sorted((copies[c] for c in needed), key=lambda r: r[1])  # parents were made first
    pg.executemany("INSERT INTO ledger_copy (id, made_at, origin, parent_id, place, current) VALUES (?, ?, ?, ?, ?, FALSE)",
                   [(i, at, origin, parent, p or place) for i, at, origin, parent, p in rows])  # fmt: skip
    new_id = {}
    for sid, uid, copy, at, program, note in sets:
        new_id[sid] = pg.execute("INSERT INTO change_set (uid, copy_id, at, program, note) VALUES (?, ?, ?, ?, ?)",
                                 (uid, copy, at, program, note)).lastrowid  # fmt: skip
    delta.history_sets = len(sets)
    if not sets:
        return
    merged.execute("CREATE TEMP TABLE IF NOT EXISTS push_sets (id INTEGER PRIMARY KEY)")
    merged.execute("DELETE FROM temp.push_sets")
    merged.executemany("INSERT INTO temp.push_sets VALUES (?)", ((i,) for i in new_id))
    changes = merged.execute('SELECT record_id, set_id, field, tbl, "old", "new", version FROM main.change '
                             "WHERE set_id IN (SELECT id FROM temp.push_sets)").fetchall()  # fmt: skip
    pg.executemany('INSERT INTO change (record_id, set_id, field, tbl, "old", "new", version) VALUES (?, ?, ?, ?, ?, ?, ?)',
                   [(r, new_id[s], f, t, o, n, v) for r, s, f, t, o, n, v in changes])  # fmt: skip
    delta.history_changes = len(changes)


def _meetings_touched(delta: Delta, merged: sqlite3.Connection) -> set[str]:
    ids = {r["id"] for r in delta.inserts.get("meeting", [])} | {rid for rid, _f, _v in delta.updates.get("meeting", [])}
    for rows in delta.inserts.values():
        ids |= {r["meeting_id"] for r in rows if r.get("meeting_id")}
    for table, rows in delta.updates.items():
        if "meeting_id" in {c.name for c in TABLES[table].columns}:
            parts = _fetch(merged, "main", table, ["id", "meeting_id"], [rid for rid, _f, _v in rows])
            ids |= {r["meeting_id"] for r in parts.values() if r["meeting_id"]}
    return ids


def _check_since(pg: CompatConnection, since: int, watched: set[str]) -> None:
    """With the change counter locked: did a write committed after the snapshot matter?"""
    (now,) = pg.execute("SELECT value FROM zhibu_meta WHERE key = 'changes' FOR UPDATE").fetchone()
    if int(now) <= since:
        return
    for (names,) in pg.execute("SELECT names FROM zhibu_change_log WHERE n > ? AND n <= ?", (since, int(now))).fetchall():
        for kind, rid, op in json.loads(names):
            if rid in watched or (op == Op.ADDED.value and kind in PLAN_KINDS):
                raise StaleSnapshot(f"{kind} {rid} {op} on the server since the snapshot")


def write(ledger, merged_path: Path, snapshot_path: Path, since: int, watched: set[str], missing=()) -> Delta:
    """Write the difference between ``snapshot_path`` and ``merged_path`` onto the server ``ledger``
    (one transaction). ``since``: the change counter of the snapshot; ``watched``: ids the merge read."""
    with closing(sqlite3.connect(f"{merged_path.as_uri()}?mode=ro", uri=True, isolation_level=None)) as merged:
        merged.execute("ATTACH DATABASE ? AS s", (f"{snapshot_path.as_uri()}?mode=ro",))
        delta = compute(merged)
        meetings = _meetings_touched(delta, merged)
        with ledger.write() as session:
            pg = CompatConnection(session.connection().connection.driver_connection)
            _write_records(ledger, pg, merged, delta)
            _write_history(pg, merged, delta, f"push:{ledger.user}", missing)
            from ..search import reindex, tables_exist

            if meetings and tables_exist(session):  # derived tables: absent until first searched
                reindex(session, meetings)
            events = defaultdict(set)
            for table, rows in delta.inserts.items():
                events[(KIND_OF[table], Op.ADDED)] |= {r["id"] for r in rows}
            for table, rows in delta.updates.items():
                events[(KIND_OF[table], Op.CHANGED)] |= {rid for rid, _f, _v in rows}
            for (kind, op), ids in events.items():
                note_changes(session, kind, ids, op)
            _check_since(pg, since, watched | delta.written)
    return delta
