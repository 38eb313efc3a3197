"""Render a :class:`Document` as .docx with python-docx: named styles, East Asian fonts everywhere.

python-docx's ``font.name`` sets only the Latin fonts and the default template's
``docDefaults`` point East Asian text at a theme font (which Word resolves to a Japanese
font). Here every ``w:rFonts`` in docDefaults and in every style gets explicit
ascii/hAnsi/eastAsia names and loses its theme attributes.
"""

from __future__ import annotations

import io
import re

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from desktop.documents import blocks as b
from desktop.documents import meta
from desktop.documents.docxstyles import ALIGN as _ALIGN
from desktop.documents.docxstyles import STYLES, set_rfonts, table_styles, template
from desktop.documents.fonts import FontSet
from desktop.documents.layout import (
    BODY_PT,
    MARGINS_MM,
    PAGE_NO_PT,
    TITLE_PT,
    balance_title,
    page_size_mm,
)
from desktop.documents.textruns import Runs, sanitize

# CT_Settings: the elements that must follow w:updateFields (Word rejects out-of-order settings)
_AFTER_UPDATE_FIELDS = tuple(f"w:{t}" for t in (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema",
    "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade",
    "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
    "decimalSymbol", "listSeparator"))


class _Writer:
    def __init__(self, d, fonts: FontSet, toc_pages: list[int] | None, head_pages: list[int] | None = None):
        self.d, self.fonts, self.runs = d, fonts, Runs(fonts)
        self.toc_pages = list(toc_pages or [])
        self.head_pages = list(head_pages or [])
        self.pending_break = False
        self.bookmarks = 0

    def page_break(self) -> None:
        """The next paragraph starts a page (``pageBreakBefore``): a paragraph holding a break
        would itself move to a new page when the page is full, leaving a blank page behind."""
        self.pending_break = True

    def flush_break(self) -> None:
        """Before a table, which cannot carry pageBreakBefore: an explicit break."""
        if self.pending_break:
            self.pending_break = False
            self.d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def add(self, sid: str, container=None):
        """A new paragraph with style ``sid`` (set by id: python-docx's lookup by name is slow)."""
        par = (container or self.d).add_paragraph()
        par._p.style = sid
        if self.pending_break and container is None:
            self.pending_break = False
            par.paragraph_format.page_break_before = True
        return par

    def text(self, par, text: str, sid: str, location: str, role: str | None = None, size: float | None = None) -> None:
        role = role or STYLES[sid][1]
        base = self.fonts.roles[role]
        for seg, face in self.runs.split(sanitize(text), role, location):
            run = par.add_run(seg)
            if size:
                run.font.size = Pt(size)
            if face is not base:
                set_rfonts(run._r.get_or_add_rPr(), face.family)
            elif role != STYLES[sid][1]:
                set_rfonts(run._r.get_or_add_rPr(), base.family)

    def para(self, text: str, sid: str, location: str, container=None, align: str | None = None):
        par = self.add(sid, container)
        if align:
            par.alignment = _ALIGN[align]
        self.text(par, text, sid, location)
        return par

    def table(self, blk: b.Table, width_mm: float) -> None:
        if not blk.caption:
            self.flush_break()
        if blk.caption:
            self.para(blk.caption, "ZbCaption", blk.location)
        headers, grid = blk.headers(), blk.grid()
        text_sid, head_sid = table_styles(self.d, blk.font_size)  # sizes live in named styles
        ncol = len(blk.columns)
        t = self.d.add_table(rows=len(headers) + len(grid), cols=ncol)
        t._tbl.tblPr.style = "ZbTable"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        weights = [c.weight for c in blk.columns]
        widths = [Mm(width_mm * w / sum(weights)) for w in weights]
        _fixed_widths(t, widths)
        rows = t.rows
        for ri, hrow in enumerate(headers):
            row = rows[ri]
            if blk.repeat_header:
                trpr = row._tr.get_or_add_trPr()
                h = OxmlElement("w:tblHeader")
                trpr.append(h)
            for ci, cell in enumerate(row.cells):
                cell.width = widths[ci]
                txt = hrow[ci] if ci < len(hrow) else ""
                cell.paragraphs[0]._p.style = head_sid
                self.text(cell.paragraphs[0], txt, "ZbTableHead", f"{blk.where()} 表头")
        cells_by_row = [rows[len(headers) + r].cells for r in range(len(grid))]
        if blk.row_padding_pt != 2.0:
            for r in range(len(grid)):
                rows[len(headers) + r].height = Pt(blk.font_size * 1.45 + 2 * blk.row_padding_pt + 2)
        for r, grow in enumerate(grid):
            for ci, cell in enumerate(grow):
                tc = cells_by_row[r][ci]
                tc.width = widths[ci]
                if cell is None:
                    continue
                if cell.rowspan > 1:
                    _merge_down([cells_by_row[r + k][ci] for k in range(cell.rowspan)])
                if cell.shaded:
                    shd = OxmlElement("w:shd")
                    shd.set(qn("w:val"), "clear")
                    shd.set(qn("w:color"), "auto")
                    shd.set(qn("w:fill"), "E0E0E0")
                    tc._tc.get_or_add_tcPr().append(shd)
                par = tc.paragraphs[0]
                par._p.style = text_sid
                par.alignment = _ALIGN[cell.align]
                loc = f"{blk.where()} 第{r + 1}行「{blk.columns[ci].title.replace(chr(10), '')}」"
                lines = sanitize(cell.text).split("\n")
                for i, line in enumerate(lines):
                    if i:
                        par.add_run().add_break()
                    self.text(par, line, "ZbTableText", loc)
        self.add("ZbTableText")

    def toc(self, blk: b.TocPlaceholder, entries: list[str], width_mm: float) -> None:
        """A static contents whose text is the bundle's own entry text (date, 第N次, record
        name: Word's TOC field would rebuild it from the bare titles) and whose page numbers are
        ``PAGEREF`` fields to a bookmark on each record's title: the cached numbers come from
        the PDF layout, and Word, WPS or LibreOffice recompute them from their own pagination."""
        self.para(blk.title, "ZbTitle", "目录")
        self.para("", "ZbToc", "目录")
        tab_pos = Mm(width_mm)
        for i, text in enumerate(entries):
            par = self.add("ZbToc")
            par.paragraph_format.tab_stops.add_tab_stop(tab_pos, alignment=2, leader=1)  # right, dots
            # as in the PDF, a long entry is set smaller rather than wrapped (room for the page number)
            ems = sum(1.0 if ord(c) > 0x2E7F else 0.5 for c in text)
            room = width_mm * 72 / 25.4 / BODY_PT - 3
            self.text(par, text, "ZbToc", "目录", size=max(9.0, BODY_PT * room / ems) if ems > room else None)
            par.add_run("\t")
            page = self.toc_pages[i] if i < len(self.toc_pages) else ""
            _field(par, f" PAGEREF {toc_bookmark(i)} \\h ", str(page))
        self.page_break()

    def running_head(self, blk: b.RunningHead, page_numbers: bool) -> None:
        """A new section from the next page (``b.RunningHead`` stands after a page break): its
        header holds ``blk.text`` on every page but its first (the sign-in sheet's title is
        there in full), or nothing when ``blk.text`` is empty. The footers' page numbers go on
        (odd and even footers inherited; the first page's footer puts its number on the outer
        side of the page it has in the PDF layout)."""
        self.pending_break = False  # the section break starts the page
        body = self.d.element.body
        last = body[-1]
        if last.tag == qn("w:sectPr"):
            last = last.getprevious()
        if last is None or last.tag != qn("w:p"):
            last = self.d.add_paragraph()._p
        sentinel = body.get_or_add_sectPr()
        last.set_sectPr(sentinel.clone())  # the section that ends here keeps its headers
        for ref in sentinel.xpath("w:headerReference|w:footerReference"):
            sentinel.remove(ref)
        sec = self.d.sections[-1]
        text = sanitize(blk.text)
        sec.different_first_page_header_footer = bool(text)
        for header in (sec.header, sec.even_page_header):
            header.is_linked_to_previous = False
            par = header.paragraphs[0]
            par._p.style = "ZbRunningHead"
            if text:
                self.text(par, text, "ZbRunningHead", blk.location)
        if text:
            sec.first_page_header.is_linked_to_previous = False
            footer = sec.first_page_footer
            footer.is_linked_to_previous = False
            if page_numbers:
                page = self.head_pages.pop(0) if self.head_pages else 1
                _page_number(footer.paragraphs[0], "right" if page % 2 else "left")

    def bookmark(self, par, name: str) -> None:
        start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        self.bookmarks += 1
        for el in (start, end):
            el.set(qn("w:id"), str(self.bookmarks))
        start.set(qn("w:name"), name)
        pPr = par._p.pPr
        (pPr.addnext if pPr is not None else (lambda e: par._p.insert(0, e)))(start)
        par._p.append(end)


