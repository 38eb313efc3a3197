"""调动 and 状态变动: changes that keep the member's history (Membership periods)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLabel, QLineEdit, QWidget

from desktop.domain.enums import MembershipChange, MemberStatus
from desktop.services.members import MemberRow, change_status, member_rows, transfer_member
from desktop.services.organization import list_branches

from ..formdialog import FormDialog

STATUS_HINTS = {
    MemberStatus.ACTIVE: "在职党员。",
    MemberStatus.RETIRED: "退休后仍在本支部的党员；仍计入应到人数。",
    MemberStatus.MOBILE: "外出流动党员；仍属本支部，仍计入应到人数（长期外出可在会议中按规定不计入应到）。",
    MemberStatus.TRANSFERRED_OUT: "组织关系转出：变动日期为在本支部的最后一天，此后的会议不再计入。",
    MemberStatus.DECEASED: "去世：变动日期为去世日期，此后的会议不再计入。记录保留，不会删除。",
}


class MemberStep(FormDialog):
    """A change of one member shown in the list (调动, 状态变动, 预备期 — desktop.ui.dialogs.member_probation):
    sent with the member's version as listed, so a member someone else changed meanwhile is asked
    about (重新载入 shows the member as stored; the user's entries stay)."""

    def __init__(self, ledger, row: MemberRow, parent: QWidget | None = None):
        super().__init__(parent)
        self.ledger, self.row, self.version = ledger, row, row.version

    def reload_record(self) -> None:
        row = member_rows(self.ledger, {self.row.id}).get(self.row.id)
        if row is None:
            raise LookupError("该党员不存在或已删除")
        self.row, self.version = row, row.version
        self.show_member(row)

    def show_member(self, row: MemberRow) -> None:
        raise NotImplementedError


class TransferDialog(MemberStep):
    form_name = "member_transfer"
    general_error = "errorLabel"  # messages there; the field is marked and focused
    FIELD_KEYS = {"调入支部": ("", "branchCombo"), "调入党小组": ("", "groupCombo"), "调动日期": ("", "dateEdit")}

    def __init__(self, ledger, row: MemberRow, parent: QWidget | None = None):
        super().__init__(ledger, row, parent)
        self.show_member(row)
        self.branch = self.w(QComboBox, "branchCombo")
        self.group = self.w(QComboBox, "groupCombo")
        self.date = self.w(QLineEdit, "dateEdit")
        self.reason = self.w(QComboBox, "reasonCombo")
        self.notes = self.w(QLineEdit, "notesEdit")
        for b in list_branches(ledger):
            self.branch.addItem(b.name, b.id)
        self.branch.setCurrentIndex(max(0, self.branch.findData(row.branch_id)))
        self.branch.currentIndexChanged.connect(self._groups)
        self._groups()
        reasons = [MembershipChange.MOVED, MembershipChange.TRANSFER_IN]
        if row.status == MemberStatus.TRANSFERRED_OUT:
            reasons.reverse()
        for r in reasons:
            self.reason.addItem(r.value, r.value)
        self.date.setText(date.today().isoformat())
        self.wire_buttons(QDialogButtonBox.StandardButton.Ok, "确定")

    def show_member(self, row: MemberRow) -> None:
        where = row.branch_name + (f" · {row.group_name}" if row.group_name else "")
        self.w(QLabel, "memberLabel").setText(f"{row.name}（现在：{where or '无'}，{row.status}）")

    def _groups(self) -> None:
        self.fill_groups(self.group, self.ledger, self.branch.currentData())

    def save(self) -> bool:
        return self.submit(lambda: transfer_member(
            self.ledger, self.row.id, to_branch_id=self.branch.currentData(), to_group_id=self.group.currentData(),
            on=self.date.text(), reason=self.reason.currentData(), notes=self.notes.text(), version=self.version))


class StatusDialog(MemberStep):
    form_name = "member_status"
    general_error = "errorLabel"
    FIELD_KEYS = {"状态": ("", "statusCombo"), "变动日期": ("", "dateEdit")}

    def __init__(self, ledger, row: MemberRow, parent: QWidget | None = None):
        super().__init__(ledger, row, parent)
        self.show_member(row)
        self.status = self.w(QComboBox, "statusCombo")
        self.date = self.w(QLineEdit, "dateEdit")
        self.notes = self.w(QLineEdit, "notesEdit")
        self.hint = self.w(QLabel, "hintLabel")
        for s in MemberStatus:  # 取消资格 only through 预备期 › 取消预备党员资格 (with its meeting)
            if s.value != row.status and s != MemberStatus.CANCELLED:
                self.status.addItem(s.value, s.value)
        self.status.currentIndexChanged.connect(self._hint)
        self._hint()
        self.wire_buttons(QDialogButtonBox.StandardButton.Ok, "确定")

    def show_member(self, row: MemberRow) -> None:
        self.w(QLabel, "memberLabel").setText(f"{row.name}（{row.branch_name}，现为 {row.status}）")

    def _hint(self) -> None:
        value = self.status.currentData()
        self.hint.setText(STATUS_HINTS.get(MemberStatus(value), "") if value else "")

    def save(self) -> bool:
        return self.submit(lambda: change_status(
            self.ledger, self.row.id, self.status.currentData(), self.date.text() or None, self.notes.text(),
            version=self.version))
