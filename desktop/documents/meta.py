"""A document's properties as both renderers write them (PDF Info, DOCX core properties).

Title: the document's title on one line; author: the unit (``Document.meta["author"]``, set by
the export service from the ledger's settings); created and modified: the moment of writing
(reportlab's ``invariant`` mode and python-docx's template used fixed dates of 2000 and 2013).
DOCX core properties hold at most 255 characters each.
"""

from __future__ import annotations

from datetime import UTC, datetime

from desktop.documents.textruns import one_line

CREATOR = "支部台账"
MAX_CHARS = 255


def _clip(text: str) -> str:
    return " ".join(one_line(text).split())[:MAX_CHARS]


def title(doc) -> str:
    return _clip(doc.title)


def author(doc) -> str:
    return _clip(doc.meta.get("author", ""))


def subject(doc) -> str:
    return _clip(doc.meta.get("subject", ""))


def now() -> datetime:
    """Now, in UTC (DOCX stores W3CDTF in UTC; reportlab writes the local time with its offset)."""
    return datetime.now(UTC).replace(microsecond=0)
