"""The layout faults found on rendered pages (issue 11), each measured on the printed page:
line positions with pdfium, the .docx through its XML."""

from __future__ import annotations

import pytest
from reportlab.lib.units import mm

from desktop.documents import blocks as b
from desktop.documents.layout import MARGINS_MM
from desktop.documents.render import render
from documents.readback import libreoffice_pdf, needs_soffice, pdf_lines, pdf_text, squash

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


_RUN = "学习贯彻习近平新时代中国特色社会主义思想主题教育检视问题整改工作推进会议" * 6


def test_body_lines_hold_28_characters_and_page_numbers_sit_outside(tmp_path, fonts):
    """Fault 9: body lines held 27 characters instead of GB/T 9704's 28; page numbers were
    centred instead of odd at the right, even at the left, one character in."""
    blocks: list[b.Block] = [b.Paragraph(_RUN[:84], indent_first_line=False), b.Paragraph(_RUN[:60])]
    for _ in range(3):
        blocks += [b.PageBreak(), b.Paragraph("下一页。")]
    pages = pdf_lines(_pdf(b.Document("正文", blocks, file_stem="body"), tmp_path, fonts))
    text = _text_lines(pages[0])
    assert [len(t) for t in text[:3]] == [28, 28, 28]
    assert len(text[3]) == 26  # two characters' indent
    left, right = 28 * mm, (210 - 26) * mm
    for n, page in enumerate(pages, 1):
        y, x0, x1, number = page[-1]
        assert number == f"—{n}—" and y < BOTTOM
        if n % 2:
            assert abs(x1 - (right - 14)) < 2, (n, x1)
        else:
            assert abs(x0 - (left + 14)) < 2, (n, x0)
    # the 28 characters fill the line: the last one ends at the right margin
    first = pages[0][0]
    assert abs(first[1] - left) < 1.5 and abs(first[2] - right) < 1.5


def test_word_body_lines_hold_28_characters_and_outer_page_numbers(tmp_path, fonts):
    """Fault 9 in Word: the body styles are condensed so that 28 characters fit the 156 mm line
    (and no more than 28), and odd and even footers carry the page number outside, indented
    one character."""
    import docx

    from desktop.documents.docx import render_docx

    path = tmp_path / "body.docx"
    render_docx(b.Document("正文", [b.Paragraph(_RUN)], file_stem="body"), str(path), fonts)
    d = docx.Document(str(path))
    sec = d.sections[0]
    width = (sec.page_width - sec.left_margin - sec.right_margin) / 12700
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for name in ("公文正文", "一级标题", "二级标题", "签字栏"):
        st = d.styles[name]
        spacing = st.element.rPr.find(ns + "spacing")
        pitch = st.font.size.pt + int(spacing.get(ns + "val")) / 20
        assert 28 <= width / pitch < 28.5, name
    assert d.settings.odd_and_even_pages_header_footer
    odd, even = sec.footer.paragraphs[0], sec.even_page_footer.paragraphs[0]
    assert odd.style.paragraph_format.alignment == 2 and odd.style.paragraph_format.right_indent.pt == 14
    assert even.style.paragraph_format.alignment == 0 and even.style.paragraph_format.left_indent.pt == 14
    assert "PAGE" in odd._p.xml and "PAGE" in even._p.xml


def test_word_contents_keeps_its_text_and_refers_to_the_titles(tmp_path, fonts):
    """Fault 7: Word's TOC field, when refreshed, rebuilt the contents from the bare titles
    (dates and 第N次 lost) and page numbers drifted. The contents is static text with a
    PAGEREF field per entry to a bookmark on that record's title."""
    import re

    import docx

    doc = _bundle(12)
    _pdf_path, dx = render(doc, tmp_path).paths
    d = docx.Document(str(dx))
    xml = d.element.body.xml
    assert " TOC " not in xml
    entries = [p for p in d.paragraphs if p.style.name == "目录条目" and p.text.strip()]
    assert len(entries) == 12
    titles = [p for p in d.paragraphs if p.style.name == "分册标题"]
    for i, (entry, title) in enumerate(zip(entries, titles, strict=True), 1):
        assert entry.text.startswith(f"1月{i}日\u3000第{i}次支部委员会会议记录\t")
        ref = re.search(r"PAGEREF (\S+) ", entry._p.xml).group(1)
        assert f'w:name="{ref}"' in title._p.xml
    assert int(entries[0].text.split("\t")[1]) == 3  # cached from the PDF: cover, contents, then 3


