"""One dialog framework (desktop/ui/formdialog.py): every record dialog shows a refused save the
same way: the message next to the field (or in the dialog's message line, naming the field), the
input marked invalid with the message as its tooltip, the focus on the first bad field, the dialog
still open; a good save closes it and clears the marks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLabel, QLineEdit, QWidget

from desktop.services.members import list_members
from desktop.services.organization import list_branches
from desktop.ui.birthdays.dialogs import EventDialog, TemplateDialog
from desktop.ui.dialogs.branch_editor import BranchEditor, PostEditor
from desktop.ui.dialogs.member_change import TransferDialog
from desktop.ui.dialogs.member_editor import MemberEditor
from desktop.ui.formdialog import FormDialog
from desktop.ui.meetings.dialogs import MarkDialog, NewMeetingDialog
from desktop.ui.rectification.editors import CampaignDialog, CategoryDialog


def _ok(d: FormDialog) -> None:
    box = d.w(QDialogButtonBox, "buttonBox")
    for which in (QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Save):
        button = box.button(which)
        if button is not None:
            button.click()
            return
    raise AssertionError("no OK button")


def _member(ledger, name="张建国"):
    return next(r for r in list_members(ledger) if r.name == name)


def _branch(ledger, name="第一党支部"):
    return next(b for b in list_branches(ledger) if b.name == name)


# dialog → (build(ledger), make it invalid, (error label or "", bad widget), the message, make it valid)
CASES = {
    "member": (lambda led: MemberEditor(led),
               lambda d: d.w(QLineEdit, "nameEdit").setText(""),
               ("err_name", "nameEdit"), "不能为空",
               lambda d: (d.w(QLineEdit, "nameEdit").setText("李新"),
                          d.w(QWidget, "joinEdit").setDate(date(2020, 7, 1)),
                          d.w(QWidget, "birthEdit").setDate(date(1990, 5, 1)))),
    "branch": (lambda led: BranchEditor(led),
               lambda d: d.w(QLineEdit, "nameEdit").setText("第一党支部"),
               ("err_name", "nameEdit"), "已有名为",
               lambda d: d.w(QLineEdit, "nameEdit").setText("第九党支部")),
    "transfer": (lambda led: TransferDialog(led, _member(led)),
                 lambda d: d.w(QLineEdit, "dateEdit").setText("2026-13-45"),
                 ("errorLabel", "dateEdit"), "调动日期：",
                 None),
    "post": (lambda led: PostEditor(led, _branch(led)),
             lambda d: d.w(QComboBox, "memberCombo").setCurrentIndex(d.w(QComboBox, "memberCombo").findData(None)),
             ("errorLabel", "memberCombo"), "党员：",
             None),
    "campaign": (lambda led: CampaignDialog(led, []),
                 lambda d: d.w(QLineEdit, "nameEdit").setText(""),
                 ("nameError", "nameEdit"), "",
                 lambda d: d.w(QLineEdit, "nameEdit").setText("学习贯彻主题教育")),
    "category": (lambda led: CategoryDialog(led, _campaign(led)),
                 lambda d: d.w(QLineEdit, "nameEdit").setText(" "),
                 ("nameError", "nameEdit"), "",
                 lambda d: d.w(QLineEdit, "nameEdit").setText("理论学习方面")),
    "birthday_event": (lambda led: EventDialog(led, [(_branch(led).id, "第一党支部")], day=date(2026, 7, 1)),
                       lambda d: d.model.rows.__setitem__(slice(None), [replace(c, checked=False) for c in d.model.rows]),
                       ("celebrantsError", "celebrantsView"), "",
                       None),
    "birthday_template": (lambda led: TemplateDialog(led),
                          lambda d: d.edit.setPlainText("  "),
                          ("errorLabel", "templateEdit"), "寄语模板：不能为空",
                          lambda d: d.edit.setPlainText("{姓名}同志，入党{周年}周年快乐")),
    "new_meeting": (lambda led: NewMeetingDialog(led),
                    lambda d: d.date.setText("2026-13-45"),
                    ("errorLabel", "dateEdit"), "会议日期",
                    lambda d: d.date.setDate(date(2026, 6, 10))),
    "mark": (lambda led: MarkDialog(["张建国"], excluded=False),
             lambda d: d.w(QComboBox, "reasonCombo").setEditText(""),
             ("", "reasonCombo"), "请选择或填写原因",
             lambda d: d.w(QComboBox, "reasonCombo").setEditText("病假")),
}


def _campaign(ledger) -> str:
    from desktop.services import rectification as rect

    return rect.save_campaign(ledger, rect.CampaignInput("主题教育", 2026, None, None, None, "", None))


@pytest.mark.parametrize("name", sorted(CASES))
def test_refused_save_is_shown_at_the_field(qtbot, org_ledger, name):
    build, spoil, (label_name, widget_name), text, fix = CASES[name]
    d = build(org_ledger)
    qtbot.addWidget(d.dialog)
    d.dialog.show()
    assert not [lbl.objectName() for lbl in d._error_labels() if lbl.isVisible()], "error labels start hidden"
    spoil(d)
    _ok(d)
    assert d.dialog.isVisible() and d.dialog.result() == 0, "a refused save keeps the dialog open"
    widget = d.dialog.findChild(QWidget, widget_name)
    assert widget.property("invalid") is True and widget.toolTip(), "the bad field is marked"
    assert d.dialog.focusWidget() is widget or widget.isAncestorOf(d.dialog.focusWidget()), "focus on the bad field"
    shown = [lbl.text() for lbl in d._error_labels() if not lbl.isHidden() and lbl.text()]
    qtbot.wait(20)  # the layout settles
    clipped = [lbl.text() for lbl in d._error_labels() if lbl.isVisible() and lbl.wordWrap()
               and lbl.height() < lbl.heightForWidth(lbl.width())]
    assert not clipped, f"messages cut off: {clipped}"  # the member form's 入党日期 message was
    if label_name:
        label = d.dialog.findChild(QLabel, label_name)
        assert not label.isHidden() and label.text() and text in label.text(), shown
    else:
        assert any(text in t for t in shown), shown
    if fix is None:
        return
    fix(d)
    _ok(d)
    assert d.dialog.result() == 1, [lbl.text() for lbl in d._error_labels() if not lbl.isHidden()]
    assert widget.property("invalid") is False and not widget.toolTip()
    assert not [lbl for lbl in d._error_labels() if not lbl.isHidden()]


def test_messages_for_other_fields_go_to_the_message_line_naming_the_field(qtbot, org_ledger):
    from desktop.domain.errors import DomainValidationError, ValidationErrors

    d = CampaignDialog(org_ledger, [])
    qtbot.addWidget(d.dialog)
    d.dialog.show()
    d.show_errors(ValidationErrors([DomainValidationError("记录", "已被删除"),
                                    DomainValidationError("活动名称", "不能为空"),
                                    DomainValidationError("结束日期", "早于开始日期")]))
    assert d.error_text("nameError") == "不能为空" and d.error_text("endError") == "早于开始日期"
    assert d.error_text("errorLabel") == "记录：已被删除"
    assert d.dialog.focusWidget() is d.w(QWidget, "nameEdit")  # the first bad field
    assert d.w(QWidget, "endEdit").toolTip() == "早于开始日期"
    d.clear_errors()
    assert not d.error_text("endError") and not d.error_text("errorLabel")
    assert d.w(QWidget, "endEdit").property("invalid") is False


def test_no_dialog_keeps_its_own_error_display():
    """The framework is the only place that shows field errors (the older copies are gone)."""
    import desktop.ui.rectification.common as common

    assert not hasattr(common, "FieldErrors") and not hasattr(common, "chinese_buttons")
    for cls in (EventDialog, TemplateDialog, CampaignDialog, CategoryDialog, NewMeetingDialog, MarkDialog):
        assert issubclass(cls, FormDialog)
