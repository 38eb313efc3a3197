"""A reportlab fix: the first part of a split paragraph keeps the kind of its lines.

``Paragraph.split`` hands the first part the lines it already broke (``FragLine`` objects
when the paragraph has several fragments: a fallback font for one character, or an entity
such as ``&lt;`` that the markup parser turns into a fragment of its own). When that part
holds a single fragment (one line without a font switch), reportlab 4's ``breakLinesCJK``
re-labels those lines as one-fragment lines (``kind=0``) and drawing them raises
``TypeError: 'FragLine' object is not subscriptable``: a minutes PDF (and the whole year's
ledger) failed whenever such a paragraph was split with one line left on the page.
Here the part keeps its lines as they are (``kind=1``), which reportlab draws correctly.
"""

from __future__ import annotations

from reportlab.platypus.paragraph import FragLine
from reportlab.platypus.paragraph import Paragraph as _RLParagraph

_original = _RLParagraph.breakLinesCJK


def _break_lines_cjk(self, maxWidths):
    bl = getattr(self, "blPara", None)
    if (bl is not None and getattr(self, "_splitpara", 0) and len(self.frags) == 1
            and bl.lines and isinstance(bl.lines[0], FragLine)):
        return bl
    return _original(self, maxWidths)


def install() -> None:
    if _RLParagraph.breakLinesCJK is not _break_lines_cjk:
        _RLParagraph.breakLinesCJK = _break_lines_cjk
