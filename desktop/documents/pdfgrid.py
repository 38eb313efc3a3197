"""A light bordered grid for the header facts (label | value): reportlab's Table costs a third
of a minutes record's layout time for these ten rows; this draws the same thing directly."""

from __future__ import annotations

from reportlab.platypus import Flowable

PAD_X, PAD_TOP, PAD_BOTTOM = 3.0, 2.0, 3.0
LINE_W = 0.6


class Grid(Flowable):
    """Rows of cells (flowables) in columns of fixed ``widths``; splits between rows, and
    inside a row that is taller than a page by splitting its paragraphs."""

    def __init__(self, rows: list[list[Flowable]], widths: list[float]):
        super().__init__()
        self.rows, self.widths = rows, widths
        self._heights: list[float] = []

    def _row_height(self, row: list[Flowable]) -> float:
        return max(c.wrap(w - 2 * PAD_X, 1e7)[1] for c, w in zip(row, self.widths, strict=True)) + PAD_TOP + PAD_BOTTOM

    def wrap(self, aw, ah):
        self._heights = [self._row_height(r) for r in self.rows]
        self.width = sum(self.widths)
        self.height = sum(self._heights)
        return self.width, self.height

    def split(self, aw, ah):
        if not self._heights:
            self.wrap(aw, ah)
        used, k = 0.0, 0
        while k < len(self.rows) and used + self._heights[k] <= ah:
            used += self._heights[k]
            k += 1
        if k:
            return [Grid(self.rows[:k], self.widths), Grid(self.rows[k:], self.widths)]
        first, rest = [], []  # the first row alone is taller than the space: split its cells
        room = ah - PAD_TOP - PAD_BOTTOM
        for cell, w in zip(self.rows[0], self.widths, strict=True):
            h = cell.wrap(w - 2 * PAD_X, 1e7)[1]
            if h <= room:
                first.append(cell)
                rest.append(_Empty())
                continue
            parts = cell.split(w - 2 * PAD_X, room)
            if len(parts) < 2:
                return []
            first.append(parts[0])
            rest.append(parts[1])
        return [Grid([first], self.widths), Grid([rest, *self.rows[1:]], self.widths)]

    def draw(self):
        c = self.canv
        c.setLineWidth(LINE_W)
        y = self.height
        xs = [0.0]
        for w in self.widths:
            xs.append(xs[-1] + w)
        for row, h in zip(self.rows, self._heights, strict=True):
            for cell, x, w in zip(row, xs[:-1], self.widths, strict=True):
                ch = cell.wrap(w - 2 * PAD_X, 1e7)[1]
                cell.drawOn(c, x + PAD_X, y - PAD_TOP - ch)
            y -= h
            c.line(0, y, self.width, y)
        c.line(0, self.height, self.width, self.height)
        for x in xs:
            c.line(x, 0, x, self.height)


class _Empty(Flowable):
    def wrap(self, aw, ah):
        return aw, 0

    def draw(self):
        pass
