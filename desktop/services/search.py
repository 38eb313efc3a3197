"""Full-text search of meeting records: any word of 2 or more characters, exact substring semantics.

Design (measured in docs/performance-search.md):

- ``meeting_search``: one compact row per meeting (tombstoned ones too, with ``live = 0``) with
  the filter columns (branch, kind, state, date) and the list columns (number, title, times,
  place, host, recorder, 应到/实到/缺席), so lists never read the large meeting rows;
  ``meeting_text`` (same key) holds the lower-cased searchable text in two columns (``title``:
  会议名称/党课题目/主题; ``body``: agenda, content, speeches with their speakers, motions,
  resolution, lecture summary, 规定动作, follow-up, 列席人员 and guests with their unit). The integer key orders meetings by date:
  ``date.toordinal() * 1_000_000 + n``, so "newest first, top 50" is a reverse walk of the index
  that stops after 50 hits.
- ``meeting_fts``: a contentless FTS5 table over the same two columns, tokenised by us into
  overlapping bigrams, one token per character position (``"党员大会"`` → ``"党员" "员大" "大会"``,
  each written as hex code points so every token survives FTS5's unicode61 tokenizer). A word of
  n ≥ 2 characters is the phrase of its n-1 bigrams; because every position emits a token, the
  phrase matches exactly where the word is a substring. Hits are verified against the stored
  text anyway, and 1-character words (outside the contract) fall back to a substring scan.

The three tables are *derived*: they are not part of the schema version. :func:`ensure_index` creates
them when absent and rebuilds them when their row count differs from ``meeting`` (a file written
by an older build or by bulk loading); :func:`rebuild_index` rebuilds them on demand.

Consistency: importing this module registers SQLAlchemy session hooks. Every flush that touches a
Meeting, AgendaItem, Speech, Motion or Attendance marks the meeting, and just before the transaction commits
its index rows are rewritten *in the same transaction*. Writes that bypass the ORM (raw SQL bulk
loads) are caught by the row-count check, or by :func:`rebuild_index`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from desktop.domain.enums import AttendanceStatus
from desktop.store.history import storage_text
from desktop.store.models import AgendaItem, Attendance, Guest, Meeting, Motion, Speech

KEY_SPAN = 1_000_000
PAGE = 64  # the server's first page of search candidates (desktop.services.search._pg_search)
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


def _pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


# ------------------------------------------------------------------------------- tokenising
def normalize(value: str) -> str:
    """The case rule of search: ``str.lower`` on both the text and the query."""
    return value.lower()


def _tok(a: str, b: str) -> str:
    return f"{ord(a):x}g{ord(b):x}"


def bigram_tokens(value: str) -> str:
    """Space-separated bigram tokens, one per character position (the last has none)."""
    s = normalize(value)
    table = {c: f"{ord(c):x}" for c in set(s)}
    hexes = list(map(table.__getitem__, s))
    return " ".join(map("g".join, zip(hexes, hexes[1:], strict=False)))


def phrase(word: str) -> str:
    """The FTS5 phrase that matches ``word`` (≥ 2 characters) as a substring."""
    s = normalize(word)
    return '"' + " ".join(_tok(s[i], s[i + 1]) for i in range(len(s) - 1)) + '"'


def split_query(query: str | None) -> list[str]:
    """Words of the search box: whitespace separates, all words must occur (AND)."""
    return [w for w in (query or "").split() if w]


# ------------------------------------------------------------------------ searchable text
_M_COLS = ("id", "branch_id", "kind", "state", "date", "deleted_at", "number", "title", "start_time", "end_time",
           "place", "host", "recorder", "lecture_title", "theme", "content", "resolution", "lecturer", "summary",
           "required_actions", "followup")


@dataclass
class _Doc:
    """One meeting as the index stores it (raw column values, texts gathered from its children)."""

    m: dict
    agenda: list[str]
    speeches: list[tuple[str, str, str]]
    motions: list[str]
    guests: list[str] = field(default_factory=list)
    due: int = 0
    present: int = 0
    absent: int = 0

    def texts(self) -> tuple[str, str]:
        """(title, body) as indexed, lower-cased; parts joined with newlines."""
        m = self.m
        title = "\n".join(p for p in (m["title"], m["lecture_title"], m["theme"]) if p)
        parts: list[str] = [*self.agenda, m["content"]]
        for sec, who, said in self.speeches:
            parts.extend((sec, who, said))
        parts.extend(self.motions)
        parts.extend((m["resolution"], m["lecturer"], m["summary"], m["required_actions"], m["followup"]))
        parts.extend(self.guests)
        return normalize(title), normalize("\n".join(p for p in parts if p))


def _in(ids: list[str]) -> tuple[str, dict]:
    names = [f"i{n}" for n in range(len(ids))]
    return ",".join(f":{n}" for n in names), dict(zip(names, ids, strict=True))


def _docs(session: Session, ids: list[str]) -> dict[str, _Doc]:
    """Read meetings and their children with plain SQL (flushed state of this transaction)."""
    marks, params = _in(ids)
    docs = {
        r[0]: _Doc(dict(zip(_M_COLS, r, strict=True)), [], [], [])
        for r in session.execute(text(f"SELECT {', '.join(_M_COLS)} FROM meeting WHERE id IN ({marks})"), params)
    }
    live_child = f"meeting_id IN ({marks}) AND deleted_at IS NULL"
    for mid, t in session.execute(text(f"SELECT meeting_id, text FROM agenda_item WHERE {live_child} ORDER BY seq"), params):
        docs[mid].agenda.append(t)
    for mid, sec, who, t in session.execute(
        text(f"SELECT meeting_id, section, speaker, text FROM speech WHERE {live_child} ORDER BY seq"), params
    ):
        docs[mid].speeches.append((sec, who, t))
    for mid, t in session.execute(text(f"SELECT meeting_id, title FROM motion WHERE {live_child} ORDER BY seq"), params):
        docs[mid].motions.append(t)
    for mid, name, title in session.execute(
        text(f"SELECT meeting_id, name, title FROM guest WHERE {live_child} ORDER BY seq"), params
    ):
        docs[mid].guests.append(f"{name} {title}".strip())
    for mid, status, n in session.execute(
        text(f"SELECT meeting_id, status, count(*) FROM attendance WHERE {live_child} GROUP BY meeting_id, status"),
        params,
    ):
        d = docs[mid]
        if status != AttendanceStatus.EXCLUDED:
            d.due += n
        if status == AttendanceStatus.PRESENT:
            d.present += n
        elif status == AttendanceStatus.ABSENT:
            d.absent += n
    return docs


# ------------------------------------------------------------------------------ maintenance
def _tables_exist(session: Session) -> bool:
    if _pg(session):
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
    if _pg(session):
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


def _row(key: int, d: _Doc) -> dict:
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
    docs = _docs(session, ids)
    marks, params = _in(ids)
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
    for ddl in _PG_DDL if _pg(session) else _DDL:
        if ddl != _PG_GIN:  # on a server the GIN index is built once after the rows, not row by row
            session.execute(text(ddl))
    ids = [r[0] for r in session.execute(text("SELECT id, date FROM meeting ORDER BY date, id"))]
    taken: dict[int, int] = {}
    step = 500
    for i in range(0, len(ids), step):
        docs = _docs(session, ids[i : i + step])
        rows = []
        for mid in ids[i : i + step]:
            d = docs[mid]
            base = date.fromisoformat(str(d.m["date"])).toordinal() * KEY_SPAN
            taken[base] = taken.get(base, base - 1) + 1
            rows.append(_row(taken[base], d))
        _insert(session, rows)
        if progress:
            progress(min(i + step, len(ids)), len(ids), "正在建立检索索引…")
    if _pg(session):  # the planner's statistics of the new tables: a LIMIT search plan needs them
        session.execute(text(_PG_GIN))
        session.execute(text("ANALYZE meeting_search, meeting_text, meeting_fts"))
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


LIST_COLS = ("meeting_id", "branch_id", "kind", "number", "m_title", "date", "start_time", "end_time", "place",
             "host", "recorder", "state", "due", "present", "absent")


@dataclass(frozen=True)
class Snippet:
    """Where a search matched: a short excerpt of the indexed (lower-cased) text and the
    (start, end) spans of the query words in it, for the list to highlight."""

    text: str
    spans: tuple[tuple[int, int], ...] = ()

    def marked(self, before: str = "【", after: str = "】") -> str:
        out, pos = [], 0
        for a, b in self.spans:
            out += [self.text[pos:a], before, self.text[a:b], after]
            pos = b
        return "".join(out) + self.text[pos:]


def snippet(texts: Iterable[str], words: Iterable[str], width: int = 16) -> Snippet:
    """The excerpt around the first match of the first word found (``width`` characters either
    side, on one line), with every query word in it marked. Empty when nothing matches."""
    needles = sorted({normalize(w) for w in words if w}, key=len, reverse=True)
    for source in texts:
        flat = " ".join(source.split())
        hits = [(flat.find(n), n) for n in needles if n in flat]
        if not hits:
            continue
        first = min(hits)[0]
        lo, hi = max(0, first - width), min(len(flat), first + width + max(len(n) for n in needles))
        piece = flat[lo:hi]
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(piece):
            n = next((n for n in needles if piece.startswith(n, i)), None)
            if n:
                spans.append((i, i + len(n)))
                i += len(n)
            else:
                i += 1
        lead, tail = ("…" if lo > 0 else ""), ("…" if hi < len(flat) else "")
        return Snippet(lead + piece + tail, tuple((a + len(lead), b + len(lead)) for a, b in spans))
    return Snippet("")


def search_rows(
    session: Session, query: str, filters: SearchFilters = SearchFilters(), limit: int | None = None,
    with_snippet: bool = False,
) -> list[tuple]:
    """Live meetings whose text contains every word of ``query``, newest first, as tuples of
    :data:`LIST_COLS` straight from the index (no read of the large meeting rows);
    ``with_snippet`` appends a :class:`Snippet` of where it matched."""
    words = split_query(query)
    if not words:
        return []
    cond, params = _where(filters)
    cols = ", ".join(f"s.{c}" for c in LIST_COLS)
    long_words = [w for w in words if len(w) >= 2]
    if long_words and _pg(session):
        toks = sorted({_tok(a, b) for w in long_words for a, b in zip(normalize(w), normalize(w)[1:], strict=False)})
        params["q"] = " & ".join(f"'{t}'" for t in toks)
        return _pg_search(session, cols, cond, params, [normalize(w) for w in words], limit, with_snippet)
    elif long_words:
        params["q"] = " AND ".join(phrase(w) for w in long_words)
        sql = (
            f"SELECT {cols}, t.title, t.body FROM meeting_fts f JOIN meeting_search s ON s.key = f.rowid"
            " JOIN meeting_text t ON t.key = f.rowid"
            f" WHERE meeting_fts MATCH :q{cond.replace('s.key', 'f.rowid')} ORDER BY f.rowid DESC"
        )
    else:  # 1-character words only: substring scan, still newest first
        sql = (f"SELECT {cols}, t.title, t.body FROM meeting_search s JOIN meeting_text t ON t.key = s.key"
               f" WHERE s.live = 1{cond} ORDER BY s.key DESC")
    needles = [normalize(w) for w in words]
    out: list[tuple] = []
    result = session.execute(text(sql), params)
    try:
        for row in result:
            title, body = row[-2], row[-1]
            if all(n in title or n in body for n in needles):
                out.append(tuple(row[:-2]) + ((snippet((body, title), needles),) if with_snippet else ()))
                if limit is not None and len(out) >= limit:
                    break
    finally:
        result.close()
    return out


def _pg_search(session: Session, cols: str, cond: str, params: dict, needles: list[str], limit: int | None,
               with_snippet: bool) -> list[tuple]:
    """The server's search, newest first, in pages of candidates (keyset: ``key < the last
    one seen``, ``LIMIT`` 64, doubling up to 1024), each read with its list columns and text
    and verified, until ``limit`` hits. A ``LIMIT`` lets the planner walk the key index
    backwards and stop (a common word: about ``limit`` rows read, like FTS5 on the file) or
    take the GIN index for a rare word; without one it must find and sort every match (a word
    in half of 100,000 meetings: 0.2–0.6 s). No ``limit``: every match is wanted, one query."""
    sql = (f"SELECT f.key, {cols}, t.title, t.body FROM meeting_fts f JOIN meeting_search s ON s.key = f.key"
           " JOIN meeting_text t ON t.key = f.key"
           f" WHERE f.tv @@ CAST(:q AS tsquery){cond.replace('s.key', 'f.key')}")
    out: list[tuple] = []

    def verified(rows) -> bool:
        for row in rows:
            title, body = row[-2], row[-1]
            if all(n in title or n in body for n in needles):
                out.append(tuple(row[1:-2]) + ((snippet((body, title), needles),) if with_snippet else ()))
                if limit is not None and len(out) >= limit:
                    return True
        return False

    if limit is None:
        verified(session.execute(text(sql + " ORDER BY f.key DESC"), params))
        return out
    below, chunk = None, PAGE
    while True:
        page = session.execute(text(sql + (" AND f.key < :below" if below is not None else "")
                                    + f" ORDER BY f.key DESC LIMIT {chunk}"), {**params, "below": below}).all()
        if verified(page) or len(page) < chunk:
            return out
        below, chunk = page[-1][0], min(chunk * 2, PAGE * 16)


def list_rows(session: Session, filters: SearchFilters = SearchFilters(), limit: int | None = None) -> list[tuple]:
    """Live meetings without a search word, in list order (date, start time, number; newest first)."""
    cond, params = _where(filters)
    sql = (f"SELECT {', '.join('s.' + c for c in LIST_COLS)} FROM meeting_search s WHERE s.live = 1{cond}"
           " ORDER BY s.date DESC, s.start_time DESC, s.number DESC")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [tuple(r) for r in session.execute(text(sql), params)]


def search_meeting_ids(
    session: Session, query: str, filters: SearchFilters = SearchFilters(), limit: int | None = None
) -> list[str]:
    """Ids of :func:`search_rows`, newest first."""
    return [r[0] for r in search_rows(session, query, filters, limit)]
