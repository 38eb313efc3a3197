"""Every date box takes a whole typed date and says what it understood (DateField).

QDateEdit kept the old year when the whole text was selected and 2027-06-30 typed over it, and
ignored 20261112; these tests type with QTest.keyClicks into the real widgets of the forms.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from desktop.services import rectification as rect
from desktop.ui.datefield import DateField
from desktop.ui.forms import load_form
from desktop.ui.rectification import measures

FORMS = Path(__file__).resolve().parents[2] / "forms"


def type_into(widget, text: str) -> None:
    """Keys for ASCII; Chinese characters arrive as an input method's commit, as on a real PC
    (QTest.keyClicks only handles Latin-1)."""
    for ch in text:
        if ch.isascii():
            QTest.keyClicks(widget, ch)
        else:
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QApplication.sendEvent(widget, event)


def retype(field: DateField, text: str) -> None:
    """What a user does: click into the box, select all, type."""
    field.setFocus()
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_into(field, text)


@pytest.mark.parametrize("typed", ["2027-06-30", "2027/6/30", "2027.6.30", "20270630", "2027年6月30日",
                                   " 2027 - 06 - 30 "])
def test_a_typed_full_date_replaces_the_old_one(qtbot, typed):
    field = DateField()
    qtbot.addWidget(field)
    field.setDate(date(2026, 3, 1))
    changes = []
    field.dateChanged.connect(changes.append)
    retype(field, typed)
    assert field.value() == date(2027, 6, 30)
    assert field.hint() in {"周三", "→ 2027-06-30 周三"}
    field.editingFinished.emit()  # leaving the box
    assert field.text() == "2027-06-30" and field.hint() == "周三"
    assert [(q.year(), q.month(), q.day()) for q in changes] == [(2027, 6, 30)]


def test_unreadable_and_blank_text_is_said_not_guessed(qtbot):
    field = DateField()
    qtbot.addWidget(field)
    field.setDate(date(2026, 3, 1))
    retype(field, "2027-02-30")
    assert field.value() is None and field.hint() == "无法识别" and field.property("invalid") is True
    assert not field.date().isValid()
    with pytest.raises(Exception, match="2027-02-30 不是有效日期"):
        field.checked_date("整改时限")
    retype(field, "")
    QTest.keyClick(field, Qt.Key.Key_Delete)
    assert field.text() == "" and field.hint() == "" and field.value() is None


def test_no_form_uses_qdateedit():
    offenders = [p.name for p in FORMS.glob("*.ui") if 'class="QDateEdit"' in p.read_text(encoding="utf-8")]
    assert offenders == []
    date_fields = {p.stem: re.findall(r'class="DateField" name="(\w+)"', p.read_text(encoding="utf-8"))
                   for p in FORMS.glob("*.ui")}
    assert date_fields["member_editor"] == ["birthEdit", "joinEdit", "fullEdit", "sinceEdit"]
    assert date_fields["rect_measure"] == ["deadlineEdit"] and date_fields["meeting_new"] == ["dateEdit"]


def test_every_date_box_loads_as_datefield(qapp):
    for name in ("meeting_editor", "member_status", "post_editor", "rect_campaign", "birthday_event"):
        form = load_form(name)
        assert form.findChildren(DateField), name
        form.deleteLater()


def _measure(ledger):
    cid = rect.save_campaign(ledger, rect.CampaignInput("主题教育", 2026))
    cat = rect.save_category(ledger, cid, "理论学习")
    problem = rect.save_problem(ledger, rect.ProblemInput(cat, "学习不够系统", "自查"))
    return problem, rect.save_measure(ledger, rect.MeasureInput(problem, "制定学习计划", leader="王建军",
                                                                deadline=date(2026, 6, 30), status="已完成"))


def _node(ledger, mid):
    tree = rect.get_campaign_tree(ledger, rect.list_campaigns(ledger)[0].id)
    return next(m for _c, _p, m in tree.measures() if m.id == mid), tree


def test_typed_deadline_is_saved_with_its_year(qtbot, ledger):
    """The reported case: select all in 整改时限 (2026-06-30), type 2027-06-30, save → 2027."""
    problem, mid = _measure(ledger)
    _node_, tree = _node(ledger, mid)
    dialog = measures.MeasureDialog(ledger, tree, problem, mid)
    qtbot.addWidget(dialog.dialog)
    field = dialog.w(DateField, "deadlineEdit")
    assert field.text() == "2026-06-30"
    retype(field, "2027-06-30")
    QTest.keyClick(field, Qt.Key.Key_Tab)
    dialog.w(QDialogButtonBox, "buttonBox").button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.dialog.result() == 1
    assert rect.get_measure(ledger, mid).deadline == date(2027, 6, 30)


def test_typed_compact_date_closes_a_measure_on_that_day(qtbot, ledger):
    _problem, mid = _measure(ledger)
    dialog = measures.CloseDialog(ledger, _node(ledger, mid)[0])
    qtbot.addWidget(dialog.dialog)
    field = dialog.w(DateField, "dateEdit")
    retype(field, "20261112")
    assert field.hint() == "→ 2026-11-12 周四"
    dialog.w(QDialogButtonBox, "buttonBox").button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.dialog.result() == 1
    assert rect.get_measure(ledger, mid).closed_on == date(2026, 11, 12)


def test_an_unreadable_date_is_refused_at_the_field(qtbot, ledger):
    _problem, mid = _measure(ledger)
    dialog = measures.CloseDialog(ledger, _node(ledger, mid)[0])
    qtbot.addWidget(dialog.dialog)
    retype(dialog.w(DateField, "dateEdit"), "2026年13月1日")
    dialog.w(QDialogButtonBox, "buttonBox").button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.dialog.result() == 0
    assert "不是有效日期" in dialog.w(QLabel, "dateError").text()
    assert rect.get_measure(ledger, mid).closed_on is None


def test_new_meeting_typed_as_compact_date(qtbot, org_ledger):
    from desktop.ui.meetings.dialogs import NewMeetingDialog

    dialog = NewMeetingDialog(org_ledger, branch_id=org_ledger.ids["branch1"], day=date(2026, 3, 1))
    qtbot.addWidget(dialog.dialog)
    retype(dialog.w(DateField, "dateEdit"), "20261112")
    dialog.button_box().accepted.emit()
    assert dialog.result is not None and dialog.result.date == date(2026, 11, 12)
