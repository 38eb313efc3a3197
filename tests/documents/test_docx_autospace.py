"""「2026 年」: LibreOffice shows a gap between Chinese and digits in our .docx. The file asks for
none: ``w:autoSpaceDE``/``w:autoSpaceDN`` are off in the defaults and in every paragraph style
(also the per-size table styles), no paragraph turns them back on, and a date is one run in one
font (no run boundary with another font between 「2026」 and 「年」 that a reader could space).
The gap itself is LibreOffice's: its .docx import skips both elements (see docxstyles.py)."""

from __future__ import annotations

import re
import zipfile

import pytest

from desktop.documents import blocks as b
from desktop.documents.docx import render_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def docx_parts(fonts, tmp_path_factory):
    path = tmp_path_factory.mktemp("autospace") / "a.docx"
    doc = b.Document("2026年第3季度政治生日名册", [
        b.Title("2026年第3季度政治生日名册"), b.Subtitle("（2026年第3次）"),
        b.KeyValueTable([("时间", "2026年7月1日 9:00—11:30")]),
        b.Paragraph("会议于2026年7月1日召开，应到19人，实到17人。"),
        b.Table([b.Column("日期"), b.Column("人数")], [["2026年7月1日", "19人"]], font_size=10.5),
    ], file_stem="a")
    render_docx(doc, str(path), fonts)
    z = zipfile.ZipFile(path)
    return z.read("word/styles.xml").decode(), z.read("word/document.xml").decode()


def test_autospace_is_off_in_the_defaults_and_every_paragraph_style(docx_parts):
    from lxml import etree

    styles = etree.fromstring(docx_parts[0].encode())
    default = styles.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr")
    for tag in ("autoSpaceDE", "autoSpaceDN"):
        assert default.find(W + tag).get(W + "val") == "0"
    paragraph_styles = styles.findall(f"{W}style[@{W}type='paragraph']")
    ours = [s for s in paragraph_styles if s.get(W + "styleId").startswith("Zb")]
    assert len(ours) >= 15 and any("磅" in s.find(W + "name").get(W + "val") for s in ours)  # 表格文字 10.5磅
    for st in ours:
        for tag in ("autoSpaceDE", "autoSpaceDN"):
            el = st.find(f"{W}pPr/{W}{tag}")
            assert el is not None and el.get(W + "val") == "0", (st.get(W + "styleId"), tag)
    # no style anywhere (Word's built-in ones included) turns them on
    assert not re.search(r'<w:autoSpaceD[EN](?: w:val="(?:1|true|on)")?/>', docx_parts[0])


def test_no_paragraph_turns_autospace_on_and_dates_are_one_run(docx_parts):
    document = docx_parts[1]
    assert "autoSpaceD" not in document  # the styles decide
    runs = re.findall(r"<w:r>(.*?)</w:r>", document)
    texts = [re.sub(r"<[^>]+>", "", r) for r in runs]
    for date_text in ("2026年第3季度政治生日名册", "2026年7月1日 9:00—11:30", "2026年7月1日"):
        assert date_text in texts, texts
    assert any("2026年7月1日召开" in t for t in texts)


def _title_docx(fonts, path):
    title = "2026年第三党支部第10次主题党日活动签到表"  # 20 em: just fits the 156 mm line at 22 pt
    render_docx(b.Document(title, [b.Title(title), b.Paragraph("正文。")], file_stem="t"), str(path), fonts)
    return title


def test_a_title_that_only_fits_without_the_gaps_is_balanced_in_the_docx(fonts, tmp_path):
    """LibreOffice's quarter-em gaps made 「…签到表」 wrap with 「表」 alone on the second line
    (seen on the bound ledger's sign-in sheets): the .docx keeps room for them and balances
    such a title over two lines at a word end; the PDF, which sets no gap, keeps one line."""
    import docx

    from desktop.documents.layout import balance_title

    title = _title_docx(fonts, tmp_path / "t.docx")
    assert balance_title(title, 156 * 72 / 25.4) == title  # one line in the PDF
    first = docx.Document(str(tmp_path / "t.docx")).paragraphs[0]
    lines = first.text.split("\n")
    assert "".join(lines) == title and len(lines) == 2 and min(len(x) for x in lines) >= 8, lines


@pytest.mark.slow
def test_libreoffice_leaves_no_character_alone_under_a_title(fonts, tmp_path):
    import shutil

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    from documents.readback import libreoffice_pdf, pdf_lines, squash

    title = _title_docx(fonts, tmp_path / "t.docx")
    lines = [squash(t) for _y, _a, _z, t in pdf_lines(libreoffice_pdf(tmp_path / "t.docx", tmp_path))[0]]
    head = lines[:2]
    assert "".join(head) == title and min(len(x) for x in head) >= 8, head
