"""The .docx styles: named paragraph styles and the table style 台账表格, with explicit East Asian
fonts in docDefaults and every style (python-docx's ``font.name`` sets only the Latin ones and
the template's theme fonts make Word fall back to a Japanese font)."""

from __future__ import annotations

import io

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from desktop.documents.fonts import FontSet
from desktop.documents.layout import BODY_PT, LINE_PT, PAGE_NO_PT, TABLE_PT, TITLE_PT

ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
         "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}
_AFTER_AUTOSPACE = ("w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
                    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

# style id: (name shown in Word, font role, size pt, line pt (None = single), align, first-line indent chars, outline)
STYLES = {
    "ZbBody": ("公文正文", "body", BODY_PT, LINE_PT, "justify", 2, None),
    "ZbTitle": ("公文标题", "title", TITLE_PT, TITLE_PT * 1.5, "center", 0, None),
    "ZbPartTitle": ("分册标题", "title", TITLE_PT, TITLE_PT * 1.5, "center", 0, 0),
    "ZbSubtitle": ("公文副标题", "kai", BODY_PT, LINE_PT, "center", 0, None),
    "ZbHeading1": ("一级标题", "heading", BODY_PT, LINE_PT, "justify", 2, 1),
    "ZbHeading2": ("二级标题", "kai", BODY_PT, LINE_PT, "justify", 2, 2),
    "ZbTableText": ("表格文字", "body", TABLE_PT, TABLE_PT * 1.45, "left", 0, None),
    "ZbTableHead": ("表头文字", "heading", TABLE_PT, TABLE_PT * 1.45, "center", 0, None),
    "ZbNote": ("表注", "body", TABLE_PT, TABLE_PT * 1.45, "justify", 0, None),
    "ZbCaption": ("表格标题", "heading", BODY_PT, LINE_PT, "center", 0, None),
    "ZbSignature": ("签字栏", "body", BODY_PT, LINE_PT, "right", 0, None),
    "ZbRunningHead": ("页眉标题", "heading", PAGE_NO_PT, None, "center", 0, None),
    "ZbPageNumberOdd": ("页码（单页）", "song", PAGE_NO_PT, None, "right", 0, None),
    "ZbPageNumberEven": ("页码（双页）", "song", PAGE_NO_PT, None, "left", 0, None),
    "ZbCoverTitle": ("封面标题", "title", 36, 54, "center", 0, None),
    "ZbCoverLine": ("封面文字", "kai", 22, 40, "center", 0, None),
    "ZbToc": ("目录条目", "body", BODY_PT, LINE_PT, "left", 0, None),
}


# The 3号 lines of the body. A line of 156 mm is 27.6 characters of 16 pt; Word's answer, a
# character grid with a narrower pitch, LibreOffice mis-reads (16 characters a line), so the
# characters are condensed by 0.25 pt (``w:spacing`` in 1/20 pt): 28 fit, as in the PDF.
BODY_LINES = ("ZbBody", "ZbHeading1", "ZbHeading2", "ZbSignature")
BODY_CONDENSE_TWIPS = -5


def set_rfonts(rpr, family: str) -> None:
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in _THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), family)


