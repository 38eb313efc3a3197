"""Texts a secretary reads: each said once, counted right, rounded right, and never silent."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from desktop.domain.rectification import cn_count, counts_sentence, percent
from desktop.services.members import MemberInput, save_member


def test_two_categories_are_liang_and_zero_categories_are_not_said():
    assert counts_sentence(2, 2, 3, 1) == "两类2个方面问题、3项整改措施、1个重点整改项目"
    assert counts_sentence(0, 0, 0, 0) == "0个方面问题、0项整改措施"
    assert "零类" not in counts_sentence(0, 0, 0, 0)
    assert counts_sentence(6, 13, 20, 3) == "六类13个方面问题、20项整改措施、3个重点整改项目"
    assert cn_count(12) == "十二" and cn_count(2) == "两"


@pytest.mark.parametrize(("part", "whole", "shown"), [(1, 6, 17), (1, 3, 33), (2, 3, 67), (1, 8, 13), (1, 200, 1),
                                                        (0, 5, 0), (5, 5, 100), (0, 0, 0)])
def test_percent_rounds_half_up(part, whole, shown):
    assert percent(part, whole) == shown


def test_rectification_summary_rounds_one_in_six_to_17_percent(ledger):
    from desktop.services import rectification as rect
    from desktop.services.document_kinds import find_document_kind
    from desktop.services.export import ExportFilters

    cid = rect.save_campaign(ledger, rect.CampaignInput("主题教育", 2026))
    cat = rect.save_category(ledger, cid, "理论学习")
    problem = rect.save_problem(ledger, rect.ProblemInput(cat, "学习不够系统", "自查"))
    for i in range(6):
        rect.save_measure(ledger, rect.MeasureInput(problem, f"措施{i}", leader="王建军", deadline="2027-06-30",
                                                    status="已完成" if i == 0 else "整改中"))
    (doc,) = find_document_kind("rectification").build(ledger, ExportFilters(campaign=cid), None)
    text = " ".join(getattr(blk, "text", "") for blk in doc.blocks)
    assert "完成率17%" in text and "完成率16%" not in text


def test_probationary_member_line_says_the_category_once(qtbot, main_window, org_ledger):
    from desktop.ui.members.details import identity_line

    main_window.show_page("members")
    page = main_window.pages["members"]
    qtbot.waitUntil(lambda: not page.is_waiting() and len(page.model.rows) == 5)
    assert page.select_member(org_ledger.ids["赵敏"])
    text = page.detail_label.text()
    assert "预备党员，尚无党龄；" in text and "预备党员，预备党员" not in text
    row = next(r for r in page.model.rows if r.name == "张建国")
    assert identity_line(row).startswith("正式党员，党龄 ")


def test_status_bar_file_size_follows_the_saves(qtbot, main_window, org_ledger):
    before = main_window.file_label.text()
    assert "KB" in before
    for i in range(40):
        save_member(org_ledger, MemberInput(name=f"党员{i}", branch_id=org_ledger.ids["branch2"], join_date="2001-07-01",
                                            full_date="2002-07-01", notes="备注" * 400))
    qtbot.waitUntil(lambda: main_window.file_label.text() != before, timeout=3000)
    size = org_ledger.path.stat().st_size
    assert f"{size // 1024} KB" in main_window.file_label.text() or "MB" in main_window.file_label.text()


def test_open_file_without_a_viewer_says_so(qtbot, monkeypatch, tmp_path):
    from desktop.ui.results import open_with_system

    pdf = tmp_path / "会议记录.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)  # no PDF reader installed
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    assert open_with_system(None, pdf) is False
    assert warned and "没有可以打开PDF 文件的程序" in warned[0] and str(pdf) in warned[0]
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(Path(url.toLocalFile())) or True)
    assert open_with_system(None, pdf, folder=True) is True and opened == [tmp_path]
    assert len(warned) == 1
