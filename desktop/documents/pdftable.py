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
    """A table whose first row may be a caption; split parts after the first say ``…（续）``."""

    _cont: RLParagraph | None = None

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for part in parts:
            part._cont = self._cont
        if self._cont is not None:
            for part in parts[1:]:  # the repeated rows are shared lists: replace, do not mutate
                part._cellvalues[0] = [self._cont, *part._cellvalues[0][1:]]
        if len(parts) > 1:  # the rest starts a new page, never the space left below this part
            parts = [parts[0], *[x for p in parts[1:] for x in (RLPageBreak(), p)]]
        return parts


SHADE = colors.HexColor("#E0E0E0")
LONG_CELL = 200  # characters; longer cell paragraphs become a LongCell


def grid_style(ctx, *extra, first: int = 0) -> TableStyle:
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), ctx.fonts.roles["body"].rl_name),
                       ("GRID", (0, first), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                       ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                       ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                       # a row split across pages: close the part on this page and open the next
                       ("LINEBELOW", (0, "inrowsplitstart"), (-1, "inrowsplitstart"), 0.6, colors.black),
                       ("LINEABOVE", (0, "inrowsplitend"), (-1, "inrowsplitend"), 0.6, colors.black), *extra])


def table(ctx, blk: b.Table, width: float) -> Flowable:  # ctx: pdf._Ctx
    """A reportlab table. A group of rows joined by row spans becomes ONE row whose spanned
    cells are plain cells and whose other columns hold a nested table: reportlab cannot split
    a spanned cell across pages, but it can split a row (``splitInRow``) and a nested table."""
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
        if "\n" not in text and all(ord(c) in body.cmap for c in text) and \
                stringWidth(text, body.rl_name, size) <= widths[ci] - 8:
            return Line(text, body.rl_name, size, lead, cell.align)
        # one Paragraph per line: reportlab mis-splits a CJK paragraph holding <br/> across pages
        loc = f"{blk.where()} 第{ri + 1}行「{blk.columns[ci].title or ''}」"
        lines = []
        for t in sanitize(cell.text).split("\n"):
            p = ctx.para(t, "body", loc, size=size, leading=lead, align=cell.align)
            # a long one is broken into lines once, not again on every page it runs over
            lines.append(LongCell(p) if len(t) > LONG_CELL and fits(p) else p)
        return lines[0] if len(lines) == 1 else lines

    r = 0
    while r < len(grid):
        end = r + 1
        k = r
        while k < end:  # rows joined by spans
            end = max([end] + [k + c.rowspan for c in grid[k] if c])
            k += 1
        out_r = len(data)
        if end == r + 1:
            data.append([para(c, r, ci) if c else "" for ci, c in enumerate(grid[r])])
            extra += [("BACKGROUND", (ci, out_r), (ci, out_r), SHADE) for ci, c in enumerate(grid[r]) if c and c.shaded]
            r = end
            continue
        spanned = [ci for ci, c in enumerate(grid[r]) if c and c.rowspan == end - r]
        free = [ci for ci in range(ncol) if ci not in spanned]
        nested_ok = free and free == list(range(free[0], free[-1] + 1)) and all(
            grid[k][ci] and grid[k][ci].rowspan == 1 for k in range(r, end) for ci in free)
        if nested_ok:
            inner = [[para(grid[k][ci], k, ci) for ci in free] for k in range(r, end)]
            nested = RLTable(inner, colWidths=[widths[ci] for ci in free], splitInRow=1,
                             style=grid_style(ctx, ("GRID", (0, 0), (-1, -1), 0, colors.white),
                                               ("LINEBELOW", (0, 0), (-1, -2), 0.6, colors.black)))
            row = [para(grid[r][ci], r, ci) if ci in spanned else "" for ci in range(ncol)]
            row[free[0]] = nested
            data.append(row)
            # The nested table is as wide as all free columns and overflows from the first one;
            # the outer grid draws its column lines over the whole height of the row.
            a, z = (free[0], out_r), (free[-1], out_r)
            extra += [("LEFTPADDING", a, z, 0), ("RIGHTPADDING", a, z, 0), ("VALIGN", a, z, "TOP"),
                      ("TOPPADDING", a, z, 0), ("BOTTOMPADDING", a, z, 0)]
        else:  # irregular spans: reportlab's own spanning (cannot split inside the span)
            for k in range(r, end):
                data.append([para(c, k, ci) if c else "" for ci, c in enumerate(grid[k])])
                for ci, c in enumerate(grid[k]):
                    if c and c.rowspan > 1:
                        extra.append(("SPAN", (ci, out_r + k - r), (ci, out_r + k - r + c.rowspan - 1)))
        r = end
    tbl = ContTable(data, colWidths=widths, repeatRows=(len(headers) if blk.repeat_header else 0) + cap,
                      splitInRow=1, style=grid_style(ctx, *extra, first=cap))
    if cap:
        tbl._cont = ctx.para(blk.caption + blk.continuation_suffix, "heading", blk.location, align="center")
    return tbl


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
