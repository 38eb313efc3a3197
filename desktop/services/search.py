"""Full-text search of meeting records: any word of 2 or more characters, exact substring semantics.

Design (measured in docs/performance-search.md):

- ``meeting_search``: one row per meeting (tombstoned ones too, with ``live = 0``) holding the
  lower-cased searchable text in two columns (``title``: 会议名称/党课题目/主题; ``body``: agenda,
  content, speeches, motions, resolution, lecture summary, 规定动作, follow-up) plus the filter
  columns (branch, kind, state, date). Its integer key orders meetings by date:
  ``date.toordinal() * 1_000_000 + n``, so "newest first, top 50" is a reverse walk of the index
  that stops after 50 hits.
- ``meeting_fts``: a contentless FTS5 table over the same two columns, tokenised by us into
  overlapping bigrams, one token per character position (``"党员大会"`` → ``"党员" "员大" "大会"``,
  each written as hex code points so every token survives FTS5's unicode61 tokenizer). A word of
  n ≥ 2 characters is the phrase of its n-1 bigrams; because every position emits a token, the
  phrase matches exactly where the word is a substring. Hits are verified against the stored
  text anyway, and 1-character words (outside the contract) fall back to a substring scan.

Both tables are *derived*: they are not part of the schema version. :func:`ensure_index` creates
them when absent and rebuilds them when their row count differs from ``meeting`` (a file written
by an older build or by bulk loading); :func:`rebuild_index` rebuilds them on demand.

Consistency: importing this module registers SQLAlchemy session hooks. Every flush that touches a
Meeting, AgendaItem, Speech or Motion marks the meeting, and just before the transaction commits
its index rows are rewritten *in the same transaction*. Writes that bypass the ORM (raw SQL bulk
loads) are caught by the row-count check, or by :func:`rebuild_index`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import event, select, text
from sqlalchemy.orm import Session, selectinload

from desktop.store.models import AgendaItem, Meeting, Motion, Speech

KEY_SPAN = 1_000_000
_WATCHED = (Meeting, AgendaItem, Speech, Motion)
_DIRTY = "search_dirty_meetings"

_DDL = (
    "CREATE TABLE IF NOT EXISTS meeting_search ("
    " key INTEGER PRIMARY KEY, meeting_id TEXT NOT NULL UNIQUE, branch_id TEXT, kind TEXT,"
    " state TEXT, date TEXT, live INTEGER NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS meeting_fts USING fts5(title, body, content='', tokenize='unicode61')",
)


# ------------------------------------------------------------------------------- tokenising
def normalize(value: str) -> str:
    """The case rule of search: ``str.lower`` on both the text and the query."""
    return value.lower()


def _tok(a: str, b: str) -> str:
    return f"{ord(a):x}g{ord(b):x}"


def bigram_tokens(value: str) -> str:
    """Space-separated bigram tokens, one per character position (the last has none)."""
    s = normalize(value)
    return " ".join(_tok(s[i], s[i + 1]) for i in range(len(s) - 1))


def phrase(word: str) -> str:
    """The FTS5 phrase that matches ``word`` (≥ 2 characters) as a substring."""
    s = normalize(word)
    return '"' + " ".join(_tok(s[i], s[i + 1]) for i in range(len(s) - 1)) + '"'


def split_query(query: str | None) -> list[str]:
    """Words of the search box: whitespace separates, all words must occur (AND)."""
    return [w for w in (query or "").split() if w]


# ------------------------------------------------------------------------ searchable text
def meeting_texts(m: Meeting) -> tuple[str, str]:
    """(title, body) as indexed, lower-cased. Parts are joined with newlines."""
    title = "\n".join(p for p in (m.title, m.lecture_title, m.theme) if p)
    parts: list[str] = [a.text for a in m.agenda if a.deleted_at is None]
    parts.append(m.content)
    for s in m.speeches:
        if s.deleted_at is None:
            parts.extend((s.section, s.speaker, s.text))
    parts.extend(x.title for x in m.motions if x.deleted_at is None)
    parts.extend((m.resolution, m.lecturer, m.summary, m.required_actions, m.followup))
    body = "\n".join(p for p in parts if p)
    return normalize(title), normalize(body)


# ------------------------------------------------------------------------------ maintenance
def _tables_exist(session: Session) -> bool:
    rows = session.execute(
        text("SELECT count(*) FROM sqlite_master WHERE name IN ('meeting_search', 'meeting_fts')")
    ).scalar_one()
    return rows == 2


def _new_key(session: Session, day: date) -> int:
    base = day.toordinal() * KEY_SPAN
    top = session.execute(
        text("SELECT max(key) FROM meeting_search WHERE key BETWEEN :a AND :b"),
        {"a": base, "b": base + KEY_SPAN - 1},
    ).scalar()
    return base if top is None else top + 1


def _fts_delete(session: Session, key: int, title: str, body: str) -> None:
    session.execute(
        text("INSERT INTO meeting_fts(meeting_fts, rowid, title, body) VALUES('delete', :k, :t, :b)"),
        {"k": key, "t": bigram_tokens(title), "b": bigram_tokens(body)},
    )


def _fts_insert(session: Session, key: int, title: str, body: str) -> None:
    session.execute(
        text("INSERT INTO meeting_fts(rowid, title, body) VALUES(:k, :t, :b)"),
        {"k": key, "t": bigram_tokens(title), "b": bigram_tokens(body)},
    )


def _load(session: Session, ids: Iterable[str]) -> list[Meeting]:
    ids = list(ids)
    out: list[Meeting] = []
    for i in range(0, len(ids), 500):
        out.extend(
            session.execute(
                select(Meeting)
                .where(Meeting.id.in_(ids[i : i + 500]))
                .options(selectinload(Meeting.agenda), selectinload(Meeting.speeches), selectinload(Meeting.motions))
                .execution_options(populate_existing=True)
            ).scalars()
        )
    return out


def reindex(session: Session, meeting_ids: Iterable[str]) -> None:
    """Rewrite the index rows of these meetings from their current state (same transaction)."""
    ids = set(meeting_ids)
    if not ids:
        return
    found = {m.id: m for m in _load(session, ids)}
    for mid in ids:
        old = session.execute(
            text("SELECT key, date, live, title, body FROM meeting_search WHERE meeting_id = :m"), {"m": mid}
        ).first()
        m = found.get(mid)
        if m is None:  # never existed (rolled-back insert): drop any trace
            if old is not None:
                if old.live:
                    _fts_delete(session, old.key, old.title, old.body)
                session.execute(text("DELETE FROM meeting_search WHERE key = :k"), {"k": old.key})
            continue
        title, body = meeting_texts(m)
        live = m.deleted_at is None
        day = m.date.isoformat()
        if old is not None and old.date == day and old.title == title and old.body == body and bool(old.live) == live:
            session.execute(
                text("UPDATE meeting_search SET branch_id=:br, kind=:k, state=:s WHERE key=:key"),
                {"br": m.branch_id, "k": m.kind, "s": m.state, "key": old.key},
            )
            continue
        if old is not None:
            if old.live:
                _fts_delete(session, old.key, old.title, old.body)
            session.execute(text("DELETE FROM meeting_search WHERE key = :k"), {"k": old.key})
        key = old.key if old is not None and old.date == day else _new_key(session, m.date)
        session.execute(
            text(
                "INSERT INTO meeting_search(key, meeting_id, branch_id, kind, state, date, live, title, body)"
                " VALUES(:key, :m, :br, :k, :s, :d, :live, :t, :b)"
            ),
            {"key": key, "m": mid, "br": m.branch_id, "k": m.kind, "s": m.state, "d": day,
             "live": int(live), "t": title, "b": body},
        )
        if live:
            _fts_insert(session, key, title, body)


def rebuild_index(session: Session, progress=None) -> int:
    """Drop and rebuild the derived search tables; returns the number of meetings indexed."""
    session.execute(text("DROP TABLE IF EXISTS meeting_fts"))
    session.execute(text("DROP TABLE IF EXISTS meeting_search"))
    for ddl in _DDL:
        session.execute(text(ddl))
    ids = [r[0] for r in session.execute(text("SELECT id FROM meeting ORDER BY date, id"))]
    for i in range(0, len(ids), 1000):
        reindex(session, ids[i : i + 1000])
        session.expunge_all()
        if progress:
            progress(min(i + 1000, len(ids)), len(ids), "正在建立检索索引…")
    return len(ids)


def ensure_index(session: Session) -> bool:
    """Create the derived tables when absent, rebuild them when out of step; True if (re)built."""
    if _tables_exist(session):
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


# ------------------------------------------------------------------------------ the hooks
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
    if dirty and _tables_exist(session):
        reindex(session, dirty)
        session.flush()
        session.info.pop(_DIRTY, None)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_DIRTY, None)


# --------------------------------------------------------------------------------- queries
@dataclass(frozen=True)
class SearchFilters:
    branch_id: str | None = None
    kind: str | None = None
    state: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def _where(f: SearchFilters, alias: str = "s") -> tuple[str, dict]:
    sql: list[str] = []
    params: dict = {}
    if f.branch_id:
        sql.append(f"{alias}.branch_id = :branch")
        params["branch"] = f.branch_id
    if f.kind:
        sql.append(f"{alias}.kind = :kind")
        params["kind"] = f.kind
    if f.state:
        sql.append(f"{alias}.state = :state")
        params["state"] = f.state
    if f.date_from:
        sql.append(f"{alias}.key >= :lo")
        params["lo"] = f.date_from.toordinal() * KEY_SPAN
    if f.date_to:
        sql.append(f"{alias}.key <= :hi")
        params["hi"] = (f.date_to.toordinal() + 1) * KEY_SPAN - 1
    return "".join(f" AND {c}" for c in sql), params


def _verified(rows: Iterator, words: list[str], limit: int | None) -> list[str]:
    needles = [normalize(w) for w in words]
    out: list[str] = []
    for mid, title, body in rows:
        if all(n in title or n in body for n in needles):
            out.append(mid)
            if limit is not None and len(out) >= limit:
                break
    return out


def search_meeting_ids(
    session: Session, query: str, filters: SearchFilters = SearchFilters(), limit: int | None = None
) -> list[str]:
    """Live meetings whose text contains every word of ``query``, newest first."""
    words = split_query(query)
    if not words:
        return []
    cond, params = _where(filters)
    long_words = [w for w in words if len(w) >= 2]
    if long_words:
        params["q"] = " AND ".join(phrase(w) for w in long_words)
        sql = (
            "SELECT s.meeting_id, s.title, s.body FROM meeting_fts f JOIN meeting_search s ON s.key = f.rowid"
            f" WHERE meeting_fts MATCH :q{cond.replace('s.key', 'f.rowid')} ORDER BY f.rowid DESC"
        )
    else:  # 1-character words only: substring scan, still newest first
        sql = f"SELECT s.meeting_id, s.title, s.body FROM meeting_search s WHERE s.live = 1{cond} ORDER BY s.key DESC"
    result = session.execute(text(sql), params)
    try:
        return _verified(iter(result), words, limit)
    finally:
        result.close()
