"""Every block and every nasty text, through both renderers, read back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.documents import blocks as b
from desktop.documents.render import render
from documents.readback import (
    assert_fonts_embedded,
    body,
    docx_text,
    libreoffice_pages,
    needs_soffice,
    pdf_text,
    squash,
)

NASTY = ["<", "&", "R&D", "<b>粗体</b>", "<img src=x>", "甲\x0b乙", "丙\x0c丁", "制\t表", "表情😀符号",
         "𠮷野家", "a&amp;b", "]]>", "&#x41;", "\x00空字符\x07响铃"]


def every_block_document(text: str = "") -> b.Document:
    rows = [[b.Cell("1", 2, "center"), b.Cell("理论学习 R&D <x>", 2), "措施一：" + text, "整改中"],
            ["措施二 & <b>", "已完成"],
            ["2", "作风", "措施三", b.Cell("未开始", align="center")]]
    return b.Document(
        title="全部块测试", file_stem="全部块测试",
        blocks=[
            b.Cover("三会一课台账", unit="中共测试局第一党支部", lines=["2026年度"], footer="中共测试局机关委员会 制"),
            b.TocPlaceholder(entries=2),
            b.Title("第一党支部2026年第1次支部委员会会议记录", toc=True),
            b.Subtitle("（2026年第1次）"),
            b.KeyValueTable([("时间", "2026年1月5日 9:00—11:00"), ("地点", "三楼会议室 <A&B>"), ("主持人", "张三")]),
            b.Heading("一、会议议题"), b.Heading("（一）学习 & 讨论", level=2),
            b.Paragraph("正文：" + text, location="会议内容"),
            b.Paragraph("我同意。", bold_prefix="李四：", location="发言"),
            b.Table([b.Column("序号", 0.6, "center"), b.Column("问题", 2), b.Column("措施", 3), b.Column("状态", 1)],
                    rows, caption="整改清单 & 台账"),
            b.SignatureLines(["主持人", "记录人"]),
            b.PageBreak(), b.Spacer(20),
            b.Title("第二部分", toc=True),
            b.Card("政治生日贺卡", [b.Paragraph("王五同志：", indent_first_line=False), b.Paragraph("祝政治生日快乐！", align="center")]),
        ])


def _expected(text: str) -> str:
    return squash(text.replace("\x00", "").replace("\x07", ""))


@pytest.mark.parametrize("nasty", NASTY)
def test_nasty_text_renders_literally(tmp_path: Path, nasty: str):
    res = render(every_block_document(nasty), tmp_path)
    pdf, docx_path = res.paths
    assert pdf.suffix == ".pdf" and docx_path.suffix == ".docx"
    want = _expected(nasty)
    for got in (squash(pdf_text(pdf)), squash(docx_text(docx_path))):
        assert "正文：" + want in got
        assert "措施一：" + want in got
        assert "理论学习R&D<x>" in got and "措施二&<b>" in got
    assert_fonts_embedded(pdf)
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".~*"))


def test_every_block_appears_in_both_formats(tmp_path: Path):
    doc = every_block_document("内容")
    res = render(doc, tmp_path)
    for path, text in ((res.paths[0], pdf_text(res.paths[0])), (res.paths[1], docx_text(res.paths[1]))):
        got = squash(text)
        for needle in ["中共测试局第一党支部", "三会一课台账", "2026年度", "目录", "第一党支部2026年第1次支部委员会会议记录",
                       "（2026年第1次）", "2026年1月5日9:00—11:00", "三楼会议室<A&B>", "主持人", "张三", "一、会议议题",
                       "（一）学习&讨论", "李四：我同意。", "整改清单&台账", "主持人（签字）", "记录人（签字）", "第二部分",
                       "政治生日贺卡", "王五同志：", "祝政治生日快乐！"]:
            assert needle in got, (path.suffix, needle)
    assert "—2—" in squash(pdf_text(res.paths[0]))
    import docx

    footer = docx.Document(str(res.paths[1])).sections[0].footer._element.xml
    assert "— " in footer and 'w:instr="PAGE"' in footer and " —" in footer


def test_missing_glyphs_are_reported_with_location(tmp_path: Path, fonts):
    res = render(every_block_document("𠮷"), tmp_path)
    if all(f.has("𠮷") for f in fonts.roles.values()):
        pytest.skip("this machine's font has 𠮷")
    missing = [w for w in res.warnings if w.char == "𠮷"]
    assert {w.location for w in missing} >= {"会议内容", "整改清单 & 台账 第1行「措施」"}
    assert "𠮷" in str(missing[0]) and "U+20BB7" in str(missing[0])


def test_page_size_and_margins(tmp_path: Path):
    import docx
    from docx.shared import Mm

    for orientation, (w, h), (top, bottom, left, right) in (
            ("portrait", (210, 297), (37, 35, 28, 26)), ("landscape", (297, 210), (28, 26, 37, 35))):
        doc = b.Document("页面", [b.Paragraph("正文" * 400)], f"页面{orientation}", orientation=orientation)
        pdf, dx = render(doc, tmp_path).paths
        box = PdfReader(str(pdf)).pages[0].mediabox
        assert abs(float(box.width) - w / 25.4 * 72) < 0.5 and abs(float(box.height) - h / 25.4 * 72) < 0.5
        sec = docx.Document(str(dx)).sections[0]
        assert abs(sec.page_width - Mm(w)) < Mm(0.2) and abs(sec.page_height - Mm(h)) < Mm(0.2)
        for got, want in ((sec.top_margin, top), (sec.bottom_margin, bottom), (sec.left_margin, left),
                          (sec.right_margin, right)):
            assert abs(got - Mm(want)) < Mm(0.2)
        # the PDF's text starts at the top margin: the first baseline lies within one line of it
        ys: list[float] = []

        def visit(t, cm, tm, fd, fs, ys=ys):
            if t.strip():
                ys.append(cm[5] + tm[5] * cm[3])

        PdfReader(str(pdf)).pages[0].extract_text(visitor_text=visit)
        top_pt = (h - top) / 25.4 * 72
        assert top_pt - 30 < max(ys) <= top_pt


def test_docx_east_asian_font_everywhere(tmp_path: Path, fonts):
    import zipfile

    _pdf, dx = render(every_block_document("字"), tmp_path).paths
    with zipfile.ZipFile(dx) as z:
        styles = z.read("word/styles.xml").decode()
        names = z.namelist()
    assert "Theme" not in styles  # no asciiTheme / eastAsiaTheme left anywhere
    normal_table = styles.split('w:styleId="TableNormal"')[1].split("</w:style>")[0]
    assert normal_table.index("<w:rPr>") < normal_table.index("<w:tblPr>")  # schema order
    with zipfile.ZipFile(dx) as z:
        settings = z.read("word/settings.xml").decode()
    assert 'w:eastAsia="zh-CN"' in settings and "ja-JP" not in settings
    assert f'w:eastAsia="{fonts.roles["body"].family}"' in styles.split("</w:docDefaults>")[0]
    assert "word/stylesWithEffects.xml" not in names
    import docx

    d = docx.Document(str(dx))
    used = {p.style.name for p in d.paragraphs}
    assert {"公文标题", "分册标题", "公文正文", "一级标题", "二级标题", "签字栏"} <= used
    assert d.tables[1].style.name == "台账表格"
    assert d.tables[1].rows[0]._tr.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None


def test_long_content_and_huge_cell(tmp_path: Path):
    long = ("学习贯彻党的二十大精神，" * 9000)[:100_000]
    cell = "格" * 5000
    doc = b.Document("长文", [b.Title("长文"), b.Paragraph(long),
                             b.Table([b.Column("甲"), b.Column("乙", 3)], [["1", cell], ["2", "短"]], caption="大表")], "长文")
    pdf, dx = render(doc, tmp_path).paths
    text = body(pdf_text(pdf))
    assert squash(long) in text
    assert text.count("格") == 5000
    assert "大表（续）" in text
    assert squash(long) in body(docx_text(dx))


def test_no_line_starts_with_closing_punctuation(tmp_path: Path):
    text = "党员，" * 10 + "学习：" * 10 + "好！" * 20 + "问题？" * 10 + "一、二、" * 10 + "（注）》" * 10 + "句。" * 50
    pdf, _ = render(b.Document("标点", [b.Paragraph(text)], "标点"), tmp_path, formats=("pdf",)).paths + [None]
    lines = [ln.strip() for ln in pdf_text(pdf).splitlines() if ln.strip()]
    assert len(lines) > 5
    bad = [ln for ln in lines if ln[0] in "，；：！？、。）》」』"]
    assert not bad


def test_failed_export_leaves_no_file(tmp_path: Path, monkeypatch):
    import desktop.documents.docx as dmod

    def boom(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(dmod, "render_docx", boom)
    with pytest.raises(RuntimeError):
        render(b.Document("失败", [b.Paragraph("x")], "失败"), tmp_path, formats=("docx",))
    assert os.listdir(tmp_path) == []


def test_file_names_are_windows_safe():
    from desktop.documents.atomic import safe_file_stem

    assert safe_file_stem('2026年第一党支部:第3次<支委会>?') == "2026年第一党支部：第3次支委会"
    assert safe_file_stem("a/b\\c") == "a／b＼c"
    assert safe_file_stem("CON") == "文档CON"
    assert safe_file_stem("名称. ") == "名称"


@pytest.mark.slow
@needs_soffice
def test_libreoffice_page_count_matches(tmp_path: Path):
    doc = every_block_document("正文内容。" * 300)
    pdf, dx = render(doc, tmp_path).paths
    ours = len(PdfReader(str(pdf)).pages)
    assert abs(libreoffice_pages(dx, tmp_path) - ours) <= 1


def test_header_facts_with_a_huge_value_split_across_pages(tmp_path: Path):
    value = "缺席人员" * 1500
    doc = b.Document("大表头", [b.Title("大表头"), b.KeyValueTable([("时间", "2026年1月5日"), ("缺席人员及原因", value),
                                                                   ("地点", "会议室")], pairs_per_row=1)], "大表头")
    pdf, dx = render(doc, tmp_path).paths
    text = body(pdf_text(pdf))
    assert len(PdfReader(str(pdf)).pages) > 3
    assert text.count("缺席人员") >= 1500 and "会议室" in text
    assert squash(value) in body(docx_text(dx))


def test_contents_spanning_several_pages(tmp_path: Path):
    blocks: list = [b.TocPlaceholder(entries=1)]  # fewer than there will be: the renderer counts
    for i in range(60):
        blocks += [b.Title(f"第{i + 1}份记录", toc=True), b.Paragraph("正文"), b.PageBreak()]
    pdf, dx = render(b.Document("目录", blocks, "目录测试"), tmp_path).paths
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == 63  # three pages of contents, then one page per record
    contents = "".join(p.extract_text() for p in reader.pages[:3])
    assert all(f"第{i}份记录" in contents for i in range(1, 61))
    assert "第60份记录" in reader.pages[62].extract_text()
    assert docx_text(dx).count("份记录") == 120  # contents field entries + the titles
