"""The 整改措施 dialogs: a measure, its 销号 (a separate, confirmed action) and its 进展 entries."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
)

from desktop.domain.enums import MeasureStatus, MeasureType
from desktop.domain.errors import DomainValidationError
from desktop.domain.rectification import can_close
from desktop.services import rectification as rect

from ..datefield import DateField
from .common import setup_date_edit
from .editors import RecordDialog


class MeasureDialog(RecordDialog):
    """Edits everything but 销号 (a separate, confirmed action); a closed measure stays closed."""

    form_name = "rect_measure"

    def __init__(self, ledger, tree: rect.CampaignTree, problem_id: str | None,
                 measure_id: str | None = None, parent=None):
        super().__init__(ledger, parent)
        self.fields({
            "整改措施": ("contentEdit", "contentError"), "整改类型": ("typeCombo", "typeError"),
            "整改时限": ("deadlineEdit", "deadlineError"), "状态": ("statusCombo", "statusError"),
        })  # fmt: skip
        self.data = rect.get_measure(ledger, measure_id) if measure_id else None
        self.version = self.data.version if self.data else None
        probs = self.w(QComboBox, "problemCombo")
        for c, p in tree.problems():
            probs.addItem(f"{c.name} › 问题{p.number}：{' '.join(p.description.split())[:40]}", p.id)
        probs.setCurrentIndex(max(0, probs.findData(self.data.problem_id if self.data else problem_id)))
        types = self.w(QComboBox, "typeCombo")
        for t in MeasureType:
            types.addItem(t.value, t.value)
        self._fill_states(self.data is not None and self.data.status == MeasureStatus.CLOSED)
        check, de = self.w(QCheckBox, "deadlineCheck"), self.w(DateField, "deadlineEdit")
        check.toggled.connect(de.setEnabled)
        self.setWindowTitle("编辑整改措施" if self.data else "新增整改措施")
        if self.data:
            self._load(self.data)
        else:
            setup_date_edit(de, None)
            check.setChecked(True)
            de.setEnabled(True)
            types.setCurrentIndex(types.findData(MeasureType.DEADLINE.value))
        types.currentIndexChanged.connect(self._type_changed)

    def _fill_states(self, closed: bool) -> None:
        """The 状态 choices: 已销号 only for a measure already closed (销号 is its own action), and
        then the choice is locked."""
        states = self.w(QComboBox, "statusCombo")
        states.clear()
        for s in MeasureStatus:
            if s != MeasureStatus.CLOSED or closed:
                states.addItem(s.value, s.value)
        states.setEnabled(not closed)

    def _load(self, d: rect.MeasureInput) -> None:
        check, de = self.w(QCheckBox, "deadlineCheck"), self.w(DateField, "deadlineEdit")
        setup_date_edit(de, d.deadline)
        check.setChecked(d.deadline is not None)
        de.setEnabled(check.isChecked())
        probs, types, states = (self.w(QComboBox, n) for n in ("problemCombo", "typeCombo", "statusCombo"))
        probs.setCurrentIndex(max(0, probs.findData(d.problem_id)))
        self.w(QPlainTextEdit, "contentEdit").setPlainText(d.content)
        self.w(QPlainTextEdit, "targetEdit").setPlainText(d.target)
        self.w(QLineEdit, "leaderEdit").setText(d.leader)
        self.w(QLineEdit, "ownerEdit").setText(d.owner)
        types.setCurrentIndex(max(0, types.findData(d.type)))
        states.setCurrentIndex(max(0, states.findData(d.status)))
        self.w(QPlainTextEdit, "evidenceEdit").setPlainText(d.evidence)
        if d.status == MeasureStatus.CLOSED:
            self.w(QLabel, "closedLabel").setText(f"已于 {d.closed_on.isoformat()} 销号。如需改变状态，请先“撤销销号”。")

    def reload_record(self) -> None:
        """重新载入: the measure as stored now (someone else's save), replacing the user's edits."""
        self.data = rect.get_measure(self.ledger, self.data.id)
        self.version = self.data.version
        self._fill_states(self.data.status == MeasureStatus.CLOSED)
        self.w(QLabel, "closedLabel").clear()
        self._load(self.data)

    def _type_changed(self) -> None:
        if self.w(QComboBox, "typeCombo").currentData() == MeasureType.LONG_TERM:
            self.w(QCheckBox, "deadlineCheck").setChecked(False)

    def save(self) -> str:
        problem_id = self.w(QComboBox, "problemCombo").currentData()
        if not problem_id:
            raise DomainValidationError("所属问题", "请先新增问题")
        deadline = (self.w(DateField, "deadlineEdit").checked_date("整改时限")
                    if self.w(QCheckBox, "deadlineCheck").isChecked() else None)
        return rect.save_measure(self.ledger, rect.MeasureInput(
            problem_id, self.w(QPlainTextEdit, "contentEdit").toPlainText(),
            self.w(QPlainTextEdit, "targetEdit").toPlainText(), self.w(QLineEdit, "leaderEdit").text(),
            self.w(QLineEdit, "ownerEdit").text(), deadline, self.w(QComboBox, "typeCombo").currentData(),
            self.w(QComboBox, "statusCombo").currentData(), self.w(QPlainTextEdit, "evidenceEdit").toPlainText(),
            self.data.closed_on if self.data else None, self.data.id if self.data else None, self.version,
        ))  # fmt: skip


class CloseDialog(RecordDialog):
    """销号 in one step: from any open state, finished and closed with its date (and an optional
    整改结果 kept as a 进展 entry)."""

    form_name = "rect_close"

    def __init__(self, ledger, measure: rect.MeasureNode, parent=None):
        super().__init__(ledger, parent)
        self.measure = measure
        self.version = measure.version  # a measure changed meanwhile is asked about before 销号
        self.fields({"销号日期": ("dateEdit", "dateError"), "状态": ("measureLabel", "dateError")})
        self._show(measure.content, measure.status)
        setup_date_edit(self.w(DateField, "dateEdit"))
        self.w(QDialogButtonBox, "buttonBox").button(QDialogButtonBox.StandardButton.Ok).setText("确认销号")

    def _show(self, content: str, status) -> None:
        self.w(QLabel, "measureLabel").setText(f"确认对措施{self.measure.number}销号？\n{' '.join(content.split())}")
        hint = ""
        if not can_close(status):  # not finished yet: say that this finishes it too
            hint = (f"该措施当前为“{status}”。确认后将一并标记为整改完成并销号（一步完成，无需先改状态）。"
                    "销号后不再提醒；如有误，可“撤销销号”。")
        self.w(QLabel, "hintLabel").setText(hint)

    def reload_record(self) -> None:
        stored = rect.get_measure(self.ledger, self.measure.id)
        self.version = stored.version
        self._show(stored.content, stored.status)

    def save(self) -> str:
        rect.finish_and_close(self.ledger, self.measure.id, self.w(DateField, "dateEdit").checked_date("销号日期"),
                              self.w(QPlainTextEdit, "resultEdit").toPlainText(), version=self.version)
        return self.measure.id


class ProgressDialog(RecordDialog):
    form_name = "rect_progress"

    def __init__(self, ledger, measure: rect.MeasureNode, parent=None):
        super().__init__(ledger, parent)
        self.measure = measure
        self.fields({"进展日期": ("dateEdit", "dateError"), "进展情况": ("textEdit", "textError")})
        self.w(QLabel, "measureLabel").setText(f"措施{measure.number}：{' '.join(measure.content.split())}")
        setup_date_edit(self.w(DateField, "dateEdit"))

    def save(self) -> str:
        return rect.add_progress(self.ledger, self.measure.id, self.w(DateField, "dateEdit").checked_date("进展日期"),
                                 self.w(QPlainTextEdit, "textEdit").toPlainText())
