"""Search on a server ledger reads a page of candidates, not every meeting that matches.

The stress ledger (100,000 meetings) took 0.1–0.6 s per "top 50" search of a common word on the
server while the file answered in 2 ms: the first query fetched and sorted the key of every
match (docs/performance.md). These tests bound what one search reads; they time nothing.
"""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import event

from desktop.domain.enums import MeetingKind
from desktop.services import meetings as svc
from desktop.services import search


def _meetings(led, n: int) -> None:
    for i in range(n):
        svc.save_meeting(led, svc.MeetingInput(
            branch_id=led.ids["branch1"], kind=MeetingKind.THEME_DAY, date=date(2025, 1 + i % 12, 1 + i % 28),
            number=i + 1, title=f"主题党日{i}", start_time=time(9, 0), end_time=time(10, 0),
            content=f"全体党员重温入党誓词（第{i}次）。"))


def _reads(led):
    """(statement, rows returned) of every statement the ledger's engine runs."""
    seen: list[tuple[str, int]] = []

    def after(conn, cursor, statement, params, context, executemany):
        seen.append((statement, cursor.rowcount))

    event.listen(led.engine, "after_cursor_execute", after)
    return seen


def test_top_n_of_a_common_word_reads_one_page(org_ledger, monkeypatch):
    monkeypatch.setattr(search.query, "PAGE", 8)
    _meetings(org_ledger, 40)
    svc.ensure_search_index(org_ledger)
    everything = svc.list_meetings(org_ledger, search="党员")
    assert len(everything) == 40
    seen = _reads(org_ledger)
    top = svc.list_meetings(org_ledger, search="党员", limit=5)
    assert [r.id for r in top] == [r.id for r in everything[:5]]
    reads = [(sql, n) for sql, n in seen if "meeting_fts" in sql]
    assert len(reads) == 1, reads  # one statement: candidates with their rows and text
    assert "LIMIT 8" in reads[0][0] and reads[0][1] <= 8  # a page, not the 40 matches
    seen.clear()
    top = svc.list_meetings(org_ledger, search="党员", limit=20)  # pages of 8 and 16
    assert [r.id for r in top] == [r.id for r in everything[:20]]
    assert [n for sql, n in seen if "meeting_fts" in sql] == [8, 16]


def test_a_rebuilt_index_has_its_gin_index_and_planner_statistics(org_ledger):
    """rebuild_index builds the GIN index after the rows (not row by row) and analyses the tables:
    without statistics PostgreSQL guesses a text match is rare and takes the GIN index for a
    common word, reading every match."""
    _meetings(org_ledger, 3)
    with org_ledger.write() as s:
        search.rebuild_index(s)
    from sqlalchemy import text

    with org_ledger.read() as s:
        analysed = dict(s.execute(text(
            "SELECT relname, last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL FROM pg_stat_user_tables"
            " WHERE relname IN ('meeting_search', 'meeting_text', 'meeting_fts')")).all())
        gin = s.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_meeting_fts_tv'")).scalar_one()
    assert analysed == {"meeting_search": True, "meeting_text": True, "meeting_fts": True}
    assert "USING gin (tv)" in gin
    assert [r.title for r in svc.list_meetings(org_ledger, search="重温入党", limit=1)] == ["主题党日2"]