@pytest.mark.slow
@needs_soffice
def test_libreoffice_contents_page_numbers_point_at_the_records(tmp_path, fonts):
    """Fault 7 on a rendered page: LibreOffice's own pagination of the .docx, its contents'
    page numbers land on the pages holding the records they name."""
    blocks = list(_bundle(8).blocks)
    blocks.insert(4, b.Paragraph("长" * 2000))  # the first record takes pages: later numbers move
    _p, dx = render(b.Document("台账", blocks, file_stem="台账"), tmp_path).paths
    pages = pdf_lines(libreoffice_pdf(dx, tmp_path))
    import re

    toc = re.findall(r"第(\d+)次支部委员会会议记录[.·]+(\d+)", "\n".join(t for p in pages[1:3] for *_r, t in p))
    assert len(toc) == 8 and toc[1][1] != "4"  # the PDF's number would be 4: LibreOffice's own is right
    for n, no in toc:
        assert any(f"第{n}份记录" in t for *_r, t in pages[int(no) - 1]), (n, no)


def _meeting_on(led, day, kind):
    from desktop.services.meetings import get_meeting, list_meetings

    return next(get_meeting(led, r.id) for r in list_meetings(led, year=day.year) if r.date == day and r.kind == kind)


def test_a_failed_vote_is_not_printed_as_passed(demo, tmp_path):
    """Fault 10: 第一党支部's 党员大会 of 16 July 2026 was short of quorum (9 of 19), its vote
    failed, yet 「审议通过…」 was printed under 决议 without a flag."""
    from datetime import date

    from desktop.domain.enums import MeetingKind
    from desktop.services.export import ExportFilters, export

    led, _info = demo
    m = _meeting_on(led, date(2026, 7, 16), MeetingKind.GENERAL_ASSEMBLY)
    assert m.resolution.startswith("审议通过")
    res = export(led, "minutes", tmp_path, "both", ExportFilters(meeting=m.id))
    from documents.readback import body, docx_text

    for text in (body(pdf_text(res.paths[0])), body(docx_text(res.paths[1]))):
        decision = text[text.index("会议决议"):]
        assert decision.index("表决未获通过") < decision.index("审议通过")
        assert "以下决议内容与表决结果不符" in decision
        assert "未通过" in text[text.index("表决情况"):text.index("会议决议")]


def test_compliance_marks_a_meeting_short_of_quorum(demo, tmp_path):
    """Fault 10: the 统计表 counted the 16 July 党员大会 short of quorum as held, unmarked."""
    from datetime import date

    from desktop.services.compliance import branch_year_compliance
    from desktop.services.export import ExportFilters, export

    led, info = demo
    report = branch_year_compliance(led, info.branch_ids[0], 2026, date(2027, 1, 15))
    short = report.short_of_quorum()
    assert [(m.date, str(m.kind)) for m in short] == [(date(2026, 7, 16), "支部党员大会")]
    assert "实到9人" in short[0].short_of_quorum
    july = report.grid().rows()[6]
    assert any(c.endswith("※") for c in july)
    res = export(led, "compliance", tmp_path, "pdf", ExportFilters(branch="第一党支部", year=2026,
                                                                   today=date(2027, 1, 15)))
    text = squash(pdf_text(res.paths[0]))
    assert "三、实到人数未达到规定的会议" in text and "2026年7月16日支部党员大会：有表决权党员应到19人，实到9人" in text


