"""预备期 dialog: record 转正, 延长预备期 or 取消预备党员资格, linked to the 党员大会 that voted it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QWidget,
)

from desktop.domain.dates import format_cn_date
from desktop.domain.enums import ProbationStep
from desktop.services.members import (
    MemberRow,
    assembly_choices,
    probation_info,
    record_probation_step,
)

from .member_change import MemberStep

HINTS = {
    ProbationStep.CONFIRMED: "转正日期为预备期满之日（不是开会的日子）；党龄从转正日期算起。请选择讨论转正的支部党员大会记录。",
    ProbationStep.EXTENDED: "预备期只能延长一次，最长一年。请写明原因，并选择作出决定的支部党员大会记录。",
    ProbationStep.CANCELLED: "取消预备党员资格后，该同志不再计入本支部党员，此后的会议不再计入应到。记录保留，不会删除。",
}
NO_MEETING = "（不关联：会议记录不在本台账中）"


class ProbationDialog(MemberStep):
    form_name = "member_probation"
    FIELD_KEYS = {"事项": ("err_step", "stepCombo"), "日期": ("err_date", "dateEdit"),
                  "党员大会": ("err_meeting", "meetingCombo"), "延长至": ("err_new_end", "newEndEdit"),
                  "原因": ("err_reason", "reasonEdit")}

    def __init__(self, ledger, row: MemberRow, parent: QWidget | None = None):
        super().__init__(ledger, row, parent)
        self.saved_id: str | None = None
        self.step = self.w(QComboBox, "stepCombo")
        self.date = self.w(QLineEdit, "dateEdit")
        self.meeting = self.w(QComboBox, "meetingCombo")
        self.new_end = self.w(QLineEdit, "newEndEdit")
        self.reason = self.w(QPlainTextEdit, "reasonEdit")
        self.hint = self.w(QLabel, "hintLabel")
        self.show_member(row)
        state = self.info.state
        for s in ProbationStep:
            self.step.addItem(s.value, s.value)
        self.meeting.addItem(NO_MEETING, None)
        for m in assembly_choices(ledger, row.branch_id, state.join_date if state else None):
            self.meeting.addItem(m.label, m.id)
        if self.meeting.count() > 1:
            self.meeting.setCurrentIndex(1)  # the latest 党员大会
        if state is not None:
            self.date.setText(state.end.isoformat())
        self.step.currentIndexChanged.connect(self._step_changed)
        self._step_changed()
        self.wire_buttons(QDialogButtonBox.StandardButton.Ok, "登记")

    def show_member(self, row: MemberRow) -> None:
        self.info = info = probation_info(self.ledger, row.id)
        state = info.state
        head = f"{row.name}（{row.branch_name}，{row.category}）"
        if state is not None:
            head += f"　入党日期 {format_cn_date(state.join_date)}，预备期至 {format_cn_date(state.end)}"
            head += "（已延长）" if state.extended else ""
        self.w(QLabel, "memberLabel").setText(head)
        history = self.w(QListWidget, "historyList")
        history.clear()
        for e in info.events:
            history.addItem(e.text)
        if not info.events:
            history.addItem("尚无转正、延长或取消的记录")

    def _step_changed(self) -> None:
        step = ProbationStep(self.step.currentData())
        extended = step == ProbationStep.EXTENDED
        self.new_end.setVisible(extended)
        self.w(QLabel, "newEndLabel").setVisible(extended)
        self.w(QLabel, "reasonLabel").setText("原因(&R) *" if step != ProbationStep.CONFIRMED else "备注(&R)")
        self.hint.setText(HINTS[step])

    def save(self) -> bool:
        step = self.step.currentData()
        return self.submit(lambda: setattr(self, "saved_id", record_probation_step(
            self.ledger, self.row.id, step, self.date.text(), meeting_id=self.meeting.currentData(),
            new_end=self.new_end.text() or None if step == ProbationStep.EXTENDED else None,
            reason=self.reason.toPlainText(), version=self.version)))
