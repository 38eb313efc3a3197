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