@pytest.fixture(scope="module")
def rectification_pdf(demo, tmp_path_factory):
    from datetime import date

    from desktop.services.export import ExportFilters, export

    led, info = demo
    out = tmp_path_factory.mktemp("rect")
    res = export(led, "rectification", out, "pdf", ExportFilters(campaign=info.campaign_id, today=date(2026, 11, 22)))
    return res.paths[0]


def _rect_tree(demo):
    from datetime import date

    from desktop.services.rectification import get_campaign_tree

    led, info = demo
    return get_campaign_tree(led, info.campaign_id, today=date(2026, 11, 22))


def _columns():
    from desktop.documents.kinds.rectification import COLUMNS

    left = MARGINS_MM["landscape"][2] * mm
    width = (297 - MARGINS_MM["landscape"][2] - MARGINS_MM["landscape"][3]) * mm
    total = sum(w for _t, w, _a in COLUMNS)
    edges, x = [left], left
    for _t, w, _a in COLUMNS:
        x += width * w / total
        edges.append(x)
    return edges


def _cells(path):
    """Per page, per column of the 整改清单, the column's text below the header row, top to
    bottom (characters grouped by their cell's column, not by the printed line)."""
    from documents.readback import pdf_chars

    edges = _columns()
    out = []
    for page in pdf_chars(path):
        head = [y0 for x0, y0, x1, y1, ch in page if ch == "态"]  # 状态, the last header cell
        if not head:
            continue
        below = min(head) - 4
        cols: list[list] = [[] for _ in edges[:-1]]
        for x0, y0, x1, y1, ch in page:
            if y1 <= below and edges[0] <= x0 < edges[-1] and y0 > MARGINS_MM["landscape"][1] * mm:
                ci = next(i for i in range(len(edges) - 1) if x0 < edges[i + 1] - 0.5)
                cols[ci].append((x0, y0, x1, y1, ch))
        out.append(cols)
    return out


def _column_lines(chars) -> list[str]:
    lines: list[list] = []
    for x0, y0, _x1, y1, ch in sorted(chars, key=lambda c: -(c[1] + c[3]) / 2):
        mid = (y0 + y1) / 2
        if lines and abs(lines[-1][0] - mid) <= 5:
            lines[-1][1].append((x0, ch))
        else:
            lines.append([mid, [(x0, ch)]])
    return ["".join(c for _x, c in sorted(cs)) for _m, cs in lines]


def test_rectification_names_and_deadlines_stay_whole(demo, rectification_pdf):
    """Fault 5: 「王建/国」 – three-character names split in the 责任领导 column; deadlines on
    three lines (「2026年/12月31/日」)."""
    tree = _rect_tree(demo)
    pages = _cells(rectification_pdf)
    leaders = [ln for cols in pages for ln in _column_lines(cols[6])]
    deadlines = [ln for cols in pages for ln in _column_lines(cols[8])]
    measures = [m for _c, p in tree.problems() for m in p.measures]
    names = {m.leader for m in measures if m.leader}
    assert any(len(n) == 3 for n in names)
    for name in names:
        assert name in leaders, name
    for m in measures:
        if m.deadline:
            assert f"{m.deadline.month}月{m.deadline.day}日" in deadlines, m.deadline
    assert not [ln for ln in deadlines if ln == "日"]


def test_rectification_text_stays_inside_its_cells(rectification_pdf):
    """Fault 5: a status line (and hanging punctuation) running over the cell rule. Every
    character of the table lies inside the column it starts in."""
    edges = _columns()
    checked = 0
    for cols in _cells(rectification_pdf):
        for ci, chars in enumerate(cols):
            for _x0, _y0, x1, _y1, ch in chars:
                assert x1 <= edges[ci + 1] + 0.2, f"「{ch}」 runs over the rule at {edges[ci + 1]:.1f} pt ({x1:.1f})"
                checked += 1
    assert checked > 2000
    from documents.readback import pdf_chars, pdf_hrules

    crossed = [(ch, round(y, 1)) for chars, rules in zip(pdf_chars(rectification_pdf), pdf_hrules(rectification_pdf), strict=False)
               for x0, y0, x1, y1, ch in chars for left, right, y in rules
               if left - 0.5 <= x0 and x1 <= right + 0.5 and y0 + 0.8 < y < y1 - 0.8]
    assert sum(len(r) for r in pdf_hrules(rectification_pdf)) > 50
    assert not crossed, f"characters drawn across a row rule: {crossed[:5]}"