def _setup_styles(d, fonts: FontSet) -> None:
    styles_el = d.styles.element
    body = fonts.roles["body"].family
    for st in styles_el.findall(qn("w:style")):  # the template's 100 coloured table styles: never used
        if st.get(qn("w:type")) == "table" and st.get(qn("w:default")) != "1":
            styles_el.remove(st)
    defaults = styles_el.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_rfonts(rpr, body)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is None:
        ppr_default = OxmlElement("w:pPrDefault")
        defaults.append(ppr_default)
    ppr = ppr_default.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        ppr_default.append(ppr)
    for tag in ("w:autoSpaceDN", "w:autoSpaceDE"):  # no extra space between Chinese and digits, as in the PDF
        el = OxmlElement(tag)
        el.set(qn("w:val"), "0")
        ppr.insert(0, el)
    spacing = ppr.find(qn("w:spacing"))
    if spacing is not None:
        ppr.remove(spacing)
    for st in styles_el.findall(qn("w:style")):  # every built-in style: explicit fonts, no theme fonts
        if st.get(qn("w:type")) == "numbering":
            continue
        srpr = st.find(qn("w:rPr"))
        if srpr is None:  # schema order: … pPr, rPr, tblPr, trPr, tcPr, tblStylePr
            srpr = OxmlElement("w:rPr")
            later = [st.find(qn(t)) for t in ("w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr")]
            later = [e for e in later if e is not None]
            if later:
                later[0].addprevious(srpr)
            else:
                st.append(srpr)
        set_rfonts(srpr, body)
    for rfonts in styles_el.iter(qn("w:rFonts")):  # nested ones too (table style parts)
        if any(rfonts.get(qn(a)) for a in _THEME_ATTRS):
            set_rfonts(rfonts.getparent(), body)
    for rel_id, rel in list(d.part.rels.items()):  # Word 2010's duplicate of styles.xml, with theme fonts
        if rel.reltype.endswith("/stylesWithEffects"):
            del d.part.rels[rel_id]
    normal = d.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    for sid, (name, role, size, line, align, indent, outline) in STYLES.items():
        st = d.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.element.set(qn("w:styleId"), sid)
        st.base_style = normal
        st.quick_style = True
        set_rfonts(st.element.get_or_add_rPr(), fonts.roles[role].family)
        st.font.size = Pt(size)
        st.font.color.rgb = RGBColor(0, 0, 0)
        pf = st.paragraph_format
        pf.alignment = ALIGN[align]
        pf.space_before = pf.space_after = Pt(0)
        if line:
            pf.line_spacing, pf.line_spacing_rule = Pt(line), WD_LINE_SPACING.EXACTLY
        else:
            pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        pf.first_line_indent = Pt(size * indent) if indent else Pt(0)
        pf.widow_control = sid == "ZbBody"  # body text: never one line alone at a page's top or end
        ppr = st.element.get_or_add_pPr()
        # no quarter-em gap between Chinese and Latin letters or digits (「2026年」, not 「2026 年」),
        # as in the PDF: Word and WPS honour these; LibreOffice's .docx import (7.4, writerfilter's
        # DomainMapper) skips both elements and keeps its own default (text-autospace on), so its
        # rendering shows the gap whatever the file says
        for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
            el = OxmlElement(tag)
            el.set(qn("w:val"), "0")
            ppr.insert_element_before(el, *_AFTER_AUTOSPACE)
        if sid in BODY_LINES:  # 28 characters on the 156 mm line (GB/T 9704): 3号 condensed by 0.25 pt
            spacing = OxmlElement("w:spacing")
            spacing.set(qn("w:val"), str(BODY_CONDENSE_TWIPS))
            st.element.get_or_add_rPr().append(spacing)
        if sid == "ZbPageNumberOdd":
            pf.right_indent = Pt(PAGE_NO_PT)
        elif sid == "ZbPageNumberEven":
            pf.left_indent = Pt(PAGE_NO_PT)
        if outline is not None:
            ol = OxmlElement("w:outlineLvl")
            ol.set(qn("w:val"), str(outline))
            st.element.get_or_add_pPr().append(ol)
    for sid in ("ZbCaption", "ZbPartTitle", "ZbTitle", "ZbHeading1", "ZbHeading2"):
        d.styles[STYLES[sid][0]].paragraph_format.keep_with_next = True
    tbl = d.styles.add_style("台账表格", WD_STYLE_TYPE.TABLE)
    tbl.element.set(qn("w:styleId"), "ZbTable")
    tblpr = tbl.element.get_or_add_tblPr() if hasattr(tbl.element, "get_or_add_tblPr") else None
    if tblpr is None:
        tblpr = OxmlElement("w:tblPr")
        tbl.element.append(tblpr)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "single")
        e.set(qn("w:sz"), "4")
        e.set(qn("w:color"), "000000")
        borders.append(e)
    tblpr.append(borders)


def table_styles(d, size: float) -> tuple[str, str]:
    """The named paragraph styles (text, header) of table cells at ``size`` pt: 表格文字 and
    表头文字 at 12 pt, else 「表格文字 10.5磅」… based on them, added to ``d`` on first use, so that
    no cell carries a direct font size and restyling in Word reaches every cell."""
    if size == TABLE_PT:
        return "ZbTableText", "ZbTableHead"
    label = f"{size:g}".replace(".", "_")
    out = []
    for base in ("ZbTableText", "ZbTableHead"):
        sid = f"{base}{label}"
        if d.styles.element.find(qn("w:style") + f'[@{qn("w:styleId")}="{sid}"]') is None:
            st = d.styles.add_style(f"{STYLES[base][0]} {size:g}磅", WD_STYLE_TYPE.PARAGRAPH)
            st.element.set(qn("w:styleId"), sid)
            st.base_style = d.styles[STYLES[base][0]]
            st.quick_style = True
            st.font.size = Pt(size)
            st.paragraph_format.line_spacing = Pt(round(size * 1.45, 1))
            st.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            ppr = st.element.get_or_add_pPr()
            for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):  # as in every style (see ``_setup_styles``)
                el = OxmlElement(tag)
                el.set(qn("w:val"), "0")
                ppr.insert_element_before(el, *_AFTER_AUTOSPACE)
        out.append(sid)
    return out[0], out[1]


_templates: dict[int, tuple[FontSet, bytes]] = {}


def template(fonts: FontSet) -> bytes:
    """The default template with our styles, built once per font set (styles take ~0.1 s)."""
    hit = _templates.get(id(fonts))
    if hit is None or hit[0] is not fonts:
        d = docx.Document()
        _setup_styles(d, fonts)
        body = d.element.body
        for p in list(body.iterchildren(qn("w:p"))):  # the template's empty first paragraph
            body.remove(p)
        lang = d.settings.element.find(qn("w:themeFontLang"))  # the template says ja-JP
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")
        buf = io.BytesIO()
        d.save(buf)
        hit = _templates[id(fonts)] = (fonts, buf.getvalue())
    return hit[1]
