"""``zhibu merge``: conflicts listed and nothing written until decided; the report in PDF and Word."""

from __future__ import annotations

import pypdfium2

from desktop.cli import main as cli_main

from .conftest import one
from .test_merge_scenario import home_edits, office_edits, pick


def test_cli_lists_conflicts_then_merges_with_choices(copies, tmp_path, capsys):
    office, home = copies
    ids = pick(office)
    office_edits(office, ids)
    home_edits(home, ids)
    out = tmp_path / "合并.zhibu"
    base = [str(office), str(home), "--out", str(out), "--backup-dir", str(tmp_path / "b")]
    assert cli_main(["merge", *base]) == 1
    text = capsys.readouterr().out
    assert "[1]" in text and "[4]" in text and "同一字段两边都修改了" in text and "没有写入" in text
    assert not out.exists()
    assert cli_main(["merge", *base, "--choose", "9=mine"]) == 2
    assert "没有第 9 处冲突" in capsys.readouterr().err
    lines = text.splitlines()
    same_field = next(i for i, line in enumerate(lines) if "同一字段两边都修改了" in line)
    number = lines[same_field].split("]")[0].lstrip("[")
    report = tmp_path / "报告.pdf"
    assert cli_main(["merge", *base, "--choose", f"{number}=mine", "--accept-defaults", "--report", str(report)]) == 0
    text = capsys.readouterr().out
    assert "【冲突与选择】" in text and "选择：保留本方" in text and "全部通过" in text
    assert one(out, "SELECT job_title FROM member WHERE id = ?", ids["p2"]) == "组织委员（办公室）"
    pdf = pypdfium2.PdfDocument(report)
    page_text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))).replace("\r\n", "")
    assert "台账合并报告" in page_text and "同一字段两边都修改了" in page_text
    docx = tmp_path / "报告2.docx"
    assert cli_main(["merge", *base[:3], str(tmp_path / "again.zhibu"), *base[4:], "--accept-defaults",
                     "--report", str(docx)]) == 0  # fmt: skip
    from docx import Document

    assert any("台账合并报告" in p.text for p in Document(docx).paragraphs)


def test_cli_refuses_existing_output(copies, tmp_path, capsys):
    office, home = copies
    assert cli_main(["merge", str(office), str(home), "--out", str(home), "--backup-dir", str(tmp_path / "b")]) == 2
    assert "文件已存在" in capsys.readouterr().err


def test_cli_refuses_an_unrelated_ledger_unless_combine(demo_base, tmp_path, capsys):
    from .test_merge_scenario import _other_branch_ledger

    other = tmp_path / "分局.zhibu"
    _other_branch_ledger(other, ("郑转入", __import__("datetime").date(2010, 7, 1), "110101198001013333"))
    out = tmp_path / "党委.zhibu"
    args = ["merge", str(demo_base), str(other), "--out", str(out), "--backup-dir", str(tmp_path / "b")]
    assert cli_main(args) == 2
    err = capsys.readouterr().err
    assert "不是同一份台账的副本" in err and "--combine" in err and not out.exists()
    assert cli_main([*args, "--combine", "--accept-defaults"]) == 0
    assert "两个支部台账合成党委台账" in capsys.readouterr().out
    assert one(out, "SELECT count(*) FROM branch WHERE deleted_at IS NULL") == 4