_SCRIPT_BOUNDARY = re.compile(r"(?<=[0-9A-Za-z])(?=[\u2e80-\uffff])|(?<=[\u2e80-\uffff])(?=[0-9A-Za-z])")


def _balanced(text: str, width_pt: float, size_pt: float = TITLE_PT) -> str:
    """``balance_title`` for a line LibreOffice will set: it puts a quarter em between Chinese
    and Latin letters or digits whatever the file says (its .docx import skips
    ``w:autoSpaceDE/DN``), so a title that just fits (「2026年第三党支部第10次主题党日活动签到表」)
    wrapped there with 「表」 alone. The room for those gaps is kept free: such a title is
    balanced over two lines instead (Word, which sets no gap, shows the same two lines)."""
    gaps = len(_SCRIPT_BOUNDARY.findall(text))
    return balance_title(text, width_pt - gaps * size_pt / 4, size_pt)


def _keep_with_next(body) -> None:
    """The last block so far stays on the page of the next paragraph: the paragraph after a
    table (``_Writer.table`` ends every table with one) and the table's last row."""
    last = body[-1]
    if last.tag == qn("w:sectPr"):
        last = last.getprevious()
    while last is not None and last.tag == qn("w:p"):
        last.get_or_add_pPr().keepNext_val = True
        if "".join(t.text or "" for t in last.iter(qn("w:t"))):
            return  # a paragraph of text (不计入应到人数 …) goes over with the note
        last = last.getprevious()
    if last is not None and last.tag == qn("w:tbl"):
        for row in last.findall(qn("w:tr"))[-2:]:
            for p in row.iter(qn("w:p")):
                p.get_or_add_pPr().keepNext_val = True