def test_rectification_pages_are_filled_and_name_the_problem(demo, rectification_pdf):
    """Fault 5: pages of the 整改清单 filled to 17–70 % (a problem's group of measures moved
    whole), and a page starting inside a group did not name its problem."""
    tree = _rect_tree(demo)
    pages = pdf_lines(rectification_pdf)
    table_pages = [p for p in pages if any("状态" in t for *_r, t in p)]
    assert len(table_pages) >= 3
    top = (210 - MARGINS_MM["landscape"][0]) * mm
    height = (210 - MARGINS_MM["landscape"][0] - MARGINS_MM["landscape"][1]) * mm
    for page in table_pages[:-1]:
        lowest = min(y for y, *_r, t in page if not t.startswith("—"))
        assert (top - lowest) / height > 0.8, f"page filled to {(top - lowest) / height:.0%}"
    starts = {squash(p.description)[:6] for _c, p in tree.problems()}
    for cols in _cells(rectification_pdf)[1:]:
        first = "".join(_column_lines(cols[2]))[:6]  # 问题表现 of the page's first row
        assert first in starts, f"a continuation page starts with {first!r}, not a problem's description"


_TITLES = ["学习贯彻习近平新时代中国特色社会主义思想主题教育检视问题整改清单",
           "中共金华经济技术开发区自然资源和规划分局机关委员会第一党支部",
           "中共金华经济技术开发区自然资源和规划分局机关委员会不动产登记服务中心党支部",
           "2026年中共金华经济技术开发区自然资源和规划分局机关委员会第一党支部三会一课台账",
           "中共金华经济技术开发区自然资源和规划分局机关委员会第三党支部"]
_WORDS = ["社会主义", "党支部", "委员会", "习近平", "新时代", "主题教育", "开发区", "2026年", "服务中心"]


@pytest.mark.parametrize("size", [22, 36])
def test_titles_break_at_word_ends_balanced(size):
    """Fault 4: titles and cover lines broke inside words (「社会/主义」, 「…中心党/支部」, a lone
    「部」 on the ledger cover)."""
    from desktop.documents.layout import balance_title, text_width_mm

    width = text_width_mm("portrait") * 72 / 25.4
    for title in _TITLES:
        lines = balance_title(title, width, size).split("\n")
        assert "".join(lines) == title
        assert all(len(ln) * size <= width + 1 for ln in lines), lines
        if len(lines) > 1:
            assert min(len(ln) for ln in lines) >= 3, lines
            assert max(len(ln) for ln in lines) - min(len(ln) for ln in lines) <= 7, lines
        for a, z in zip(lines, lines[1:], strict=False):
            for word in _WORDS:
                joined = a[-len(word):] + z[:len(word)]
                assert not (word in joined and word not in a and word not in z and
                            (a + z).find(word) + len(word) > len(a) > (a + z).find(word)), (word, lines)


def test_cover_lines_on_the_page_break_at_word_ends(tmp_path, fonts):
    """Fault 4 on the printed cover: the unit line breaks after a word, no line of one character."""
    unit = "中共金华经济技术开发区自然资源和规划局机关委员会不动产登记服务中心党支部"
    doc = b.Document("台账", [b.Cover("三会一课台账", unit=unit, lines=["2026年度"]), b.Paragraph("正文")],
                     file_stem="cover")
    cover = [t for *_r, t in pdf_lines(_pdf(doc, tmp_path, fonts))[0]]
    unit_lines = [t for t in cover if t and t in unit]
    assert "".join(unit_lines) == unit and len(unit_lines) >= 2
    assert all(len(t) >= 3 for t in unit_lines)
    from desktop.documents.words import break_costs

    ends = break_costs(unit)
    pos = 0
    for t in unit_lines[:-1]:
        pos += len(t)
        assert pos in ends, f"the cover line breaks inside a word: {t}/{unit[pos:pos + 3]}"


