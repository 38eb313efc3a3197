"""Lists and searches of meetings from the derived tables: newest first, top N, verified against
the stored text so a file and a server answer alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session

from .index import KEY_SPAN, is_pg
from .tokens import normalize, phrase, snippet, split_query, tok

PAGE = 64  # the server's first page of search candidates (_pg_search)


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
    if long_words and is_pg(session):
        toks = sorted({tok(a, b) for w in long_words for a, b in zip(normalize(w), normalize(w)[1:], strict=False)})
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
    out: list[tuple] = []
    result = session.execute(text(sql), params)
    try:
        _verified(result, [normalize(w) for w in words], out, limit, with_snippet)
    finally:
        result.close()
    return out


def _verified(rows, needles: list[str], out: list[tuple], limit: int | None, with_snippet: bool,
              skip: int = 0) -> bool:
    """Append to ``out`` the rows (list columns after ``skip`` leading ones, then title and body)
    whose text holds every needle, with their snippet if asked; True once ``limit`` is reached."""
    for row in rows:
        title, body = row[-2], row[-1]
        if all(n in title or n in body for n in needles):
            out.append(tuple(row[skip:-2]) + ((snippet((body, title), needles),) if with_snippet else ()))
            if limit is not None and len(out) >= limit:
                return True
    return False


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
        return _verified(rows, needles, out, limit, with_snippet, skip=1)  # the key leads each row

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
