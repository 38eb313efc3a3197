"""A long paragraph in a table cell that is broken into lines once and splits by slicing them.

reportlab breaks a Paragraph into lines again at every ``wrap`` and ``split``, and a table row
running over many pages is measured and split page after page (the outer table, the nested
table of a spanned group, then the cell): a long cell cost (pages × length), minutes for a few
thousand characters. :class:`LongCell` breaks its text once per available width; a split hands
out slices of those lines, which never need breaking again at that width.
"""

from __future__ import annotations

import copy

from reportlab.platypus import Flowable
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus.paragraph import _processed_frags, _split_blParaSimple


def fits(para: RLParagraph) -> bool:
    """Whether a paragraph can be held by a LongCell (plain fragments, no bullet, no first-line indent)."""
    st = para.style
    return (not _processed_frags(para.frags) and not para.bulletText and not st.firstLineIndent
            and getattr(st, "autoLeading", "") in ("", "off", None) and not st.endDots)


class LongCell(Flowable):
    """A Paragraph's lines (or a run of them), broken once per width, drawn with reportlab's own
    line drawing. A part asked for another width rebuilds a Paragraph from its lines' fragments."""

    def __init__(self, para: RLParagraph | None, root: RLParagraph | None = None):
        super().__init__()
        self._para = para  # a Paragraph holding exactly this cell's text (built lazily for parts)
        self._root = root or para  # the original: its style and attributes draw every part
        self._lines: dict[float, object] = {}  # available width -> broken lines (blPara)
        self._origin = None  # for a part: (lines of the whole, start, stop)
        self._justify_last = False  # a part that is not the end justifies its last line
        self.leading = self._root.style.leading

    def _broken(self, aw: float):
        bl = self._lines.get(aw)
        if bl is None:
            if self._para is None:  # a part at a new width: its text as a Paragraph of its own
                whole, start, stop = self._origin
                if whole.kind == 0:  # one font: the words of those lines
                    frags = _split_blParaSimple(whole, start, stop)
                else:  # copies: reportlab's _split_blParaHard appends spaces to the shared fragments
                    frags = [copy.copy(w) for ln in whole.lines[start:stop] for w in ln.words]
                self._para = RLParagraph(None, self._root.style, frags=frags)
            self._para.wrap(aw, 0x7FFFFFFF)
            bl = self._lines[aw] = self._para.blPara
        return bl

    def wrap(self, aw, ah):
        self.width = aw
        self.height = len(self._broken(aw).lines) * self.leading
        return aw, self.height

    def _part(self, aw: float, bl, start: int, stop: int, justify_last: bool) -> LongCell:
        part = LongCell(None, self._root)
        part._lines[aw] = bl.clone(lines=bl.lines[start:stop])
        part._origin = (bl, start, stop)
        part._justify_last = justify_last
        part.width, part.height = aw, (stop - start) * self.leading
        return part

    def split(self, aw, ah):
        # reportlab's table measures and draws a cell inside its padding but splits it at the
        # column's full width: split the lines it measured (and will draw), not new ones
        if self.width and self.width in self._lines:
            aw = self.width
        bl = self._broken(aw)
        n = len(bl.lines)
        s = int((ah + 1e-8) / self.leading)
        if s <= 0:
            return []
        if s >= n:
            return [self]
        return [self._part(aw, bl, 0, s, True), self._part(aw, bl, s, n, self._justify_last)]

    def draw(self):
        shell = copy.copy(self._root)  # same style and attributes, these lines only
        shell.blPara = self._broken(self.width)
        shell.bulletText = None
        shell.width, shell.height = self.width, self.height
        shell._JustifyLast = self._justify_last
        shell.drawOn(self.canv, 0, 0)
