"""Render a :class:`Document` as PDF with reportlab (TrueType subsets embedded, GB/T 9704 page)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    TableStyle,
)
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Spacer as RLSpacer
from reportlab.platypus import Table as RLTable

from desktop.documents import blocks as b
from desktop.documents import linebreak, meta, rlsplit
from desktop.documents.fonts import FontSet
from desktop.documents.layout import (
    BODY_PT,
    LINE_PT,
    MARGINS_MM,
    PAGE_NO_PT,
    TABLE_PT,
    TITLE_PT,
    balance_title,
    body_scale,
    page_size_mm,
)
from desktop.documents.pdftable import kv_grid, table
from desktop.documents.textruns import Runs, sanitize

linebreak.install()  # Chinese closing punctuation never starts a line
rlsplit.install()  # a split paragraph's first part keeps its lines (reportlab's FragLine TypeError)
rl_config.useA85 = 0  # binary streams: ASCII85 only makes the file bigger and slower to write

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


class _Ctx:
    def __init__(self, fonts: FontSet):
        self.fonts = fonts
        self.runs = Runs(fonts)
        self.toc: list[tuple[str, int]] = []
        self.toc_pages = 0
        self.toc_title = "目录"
        self.form_pages: dict[int, str] = {}
        self.head: tuple[str, int] = ("", 0)  # the running head and the page it started on
        self.pending_head: str | None = None  # set by ``_SetHead``, taken up when a page begins
        self.head_pages: list[int] = []  # where each ``RunningHead`` with text stands
        self._styles: dict[tuple, ParagraphStyle] = {}

    def style(self, role: str, size: float = BODY_PT, leading: float = LINE_PT, align: str = "justify",
              indent: float = 0.0, right: float = 0.0) -> ParagraphStyle:
        key = (role, size, leading, align, indent, right)
        if key not in self._styles:
            self._styles[key] = ParagraphStyle(
                f"s{len(self._styles)}", fontName=self.fonts.roles[role].rl_name, fontSize=size, leading=leading,
                alignment=_ALIGN[align], firstLineIndent=indent, rightIndent=right, wordWrap="CJK", allowOrphans=0,
                allowWidows=0)
        return self._styles[key]

    def markup(self, text: str, role: str, location: str) -> str:
        """Escaped Paragraph markup; characters the role font lacks switch to a fallback font."""
        base = self.fonts.roles[role]
        lines = []
        for line in sanitize(text).split("\n"):
            parts = []
            for seg, face in self.runs.split(line.replace("\t", "\u3000\u3000"), role, location):
                seg = escape(seg)
                parts.append(seg if face is base else f'<font name="{face.rl_name}">{seg}</font>')
            lines.append("".join(parts))
        return "<br/>".join(lines)

    def para(self, text: str, role: str, location: str, **style) -> RLParagraph:
        return RLParagraph(self.markup(text, role, location), self.style(role, **style))

    def body_para(self, markup: str, style: ParagraphStyle) -> RLParagraph:
        """A paragraph of the body's 16 pt lines: 28 characters a line on a portrait page."""
        return self.body_class(markup, style)

    body_class: type = RLParagraph


class _Scaled(RLParagraph):
    """A body paragraph laid out ``1/k`` wider and drawn narrowed by ``k``, so that a line holds
    GB/T 9704's 28 characters of 3号 (``layout.body_scale``; Word does it with its grid pitch)."""

    k = 1.0

    def wrap(self, aw, ah):
        w, h = super().wrap(aw / self.k, ah)
        return w * self.k, h

    def split(self, aw, ah):
        if not hasattr(self, "blPara"):
            RLParagraph.wrap(self, aw / self.k, ah)
        return super().split(aw / self.k, ah)

    def _drawOn(self, canv):
        canv.scale(self.k, 1)
        super()._drawOn(canv)


_SCALED: dict[float, type] = {}


def scaled_class(k: float) -> type:
    if k not in _SCALED:
        _SCALED[k] = type("_Scaled", (_Scaled,), {"k": k})
    return _SCALED[k]


class _Marker(Flowable):
    """Zero-size: records the page a bundle entry starts on."""

    def __init__(self, ctx: _Ctx, text: str):
        super().__init__()
        self.ctx, self.text = ctx, text

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        self.ctx.toc.append((self.text, self.canv.getPageNumber()))