@pytest.mark.parametrize("kind", ["ledger", "rectification", "roster", "signin"])
def test_word_tables_carry_no_direct_font_sizes(demo, tmp_path, kind):
    """Fault 8: 992 direct font sizes in one ledger's tables, so restyling in Word did nothing.
    Cells use named styles (表格文字 10.5磅 …) that hold the size."""
    import zipfile

    import docx

    from desktop.services.export import ExportFilters, export
    from desktop.services.meetings import list_meetings

    led, info = demo
    meeting = list_meetings(led, year=2026)[0].id
    f = ExportFilters(branch="第三党支部" if kind in ("ledger", "roster") else None, year=2026,
                      campaign=info.campaign_id if kind == "rectification" else None,
                      meeting=meeting if kind == "signin" else None)
    path = export(led, kind, tmp_path, "docx", f).paths[0]
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert xml.count("<w:sz ") == 0 and xml.count("<w:szCs ") == 0
    d = docx.Document(str(path))
    styles = {p.style.name for t in d.tables for row in t.rows for c in row.cells for p in c.paragraphs}
    assert styles and all(s.startswith(("表格文字", "表头文字", "公文")) for s in styles), styles
    sized = [d.styles[s] for s in styles if "磅" in s]
    assert all(st.font.size is not None and st.base_style.name in ("表格文字", "表头文字") for st in sized)


def test_signin_sheet_has_guest_rows_a_blank_count_and_the_title_on_every_page(demo, tmp_path):
    """Fault 11: no rows for 列席 and 上级指导, no blank for 实到人数, the title only on page 1."""
    import docx

    from desktop.domain.enums import MeetingKind
    from desktop.services.export import ExportFilters, export
    from desktop.services.meetings import get_meeting, list_meetings

    led, _info = demo
    row = next(r for r in list_meetings(led, year=2026)
               if r.kind == MeetingKind.GENERAL_ASSEMBLY and r.branch_name == "第一党支部")
    m = get_meeting(led, row.id)
    pdf, dx = export(led, "signin", tmp_path, "both", ExportFilters(meeting=m.id)).paths
    pages = pdf_lines(pdf)
    assert len(pages) >= 2  # 19 members: the sheet runs over
    title = pdf.stem
    for page in pages:
        assert squash(page[0][3]) == title, page[0]
    text = squash(pdf_text(pdf))
    assert "实到人数＿＿＿＿人" in text
    assert text.count("列席") >= 2 and text.count("上级指导") >= 3
    d = docx.Document(str(dx))
    sec = d.sections[0]
    assert sec.different_first_page_header_footer
    assert sec.header.paragraphs[0].text == title and sec.even_page_header.paragraphs[0].text == title
    assert "PAGE" in sec.first_page_footer.paragraphs[0]._p.xml
    cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
    assert cells.count("列席") >= 2 and cells.count("上级指导") >= 2 and "＿＿＿＿人" in cells


def test_ledger_binds_signin_sheets_and_marks_drafts(demo, tmp_path, capsys):
    """Fault 11: the bound ledger can include each meeting's sign-in sheet and attendee names;
    drafts are marked in it and the export says so."""
    from desktop.cli import main
    from desktop.services.export import ExportFilters, export
    from desktop.services.meetings import get_meeting, list_meetings

    led, info = demo
    rows = list_meetings(led, branch_id=info.branch_ids[2], year=2026)
    drafts = [r for r in rows if r.state != "定稿"]
    assert drafts
    res = export(led, "ledger", tmp_path / "a", "pdf", ExportFilters(branch="第三党支部", year=2026, with_signin=True))
    text = squash(pdf_text(res.paths[0]))
    assert text.count("实到人数＿＿＿＿人") == len(rows)  # one sheet each (its title also heads its later pages)
    present = [a.name for a in get_meeting(led, rows[0].id).attendance if a.status == "出席"]
    assert "出席人员" + "、".join(present) in text
    contents = text[text.index("目录"):text.index("目录") + 3000]
    assert contents.count("（草稿）") == len(drafts)
    notes = res.notices
    assert notes and f"{len(drafts)}份记录尚未定稿" in notes[0]
    import shutil

    copy = tmp_path / "copy.zhibu"  # its own file: the CLI opens (and locks) it itself
    shutil.copyfile(led.path, copy)
    assert main(["export", str(copy), "ledger", "--branch", "第三党支部", "--year", "2026", "--with-signin",
                 "--out", str(tmp_path / "c")]) == 0
    assert "签到表" in squash(pdf_text(next((tmp_path / "c").glob("*.pdf"))))
    assert "尚未定稿" in capsys.readouterr().err


