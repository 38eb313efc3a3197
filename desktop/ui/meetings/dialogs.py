"""Dialogs around a meeting record: new, mark absent/excluded, reopen, agenda templates."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from desktop.domain.enums import ABSENCE_REASONS, EXCLUSION_REASONS
from desktop.domain.errors import DomainValidationError
from desktop.domain.meeting_kinds import find_spec, kind_names, not_offered_reasons, offered_kinds
from desktop.services import meetings as svc
from desktop.services.organization import list_branches, list_groups

from ..datefield import DateField
from ..formdialog import FormDialog, chinese_buttons


def fill_branches(box: QComboBox, ledger, current: str | None = None, all_label: str | None = None) -> None:
    box.blockSignals(True)
    box.clear()
    if all_label:
        box.addItem(all_label, None)
    for b in list_branches(ledger):
        box.addItem(b.name, b.id)
    if current:
        i = box.findData(current)
        if i >= 0:
            box.setCurrentIndex(i)
    box.blockSignals(False)


def fill_groups(box: QComboBox, ledger, branch_id: str | None, current: str | None = None) -> None:
    box.clear()
    if branch_id:
        for g in list_groups(ledger, branch_id):
            box.addItem(g.name, g.id)
    if current:
        i = box.findData(current)
        if i >= 0:
            box.setCurrentIndex(i)


class NewMeetingDialog(FormDialog):
    """Choose branch, kind (and group) and date; returns the proposed MeetingInput."""

    form_name = "meeting_new"
    FIELD_KEYS = {"支部": ("", "branchCombo"), "党小组": ("", "groupCombo"), "会议日期": ("", "dateEdit")}

    def __init__(self, ledger, parent: QWidget | None = None, *, branch_id: str | None = None,
                 kind: str | None = None, day: date | None = None):
        super().__init__(parent)
        self.ledger = ledger
        self.result: svc.MeetingInput | None = None
        self.branch = self.w(QComboBox, "branchCombo")
        self.kind = self.w(QComboBox, "kindCombo")
        self.group = self.w(QComboBox, "groupCombo")
        self.date = self.w(DateField, "dateEdit")
        fill_branches(self.branch, ledger, branch_id)
        self._fill_kinds(kind)
        d = day or date.today()
        self.date.setDate(d)
        self.branch.currentIndexChanged.connect(lambda _i: self._fill_kinds(self.kind.currentText()))
        self.branch.currentIndexChanged.connect(self._adapt)
        self.kind.currentIndexChanged.connect(self._adapt)
        self.button_box().accepted.connect(self._accept)
        self.button_box().rejected.connect(self.dialog.reject)
        self._adapt()

    def _fill_kinds(self, wanted: str | None) -> None:
        """Only the kinds this branch holds: no 支委会 without a committee, no 党小组会 without groups."""
        branch_id = self.branch.currentData()
        row = next((b for b in list_branches(self.ledger) if b.id == branch_id), None)
        groups = (row.group_count if row.has_groups else 0) if row else 0
        kinds = offered_kinds(row.has_committee, groups) if row else kind_names()
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItems(kinds)
        if wanted and self.kind.findText(wanted) >= 0:
            self.kind.setCurrentText(wanted)
        self.kind.blockSignals(False)
        why = not_offered_reasons(row.has_committee, groups) if row else []
        self.kind.setToolTip("本支部" + "；".join(why) + "（可在“组织”中修改支部设置）" if why else "")

    def _per_group(self) -> bool:
        spec = find_spec(self.kind.currentText())
        return spec is not None and spec.per_group

    def _adapt(self) -> None:
        is_group = self._per_group()
        fill_groups(self.group, self.ledger, self.branch.currentData())
        self.group.setVisible(is_group)
        self.w(QLabel, "groupLabel").setVisible(is_group)

    def _accept(self) -> None:
        def create() -> None:
            branch_id = self.branch.currentData()
            if not branch_id:
                raise DomainValidationError("支部", "请先在“组织”页建立支部。")
            kind = self.kind.currentText()
            group_id = self.group.currentData() if self._per_group() else None
            if self._per_group() and self.group.count() and not group_id:
                raise DomainValidationError("党小组", "请选择党小组。")
            self.result = svc.new_meeting(self.ledger, branch_id, kind, self.date.checked_date("会议日期"), group_id)

        self.submit(create)


class MarkDialog(FormDialog):
    """Mark the selected members absent or excluded from 应到, with one reason for all."""

    form_name = "meeting_mark"
    FIELD_KEYS = {"原因": ("", "reasonCombo")}

    def __init__(self, names: list[str], excluded: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.reason = ""
        self.dialog.setWindowTitle("不计入应到" if excluded else "标记缺席")
        self.w(QLabel, "whoLabel").setText(("不计入应到：" if excluded else "缺席：") + "、".join(names))
        box = self.w(QComboBox, "reasonCombo")
        box.addItems(EXCLUSION_REASONS if excluded else ABSENCE_REASONS)
        box.setEditText("")
        hint = self.w(QLabel, "hintLabel")
        hint.setText("须经上级党组织批准，并写明原因。" if excluded else "可从列表中选择，也可直接输入，如“外出执行任务”。")
        self.button_box().accepted.connect(self._accept)
        self.button_box().rejected.connect(self.dialog.reject)

    def _accept(self) -> None:
        def take() -> None:
            text = self.w(QComboBox, "reasonCombo").currentText().strip()
            if not text:
                raise DomainValidationError("原因", "请选择或填写原因")
            self.reason = text

        self.submit(take)


class ReopenDialog(FormDialog):
    form_name = "meeting_reopen"
    FIELD_KEYS = {"重新打开原因": ("", "reasonEdit")}

    def __init__(self, ledger, meeting_id: str, subject: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ledger, self.meeting_id = ledger, meeting_id
        self.w(QLabel, "meetingLabel").setText(subject)
        self.button_box().button(QDialogButtonBox.StandardButton.Ok).setText("重新打开")
        self.button_box().accepted.connect(self._accept)
        self.button_box().rejected.connect(self.dialog.reject)

    def _accept(self) -> None:
        self.submit(lambda: svc.reopen_meeting(self.ledger, self.meeting_id,
                                               self.w(QPlainTextEdit, "reasonEdit").toPlainText()))


class TemplatesDialog(FormDialog):
    """Edit the agenda template of each kind (stored in the ledger, committee-wide). Saving sends
    what was shown of each kind: another user's save since is asked about as any record's
    (「该记录已被 <谁> 于 <时间> 修改」: 重新载入 / 另存为新版本 / 取消, desktop.ui.formdialog)."""

    form_name = "meeting_templates"

    def __init__(self, ledger, parent: QWidget | None = None, kind: str | None = None):
        super().__init__(parent)
        self.ledger = ledger
        self.kind = self.w(QComboBox, "kindCombo")
        self.items = self.w(QPlainTextEdit, "itemsEdit")
        self.kind.addItems(kind_names())
        if kind:
            self.kind.setCurrentText(kind)
        self._texts: dict[str, str] = {}  # what the user has in each kind looked at
        self._stored: dict[str, list[str]] = {}  # what was shown of each kind: saving compares it
        self._shown = ""
        self.kind.currentTextChanged.connect(self._switch)
        self.w(QPushButton, "resetButton").clicked.connect(self._reset)
        chinese_buttons(self.button_box())
        self.button_box().accepted.connect(self._accept)
        self.button_box().rejected.connect(self.dialog.reject)
        self._switch(self.kind.currentText())

    def _switch(self, kind: str) -> None:
        if self._shown:
            self._texts[self._shown] = self.items.toPlainText()
        self._shown = kind
        text = self._texts.get(kind)
        if text is None:
            self._stored[kind] = svc.get_agenda_template(self.ledger, kind)
            text = "\n".join(self._stored[kind])
        self.items.setPlainText(text)

    def _reset(self) -> None:
        spec = find_spec(self.kind.currentText())
        self.items.setPlainText("\n".join(spec.default_agenda if spec else ()))

    def _accept(self) -> bool:
        self._texts[self._shown] = self.items.toPlainText()
        texts = {kind: text.split("\n") for kind, text in self._texts.items()}
        return self.submit(lambda: svc.save_agenda_templates(self.ledger, texts, shown=dict(self._stored)))

    def reload_record(self) -> None:
        """重新载入: each kind someone else saved since it was shown is shown as stored now (the
        user's edits of it dropped); the first of them comes to the front."""
        self._texts[self._shown] = self.items.toPlainText()
        changed = []
        for kind in self._texts:
            now = svc.get_agenda_template(self.ledger, kind)
            if now != self._stored[kind]:
                self._stored[kind], self._texts[kind] = now, "\n".join(now)
                changed.append(kind)
        if self._shown in changed:
            self.items.setPlainText(self._texts[self._shown])
        elif changed:
            self.kind.setCurrentText(changed[0])

    def resubmit(self) -> object:
        """另存为新版本: the kinds the user changed are saved on top of what is stored now; a kind
        the user left alone keeps the other user's template."""
        self._texts[self._shown] = self.items.toPlainText()
        for kind, text in self._texts.items():
            if svc.template_lines(text.split("\n")) != self._stored[kind]:
                self._stored[kind] = svc.get_agenda_template(self.ledger, kind)
        return self._accept()
