"""Text that used to abort an export: split paragraphs with entities or fallback fonts, long
file names, a thousand measures under one problem; and the files' mode."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from desktop.documents import blocks as b
from desktop.documents.atomic import fit_file_stem
from desktop.documents.render import render
from documents.readback import body, docx_text, pdf_text, squash


def test_split_paragraph_whose_first_part_is_one_font_draws(fonts):
    """reportlab re-labelled the first part's FragLines as one-font lines: TypeError on drawing."""
    from reportlab.lib.styles import ParagraphStyle

    from desktop.documents import pdf

    ctx = pdf._Ctx(fonts)
    para = ctx.para("会议内容" * 20 + "😀" + "落实" * 30, "body", "正文")  # 😀: a fallback font
    # one line left on the page: the renderer's own styles have orphan control (two lines at
    # least), but a split inside a kept group (signatures, notes) may still leave one
    para.style = ParagraphStyle("one", parent=para.style, allowOrphans=1)
    para.wrap(400, 1e9)
    first, rest = para.split(400, para.style.leading * 1.2)
    canv = Canvas(io.BytesIO())
    for part in (first, rest):
        part.wrap(400, 1e9)
        part.drawOn(canv, 0, 0)


@pytest.mark.parametrize("text", ["<b>上次议定</b><img src=x>&amp;" * 40, ("落实情况" * 30 + "😀") * 8])
def test_markup_or_fallback_text_split_at_every_line_of_a_page(tmp_path: Path, text: str):
    """The paragraph starts at every line of a page in turn (one page per start), so each split
    point is hit, among them the one that leaves a single line without a font switch."""
    blocks: list = []
    for k in range(23):
        blocks += [b.Paragraph("填" * 27 * k, indent_first_line=False), b.Paragraph(text), b.PageBreak()]
    pdf, = render(b.Document("拆分", blocks, "拆分"), tmp_path, formats=("pdf",)).paths
    assert body(pdf_text(pdf)).count(squash(text)) == 23


def test_long_title_is_cut_to_a_valid_readable_file_name(tmp_path: Path):
    title = "2026年第一党支部" + "学习贯彻习近平新时代中国特色社会主义思想主题教育" * 12 + "整改清单"
    res = render(b.Document(title, [b.Paragraph("正文")], title), tmp_path)
    assert len(res.paths) == 2
    for p in res.paths:
        assert p.exists()
        assert len(p.name.encode()) <= 255 and len(p.name.encode("utf-16-le")) // 2 <= 255
        assert p.name.startswith("2026年第一党支部学习贯彻")
    other = render(b.Document(title + "二", [b.Paragraph("正文")], title + "二"), tmp_path)
    assert {p.name for p in other.paths}.isdisjoint({p.name for p in res.paths})  # the hash differs


def test_file_name_limits_per_platform():
    assert fit_file_stem("短名称") == "短名称"
    long = "党" * 200 + "😀" * 50
    s = fit_file_stem(long)
    assert len((s + "（99）.docx").encode()) <= 255
    assert s.startswith("党" * 50) and len(s.rsplit("…", 1)[1]) == 6
    # a whole path: Windows programs without long-path support stop at 260 characters
    folder = "C:\\Users\\书记\\" + "文件夹" * 60
    win = fit_file_stem("党" * 100, folder, platform="win32")
    assert len(os.path.abspath(folder)) + 1 + len(win + "（99）.docx") <= 259 or win.startswith("…") is False
    assert len(win) < 100
    deep = "/tmp/" + "d" * 4000
    assert len(os.fsencode(deep + "/" + fit_file_stem("党" * 100, deep) + "（99）.docx")) <= 4095
    assert fit_file_stem("a\ud800b\x85c") == "abc"  # lone surrogates cannot be a file name anywhere


def test_exported_files_get_the_users_normal_permissions(tmp_path: Path):
    old = os.umask(0o022)
    try:
        res = render(b.Document("权限", [b.Paragraph("正文")], "权限"), tmp_path)
    finally:
        os.umask(old)
    for p in res.paths:
        assert stat.S_IMODE(p.stat().st_mode) == 0o644, p


@pytest.mark.slow
def test_rectification_docx_with_a_thousand_measures_under_one_problem(tmp_path: Path):
    n = 1000
    rows = [[b.Cell("1", n, "center"), b.Cell("作风", n, "center"), b.Cell("问题表现", n), f"措施{1}", "整改中"]]
    rows += [[f"措施{i}", "整改中"] for i in range(2, n + 1)]
    cols = [b.Column("序号", 0.5), b.Column("类别", 1), b.Column("问题表现", 2), b.Column("整改措施", 2), b.Column("状态", 1)]
    doc = b.Document("整改清单", [b.Table(cols, rows, caption="整改清单")], "整改清单", orientation="landscape")
    dx, = render(doc, tmp_path, formats=("docx",)).paths
    text = docx_text(dx)
    assert "措施1\n" in text and "措施1000" in text and text.count("问题表现") == 2  # header + the merged cell
    import docx

    t = docx.Document(str(dx)).tables[0]
    assert t.cell(1, 2)._tc is t.cell(n, 2)._tc  # one merged cell from the first to the last measure


def test_pdf_and_docx_properties_name_the_unit_and_today(org_ledger, tmp_path: Path):
    from datetime import date

    import docx
    from pypdf import PdfReader

    from desktop.services.export import ExportFilters, export
    from desktop.services.meetings import MeetingInput, save_meeting
    from desktop.services.settings import LedgerSettings, save_settings

    save_settings(org_ledger, LedgerSettings(unit_name="某某市自然资源局"))
    save_meeting(org_ledger, MeetingInput(branch_id=org_ledger.ids["branch1"], kind="支部委员会",
                                          date=date(2026, 3, 5), content="研究工作。"))
    res = export(org_ledger, "minutes", tmp_path, "both", ExportFilters(year=2026))
    pdf, dx = sorted(res.paths, key=lambda p: p.suffix, reverse=True)
    today = date.today()
    info = PdfReader(str(pdf)).metadata
    assert info.title == pdf.stem and info.author == "某某市自然资源局"
    assert info.creation_date.date() in (today, date.fromordinal(today.toordinal() - 1))  # UTC vs local midnight
    assert abs((info.modification_date.date() - today).days) <= 1
    props = docx.Document(str(dx)).core_properties
    assert props.title == dx.stem and props.author == "某某市自然资源局" and props.last_modified_by == "某某市自然资源局"
    assert abs((props.created.date() - today).days) <= 1 and abs((props.modified.date() - today).days) <= 1
