"""The layout faults found on rendered pages (issue 11), each measured on the printed page:
line positions with pdfium, the .docx through its XML."""

from __future__ import annotations

import pytest
from reportlab.lib.units import mm

from desktop.documents import blocks as b
from desktop.documents.layout import MARGINS_MM
from desktop.documents.render import render
from documents.readback import pdf_lines, pdf_text, squash

BOTTOM = MARGINS_MM["portrait"][1] * mm  # the type area ends here (PDF points from the page bottom)


def _pdf(doc: b.Document, tmp_path, fonts) -> object:
    from desktop.documents.pdf import render_pdf

    path = tmp_path / (doc.file_stem + ".pdf")
    render_pdf(doc, str(path), fonts)
    return path


def _bundle(n: int) -> b.Document:
    blocks: list[b.Block] = [b.Cover("三会一课台账", unit="机关委员会第一党支部", lines=["2026年度"]),
                             b.TocPlaceholder(entries=n)]
    for i in range(1, n + 1):
        if i > 1:
            blocks.append(b.PageBreak())
        blocks += [b.Title("支部委员会会议记录", toc=True, toc_text=f"1月{i}日　第{i}次支部委员会会议记录"),
                   b.Paragraph(f"第{i}份记录的正文。")]
    return b.Document("台账", blocks, file_stem="台账")


def test_contents_entries_stay_inside_the_type_area(tmp_path, fonts):
    """Fault 1: with ≥41 records the 22nd entry of a contents page was printed below the text
    area, over the page number."""
    pages = pdf_lines(_pdf(_bundle(45), tmp_path, fonts))
    toc_pages = [p for p in pages if any("·····" in t for _y, _a, _z, t in p)]
    assert len(toc_pages) == 3  # 19 entries under the title, then 22 a page
    entries = 0
    for page in toc_pages:
        for y, _x0, _x1, text in page:
            if "支部委员会会议记录" in text:
                entries += 1
                assert y > BOTTOM - 1, f"contents entry below the type area: {text} at {y:.1f} pt"
    assert entries == 45


def _birthday_row(number: int, fifty: bool = False):
    from datetime import date

    from desktop.domain.enums import MemberCategory
    from desktop.domain.members import birthday_info
    from desktop.services.birthdays import BirthdayRow

    join = date(2026 - number, 7, 1)
    full = date(1976, 7, 1) if fifty else date(2027 - number, 7, 1)
    info = birthday_info(join, full, MemberCategory.FULL, 2026)
    return BirthdayRow("m", "沈佳怡", "女", date(1990, 1, 1), join, full, MemberCategory.FULL, None, "第二党支部",
                       info.date_this_year, info.anniversary_number, info.party_age, info.is_round,
                       info.is_fifty_years_party_age, info.milestone_label)


def test_milestone_is_printed_once(tmp_path, fonts):
    """Fault 6: 「入党10周年（入党10周年）」 in the roster and on the card."""
    from desktop.documents.kinds.birthdays import build_birthdays
    from desktop.documents.kinds.cards import build_cards

    rows = [_birthday_row(10), _birthday_row(52, fifty=True)]
    assert rows[0].milestone_label == "入党10周年" and "光荣在党50年" in rows[1].milestone_label
    roster = squash(pdf_text(_pdf(build_birthdays(rows, year=2026, months=[7]), tmp_path, fonts)))
    assert roster.count("入党10周年") == 1
    assert "入党10周年（逢十）" in roster and "入党52周年（光荣在党50年）" in roster
    cards = squash(pdf_text(_pdf(build_cards(rows, ["寄语"] * 2, ["第二党支部"] * 2, year=2026, months=[7]), tmp_path,
                                 fonts)))
    assert cards.count("入党10周年") == 1 and "（光荣在党50年）" in cards


def _record(content_chars: int, resolution: str = "会议同意上述安排，由组织委员负责落实。") -> list[b.Block]:
    text = ("支部书记传达了上级会议精神，要求全体党员结合岗位实际抓好落实，" * 40)[:content_chars]
    return [b.Title("支部委员会会议记录"), b.Subtitle("（第一党支部　2026年第1次）"),
            b.KeyValueTable([("时间", "2026年1月6日"), ("地点", "会议室"), ("主持人", "陈立群")], pairs_per_row=1),
            b.Heading("一、会议内容"), b.Paragraph(text), b.Heading("二、会议决议"), b.Paragraph(resolution),
            b.Paragraph("散会。"), b.SignatureLines(["主持人", "记录人"])]


def _text_lines(page) -> list[str]:
    return [t for y, _a, _z, t in page if y > BOTTOM - 1]  # without the page number


@pytest.mark.parametrize("resolution", ["同意。", "会议同意上述安排，由组织委员负责落实。" * 3])
def test_signatures_never_start_a_page_with_only_the_closing_line(tmp_path, fonts, resolution):
    """Fault 2: pages holding only 「散会。」 and the signature lines. Whatever the length of the
    content, the page with the signatures holds at least two lines of the record before 「散会。」,
    and no page ends with a heading (fault 3)."""
    seen_split = 0
    for n in range(300, 1400, 28):  # one more line of content each step: every page-end position
        path = _pdf(b.Document("记录", _record(n, resolution), file_stem=f"r{n}"), tmp_path, fonts)
        pages = pdf_lines(path)
        last = _text_lines(pages[-1])
        if len(pages) > 1:
            seen_split += 1
        sig = next(i for i, t in enumerate(last) if t.startswith("主持人（签字）"))
        closing = next(i for i, t in enumerate(last) if t == "散会。")
        assert closing >= 2, f"{n} characters: the last page starts {last[:3]}"
        assert sig == closing + 1
        for page in pages[:-1]:
            assert not _text_lines(page)[-1].startswith(("一、", "二、")), f"{n}: heading at the page end"
    assert seen_split > 10


def test_word_keeps_the_last_lines_with_the_signatures(tmp_path, fonts):
    """Fault 2 in Word: 「散会。」 and the paragraph before it keep with the signatures, and body
    text has widow control, so at least two lines of the record go over with them."""
    import docx

    from desktop.documents.docx import render_docx

    path = tmp_path / "r.docx"
    render_docx(b.Document("记录", _record(600), file_stem="r"), str(path), fonts)
    d = docx.Document(str(path))
    pars = d.paragraphs
    closing = next(i for i, p in enumerate(pars) if p.text == "散会。")
    assert pars[closing].paragraph_format.keep_with_next
    assert pars[closing - 1].paragraph_format.keep_with_next  # the resolution
    assert d.styles["公文正文"].paragraph_format.widow_control
    assert pars[closing + 1].paragraph_format.keep_with_next or pars[closing + 1].text == ""
