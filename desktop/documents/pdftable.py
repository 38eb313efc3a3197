"""reportlab tables for the PDF renderer: ruled tables with repeated headers, "（续）" captions,
row spans that can split across pages, and the light grid of header facts."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, TableStyle
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable

from desktop.documents import blocks as b
from desktop.documents.pdfcell import LongCell, fits
from desktop.documents.pdfgrid import Grid
from desktop.documents.textruns import sanitize


class Line(Flowable):
    """One short line of plain text in a table cell: no markup parsing, no wrapping (fast)."""

    def __init__(self, text: str, font: str, size: float, leading: float, align: str):
        super().__init__()
        self.text, self.font, self.size, self.leading, self.align = text, font, size, leading, align

    def wrap(self, aw, ah):
        self.width = aw
        return aw, self.leading

    def split(self, aw, ah):
        return []

    def draw(self):
        c = self.canv
        c.setFont(self.font, self.size)
        y = (self.leading - self.size) / 2 + self.size * 0.12
        if self.align == "center":
            c.drawCentredString(self.width / 2, y, self.text)
        elif self.align == "right":
            c.drawRightString(self.width, y, self.text)
        else:
            c.drawString(0, y, self.text)


class ContTable(RLTable):
    """A table whose first row may be a caption; split parts after the first say ``…（续）``.
    ``_carry[i]``, for a row inside a group of rows joined by spans, makes the cells that
    name the group (``{column: factory}``): a part that starts inside a group gets them, so the
    problem a measure belongs to is named on the new page."""

    _cont: RLParagraph | None = None
    _carry: list | None = None
    ROOM_FOR_INROW = 60.0  # points

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2 and self.splitInRow:  # a tall row would leave the page a third empty:
            # split inside it when that leaves more than a few lines unused
            used = parts[0].wrap(availWidth, availHeight)[1]
            if availHeight - used > self.ROOM_FOR_INROW:
                self._calc(availWidth, availHeight)
                inrow = self._splitRows(availHeight, doInRowSplit=True)
                if len(inrow) == 2:
                    parts = inrow
        for part in parts:
            part._cont = self._cont
        if self._cont is not None:
            for part in parts[1:]:  # the repeated rows are shared lists: replace, do not mutate
                part._cellvalues[0] = [self._cont, *part._cellvalues[0][1:]]
        if self._carry is not None and len(parts) > 1:
            rep = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
            parts[0]._carry = self._carry[:len(parts[0]._cellvalues)]
            for part in parts[1:]:
                body = len(part._cellvalues) - rep
                carry = self._carry[len(self._cellvalues) - body:]
                part._carry = self._carry[:rep] + carry
                if body > 0 and carry and carry[0]:
                    row = list(part._cellvalues[rep])
                    blank = [ci for ci in carry[0] if _blank(row[ci])]
                    for ci in blank:
                        row[ci] = carry[0][ci]()
                    part._cellvalues[rep] = row
                    if blank and part._argH[rep] is not None:  # the rest of a split row: its height
                        part._argH = list(part._argH)  # was fixed for what it held; measure again
                        part._argH[rep] = None
        if len(parts) > 1:  # the rest starts a new page, never the space left below this part
            parts = [parts[0], *[x for p in parts[1:] for x in (RLPageBreak(), p)]]
        return parts


def _blank(cell) -> bool:
    return cell is None or cell == "" or (isinstance(cell, (list, tuple)) and not cell)


SHADE = colors.HexColor("#E0E0E0")
LONG_CELL = 200  # characters; longer cell paragraphs become a LongCell


def grid_style(ctx, *extra, first: int = 0, rules: list | None = None) -> TableStyle:
    """Ruled cells. ``rules``: instead of the full grid, the horizontal rules given (rows joined
    by spans have none across their spanned columns), with the box and column lines."""
    lines = [("GRID", (0, first), (-1, -1), 0.6, colors.black)] if rules is None else [
        ("BOX", (0, first), (-1, -1), 0.6, colors.black), ("LINEAFTER", (0, first), (-2, -1), 0.6, colors.black),
        *rules]
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), ctx.fonts.roles["body"].rl_name),
                       *lines, ("VALIGN", (0, 0), (-1, -1), "TOP"),
                       ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                       ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                       # a row split across pages: close the part on this page and open the next
                       ("LINEBELOW", (0, "inrowsplitstart"), (-1, "inrowsplitstart"), 0.6, colors.black),
                       ("LINEABOVE", (0, "inrowsplitend"), (-1, "inrowsplitend"), 0.6, colors.black), *extra])


def table(ctx, blk: b.Table, width: float) -> Flowable:  # ctx: pdf._Ctx
    """A reportlab table. A group of rows joined by row spans stays one table row per row:
    the spanned cells print in its first row and no rule crosses them, so the group looks
    merged but the table may split between any two of its rows (reportlab cannot split a
    spanned cell; a nested table left pages 17–70 % full); a page starting inside a group
    names it again (``…（续）``)."""
    size = blk.font_size
    lead = round(size * 1.45, 1)
    weights = [c.weight for c in blk.columns]
    widths = [width * w / sum(weights) for w in weights]
    ncol = len(blk.columns)
    headers = blk.headers()
    data = [[ctx.para(t, "heading", f"{blk.where()} 表头", size=size, leading=lead, align="center")
             for t in (hrow + [""] * ncol)[:ncol]] for hrow in headers]
    extra: list = []
    cap = 1 if blk.caption else 0
    if cap:  # the caption is a borderless first row, repeated with the header rows
        data.insert(0, [ctx.para(blk.caption, "heading", blk.location, align="center")] + [""] * (ncol - 1))
        extra += [("SPAN", (0, 0), (-1, 0)), ("BOTTOMPADDING", (0, 0), (-1, 0), 6)]
    if blk.row_padding_pt != 2.0:
        first_body = cap + len(headers)
        extra += [("TOPPADDING", (0, first_body), (-1, -1), blk.row_padding_pt),
                  ("BOTTOMPADDING", (0, first_body), (-1, -1), blk.row_padding_pt + 1)]
    if headers:  # headers never split, so they may be centred vertically (body rows may not: reportlab
        # splits a middle-aligned row wrongly and leaves empty pages behind)
        extra.append(("VALIGN", (0, cap), (-1, cap + len(headers) - 1), "MIDDLE"))
    grid = blk.grid()

    body = ctx.fonts.roles["body"]

    def para(cell: b.Cell, ri: int, ci: int):
        text = sanitize(cell.text)
        parts = text.split("\n")
        if all(all(ord(c) in body.cmap for c in t) and stringWidth(t, body.rl_name, size) <= widths[ci] - 8
               for t in parts):  # every line fits: plain lines (「2026年」 over 「12月31日」)
            out = [Line(t, body.rl_name, size, lead, cell.align) for t in parts]
            return out[0] if len(out) == 1 else out
        # one Paragraph per line: reportlab mis-splits a CJK paragraph holding <br/> across pages
        loc = f"{blk.where()} 第{ri + 1}行「{(blk.columns[ci].title or '').replace(chr(10), '')}」"
        lines = []
        for t in sanitize(cell.text).split("\n"):
            # half a character kept free at the right: a closing mark may hang past the line's
            # end (Chinese line breaking) and must not run over the cell rule
            # (not where a line fits its cell whole, nor in columns a few characters wide, whose
            # two-character words would otherwise go one a line)
            room = stringWidth(t, body.rl_name, size) > widths[ci] - 6 and widths[ci] >= 6 * size
            p = ctx.para(t, "body", loc, size=size, leading=lead, align=cell.align, right=size / 2 if room else 0)
            # a long one is broken into lines once, not again on every page it runs over
            lines.append(LongCell(p) if len(t) > LONG_CELL and fits(p) else p)
        return lines[0] if len(lines) == 1 else lines

    carry: list = [None] * len(data)
    rules: list = [("LINEBELOW", (0, i), (-1, i), 0.6, colors.black) for i in range(cap, len(data))]
    spans = False
    r = 0
    while r < len(grid):
        end = r + 1
        k = r
        while k < end:  # rows joined by spans
            end = max([end] + [k + c.rowspan for c in grid[k] if c])
            k += 1
        out_r = len(data)
        spanned = [ci for ci, c in enumerate(grid[r]) if c and c.rowspan == end - r]
        regular = end > r + 1 and all(grid[k][ci] is None for k in range(r + 1, end) for ci in spanned) and all(
            grid[k][ci] and grid[k][ci].rowspan == 1 for k in range(r, end) for ci in range(ncol) if ci not in spanned)
        if end == r + 1 or regular:
            # one table row per row: the spanned cells print in the first and the rules across
            # them are left out, so the group reads as merged yet splits between any two rows
            spans = spans or end > r + 1
            group = {ci: grid[r][ci] for ci in spanned} if end > r + 1 else {}
            for k in range(r, end):
                data.append([("" if ci in group and k > r else para(c, k, ci)) if c else ""
                             for ci, c in enumerate(grid[k])])
                i = len(data) - 1
                extra += [("BACKGROUND", (ci, i), (ci, i), SHADE) for ci, c in enumerate(grid[k]) if c and c.shaded]
                last = k == end - 1
                if last or not group:
                    rules.append(("LINEBELOW", (0, i), (-1, i), 0.6, colors.black))
                else:
                    rules += [("LINEBELOW", (ci, i), (ci, i), 0.6, colors.black) for ci in range(ncol)
                              if ci not in group]
                carry.append({ci: _carrier(para, c, r, ci, blk.continuation_suffix) for ci, c in group.items()}
                             or None)
            r = end
            continue
        for k in range(r, end):  # irregular spans: reportlab's own spanning (cannot split inside the span)
            data.append([para(c, k, ci) if c else "" for ci, c in enumerate(grid[k])])
            carry.append(None)
            rules.append(("LINEBELOW", (0, len(data) - 1), (-1, len(data) - 1), 0.6, colors.black))
            for ci, c in enumerate(grid[k]):
                if c and c.rowspan > 1:
                    extra.append(("SPAN", (ci, out_r + k - r), (ci, out_r + k - r + c.rowspan - 1)))
        r = end
    tbl = ContTable(data, colWidths=widths, repeatRows=(len(headers) if blk.repeat_header else 0) + cap,
                    splitInRow=1, style=grid_style(ctx, *extra, first=cap, rules=rules if spans else None))
    if spans:
        tbl._carry = carry
    if cap:
        tbl._cont = ctx.para(blk.caption + blk.continuation_suffix, "heading", blk.location, align="center")
    return tbl


def _carrier(para, cell: b.Cell, r: int, ci: int, suffix: str):
    """A factory of the cell that names a group again at the top of a page: ``（续）`` added."""
    text = cell.text + (suffix if len(cell.text.strip()) > 4 else "")  # not after a 序号 or a short 类别
    return lambda: para(b.Cell(text, 1, cell.align), r, ci)


def kv_grid(ctx, blk: b.KeyValueTable, width: float) -> Grid:
    """Header facts: label | value (× ``pairs_per_row``), 14 pt, in a light grid."""
    n = max(1, blk.pairs_per_row)
    weights = [1.0, 3.0 if n == 1 else 2.0] * n
    widths = [width * w / sum(weights) for w in weights]
    body = ctx.fonts.roles["body"]
    size, lead = 14.0, round(14.0 * 1.45, 1)

    def cell(text: str, w: float, align: str, where: str):
        text = sanitize(text)
        if "\n" not in text and all(ord(c) in body.cmap for c in text) and \
                stringWidth(text, body.rl_name, size) <= w - 8:
            return Line(text, body.rl_name, size, lead, align)
        return ctx.para(text, "body", where, size=size, leading=lead, align=align)

    rows = []
    items = list(blk.items)
    for i in range(0, len(items), n):
        row = []
        for j, (label, value) in enumerate(items[i:i + n] + [("", "")] * (n - len(items[i:i + n]))):
            row.append(cell(label, widths[2 * j], "center", blk.location))
            row.append(cell(value, widths[2 * j + 1], "left", f"{blk.location}「{label}」"))
        rows.append(row)
    return Grid(rows, widths)
