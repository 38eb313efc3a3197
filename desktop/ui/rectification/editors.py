"""Editors of the 整改清单: campaign, category, problem, measure, 销号 and 进展 dialogs.

Each dialog loads its form, fills it from plain service data, and on OK calls the service;
validation errors are shown at the field and the dialog stays open. A dialog on an existing record
sends the version it opened; someone else's save meanwhile is asked about (FormDialog.submit).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from desktop.domain.enums import MeasureStatus, MeasureType, ProblemSource
from desktop.domain.errors import DomainValidationError
from desktop.domain.rectification import can_close
from desktop.services import rectification as rect

from ..datefield import DateField
from ..formdialog import FormDialog, chinese_buttons
from .common import setup_date_edit


class _RecordDialog(FormDialog):
    """A 整改清单 record dialog: OK saves through the service (``save()`` returns the record's id)."""

    def __init__(self, ledger, parent: QWidget | None = None):
        super().__init__(parent)
        self.ledger = ledger
        self.saved_id: str | None = None
        box = self.button_box()
        chinese_buttons(box)
        box.accepted.connect(self._accept)
        box.rejected.connect(self.dialog.reject)

    def fields(self, keys: dict[str, tuple[str, str]]) -> None:
        """This dialog's fields: domain label → (input widget, error label)."""
        self.FIELD_KEYS = {label: (err, widget) for label, (widget, err) in keys.items()}
        self.clear_errors()  # their error labels stay hidden until there is a message

    def _accept(self) -> bool:
        return self.submit(lambda: setattr(self, "saved_id", self.save()))

    def resubmit(self) -> bool:
        return self._accept()

    def save(self) -> str | None:
        raise NotImplementedError


class CampaignDialog(_RecordDialog):
    form_name = "rect_campaign"

    def __init__(self, ledger, branches: list[tuple[str, str]], campaign: rect.CampaignRow | None = None, parent=None):
        super().__init__(ledger, parent)
        self.campaign = campaign
        self.version = campaign.version if campaign else None
        self.fields({"活动名称": ("nameEdit", "nameError"), "年度": ("yearSpin", "yearError"),
                                         "结束日期": ("endEdit", "endError")})
        combo = self.w(QComboBox, "branchCombo")
        combo.addItem("全体（机关党委）", None)
        for bid, name in branches:
            combo.addItem(name, bid)
        for check, edit in (("startCheck", "startEdit"), ("endCheck", "endEdit")):
            self.w(QCheckBox, check).toggled.connect(self.w(DateField, edit).setEnabled)
        self._load(campaign)
        self.setWindowTitle("编辑主题教育活动" if campaign else "新建主题教育活动")

    def _load(self, campaign: rect.CampaignRow | None) -> None:
        for check, edit, value in (("startCheck", "startEdit", campaign.start_date if campaign else None),
                                   ("endCheck", "endEdit", campaign.end_date if campaign else None)):
            box, de = self.w(QCheckBox, check), self.w(DateField, edit)
            setup_date_edit(de, value)
            box.setChecked(value is not None)
            de.setEnabled(value is not None)
        self.w(QSpinBox, "yearSpin").setValue(campaign.year if campaign else date.today().year)
        if campaign:
            self.w(QLineEdit, "nameEdit").setText(campaign.name)
            combo = self.w(QComboBox, "branchCombo")
            combo.setCurrentIndex(max(0, combo.findData(campaign.branch_id)))
            self.w(QPlainTextEdit, "descriptionEdit").setPlainText(campaign.description)

    def reload_record(self) -> None:
        self.campaign = rect.get_campaign(self.ledger, self.campaign.id)
        self.version = self.campaign.version
        self._load(self.campaign)

    def _opt(self, check: str, edit: str) -> date | None:
        label = "开始日期" if edit == "startEdit" else "结束日期"
        return self.w(DateField, edit).checked_date(label) if self.w(QCheckBox, check).isChecked() else None

    def save(self) -> str:
        return rect.save_campaign(self.ledger, rect.CampaignInput(
            self.w(QLineEdit, "nameEdit").text(), self.w(QSpinBox, "yearSpin").value(),
            self.w(QComboBox, "branchCombo").currentData(), self._opt("startCheck", "startEdit"),
            self._opt("endCheck", "endEdit"), self.w(QPlainTextEdit, "descriptionEdit").toPlainText(),
            self.campaign.id if self.campaign else None, self.version,
        ))  # fmt: skip


class CategoryDialog(_RecordDialog):
    form_name = "rect_category"

    def __init__(self, ledger, campaign_id: str, category: rect.CategoryNode | None = None, parent=None):
        super().__init__(ledger, parent)
        self.campaign_id, self.category = campaign_id, category
        self.version = category.version if category else None
        self.fields({"类别": ("nameEdit", "nameError")})
        self.setWindowTitle("编辑类别" if category else "新增类别")
        if category:
            self.w(QLineEdit, "nameEdit").setText(category.name)

    def reload_record(self) -> None:
        tree = rect.get_campaign_tree(self.ledger, self.campaign_id)
        self.category = next((c for c in tree.categories if c.id == self.category.id), None)
        if self.category is None:
            raise rect.NotFound("类别不存在或已删除")
        self.version = self.category.version
        self.w(QLineEdit, "nameEdit").setText(self.category.name)

    def save(self) -> str:
        return rect.save_category(self.ledger, self.campaign_id, self.w(QLineEdit, "nameEdit").text(),
                                  self.category.id if self.category else None, self.version)


class ProblemDialog(_RecordDialog):
    form_name = "rect_problem"

    def __init__(self, ledger, tree: rect.CampaignTree, category_id: str | None,
                 problem: rect.ProblemNode | None = None, parent=None):
        super().__init__(ledger, parent)
        self.problem = problem
        self.version = problem.version if problem else None
        self.fields({"问题表现": ("descriptionEdit", "descriptionError"),
                                         "问题来源": ("sourceCombo", "sourceError")})
        cats = self.w(QComboBox, "categoryCombo")
        for c in tree.categories:
            cats.addItem(c.name, c.id)
        cats.setCurrentIndex(max(0, cats.findData(problem.category_id if problem else category_id)))
        src = self.w(QComboBox, "sourceCombo")
        for s in ProblemSource:
            src.addItem(s.value, s.value)
        self.setWindowTitle("编辑问题" if problem else "新增问题")
        if problem:
            self._load(problem)

    def _load(self, problem: rect.ProblemNode | rect.ProblemInput) -> None:
        cats = self.w(QComboBox, "categoryCombo")
        cats.setCurrentIndex(max(0, cats.findData(problem.category_id)))
        self.w(QPlainTextEdit, "descriptionEdit").setPlainText(problem.description)
        src = self.w(QComboBox, "sourceCombo")
        src.setCurrentIndex(max(0, src.findData(str(problem.source))))
        self.w(QCheckBox, "keyCheck").setChecked(problem.is_key)

    def reload_record(self) -> None:
        stored = rect.get_problem(self.ledger, self.problem.id)
        self.version = stored.version
        self._load(stored)

    def save(self) -> str:
        category_id = self.w(QComboBox, "categoryCombo").currentData()
        if not category_id:
            raise DomainValidationError("类别", "请先新增类别")
        return rect.save_problem(self.ledger, rect.ProblemInput(
            category_id, self.w(QPlainTextEdit, "descriptionEdit").toPlainText(),
            self.w(QComboBox, "sourceCombo").currentData(), self.w(QCheckBox, "keyCheck").isChecked(),
            self.problem.id if self.problem else None, self.version,
        ))  # fmt: skip


class MeasureDialog(_RecordDialog):
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
        types, states = self.w(QComboBox, "typeCombo"), self.w(QComboBox, "statusCombo")
        for t in MeasureType:
            types.addItem(t.value, t.value)
        closed = self.data is not None and self.data.status == MeasureStatus.CLOSED
        for s in MeasureStatus:
            if s != MeasureStatus.CLOSED or closed:
                states.addItem(s.value, s.value)
        states.setEnabled(not closed)
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
        closed = self.data.status == MeasureStatus.CLOSED
        states = self.w(QComboBox, "statusCombo")
        states.clear()
        for s in MeasureStatus:
            if s != MeasureStatus.CLOSED or closed:
                states.addItem(s.value, s.value)
        states.setEnabled(not closed)
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


class CloseDialog(_RecordDialog):
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


class ProgressDialog(_RecordDialog):
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