def test_roster_cells_that_fit_stay_on_one_line(demo, tmp_path):
    """The room kept for hanging punctuation (fault 5) must not wrap a cell that fits whole:
    names, dates and ID numbers of the 党员名册 stay on one line."""
    from desktop.services.export import ExportFilters, export
    from desktop.services.members import list_members

    led, _info = demo
    pdf = export(led, "roster", tmp_path, "pdf", ExportFilters(branch="第一党支部")).paths[0]
    lines = "\n".join(t for page in pdf_lines(pdf) for *_r, t in page)
    members = [m for m in list_members(led, status="在册") if m.branch_name == "第一党支部"]
    assert len(members) > 10
    for m in members:
        assert m.name in lines, m.name
        if m.join_date:
            assert m.join_date.strftime("%Y.%m.%d") in lines, m.join_date


def test_rectification_short_words_keep_two_characters_a_line(rectification_pdf):
    """Narrow columns (类别, 问题来源, 整改类型) print two characters a line, not one."""
    cols = _cells(rectification_pdf)
    for ci in (1, 3, 9):
        lines = [ln for page in cols for ln in _column_lines(page[ci])]
        assert lines and sum(len(ln) == 1 for ln in lines) <= len(lines) // 10, (ci, lines[:12])


def test_a_paragraph_long_title_is_returned_whole_and_a_five_line_title_balanced():
    """The search over every combination of break points never finished on a 300-character
    title (the property tests' long titles hung the export); the split is now a dynamic
    programme and titles over five lines wrap as ordinary text."""
    from desktop.documents.layout import balance_title

    words = "中共某市自然资源和规划局机关委员会第二党支部关于开展党纪学习教育的实施方案"
    long_title = words * 8
    assert balance_title(long_title, 156 * 72 / 25.4) == long_title
    five = words * 2 + "整改清单"
    lines = balance_title(five, 156 * 72 / 25.4).split("\n")
    assert "".join(lines) == five and len(lines) >= 4
    assert max(map(len, lines)) - min(map(len, lines)) <= 6, lines


def test_a_heading_never_ends_a_page_of_the_year_ledger(demo, tmp_path):
    """Fault 3 again, seen on the 2026 ledger of 第一党支部 (pages 6 and 23): 「四、会议决议」
    ended a page when the resolution under it could not leave a single line there (orphan
    control): the group kept with the signatures then began with the heading alone."""
    import re

    from desktop.services.export import ExportFilters, export

    led, _info = demo
    pdf = export(led, "ledger", tmp_path, "pdf", ExportFilters(branch="第一党支部", year=2026)).paths[0]
    heading = re.compile(r"^[一二三四五六七八九十]+、?[\u4e00-\u9fff]{2,8}$")
    pages = pdf_lines(pdf)
    assert len(pages) > 100
    for n, page in enumerate(pages, 1):
        lines = [squash(t) for t in _text_lines(page) if squash(t)]
        if len(lines) > 1 and lines[-1] == "、":  # the 「、」 of 「四、」 is measured as a line of its own
            lines = lines[:-2] + [lines[-2][:1] + "、" + lines[-2][1:]]
        assert not (lines and heading.match(lines[-1])), f"page {n} ends with the heading {lines[-1]}"
