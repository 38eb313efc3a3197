"""台账合并报告: what a merge of two ledger copies did, printable (PDF and Word)."""

from __future__ import annotations

from desktop.documents import blocks as b

NUMERALS = "一二三四五六七八九十"


def build_merge_report(overview: list[tuple[str, str]], added: list[str], changes: list[tuple[str, str, str, str]],
                       deleted: list[str], conflicts: list[tuple[str, str, str, str, str, str]],
                       check: list[str], sides: tuple[str, str] = ("本方", "对方")) -> b.Document:  # fmt: skip
    """``changes``: (record, field, before, after); ``conflicts``: (kind, record, what, mine, theirs, choice);
    ``sides``: how MINE and THEIRS are named (a file merged into a server: 服务器, 文件)."""
    blocks: list[b.Block] = [b.Title("台账合并报告"), b.KeyValueTable(overview, pairs_per_row=1, location="合并概况")]
    sections = 0

    def heading(text: str) -> None:
        nonlocal sections
        blocks.append(b.Heading(f"{NUMERALS[sections]}、{text}"))
        sections += 1

    heading(f"冲突与选择（{len(conflicts)} 处）")
    if conflicts:
        blocks.append(b.Table(
            [b.Column("序号", 0.5, "center"), b.Column("冲突", 1.4), b.Column("记录", 2.0), b.Column("内容", 1.2),
             b.Column(sides[0], 1.6), b.Column(sides[1], 1.6), b.Column("选择", 1.6)],
            [[str(i), *row] for i, row in enumerate(conflicts, 1)], font_size=10.5, location="冲突与选择",
        ))  # fmt: skip
    else:
        blocks.append(b.Paragraph("没有冲突。", location="冲突与选择"))
    heading(f"采用{sides[1]}的修改（{len(changes)} 处）")
    if changes:
        blocks.append(b.Table(
            [b.Column("记录", 2.2), b.Column("内容", 1.0), b.Column("合并前", 2.0), b.Column("合并后", 2.0)],
            [list(row) for row in changes], font_size=10.5, location="修改",
        ))  # fmt: skip
    else:
        blocks.append(b.Paragraph("没有。", location="修改"))
    heading(f"新增的记录（{len(added)} 条）")
    blocks.append(b.Paragraph("\n".join(added) if added else "没有。", indent_first_line=False, align="left", location="新增"))
    heading(f"删除的记录（{len(deleted)} 条）")
    blocks.append(b.Paragraph("\n".join(deleted) if deleted else "没有。", indent_first_line=False, align="left", location="删除"))
    heading("合并结果检查")
    blocks.append(b.Paragraph("\n".join(check), indent_first_line=False, align="left", location="检查"))
    return b.Document("台账合并报告", blocks, "台账合并报告")
