"""Fault 11 in the bound ledger (``--with-signin``): every page of a sign-in sheet bound into
the year ledger carries the sheet's title, as a sheet printed on its own does; the records
between the sheets carry none. Read back from the PDF (pypdf and pdfium), the .docx's sections
and LibreOffice's rendering of the .docx."""

from __future__ import annotations

import pytest

from desktop.documents.kinds.signin import signin_title
from documents.readback import libreoffice_pdf, needs_soffice, pdf_lines, squash


@pytest.fixture(scope="module")
def bound(demo, tmp_path_factory):
    """The 2026 ledger of 第三党支部 with its sign-in sheets, both formats, and the PDF layout:
    the pages where each record and each sheet start."""
    import io
    from datetime import time

    from desktop.documents.fonts import resolve_fonts
    from desktop.documents.pdf import render_pdf
    from desktop.services.export import ExportFilters, export
    from desktop.services.meetings import get_meeting, list_meetings

    led, info = demo
    out = tmp_path_factory.mktemp("bound")
    f = ExportFilters(branch="第三党支部", year=2026, with_signin=True)
    pdf, dx = export(led, "ledger", out, "both", f).paths
    rows = sorted(list_meetings(led, branch_id=info.branch_ids[2], year=2026),
                  key=lambda r: (r.date, r.start_time or time.min, r.number))
    titles = [signin_title(get_meeting(led, r.id)) for r in rows]
    from desktop.services.document_kinds import find_document_kind

    layout: dict = {}
    render_pdf(find_document_kind("ledger").build(led, f, None)[0], io.BytesIO(), resolve_fonts(), layout=layout)
    return pdf, dx, titles, layout


def _sheets(layout: dict, pages: int) -> list[range]:
    """The page range of each bound sign-in sheet: from where it starts to the next record."""
    starts = layout["heads"]
    records = layout["toc"] + [pages + 1]
    return [range(s, min(r for r in records if r > s)) for s in starts]


def test_every_page_of_a_bound_signin_sheet_carries_its_title(bound):
    from pypdf import PdfReader

    pdf, _dx, titles, layout = bound
    reader = PdfReader(str(pdf))
    lines = pdf_lines(pdf)
    sheets = _sheets(layout, len(reader.pages))
    assert len(sheets) == len(titles) and any(len(s) > 1 for s in sheets)  # some sheets run over
    on_sheets = set()
    for title, pages in zip(titles, sheets, strict=True):
        for n in pages:
            on_sheets.add(n)
            text = squash(reader.pages[n - 1].extract_text())
            assert title in text, f"page {n} of the sign-in sheet {title} lacks its title"
            top = squash("".join(t for _y, _a, _z, t in lines[n - 1][:2]))
            assert top.startswith(title), f"page {n}: the title is not at the top ({top[:30]})"
    for n in range(layout["toc"][0], len(reader.pages) + 1):  # the records carry no sheet title
        if n not in on_sheets:
            assert "签到表" not in squash(reader.pages[n - 1].extract_text()), f"page {n}"


def test_word_bound_signin_sheets_are_sections_with_their_title_in_the_header(bound):
    """Each bound sheet is a section whose header (odd and even pages) holds its title and whose
    first page, which shows the title itself, has the page number but no header; the section
    after it has an empty header again. The header rows of its tables repeat."""
    import docx
    from docx.oxml.ns import qn

    _pdf, dx, titles, layout = bound
    d = docx.Document(str(dx))
    sections = list(d.sections)
    assert len(sections) == 2 * len(titles)  # the records, then each sheet and the record after it
    body = d.element.body
    texts: list[str] = [""]  # the text of each section's body
    tables: list[int] = [0]
    for el in body:
        if el.tag == qn("w:p"):
            texts[-1] += "".join(t.text or "" for t in el.iter(qn("w:t")))
            if el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
                texts.append("")
                tables.append(0)
        elif el.tag == qn("w:tbl"):
            texts[-1] += "".join(t.text or "" for t in el.iter(qn("w:t")))
            tables[-1] += 1
            head = el.find(qn("w:tr"))
            assert head.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None or "时间" in texts[-1]
    assert len(texts) == len(sections)
    for k, (sec, text) in enumerate(zip(sections, texts, strict=True)):
        head = sec.header.paragraphs[0].text
        if k % 2:  # a sheet
            title = titles[k // 2]
            assert squash(text).startswith(squash(title)), text[:40]
            assert head == title and sec.even_page_header.paragraphs[0].text == title
            assert not sec.header.is_linked_to_previous
            assert sec.different_first_page_header_footer
            assert sec.first_page_header.paragraphs[0].text == ""
            footer = sec.first_page_footer.paragraphs[0]
            assert "PAGE" in footer._p.xml
            page = layout["heads"][k // 2]  # outside: odd pages at the right, even at the left
            assert footer.style.name == ("页码（单页）" if page % 2 else "页码（双页）")
        else:
            assert head == "" and sec.even_page_header.paragraphs[0].text == ""
            assert "签到表" not in text
            if k:
                assert not sec.different_first_page_header_footer  # page numbers on every page


@pytest.mark.slow
@needs_soffice
def test_libreoffice_prints_the_title_on_every_page_of_a_bound_sheet(bound, tmp_path):
    """LibreOffice's own pagination of the .docx: every page holding a part of a sign-in sheet
    (its signature column or its closing note) names the sheet."""
    from pypdf import PdfReader

    _pdf, dx, titles, _layout = bound
    pages = [squash(p.extract_text()) for p in PdfReader(str(libreoffice_pdf(dx, tmp_path))).pages]
    sheet_pages = [t for t in pages if "本人签名" in t or "会后填写" in t]
    assert len(sheet_pages) > len(titles)  # some sheets run over
    for text in sheet_pages:
        assert any(t in text for t in titles), text[:60]
    assert sum(1 for t in pages if "签到表" in t) == len(sheet_pages)