class _SetHead(ActionFlowable):
    """``b.RunningHead``: placed before the page break that ends the page, it takes effect when
    the next page begins (that page, which carries the title itself, is the head's first and
    is left without it). Applied while the flowables are laid out, it takes no room and cannot
    slip to another page."""

    def __init__(self, ctx: _Ctx, text: str):
        super().__init__()
        self.ctx, self.text = ctx, text

    def apply(self, doc):
        self.ctx.pending_head = self.text


class _FormPage(Flowable):
    """A reserved contents page: draws a form XObject that is filled in after the build."""

    def __init__(self, ctx: _Ctx, name: str):
        super().__init__()
        self.ctx, self.name = ctx, name

    def wrap(self, aw, ah):
        return aw, 1

    def draw(self):  # the form is drawn untranslated at the end of the page
        self.ctx.form_pages[self.canv.getPageNumber()] = self.name


def _flowables(ctx: _Ctx, doc: b.Document, width: float, height: float) -> list[Flowable]:
    out: list[Flowable] = []
    for blk in doc.blocks:
        if isinstance(blk, b.Title):
            if blk.toc:
                out.append(_Marker(ctx, sanitize(blk.toc_text or blk.text)))
            out.append(ctx.para(balance_title(blk.text, width), "title", blk.location, size=TITLE_PT,
                                leading=TITLE_PT * 1.5, align="center"))
            out.append(RLSpacer(1, LINE_PT * 0.5))
        elif isinstance(blk, b.Subtitle):
            out.append(ctx.para(balance_title(blk.text, width, BODY_PT), "kai", blk.location, align="center"))
        elif isinstance(blk, b.Heading):
            # never the last line of a page: it starts the next page unless two lines follow it
            out.append(CondPageBreak(3 * LINE_PT + 1))
            role = "heading" if blk.level == 1 else "kai"
            head = ctx.body_para(ctx.markup(blk.text, role, blk.location), ctx.style(role, indent=2 * BODY_PT))
            head._zb_heading = True
            out.append(head)
        elif isinstance(blk, b.Paragraph):
            indent = 2 * BODY_PT if blk.indent_first_line else 0
            prefix = ""
            if blk.bold_prefix:
                base = ctx.fonts.roles["heading"]
                prefix = f'<font name="{base.rl_name}">{ctx.markup(blk.bold_prefix, "heading", blk.location)}</font>'
            for i, line in enumerate(sanitize(blk.text).split("\n")):
                out += _body_paragraphs(ctx, line, prefix if i == 0 else "", blk, indent, width)
        elif isinstance(blk, b.KeyValueTable):
            out += [kv_grid(ctx, blk, width), RLSpacer(1, LINE_PT * 0.3)]
        elif isinstance(blk, b.Table):
            out += [table(ctx, blk, width), RLSpacer(1, LINE_PT * 0.3)]
        elif isinstance(blk, b.SignatureLines):
            sig = [RLSpacer(1, LINE_PT * 0.5)]
            for label in blk.labels:
                sig.append(ctx.body_para(ctx.markup(f"{label}（签字）：＿＿＿＿＿＿＿", "body", blk.location),
                                         ctx.style("body", align="right")))
            # never alone at the top of a page: the last lines of the text (not only 「散会。」)
            # go over with them
            paras: list[RLParagraph] = []
            while out and isinstance(out[-1], RLParagraph) and len(paras) < 3:
                paras.insert(0, out.pop())
            out.append(_KeepTail(paras, sig) if paras else KeepTogether(sig))
        elif isinstance(blk, b.PageBreak):
            out.append(RLPageBreak())
        elif isinstance(blk, b.Spacer):
            out.append(RLSpacer(1, blk.height_pt))
        elif isinstance(blk, b.Note):
            note = ctx.para(blk.text, "body", blk.location, size=TABLE_PT, leading=TABLE_PT * 1.45)
            before = []  # the block before it (a table and its spacer) goes over with it
            while out and len(before) < 2 and isinstance(out[-1], (RLTable, RLSpacer, RLParagraph)):
                before.insert(0, out.pop())
            out.append(KeepTogether(before + [RLSpacer(1, 4), note]))
        elif isinstance(blk, b.RunningHead):
            at = len(out) - 1 if out and isinstance(out[-1], RLPageBreak) else len(out)
            out.insert(at, _SetHead(ctx, sanitize(blk.text)))
        elif isinstance(blk, b.Cover):
            out.append(RLSpacer(1, height * 0.18))
            # cover lines break at word ends, balanced (no lone 「部」)
            if blk.unit:
                out.append(ctx.para(balance_title(blk.unit, width, 22), "title", blk.location, size=22, leading=40,
                                    align="center"))
            out.append(RLSpacer(1, 20))
            out.append(ctx.para(balance_title(blk.title, width, 36), "title", blk.location, size=36, leading=54,
                                align="center"))
            out.append(RLSpacer(1, 40))
            for line in blk.lines:
                out.append(ctx.para(balance_title(line, width, 22), "kai", blk.location, size=22, leading=40,
                                    align="center"))
            out.append(RLSpacer(1, height * 0.25))
            if blk.footer:
                out.append(ctx.para(balance_title(blk.footer, width, 16), "kai", blk.location, size=16,
                                    leading=LINE_PT, align="center"))
            out.append(RLPageBreak())
        elif isinstance(blk, b.TocPlaceholder):
            per_first, per_page = toc_capacity(height)
            entries = max(blk.entries, sum(1 for x in doc.blocks if isinstance(x, b.Title) and x.toc))
            pages = 1 if entries <= per_first else 1 + -(-(entries - per_first) // per_page)
            ctx.toc_title = blk.title
            for i in range(pages):
                out += [_FormPage(ctx, f"zbtoc{i}"), RLPageBreak()]
            ctx.toc_pages = pages
        elif isinstance(blk, b.Card):
            inner = [ctx.para(blk.heading, "title", blk.location, size=TITLE_PT, leading=TITLE_PT * 1.6, align="center"),
                     RLSpacer(1, 10)]
            for p in blk.lines:
                inner.append(ctx.para(p.text, "kai" if p.align == "center" else "body", p.location,
                                      align=p.align, indent=2 * BODY_PT if p.indent_first_line else 0))
            card = RLTable([[inner]], colWidths=[width], splitInRow=1, style=TableStyle([
                ("FONTNAME", (0, 0), (-1, -1), ctx.fonts.roles["body"].rl_name),
                ("BOX", (0, 0), (-1, -1), 2, colors.HexColor("#B22222")), ("INNERGRID", (0, 0), (-1, -1), 0, colors.white),
                ("LEFTPADDING", (0, 0), (-1, -1), 24), ("RIGHTPADDING", (0, 0), (-1, -1), 24),
                ("TOPPADDING", (0, 0), (-1, -1), 24), ("BOTTOMPADDING", (0, 0), (-1, -1), 24)]))
            out.append(card)
    return out


class _KeepTail(Flowable):
    """The last paragraphs of a record followed by lines that must not start a page with
    fewer than ``TAIL_LINES`` lines of text above them (signatures): when the group does not
    fit, the paragraphs split so that their last lines go over with the tail, and the page
    never ends with a heading."""

    TAIL_LINES = 3  # lines of text above the signatures: 「散会。」 and at least two more

    def __init__(self, paras: list[RLParagraph], tail: list[Flowable]):
        super().__init__()
        self.paras, self.tail = paras, tail

    def _parts(self):
        return self.paras + self.tail

    def wrap(self, aw, ah):
        h = sum(f.wrap(aw, ah)[1] for f in self._parts())
        self.width, self.height = aw, h
        return aw, h

    def split(self, aw, ah):
        lines = []  # (paragraph index, line height, is a heading line)
        for i, p in enumerate(self.paras):
            lead = p.style.leading
            n = max(1, round(p.wrap(aw, 1e9)[1] / lead))
            lines += [(i, lead, _is_heading(p))] * n
        fit, used = 0, 0.0
        while fit < len(lines) and used + lines[fit][1] <= ah + 0.5:
            used += lines[fit][1]
            fit += 1
        keep = min(fit, len(lines) - self.TAIL_LINES)
        while keep > 0 and lines[keep - 1][2]:  # a heading never ends the page
            keep -= 1
        if keep < 1:
            return []  # the whole group starts the next page
        first: list[Flowable] = []
        rest = list(self.paras)
        left = keep
        while rest and left > 0:
            p = rest[0]
            n = sum(1 for ln in lines if ln[0] == self.paras.index(p))
            if n <= left:
                first.append(rest.pop(0))
                left -= n
                continue
            parts = p.split(aw, left * p.style.leading + 0.5)
            if len(parts) != 2:
                break
            first.append(parts[0])
            rest[0] = parts[1]
            left = 0
        while first and _is_heading(first[-1]):  # a paragraph that could not split (orphan
            rest.insert(0, first.pop())  # control) leaves no heading alone at the page end
        if not first:
            return []
        return first + [_KeepTail(rest, self.tail) if rest else KeepTogether(self.tail)]

    def drawOn(self, canv, x, y, _sW=0):
        y += self.height
        for f in self._parts():
            h = f.wrap(self.width, 1e9)[1]
            y -= h
            f.drawOn(canv, x, y, _sW)


def _is_heading(p) -> bool:
    return getattr(p, "_zb_heading", False)


LONG_TEXT = 2000  # characters; longer paragraphs are pre-broken once (reportlab re-wraps per page)
CHUNK_LINES = 20


def _body_paragraphs(ctx: _Ctx, line: str, prefix: str, blk: b.Paragraph, indent: float, width: float) -> list:
    first = ctx.style("body", align=blk.align, indent=indent)
    para = ctx.body_para(prefix + ctx.markup(line, "body", blk.location), first)
    if len(line) <= LONG_TEXT:
        return [para]
    para.wrap(width, 1e9)
    counts = [_line_chars(ln) for ln in para.blPara.lines]
    npre = len(sanitize(blk.bold_prefix)) if prefix else 0
    if sum(counts) != len(line) + npre:  # cannot map lines back to text: cut every 1000 characters
        counts = [npre + 1000] + [1000] * (len(line) // 1000)
    counts[0] -= npre
    rest = ctx.style("body", align=blk.align, indent=0)
    out, pos = [], 0
    for k in range(0, len(counts), CHUNK_LINES):
        n = sum(counts[k:k + CHUNK_LINES])
        text = ctx.markup(line[pos:pos + n], "body", blk.location)
        out.append(ctx.body_para((prefix + text) if k == 0 else text, first if k == 0 else rest))
        pos += n
    return out


def _line_chars(ln) -> int:
    if isinstance(ln, tuple):  # simple paragraph: (extra_space, words)
        return sum(len(w) for w in ln[1]) + len(ln[1]) - 1
    return sum(len(w.text) for w in ln.words)


def toc_capacity(height: float) -> tuple[int, int]:
    lines = int(height // LINE_PT)
    return lines - 3, lines


class _Doc(BaseDocTemplate):
    def __init__(self, target, ctx: _Ctx, doc: b.Document):
        w_mm, h_mm = page_size_mm(doc.orientation)
        top, bottom, left, right = MARGINS_MM[doc.orientation]
        size = (w_mm * mm, h_mm * mm)
        super().__init__(target, pagesize=size, leftMargin=left * mm, rightMargin=right * mm, topMargin=top * mm,
                         bottomMargin=bottom * mm, title=meta.title(doc), author=meta.author(doc),
                         subject=meta.subject(doc), creator=meta.CREATOR, producer=meta.CREATOR,
                         initialFontName=ctx.fonts.roles["body"].rl_name,
                         invariant=0)  # creation and modification dates of now, not 2000-01-01
        self.ctx, self.doc = ctx, doc
        ctx.head = (sanitize(doc.running_head), 1)
        frame = Frame(left * mm, bottom * mm, size[0] - (left + right) * mm, size[1] - (top + bottom) * mm,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._page_number, onPageEnd=self._page_end)])
        self._doSave = 0

    def _page_end(self, canv, _doc):
        name = self.ctx.form_pages.get(canv.getPageNumber())
        if name:
            canv.doForm(name)

    def _page_number(self, canv, _doc):
        n = canv.getPageNumber()
        ctx = self.ctx
        if ctx.pending_head is not None:  # a running head starts (or ends) with this page
            ctx.head, ctx.pending_head = (ctx.pending_head, n), None
            if ctx.head[0]:
                ctx.head_pages.append(n)
        text, start = ctx.head
        if text and n > start:  # a sign-in sheet's title over every later page of the sheet
            _draw_centred_runs(canv, ctx, self.leftMargin + self.width / 2,
                               self.pagesize[1] - MARGINS_MM[self.doc.orientation][0] * mm + 10 * mm,
                               text, "heading", PAGE_NO_PT, "页眉")
        if not self.doc.page_numbers or (n == 1 and isinstance(self.doc.blocks[0], b.Cover)):
            return
        face = self.ctx.fonts.roles["song"]
        canv.setFont(face.rl_name, PAGE_NO_PT)
        y = MARGINS_MM[self.doc.orientation][1] * mm - 7 * mm - PAGE_NO_PT
        # GB/T 9704: odd page numbers at the right, even ones at the left, one character in
        if n % 2:
            canv.drawRightString(self.leftMargin + self.width - PAGE_NO_PT, y, f"— {n} —")
        else:
            canv.drawString(self.leftMargin + PAGE_NO_PT, y, f"— {n} —")


def _draw_centred_runs(canv, ctx: _Ctx, x: float, y: float, text: str, role: str, size: float, location: str) -> None:
    runs = ctx.runs.split(text, role, location)
    width = sum(canv.stringWidth(seg, face.rl_name, size) for seg, face in runs)
    _draw_runs(canv, ctx, x - width / 2, y, text, role, size, location)


def _draw_runs(canv, ctx: _Ctx, x: float, y: float, text: str, role: str, size: float, location: str) -> float:
    for seg, face in ctx.runs.split(text, role, location):
        canv.setFont(face.rl_name, size)
        canv.drawString(x, y, seg)
        x += canv.stringWidth(seg, face.rl_name, size)
    return x


def _draw_toc(doc: _Doc, ctx: _Ctx) -> None:
    canv = doc.canv
    width, height = doc.width, doc.height
    per_first, per_page = toc_capacity(height)
    entries = list(ctx.toc)
    body = ctx.fonts.roles["body"]
    for i in range(ctx.toc_pages):
        canv.beginForm(f"zbtoc{i}")
        # line k (from 0) of the page has its baseline where a body paragraph's would be: one
        # font size under the top of its line; line 21, the 22nd, stays inside the type area
        top = doc.bottomMargin + height
        line = 0
        if i == 0:
            t = ctx.fonts.roles["title"]
            canv.setFont(t.rl_name, TITLE_PT)
            canv.drawCentredString(doc.leftMargin + width / 2, top - TITLE_PT, sanitize(ctx.toc_title))
            line = height // LINE_PT - per_first  # the title and a blank line
        count = per_first if i == 0 else per_page
        chunk, entries = entries[:count], entries[count:]
        for text, page in chunk:
            y = top - BODY_PT - line * LINE_PT
            line += 1
            pno = str(page)
            pw = canv.stringWidth(pno, body.rl_name, BODY_PT)
            lead, _sep, rest = text.partition("\u3000") if "\u3000" in text else ("", "", text)
            x = doc.leftMargin
            if lead:  # "3月12日" in a column of its own
                _draw_runs(canv, ctx, x, y, lead, "body", BODY_PT, "目录")
                x += 6 * BODY_PT
            room = doc.leftMargin + width - pw - 24 - x
            size = BODY_PT
            while size > 9 and sum(canv.stringWidth(sg, f.rl_name, size)
                                   for sg, f in ctx.runs.split(rest, "body", "目录")) > room:
                size -= 0.5
            end = _draw_runs(canv, ctx, x, y, rest, "body", size, "目录")
            canv.setFont(body.rl_name, BODY_PT)
            canv.drawRightString(doc.leftMargin + width, y, pno)
            dots_w = doc.leftMargin + width - pw - 6 - (end + 6)
            if dots_w > 0:
                dot = "·"
                canv.drawString(end + 6, y, dot * int(dots_w // canv.stringWidth(dot, body.rl_name, BODY_PT)))
        canv.endForm()


def render_pdf(doc: b.Document, target, fonts: FontSet, with_toc: bool = False, layout: dict | None = None):
    """Write ``doc`` to ``target`` (a path or a binary file object); return the missing glyphs
    (and, with ``with_toc``, the page numbers of the contents entries). ``layout``, when given,
    receives ``"toc"`` (those page numbers) and ``"heads"`` (the page each ``RunningHead`` with
    text stands on: the .docx puts that page's number on the outer side)."""
    ctx = _Ctx(fonts)
    tpl = _Doc(target, ctx, doc)
    ctx.body_class = scaled_class(body_scale(tpl.width))
    tpl.build(_flowables(ctx, doc, tpl.width, tpl.height))
    if ctx.toc_pages:
        _draw_toc(tpl, ctx)
    tpl.canv.save()
    if layout is not None:
        layout["toc"], layout["heads"] = [p for _t, p in ctx.toc], list(ctx.head_pages)
    if with_toc:
        return ctx.runs.warnings, [p for _t, p in ctx.toc]
    return ctx.runs.warnings
