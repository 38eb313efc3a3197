"""Editors of the 整改清单: the record dialog they share, and the campaign, category and problem dialogs
(measure, 销号 and 进展: desktop.ui.rectification.measures).

Each dialog loads its form, fills it from plain service data, and on OK calls the service;
validation errors are shown at the field and the dialog stays open. A dialog on an existing record
sends the version it opened; someone else's save meanwhile is asked about (FormDialog.submit).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from desktop.domain.enums import ProblemSource
from desktop.domain.errors import DomainValidationError
from desktop.services import rectification as rect

from ..datefield import DateField
from ..formdialog import FormDialog, chinese_buttons
from .common import setup_date_edit


class RecordDialog(FormDialog):
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


class CampaignDialog(RecordDialog):
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


class CategoryDialog(RecordDialog):
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


class ProblemDialog(RecordDialog):
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