def toc_bookmark(i: int) -> str:
    return f"_Toc_zb{i + 1}"


def _field(par, instr: str, cached: str) -> None:
    """A complex field ``instr`` showing ``cached`` until it is updated."""
    _field_char(par, "begin")
    it = OxmlElement("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = instr
    par.add_run()._r.append(it)
    _field_char(par, "separate")
    par.add_run(cached)
    _field_char(par, "end")


def _merge_down(cells) -> None:
    """One cell over rows: ``w:vMerge`` written directly (python-docx's ``merge`` recurses once
    per row and raised RecursionError for ~1,000 measures under one problem). The cells below
    are empty; they keep their empty paragraph, as Word requires."""
    cells[0]._tc.get_or_add_tcPr().vMerge_val = "restart"
    for c in cells[1:]:
        c._tc.get_or_add_tcPr().vMerge_val = "continue"


def _fixed_widths(t, widths) -> None:
    t.autofit = False
    for col, wd in zip(t.columns, widths, strict=True):
        col.width = wd
    tblpr = t._tbl.tblPr
    tw = tblpr.find(qn("w:tblW"))
    if tw is None:
        tw = OxmlElement("w:tblW")
        tblpr.append(tw)
    tw.set(qn("w:w"), str(int(sum(w.twips for w in widths))))
    tw.set(qn("w:type"), "dxa")
    # 3 pt cell padding left and right as in the PDF (Word's default 5.4 pt wraps narrow columns
    # such as 问题来源 one character a line)
    mar = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:w"), "60")
        e.set(qn("w:type"), "dxa")
        mar.append(e)
    look = tblpr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(mar)
    else:
        tblpr.append(mar)


def _card_frame(t) -> None:
    """As in the PDF: a 2 pt red frame, 24 pt inside it on every side."""
    tblpr = t._tbl.tblPr
    mar = tblpr.find(qn("w:tblCellMar"))
    if mar is not None:
        tblpr.remove(mar)
    mar = OxmlElement("w:tblCellMar")
    for edge in ("top", "left", "bottom", "right"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:w"), "480")
        e.set(qn("w:type"), "dxa")
        mar.append(e)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "single")
        e.set(qn("w:sz"), "16")
        e.set(qn("w:color"), "B22222")
        borders.append(e)
    layout = tblpr.find(qn("w:tblLayout"))
    (layout.addprevious if layout is not None else tblpr.append)(borders)
    look = tblpr.find(qn("w:tblLook"))
    (look.addprevious if look is not None else tblpr.append)(mar)


def _field_char(par, kind: str) -> None:
    r = par.add_run()._r
    fc = OxmlElement("w:fldChar")
    fc.set(qn("w:fldCharType"), kind)
    r.append(fc)


def _page_setup(d, doc: b.Document) -> float:
    sec = d.sections[0]
    w, h = page_size_mm(doc.orientation)
    top, bottom, left, right = MARGINS_MM[doc.orientation]
    sec.orientation = WD_ORIENT.LANDSCAPE if doc.orientation == "landscape" else WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(w), Mm(h)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(top), Mm(bottom), Mm(left), Mm(right)
    sec.header_distance = Mm(15)
    sec.footer_distance = Mm(max(5.0, bottom - 7 - PAGE_NO_PT * 0.3528 - 1))
    if doc.page_numbers:  # GB/T 9704: odd pages at the right, even ones at the left, one character in
        d.settings.odd_and_even_pages_header_footer = True
        _page_number(sec.footer.paragraphs[0], "right")
        _page_number(sec.even_page_footer.paragraphs[0], "left")
    if doc.blocks and isinstance(doc.blocks[0], b.Cover):
        sec.different_first_page_header_footer = True
    elif doc.running_head:  # over every page but the first (which has the title itself)
        sec.different_first_page_header_footer = True
        for header in (sec.header, sec.even_page_header):
            par = header.paragraphs[0]
            par._p.style = "ZbRunningHead"
            par.add_run(sanitize(doc.running_head))
        if doc.page_numbers:
            _page_number(sec.first_page_footer.paragraphs[0], "right")
    return w - left - right


def _core_properties(d, doc: b.Document) -> None:
    props = d.core_properties
    props.title, props.author, props.subject = meta.title(doc), meta.author(doc), meta.subject(doc)
    props.last_modified_by = meta.author(doc)
    props.comments = props.keywords = props.category = ""
    props.revision = 1
    stamp = meta.now()  # the template's dates are of 2013
    props.created = props.modified = stamp


def _page_number(par, side: str) -> None:
    par._p.style = "ZbPageNumberOdd" if side == "right" else "ZbPageNumberEven"
    par.add_run("— ")
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    par._p.append(fld)
    par.add_run(" —")


def render_docx(doc: b.Document, target, fonts: FontSet, toc_pages: list[int] | None = None,
                head_pages: list[int] | None = None) -> list[b.MissingGlyph]:
    """Write ``doc`` to ``target`` (path or binary file object). ``toc_pages``: page numbers of
    the contents entries as laid out in the PDF (Word recomputes them when it opens the file);
    ``head_pages``: the PDF pages each ``RunningHead`` with text stands on."""
    d = docx.Document(io.BytesIO(template(fonts)))
    _core_properties(d, doc)
    width_mm = _page_setup(d, doc)
    w = _Writer(d, fonts, toc_pages, head_pages)
    entries = [sanitize(x.toc_text or x.text) for x in doc.blocks if isinstance(x, b.Title) and x.toc]
    n_toc = 0
    for blk in doc.blocks:
        if isinstance(blk, b.Title):
            par = w.para(_balanced(blk.text, width_mm * 72 / 25.4), "ZbPartTitle" if blk.toc else "ZbTitle",
                         blk.location)
            if blk.toc:
                w.bookmark(par, toc_bookmark(n_toc))
                n_toc += 1
        elif isinstance(blk, b.Subtitle):
            w.para(_balanced(blk.text, width_mm * 72 / 25.4, 16), "ZbSubtitle", blk.location)
        elif isinstance(blk, b.Heading):
            w.para(blk.text, "ZbHeading1" if blk.level == 1 else "ZbHeading2", blk.location)
        elif isinstance(blk, b.Paragraph):
            for i, line in enumerate(sanitize(blk.text).split("\n")):
                par = w.add("ZbBody")
                par.alignment = _ALIGN[blk.align]
                if not blk.indent_first_line:
                    par.paragraph_format.first_line_indent = Pt(0)
                if i == 0 and blk.bold_prefix:
                    w.text(par, blk.bold_prefix, "ZbBody", blk.location, role="heading")
                w.text(par, line, "ZbBody", blk.location)
        elif isinstance(blk, b.KeyValueTable):
            n = max(1, blk.pairs_per_row)
            cols: list[b.Column] = []
            for _ in range(n):
                cols += [b.Column("", 1.0, "center"), b.Column("", 3.0 if n == 1 else 2.0)]
            rows = []
            for i in range(0, len(blk.items), n):
                chunk = blk.items[i:i + n] + [("", "")] * (n - len(blk.items[i:i + n]))
                rows.append([x for label, value in chunk for x in (b.Cell(label, align="center"), value)])
            w.table(b.Table(cols, rows, header_rows=[], font_size=14, location=blk.location), width_mm)
        elif isinstance(blk, b.Table):
            w.table(blk, width_mm)
        elif isinstance(blk, b.SignatureLines):
            prev = d.element.body[-1]
            if prev.tag == qn("w:sectPr"):
                prev = prev.getprevious()
            # never alone at the top of a page: 「散会。」 and the last lines of the paragraph
            # before it go with them (keepNext keeps a paragraph's last line with the next one,
            # widow control in 公文正文 makes that two lines)
            for _ in range(2):
                if prev is None or prev.tag != qn("w:p"):
                    break
                prev.get_or_add_pPr().keepNext_val = True
                prev = prev.getprevious()
            w.add("ZbSignature").paragraph_format.keep_with_next = True
            for i, label in enumerate(blk.labels):
                par = w.para(f"{label}（签字）：＿＿＿＿＿＿＿", "ZbSignature", blk.location)
                par.paragraph_format.keep_with_next = i < len(blk.labels) - 1
        elif isinstance(blk, b.PageBreak):
            w.page_break()
        elif isinstance(blk, b.Note):
            _keep_with_next(d.element.body)
            w.para(blk.text, "ZbNote", blk.location)
        elif isinstance(blk, b.RunningHead):
            w.running_head(blk, doc.page_numbers)
        elif isinstance(blk, b.Spacer):
            w.add("ZbTableText").paragraph_format.space_after = Pt(blk.height_pt)
        elif isinstance(blk, b.Cover):
            d.add_paragraph().paragraph_format.space_before = Pt(90)
            wpt = width_mm * 72 / 25.4  # cover lines break at word ends, balanced (no lone 「部」)
            if blk.unit:
                w.para(_balanced(blk.unit, wpt, 22), "ZbCoverLine", blk.location)
            w.para(_balanced(blk.title, wpt, 36), "ZbCoverTitle", blk.location).paragraph_format.space_before = Pt(20)
            for line in blk.lines:
                w.para(_balanced(line, wpt, 22), "ZbCoverLine", blk.location).paragraph_format.space_before = Pt(30)
            if blk.footer:
                w.para(_balanced(blk.footer, wpt, 16), "ZbSubtitle",
                       blk.location).paragraph_format.space_before = Pt(110)
            w.page_break()
        elif isinstance(blk, b.TocPlaceholder):
            w.toc(blk, entries, width_mm)
        elif isinstance(blk, b.Card):
            w.flush_break()
            t = d.add_table(rows=1, cols=1)
            t._tbl.tblPr.style = "ZbTable"
            _fixed_widths(t, [Mm(width_mm)])
            cell = t.rows[0].cells[0]
            cell.width = Mm(width_mm)
            w.para(blk.heading, "ZbTitle", blk.location, container=cell)
            cell._tc.remove(cell.paragraphs[0]._p)
            _card_frame(t)
            for p in blk.lines:
                for line in sanitize(p.text).split("\n"):
                    par = w.para(line, "ZbSubtitle" if p.align == "center" else "ZbBody", p.location, container=cell)
                    par.alignment = _ALIGN[p.align]
                    if not p.indent_first_line:
                        par.paragraph_format.first_line_indent = Pt(0)
    if any(isinstance(x, b.TocPlaceholder) for x in doc.blocks):
        upd = OxmlElement("w:updateFields")  # Word recomputes the contents' page numbers on opening
        upd.set(qn("w:val"), "true")
        d.settings.element.insert_element_before(upd, *_AFTER_UPDATE_FIELDS)
    d.save(target)
    return w.runs.warnings
