"""Saving one record updates its row, the list is not read again (no model reset): 党员,
整改清单 and 政治生日 lists, through the real dialogs (三会一课: tests/ui/test_no_freeze.py)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from desktop.services import birthdays as bd
from desktop.services import rectification as rect
from desktop.ui.birthdays import dialogs as bd_dialogs
from desktop.ui.context import AppContext
from desktop.ui.dialogs import member_editor
from desktop.ui.rectification import measures

from .test_members_page import _page


def _watch(model):
    resets, changed = [], []
    model.modelAboutToBeReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(lambda a, b, *_: changed.append((a.row(), b.row())))
    return resets, changed


def test_saving_a_member_updates_its_row(qtbot, main_window, org_ledger, monkeypatch):
    page = _page(main_window)
    page.select_member(org_ledger.ids["王磊"])
    resets, changed = _watch(page.model)

    def drive(self):
        self.job_title.setText("规划科科长")
        assert self.save()
        return 1

    monkeypatch.setattr(member_editor.MemberEditor, "exec", drive)
    page.edit()
    qtbot.waitUntil(lambda: page.selected().job_title == "规划科科长", timeout=3000)
    assert resets == [] and len(changed) == 1 and changed[0][0] == changed[0][1]
    assert page.model.row_at(changed[0][0]).id == org_ledger.ids["王磊"]
    assert page.selected().id == org_ledger.ids["王磊"] and len(page.model.rows) == 5


def test_a_new_member_or_a_changed_join_date_reads_the_list_again(qtbot, main_window, org_ledger, monkeypatch):
    page = _page(main_window)
    resets, _changed = _watch(page.model)

    def drive(self):
        self.join.setText("2016-01-20")  # 入党日期 orders the list
        assert self.save()
        return 1

    monkeypatch.setattr(member_editor.MemberEditor, "exec", drive)
    page.select_member(org_ledger.ids["王磊"])
    page.edit()
    qtbot.waitUntil(lambda: resets != [], timeout=3000)
    assert page.selected().join_date == date(2016, 1, 20)


def _measure_page(qtbot, ledger):
    from desktop.ui.pages.rectification import RectificationPage

    p = RectificationPage(AppContext(ledger))
    qtbot.addWidget(p)
    p.resize(1180, 700)
    p.reload()
    return p


def test_saving_a_measure_updates_its_row(qtbot, ledger, monkeypatch):
    cid = rect.save_campaign(ledger, rect.CampaignInput("学习贯彻新时代中国特色社会主义思想主题教育", 2026))
    cat = rect.save_category(ledger, cid, "理论学习")
    prob = rect.save_problem(ledger, rect.ProblemInput(cat, "理论学习不够系统深入", "自查", True))
    first = rect.save_measure(ledger, rect.MeasureInput(prob, "制定学习计划", leader="王建军", deadline=date(2026, 12, 31)))
    second = rect.save_measure(ledger, rect.MeasureInput(prob, "每月专题研讨", leader="李华", deadline=date(2026, 12, 31)))
    page = _measure_page(qtbot, ledger)
    page.select(second)
    resets, changed = _watch(page.model)

    def fill(d):
        d.w(QPlainTextEdit, "contentEdit").setPlainText("每月专题研讨，形成研讨纪要")
        d.w(QLineEdit, "leaderEdit").setText("李华、赵刚")

    def exec_(self):
        fill(self)
        self._accept()
        return self.dialog.result()

    monkeypatch.setattr(measures.MeasureDialog, "exec", exec_)
    page.edit_selected()
    qtbot.waitUntil(lambda: page.selected_node().content == "每月专题研讨，形成研讨纪要", timeout=3000)
    assert resets == [] and changed == [(1, 1)]
    node = page.selected_node()
    assert (node.id, node.number, node.leader) == (second, 2, "李华、赵刚")
    assert [m.content for _c, _p, m in page.tree.measures()] == ["制定学习计划", "每月专题研讨，形成研讨纪要"]
    rect.delete(ledger, "measure", first)  # a deleted measure renumbers the list: read whole
    qtbot.waitUntil(lambda: resets != [], timeout=3000)
    assert [m.number for _c, _p, m in page.tree.measures()] == [1]


def test_saving_a_celebration_updates_its_row(qtbot, org_ledger, monkeypatch):
    from desktop.ui.pages.birthdays import BirthdaysPage

    ids = org_ledger.ids
    for day in (date(2026, 6, 28), date(2026, 7, 1)):
        bd.save_event(org_ledger, bd.EventInput(day, (bd.CelebrantInput(ids["李秀英"]),), title="集体过政治生日"))
    page = BirthdaysPage(AppContext(org_ledger))
    qtbot.addWidget(page)
    page.resize(1180, 700)
    page.set_period(2026, 6)
    page.reload()
    assert len(page.events.rows) == 2
    target = page.events.row_at(1)
    resets, changed = _watch(page.events)
    roster_resets, _ = _watch(page.roster)

    def exec_(self):
        self.w(QLineEdit, "titleEdit").setText("七一集体过政治生日")
        self._accept()
        return self.dialog.result()

    monkeypatch.setattr(bd_dialogs.EventDialog, "exec", exec_)
    bd_dialogs.EventDialog(org_ledger, page._branches(), target.id, parent=page).exec()
    qtbot.waitUntil(lambda: page.events.row_at(1).title == "七一集体过政治生日", timeout=3000)
    assert resets == [] and roster_resets == [] and changed == [(1, 1)]
