"""整改清单 page, driven through its real widgets (dialogs' exec replaced by scripted input)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
)

from desktop.domain.enums import MeasureStatus
from desktop.domain.errors import DomainValidationError
from desktop.services import rectification as rect
from desktop.services.export import ExportFilters
from desktop.ui.context import AppContext
from desktop.ui.datefield import DateField
from desktop.ui.dialogs import trash
from desktop.ui.rectification import editors, import_dialog, measures
from desktop.ui.rectification.tree_model import NODE_ROLE, OVERDUE_BG, SOON_BG
from tests.ui.fake_export import fake_export_service

TODAY = date.today()


@pytest.fixture
def page(qtbot, ledger):
    from desktop.ui.pages.rectification import RectificationPage

    ctx = AppContext(ledger)
    p = RectificationPage(ctx)
    qtbot.addWidget(p)
    p.resize(1180, 700)
    p.reload()  # not shown: the offscreen plugin warns on top-level windows with layouts
    yield p
    ctx.tasks.wait()


def script(monkeypatch, cls, fill):
    """Replace ``cls.exec`` by: fill the widgets, press OK; returns the dialog result."""

    def exec_(self):
        fill(self)
        if self.dialog.result() == 0 and hasattr(self, "_accept"):
            self._accept()
        return self.dialog.result()

    monkeypatch.setattr(cls, "exec", exec_)


def yes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


def _campaign_with_list(ledger):
    cid = rect.save_campaign(ledger, rect.CampaignInput("学习贯彻新时代中国特色社会主义思想主题教育", 2026))
    c1 = rect.save_category(ledger, cid, "理论学习")
    c2 = rect.save_category(ledger, cid, "工作作风")
    p1 = rect.save_problem(ledger, rect.ProblemInput(c1, "理论学习不够系统深入", "自查", True))
    p2 = rect.save_problem(ledger, rect.ProblemInput(c2, "调查研究不够经常", "群众反映"))
    ids = {
        "late": rect.save_measure(ledger, rect.MeasureInput(p1, "制定学习计划", leader="王建军", owner="办公室",
                                                            deadline=TODAY - timedelta(days=3))),
        "soon": rect.save_measure(ledger, rect.MeasureInput(p1, "每月专题研讨", leader="李华", owner="各支部",
                                                            deadline=TODAY + timedelta(days=5), status="整改中")),
        "done": rect.save_measure(ledger, rect.MeasureInput(p2, "每季度到基层调研", leader="王建军", owner="规划科",
                                                            deadline=TODAY + timedelta(days=90), status="已完成")),
    }
    return cid, (c1, c2), (p1, p2), ids


def test_build_a_list_through_the_dialogs(page, monkeypatch, qtbot):
    def campaign(d):
        d.w(QLineEdit, "nameEdit").setText("党纪学习教育")
        d.w(QSpinBox_, "yearSpin").setValue(2024)

    from PySide6.QtWidgets import QSpinBox as QSpinBox_

    script(monkeypatch, editors.CampaignDialog, campaign)
    page.w(QPushButton, "newCampaignButton").click()
    assert page.w(QComboBox, "campaignCombo").currentText() == "2024年 党纪学习教育"
    assert "还没有整改内容" in page.w(QLabel, "emptyLabel").text()

    script(monkeypatch, editors.CategoryDialog, lambda d: d.w(QLineEdit, "nameEdit").setText("廉洁自律"))
    page.add_category()
    script(monkeypatch, editors.ProblemDialog, lambda d: (
        d.w(QPlainTextEdit, "descriptionEdit").setPlainText("廉政提醒不经常"), d.w(QCheckBox, "keyCheck").setChecked(True)))
    page.add_problem()
    assert isinstance(page.selected_node(), rect.ProblemNode)

    seen = {}

    def measure_missing_content(d):  # validation at the field, dialog stays open
        d.w(QPlainTextEdit, "contentEdit").setPlainText("   ")
        d._accept()
        seen["error"] = d.w(QLabel, "contentError").text()
        seen["visible"] = not d.w(QLabel, "contentError").isHidden()
        d.w(QPlainTextEdit, "contentEdit").setPlainText("节前开展廉政提醒谈话")
        d.w(QLineEdit, "leaderEdit").setText("王建军")
        d.w(DateField, "deadlineEdit").setDate(QDate(2026, 12, 31))

    script(monkeypatch, measures.MeasureDialog, measure_missing_content)
    page.add_measure()
    assert seen == {"error": "不能为空", "visible": True}
    assert page.w(QLabel, "countsLabel").text() == "共查找一类1个方面问题、1项整改措施、1个重点整改项目"
    node = page.selected_node()
    assert isinstance(node, rect.MeasureNode) and node.deadline == date(2026, 12, 31) and node.leader == "王建军"


def test_flags_colours_filters_and_counts(page, ledger):
    cid, _c, _p, ids = _campaign_with_list(ledger)
    page.reload()
    model, proxy = page.model, page.proxy
    assert page.w(QLabel, "countsLabel").text() == "共查找两类2个方面问题、3项整改措施、1个重点整改项目"
    assert "已逾期 1 项" in page.w(QLabel, "statsLabel").text()
    late, soon = model.find(ids["late"]), model.find(ids["soon"])
    assert late.data(Qt.ItemDataRole.BackgroundRole).color() == OVERDUE_BG
    assert soon.data(Qt.ItemDataRole.BackgroundRole).color() == SOON_BG
    assert model.find(ids["done"]).data(Qt.ItemDataRole.BackgroundRole) is None

    def visible_measures():
        out, stack = [], [proxy.index(r, 0) for r in range(proxy.rowCount())]
        while stack:
            idx = stack.pop()
            node = idx.data(NODE_ROLE)
            if isinstance(node, rect.MeasureNode):
                out.append(node.id)
            stack += [proxy.index(r, 0, idx) for r in range(proxy.rowCount(idx))]
        return sorted(out)

    assert visible_measures() == sorted(ids.values())
    page.w(QComboBox, "flagFilter").setCurrentIndex(1)  # 已逾期
    assert visible_measures() == [ids["late"]]
    page.clear_filters()
    page.w(QComboBox, "personFilter").setEditText("王建军")
    assert visible_measures() == sorted([ids["late"], ids["done"]])
    page.clear_filters()
    status = page.w(QComboBox, "statusFilter")
    status.setCurrentIndex(status.findData("整改中"))
    assert visible_measures() == [ids["soon"]]
    page.clear_filters()
    cats = page.w(QComboBox, "categoryFilter")
    cats.setCurrentIndex(cats.findText("工作作风"))
    assert visible_measures() == [ids["done"]]


def test_finish_and_close_in_one_step(page, ledger, monkeypatch):
    """销号 straight from 整改中: one dialog finishes and closes the measure with its date and keeps
    the 整改结果 as a 进展 entry (it took an edit to 已完成, a save and then 销号 before)."""
    _cid, _c, _p, ids = _campaign_with_list(ledger)
    page.reload()
    page.select(ids["late"])  # 整改中, overdue
    button = page.w(QPushButton, "closeButton")
    assert button.isEnabled() and "一步" in button.toolTip()
    menu = {text: enabled for text, _slot, enabled in page.context_actions()}
    assert menu["完成并销号…"] and not menu["撤销销号"] and menu["记录进展…"]
    seen = []

    def close(d):
        seen.append(d.w(QLabel, "hintLabel").text())
        d.w(DateField, "dateEdit").setDate(QDate(TODAY.year, TODAY.month, TODAY.day))
        d.w(QPlainTextEdit, "resultEdit").setPlainText("学习计划已印发并执行")

    script(monkeypatch, measures.CloseDialog, close)
    button.click()
    assert "一并标记为整改完成并销号" in seen[0]
    node = page.selected_node()
    assert node.status == MeasureStatus.CLOSED and node.closed_on == TODAY
    assert "学习计划已印发并执行" in node.latest_progress
    assert not button.isEnabled() and page.w(QPushButton, "undoCloseButton").isEnabled()
    yes(monkeypatch)
    page.w(QPushButton, "undoCloseButton").click()
    assert page.selected_node().status == MeasureStatus.DONE
    with pytest.raises(DomainValidationError):  # the service refuses a second 销号 of a closed measure
        rect.finish_and_close(ledger, ids["late"], TODAY)
        rect.finish_and_close(ledger, ids["late"], TODAY)


def test_progress_reorder_delete_and_restore(page, ledger, monkeypatch):
    cid, _c, _p, ids = _campaign_with_list(ledger)
    page.reload()
    page.select(ids["soon"])

    def progress(d):
        d.w(QPlainTextEdit, "textEdit").setPlainText("召开第一次专题研讨会")

    script(monkeypatch, measures.ProgressDialog, progress)
    page.w(QPushButton, "progressButton").click()
    assert page.progress_model.rows[-1].text == "召开第一次专题研讨会"

    page.w(QPushButton, "upButton").click()
    assert [m.id for m in page.tree.categories[0].problems[0].measures] == [ids["soon"], ids["late"]]

    yes(monkeypatch)
    page.select(ids["late"])
    page.w(QPushButton, "deleteButton").click()
    assert page.tree.counts == (2, 2, 2, 1)

    def restore_first(d):
        d.view.selectRow(0)
        d.restore_selected()

    script(monkeypatch, trash.TrashDialog, restore_first)
    page.w(QPushButton, "trashButton").click()
    assert page.tree.counts == (2, 2, 3, 1)


def test_open_record_switches_campaign_and_selects(page, ledger):
    rect.save_campaign(ledger, rect.CampaignInput("另一个活动", 2027))
    cid, _c, _p, ids = _campaign_with_list(ledger)
    page.reload()
    page.w(QComboBox, "campaignCombo").setCurrentIndex(page.w(QComboBox, "campaignCombo").findText("2027年 另一个活动"))
    page.w(QComboBox, "flagFilter").setCurrentIndex(1)  # hides the target: open_record clears filters
    assert page.open_record("measure", ids["done"])
    assert page.w(QComboBox, "campaignCombo").currentData() == cid
    assert page.selected_node().id == ids["done"] and page.selected_node().content == "每季度到基层调研"
    assert page.w(QLabel, "detailTitle").text() == "措施3（已完成）"
    assert page.open_record("campaign", cid) and not page.open_record("measure", "no-such-id")


def test_excel_import_preview_then_confirm(page, ledger, monkeypatch, tmp_path):
    cid = rect.save_campaign(ledger, rect.CampaignInput("主题教育", 2026))
    page.reload()
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "类别", "问题表现", "整改措施", "责任领导", "整改时限", "状态"])
    ws.append([1, "理论学习", "学习不深入", "制定计划", "王建军", "2026-06-30", "已完成"])
    ws.append([None, None, None, "专题研讨", "李华", "长期坚持", "整改中"])
    ws.append([2, "工作作风", "作风不实", "下基层", "王建军", "2026-02-30", "整改中"])
    ws.merge_cells("C2:C3")
    ws.merge_cells("B2:B3")
    path = tmp_path / "清单.xlsx"
    wb.save(path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    seen = {}

    def run(d):
        seen["summary"] = d.w(QLabel, "summaryLabel").text()
        seen["enabled_before"] = d.w(QPushButton, "importButton").isEnabled()
        seen["errors"] = [r.errors for r in d.preview.rows]
        d.w(QCheckBox, "skipErrorsCheck").setChecked(True)
        d.do_import()

    script(monkeypatch, import_dialog.ImportDialog, run)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    page.w(QPushButton, "importButton").click()
    assert not seen["enabled_before"] and "有1行存在错误" in seen["summary"]
    assert seen["errors"][:2] == [[], []] and "2026-02-30" in seen["errors"][2][0]
    assert rect.campaign_counts(ledger, cid) == (1, 1, 2, 0)
    assert page.w(QLabel, "countsLabel").text() == "共查找一类1个方面问题、2项整改措施"


def test_print_goes_through_export_service(page, ledger, monkeypatch, qtbot, tmp_path):
    cid, *_ = _campaign_with_list(ledger)
    page.reload()
    calls, shown = fake_export_service(monkeypatch, tmp_path)
    out = tmp_path / "rectification.pdf"
    page.print_list("pdf")
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert calls == [("rectification", "pdf", ExportFilters(campaign=cid), tmp_path)]
    assert str(out) in shown[0]


def test_pages_cope_without_a_ledger(qtbot):
    from desktop.ui.pages.birthdays import BirthdaysPage
    from desktop.ui.pages.rectification import RectificationPage

    ctx = AppContext(None)
    rp, bp = RectificationPage(ctx), BirthdaysPage(ctx)
    for p in (rp, bp):
        qtbot.addWidget(p)
        p.reload()
        assert not p.open_record("measure", "x") and not p.open_record("member", "x")
    assert "还没有主题教育活动" in rp.w(QLabel, "emptyLabel").text()
    assert not rp.w(QPushButton, "trashButton").isEnabled()
    assert not bp.w(QPushButton, "celebrateButton").isEnabled()
