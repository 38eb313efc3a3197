"""A very long cell inside a spanned group of a rectification-like table: every character in
order, clean line starts, headers and the （续） caption on every page; the split pieces draw."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from desktop.documents import blocks as b
from desktop.documents.render import render
from documents.readback import body, pdf_text, squash

CLOSING = "，；：！？、。）》」』"
# characters no header, caption or other cell uses: the long cell can be read back alone
MARKS = set("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午申酉戌亥RDbx&<>，；：！？、。")  # not 未: 未开始


def long_text(n: int, latin: bool) -> str:
    unit = "甲乙丙丁，戊己庚（辛壬）。癸子丑：寅卯辰巳！午未申、酉戌亥？" + ("R&D <b>x " if latin else "")
    return (unit * (n // len(unit) + 1))[:n]


def rectification_table(text: str) -> b.Table:
    cols = [b.Column("序号", 0.6, "center"), b.Column("类别", 1), b.Column("问题表现", 2.2),
            b.Column("整改措施", 2.2), b.Column("整改目标", 1.4), b.Column("责任领导", 1), b.Column("状态", 0.9)]
    rows = [
        [b.Cell("1", 2, "center"), b.Cell("理论学习", 2), b.Cell("学习不够深入系统", 2),
         "制定学习计划", text, "张三", "整改中"],
        ["开展专题研讨", "研讨两次", "李四", "已完成"],
        [b.Cell("2", 2, "center"), b.Cell("作风建设", 2), b.Cell("调研不够", 2), "深入基层", "走访十户", "王五", "未开始"],
        ["建立台账", "每月更新", "赵六", "整改中"],
    ]
    return b.Table(cols, rows, caption="整改清单")


@pytest.mark.parametrize("latin", [True, False], ids=["mixed", "chinese-only"])
def test_long_cell_in_spanned_group_arrives_whole_and_in_order(tmp_path: Path, latin: bool):
    text = long_text(5000, latin)
    doc = b.Document("整改清单", [b.Title("整改清单"), rectification_table(text)], "整改清单", orientation="landscape")
    (pdf,) = render(doc, tmp_path, formats=("pdf",)).paths
    pages = [page.extract_text() or "" for page in PdfReader(str(pdf)).pages]
    assert len(pages) > 10  # the cell really runs over many pages
    got = body("\n".join(pages))
    # the long cell, read back alone: every character, in order, nothing doubled or lost
    assert "".join(c for c in got if c in MARKS) == "".join(c for c in squash(text) if c in MARKS)
    # and all of it, parentheses and all, as a subsequence of the document
    rest = iter(got)
    assert all(c in rest for c in squash(text))
    # the rows after the long one follow it, in order
    assert got.index("开展专题研讨") < got.index("深入基层") < got.index("建立台账")
    assert got.rindex("亥") < got.index("走访十户")
    # a caption and the header row on every page; （续） on every page after the first
    assert all("整改目标" in squash(p) and "责任领导" in squash(p) for p in pages)
    assert "整改清单（续）" not in squash(pages[0])
    assert all("整改清单（续）" in squash(p) for p in pages[1:])
    # no line of the cell starts with closing punctuation (the text never has two marks together)
    starts = [ln.strip()[0] for p in pages for ln in p.splitlines() if ln.strip()]
    assert not [c for c in starts if c in CLOSING]


def test_long_cell_pieces_split_again_and_draw_at_another_width(tmp_path: Path):
    from desktop.documents.fonts import resolve_fonts
    from desktop.documents.pdf import _Ctx
    from desktop.documents.pdfcell import LongCell, fits

    ctx = _Ctx(resolve_fonts())
    text = long_text(3000, latin=True)
    para = ctx.para(text, "body", "测试", size=12.0, leading=17.4, align="left")
    assert fits(para)
    cell = LongCell(para)
    w, h = cell.wrap(60, 1e9)
    n = round(h / 17.4)
    first, rest = cell.split(60, 17.4 * 10.5)
    assert first.wrap(60, 1e9)[1] == pytest.approx(17.4 * 10)
    assert rest.wrap(60, 1e9)[1] == pytest.approx(17.4 * (n - 10))
    assert cell.split(60, 5) == [] and cell.split(60, h + 1) == [cell]
    second, third = rest.split(60, 17.4 * 3)
    wide = third.wrap(200, 1e9)[1]  # another width: the piece is broken afresh from its own text
    assert 0 < wide < third.wrap(60, 1e9)[1]
    third.wrap(200, 1e9)
    out = tmp_path / "pieces.pdf"
    canv = Canvas(str(out), pagesize=(300, 4000))
    y = 3990
    for piece, width in ((first, 60), (second, 60), (third, 200)):
        piece.wrap(width, 1e9)
        y -= piece.height
        piece.drawOn(canv, 10, y)
    canv.save()
    got = squash(pdf_text(out))
    rest_chars = iter(got)
    assert all(c in rest_chars for c in squash(text))
    assert "".join(c for c in got if c in MARKS) == "".join(c for c in squash(text) if c in MARKS)
