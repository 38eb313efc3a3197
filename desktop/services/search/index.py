"""The derived search tables (``meeting_search``, ``meeting_text``, ``meeting_fts``) on a file and on
a server: created, rebuilt, kept in step by session hooks in the same transaction as each write."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from desktop.store.history import storage_text
from desktop.store.models import AgendaItem, Attendance, Guest, Meeting, Motion, Speech

from .texts import Doc, in_list, read_docs
from .tokens import bigram_tokens

KEY_SPAN = 1_000_000
_WATCHED = (Meeting, AgendaItem, Speech, Motion, Attendance, Guest)
_DIRTY = "search_dirty_meetings"

_DDL = (
    "CREATE TABLE IF NOT EXISTS meeting_search ("
    " key INTEGER PRIMARY KEY, meeting_id TEXT NOT NULL UNIQUE, branch_id TEXT, kind TEXT,"
    " state TEXT, date TEXT, live INTEGER NOT NULL, number INTEGER, m_title TEXT, start_time TEXT,"
    " end_time TEXT, place TEXT, host TEXT, recorder TEXT, due INTEGER, present INTEGER, absent INTEGER)",
    "CREATE INDEX IF NOT EXISTS ix_meeting_search_order ON meeting_search(live, date, start_time, number)",
    "CREATE TABLE IF NOT EXISTS meeting_text (key INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS meeting_fts USING fts5(title, body, content='', tokenize='unicode61')",
    # marks an index that includes guests: a file indexed by an older build lacks it and is rebuilt
    "CREATE TABLE IF NOT EXISTS meeting_index_v2 (guests INTEGER)",
)
_TABLES = ("meeting_search", "meeting_text", "meeting_fts", "meeting_index_v2")
# On a PostgreSQL server (desktop.store.server) the same bigram tokens go into a tsvector built
# with array_to_tsvector (no text parser: it would split "4e00g4e8c" as a number), one GIN index;
# a query is the AND of every bigram of every word, and hits are verified against the stored text
# exactly as on the file, so the answers are the same (tests compare with a brute-force scan).
_PG_GIN = "CREATE INDEX IF NOT EXISTS ix_meeting_fts_tv ON meeting_fts USING gin (tv)"
_PG_DDL = (
    _DDL[0].replace("key INTEGER PRIMARY KEY", "key BIGINT PRIMARY KEY"),
    _DDL[1],
    _DDL[2].replace("key INTEGER PRIMARY KEY", "key BIGINT PRIMARY KEY"),
    "CREATE TABLE IF NOT EXISTS meeting_fts (key BIGINT PRIMARY KEY, tv TSVECTOR NOT NULL)",
    _PG_GIN,
    _DDL[4],
)


def is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"



def tables_exist(session: Session) -> bool:
    if is_pg(session):
        return session.execute(text(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
            f" AND table_name IN ({', '.join(repr(t) for t in _TABLES)})")).scalar_one() == len(_TABLES)
    rows = session.execute(
        text(f"SELECT count(*) FROM sqlite_master WHERE name IN ({', '.join(repr(t) for t in _TABLES)})")
    ).scalar_one()
    return rows == len(_TABLES)


def _fts(session: Session, rows: list[dict], delete: bool = False) -> None:
    if not rows:
        return
    if is_pg(session):
        if delete:
            session.execute(text("DELETE FROM meeting_fts WHERE key = :key"), [{"key": r["key"]} for r in rows])
        else:
            # the tokens as one string split by the server: psycopg's array dumper quotes element by
            # element (a third of a stress-ledger rebuild); a token is hex digits and "g", never a space
            session.execute(text("INSERT INTO meeting_fts(key, tv)"
                                 " VALUES(:key, array_to_tsvector(string_to_array(:toks, ' ')))"),
                            [{"key": r["key"], "toks": " ".join(set(bigram_tokens(r["title"]).split())
                                                                | set(bigram_tokens(r["body"]).split()))}
                             for r in rows])
        return
    sql = (
        "INSERT INTO meeting_fts(meeting_fts, rowid, title, body) VALUES('delete', :key, :t, :b)"
        if delete else "INSERT INTO meeting_fts(rowid, title, body) VALUES(:key, :t, :b)"
    )
    session.execute(text(sql), [{"key": r["key"], "t": bigram_tokens(r["title"]), "b": bigram_tokens(r["body"])}
                                for r in rows])


_ROW_COLS = ("key", "meeting_id", "branch_id", "kind", "state", "date", "live", "number", "m_title", "start_time",
             "end_time", "place", "host", "recorder", "due", "present", "absent")


def _row(key: int, d: Doc) -> dict:
    title, body = d.texts()
    m = d.m
    return {"key": key, "meeting_id": m["id"], "branch_id": m["branch_id"], "kind": m["kind"], "state": m["state"],
            "date": str(m["date"]), "live": int(m["deleted_at"] is None), "number": m["number"],
            "m_title": m["title"], "start_time": storage_text(m["start_time"]), "end_time": storage_text(m["end_time"]),
            "place": m["place"],
            "host": m["host"], "recorder": m["recorder"], "due": d.due, "present": d.present, "absent": d.absent,
            "title": title, "body": body}


def _insert(session: Session, rows: list[dict]) -> None:
    if rows:
        session.execute(
            text(f"INSERT INTO meeting_search({', '.join(_ROW_COLS)}) VALUES({', '.join(':' + c for c in _ROW_COLS)})"),
            rows,
        )
        session.execute(text("INSERT INTO meeting_text(key, title, body) VALUES(:key, :title, :body)"), rows)
        _fts(session, [r for r in rows if r["live"]])


def _new_key(session: Session, day: str, taken: dict[int, int]) -> int:
    base = date.fromisoformat(day).toordinal() * KEY_SPAN
    if base not in taken:
        top = session.execute(
            text("SELECT max(key) FROM meeting_search WHERE key BETWEEN :a AND :b"),
            {"a": base, "b": base + KEY_SPAN - 1},
        ).scalar()
        taken[base] = base - 1 if top is None else top
    taken[base] += 1
    return taken[base]


def reindex(session: Session, meeting_ids: Iterable[str]) -> None:
    """Rewrite the index rows of these meetings from their current state (same transaction)."""
    ids = sorted(set(meeting_ids))
    for i in range(0, len(ids), 400):
        _reindex_chunk(session, ids[i : i + 400])


def _reindex_chunk(session: Session, ids: list[str]) -> None:
    docs = read_docs(session, ids)
    marks, params = in_list(ids)
    old = {r["meeting_id"]: r for r in (dict(x._mapping) for x in session.execute(
        text("SELECT s.key, s.meeting_id, s.date, s.live, t.title, t.body FROM meeting_search s"
             f" JOIN meeting_text t ON t.key = s.key WHERE s.meeting_id IN ({marks})"), params))}
    # Unchanged text, date and liveness (finalize, attendance, host …): rewrite the list columns only.
    same: list[dict] = []
    for mid, d in list(docs.items()):
        o = old.get(mid)
        if o is not None and o["date"] == str(d.m["date"]) and bool(o["live"]) == (d.m["deleted_at"] is None) \
                and (o["title"], o["body"]) == d.texts():
            same.append(_row(o["key"], d))
            del docs[mid], old[mid]
    if same:
        cols = [c for c in _ROW_COLS if c != "key"]
        session.execute(text(f"UPDATE meeting_search SET {', '.join(f'{c} = :{c}' for c in cols)} WHERE key = :key"),
                        same)
    gone = list(old.values())
    _fts(session, [r for r in gone if r["live"]], delete=True)
    if gone:
        keys = {f"k{i}": r["key"] for i, r in enumerate(gone)}
        in_keys = ",".join(f":{k}" for k in keys)
        session.execute(text(f"DELETE FROM meeting_text WHERE key IN ({in_keys})"), keys)
        session.execute(text(f"DELETE FROM meeting_search WHERE key IN ({in_keys})"), keys)
    taken: dict[int, int] = {}
    rows = []
    for mid, d in docs.items():
        o = next((r for r in gone if r["meeting_id"] == mid), None)
        key = o["key"] if o is not None and o["date"] == str(d.m["date"]) else _new_key(session, str(d.m["date"]), taken)
        rows.append(_row(key, d))
    _insert(session, rows)


def rebuild_index(session: Session, progress=None) -> int:
    """Drop and rebuild the derived search tables; returns the number of meetings indexed."""
    for name in _TABLES:
        session.execute(text(f"DROP TABLE IF EXISTS {name}"))
    for ddl in _PG_DDL if is_pg(session) else _DDL:
        if ddl != _PG_GIN:  # on a server the GIN index is built once after the rows, not row by row
            session.execute(text(ddl))
    ids = [r[0] for r in session.execute(text("SELECT id, date FROM meeting ORDER BY date, id"))]
    taken: dict[int, int] = {}
    step = 500
    for i in range(0, len(ids), step):
        docs = read_docs(session, ids[i : i + step])
        rows = []
        for mid in ids[i : i + step]:
            d = docs[mid]
            base = date.fromisoformat(str(d.m["date"])).toordinal() * KEY_SPAN
            taken[base] = taken.get(base, base - 1) + 1
            rows.append(_row(taken[base], d))
        _insert(session, rows)
        if progress:
            progress(min(i + step, len(ids)), len(ids), "正在建立检索索引…")
    if is_pg(session):  # the planner's statistics of the new tables: a LIMIT search plan needs them
        session.execute(text(_PG_GIN))
        session.execute(text("ANALYZE meeting_search, meeting_text, meeting_fts"))
    return len(ids)


def ensure_index(session: Session) -> bool:
    """Create the derived tables when absent, rebuild them when out of step; True if (re)built."""
    if tables_exist(session):
        n_meetings = session.execute(text("SELECT count(*) FROM meeting")).scalar_one()
        n_indexed = session.execute(text("SELECT count(*) FROM meeting_search")).scalar_one()
        if n_meetings == n_indexed:
            return False
    rebuild_index(session)
    return True


def ensure_index_for(ledger) -> bool:
    """:func:`ensure_index` in its own write transaction (call after opening a ledger)."""
    with ledger.write() as session:
        return ensure_index(session)


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _ctx) -> None:
    dirty: set[str] = session.info.setdefault(_DIRTY, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Meeting):
            dirty.add(obj.id)
        elif isinstance(obj, _WATCHED) and obj.meeting_id:
            dirty.add(obj.meeting_id)


@event.listens_for(Session, "before_commit")
def _sync(session: Session) -> None:
    session.flush()
    dirty: set[str] = session.info.pop(_DIRTY, set())
    if dirty and tables_exist(session):
        reindex(session, dirty)
        session.flush()
        session.info.pop(_DIRTY, None)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_DIRTY, None)
