"""政治生日 page: month/quarter rosters with milestones, branch filter, a collective celebration
with 寄语 per member, the template, the recycle bin and printing."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QToolButton,
)

from desktop.services import birthdays as bd
from desktop.services.export import ExportFilters
from desktop.ui.birthdays import dialogs
from desktop.ui.birthdays.models import FIFTY_BG
from desktop.ui.context import AppContext
from desktop.ui.datefield import DateField
from desktop.ui.dialogs import trash
from tests.ui.fake_export import fake_export_service


@pytest.fixture
def page(qtbot, org_ledger):
    from desktop.ui.pages.birthdays import BirthdaysPage

    ctx = AppContext(org_ledger)
    p = BirthdaysPage(ctx)
    qtbot.addWidget(p)
    p.resize(1180, 700)
    p.reload()
    yield p
    ctx.tasks.wait()


def script(monkeypatch, cls, fill):
    def exec_(self):
        fill(self)
        if self.dialog.result() == 0:
            self._accept()
        return self.dialog.result()

    monkeypatch.setattr(cls, "exec", exec_)


def names(page):
    return [page.roster_proxy.row_at(i).name for i in range(page.roster_proxy.rowCount())]


def test_month_quarter_and_branch_views(page, org_ledger):
    page.set_period(2026, 5)
    assert names(page) == ["陈志强"]
    assert page.w(QLabel, "summaryLabel").text() == "2026年5月共1名党员过政治生日，其中光荣在党50年1名。"
    idx = page.roster.index(0, 0)
    assert idx.data(Qt.ItemDataRole.BackgroundRole).color() == FIFTY_BG
    assert page.roster.index(0, 9).data() == "光荣在党50年"
    assert page.roster.index(0, 6).data() == "50年" and page.roster.index(0, 8).data() == "第51个"

    page.set_period(2026, quarter=2)  # April–June
    assert names(page) == ["陈志强", "李秀英"]
    page.set_period(2026, 12)
    assert names(page) == ["赵敏"] and page.roster.index(0, 6).data() == "预备期"
    assert "预备党员1名" in page.w(QLabel, "summaryLabel").text()

    branch = page.w(QComboBox, "branchCombo")
    page.set_period(2026, quarter=2)
    branch.setCurrentIndex(branch.findData(org_ledger.ids["branch1"]))
    assert names(page) == ["李秀英"]
    page.step(1)  # next quarter, still branch 1
    assert page.w(QComboBox, "periodCombo").currentText() == "第三季度" and names(page) == ["张建国"]
    page.w(QComboBox, "modeCombo").setCurrentIndex(0)  # back to months: first month of the quarter
    assert page.w(QComboBox, "periodCombo").currentText() == "7月"

    branch.setCurrentIndex(0)
    assert page.open_record("member", org_ledger.ids["陈志强"])  # from a 首页 birthday reminder
    rows = page.w(QTableView, "rosterView").selectionModel().selectedRows()
    assert page.w(QComboBox, "periodCombo").currentText() == "5月"
    assert [page.roster_proxy.row_at(i.row()).name for i in rows] == ["陈志强"]


def test_round_anniversary_is_highlighted(page):
    page.set_period(2031, 6)  # 李秀英 joined 2001-06-28: 30th anniversary
    row = page.roster.rows[0]
    assert row.is_round and row.milestone_label == "入党30周年"
    assert page.roster.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None


def test_collective_celebration_with_messages(page, org_ledger, monkeypatch):
    ids = org_ledger.ids
    bd.save_message_template(org_ledger, "祝贺{姓名}同志入党{周年}周年！")
    page.set_period(2026, quarter=2)
    seen = {}

    def fill(d):
        d.w(DateField, "dateEdit").setDate(QDate(2026, 6, 28))
        seen["range"] = d.w(QComboBox, "rangeCombo").currentText()
        seen["candidates"] = [c.name for c in d.model.rows]
        seen["message"] = d.model.rows[0].message
        for i in range(len(d.model.rows)):  # untick everybody: error at the field
            d.model.setData(d.model.index(i, 0), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
        d._accept()
        seen["error"] = d.w(QLabel, "celebrantsError").text()
        rng = d.w(QComboBox, "rangeCombo")
        rng.setCurrentIndex(rng.findText("7月入党的党员"))  # held in late June for the July members
        seen["july"] = [(c.name, c.checked) for c in d.model.rows]
        zhang = d.model.find_member(ids["张建国"])
        d.w(QTableView, "celebrantsView").selectRow(d.proxy.mapFromSource(d.model.index(zhang, 0)).row())
        d.w(QPlainTextEdit, "messageEdit").setPlainText("张建国同志：三十六年初心不改！")

    script(monkeypatch, dialogs.EventDialog, fill)
    page.w(QPushButton, "celebrateButton").click()
    assert seen["range"] == "第二季度入党的党员"
    assert seen["candidates"] == ["陈志强", "李秀英"]
    assert seen["message"] == "祝贺陈志强同志入党51周年！"
    assert seen["error"] == "请至少选择一名过政治生日的党员"
    assert seen["july"] == [("张建国", True)]
    events = bd.list_events(org_ledger, 2026)
    assert len(events) == 1 and page.events.rows == events
    assert events[0].title == "7月份入党党员集体政治生日" and events[0].date == date(2026, 6, 28)
    detail = bd.get_event(org_ledger, events[0].id)
    assert [(c.name, c.anniversary_number, c.message) for c in detail.celebrants] == [
        ("张建国", 36, "张建国同志：三十六年初心不改！")]
    assert "重温入党誓词" in detail.event.activities

    yes = QMessageBox.StandardButton.Yes
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: yes)
    page.w(QTableView, "eventsView").selectRow(0)
    page.w(QPushButton, "deleteEventButton").click()
    assert page.events.rows == []

    def restore(d):
        d.view.selectRow(0)
        d.restore_selected()

    script(monkeypatch, trash.TrashDialog, restore)
    monkeypatch.setattr(trash.TrashDialog, "_accept", lambda self: None, raising=False)
    page.w(QPushButton, "trashButton").click()
    assert [e.id for e in page.events.rows] == [events[0].id]
    assert page.open_record("birthday_event", events[0].id)
    assert page.w(QComboBox, "periodCombo").currentText() == "6月"


def test_template_dialog_rejects_empty_and_previews(page, org_ledger, monkeypatch):
    seen = {}

    def fill(d):
        d.edit.setPlainText("  ")
        d._accept()
        seen["error"] = d.dialog.findChild(QLabel, "errorLabel").text()
        d.edit.setPlainText("{姓名}同志，入党{周年}周年快乐")
        seen["preview"] = d.dialog.findChild(QLabel, "previewLabel").text()

    script(monkeypatch, dialogs.TemplateDialog, fill)
    page.w(QPushButton, "templateButton").click()
    assert "不能为空" in seen["error"] and seen["preview"] == "张建国同志，入党30周年快乐"
    assert bd.get_message_template(org_ledger) == "{姓名}同志，入党{周年}周年快乐"


def test_print_roster_and_cards(page, org_ledger, monkeypatch, qtbot, tmp_path):
    calls, shown = fake_export_service(monkeypatch, tmp_path, warnings=("示例提示",))
    page.set_period(2026, quarter=2)
    page.print_doc("birthdays", "pdf", False)
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=5000)
    page.print_doc("cards", "docx", False)
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=5000)
    assert [c[:3] for c in calls] == [("birthdays", "pdf", ExportFilters(year=2026, quarter=2)),
                                      ("cards", "docx", ExportFilters(year=2026, quarter=2))]
    assert "示例提示" in shown[0]
    eid = bd.save_event(org_ledger, bd.EventInput(date(2026, 6, 28), (bd.CelebrantInput(org_ledger.ids["李秀英"]),)))
    page.reload()
    page.w(QTableView, "eventsView").selectRow(0)
    assert page.w(QToolButton, "printEventCardsButton").isEnabled()
    page.print_doc("cards", "pdf", True)
    qtbot.waitUntil(lambda: len(shown) == 3, timeout=5000)
    assert calls[-1][:3] == ("cards", "pdf", ExportFilters(event=eid))
