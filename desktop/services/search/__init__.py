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

Modules: ``tokens`` (bigrams, phrases, snippets), ``texts`` (a meeting's searchable text),
``index`` (the derived tables, their upkeep and the session hooks), ``query`` (lists and searches).

Consistency: importing this package registers SQLAlchemy session hooks. Every flush that touches a
Meeting, AgendaItem, Speech, Motion or Attendance marks the meeting, and just before the transaction commits
its index rows are rewritten *in the same transaction*. Writes that bypass the ORM (raw SQL bulk
loads) are caught by the row-count check, or by :func:`rebuild_index`.
"""

from __future__ import annotations

from .index import KEY_SPAN, ensure_index, ensure_index_for, rebuild_index, reindex, tables_exist
from .query import LIST_COLS, SearchFilters, list_rows, search_meeting_ids, search_rows
from .tokens import Snippet, bigram_tokens, normalize, phrase, snippet, split_query

__all__ = [
    "KEY_SPAN", "LIST_COLS", "SearchFilters", "Snippet", "bigram_tokens", "ensure_index", "ensure_index_for",
    "list_rows", "normalize", "phrase", "rebuild_index", "reindex", "search_meeting_ids", "search_rows", "snippet",
    "split_query", "tables_exist",
]
