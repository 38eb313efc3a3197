"""集体政治生日 editor and the 寄语 template dialog."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from desktop.domain.dates import quarter_months
from desktop.domain.errors import DomainValidationError
from desktop.services import birthdays as bd

from ..datefield import DateField
from ..formdialog import FormDialog, chinese_buttons
from ..forms import child
from ..models import RowFilterProxy, make_view_sortable
from ..rectification.common import setup_date_edit
from .models import Candidate, CandidateModel

QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")
RANGES: tuple[tuple[str, tuple[int, ...]], ...] = (
    *((f"{m}月入党的党员", (m,)) for m in range(1, 13)),
    *((f"{q}入党的党员", quarter_months(i)) for i, q in enumerate(QUARTER_NAMES, 1)),
    ("全年各月入党的党员", tuple(range(1, 13))),
)


def _range_for(months: list[int] | tuple[int, ...]) -> tuple[int, ...]:
    """The narrowest offered range containing ``months``."""
    wanted = set(months)
    for _label, value in RANGES:
        if wanted <= set(value):
            return value
    return RANGES[-1][1]


class EventDialog(FormDialog):
    """Create or edit a celebration: date, branch, activities, the members and a 寄语 each."""

    form_name = "birthday_event"
    FIELD_KEYS = {"活动日期": ("dateError", "dateEdit"), "参加党员": ("celebrantsError", "celebrantsView")}

    def __init__(self, ledger, branches: list[tuple[str, str]], event_id: str | None = None, *,
                 day: date | None = None, branch_id: str | None = None, preselect: tuple[str, ...] = (),
                 months: list[int] | None = None, parent: QWidget | None = None):
        """``months``: whose 入党 month the candidates come from (the celebration for July members
        is often held at the end of June); default: the month of the date, or the months of the
        existing celebrants."""
        super().__init__(parent)
        self.ledger = ledger
        self.saved_id: str | None = None
        self.detail = bd.get_event(ledger, event_id) if event_id else None
        self.version = self.detail.event.version if self.detail else None  # saving checks it
        self.template = bd.get_message_template(ledger)
        ev = self.detail.event if self.detail else None
        setup_date_edit(self.w(DateField, "dateEdit"), ev.date if ev else day)
        combo = self.w(QComboBox, "branchCombo")
        combo.addItem("全体（机关党委）", None)
        for bid, name in branches:
            combo.addItem(name, bid)
        combo.setCurrentIndex(max(0, combo.findData(ev.branch_id if ev else branch_id)))
        rng = self.w(QComboBox, "rangeCombo")
        for text, value in RANGES:
            rng.addItem(text, value)
        if months is None and self.detail and self.detail.celebrants:
            months = [c.join_date.month for c in self.detail.celebrants if c.join_date]
        start = ev.date if ev else (day or date.today())
        rng.setCurrentIndex(rng.findData(_range_for(months or [start.month])))
        self._fill_activities(ev)
        if ev:
            self.dialog.setWindowTitle("编辑集体政治生日")
            self.w(QLineEdit, "titleEdit").setText(ev.title)
            self.w(QLineEdit, "placeEdit").setText(ev.place)
            self.w(QLineEdit, "notesEdit").setText(self.detail.notes)
        else:
            self.dialog.setWindowTitle("组织集体政治生日")
        self.model = CandidateModel(self.dialog)
        self.proxy = RowFilterProxy(self.dialog)
        view = self.w(QTableView, "celebrantsView")
        make_view_sortable(view, self.model, self.proxy)
        view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        view.selectionModel().selectionChanged.connect(lambda *_: self._row_selected())
        self._current: str | None = None
        self._kept = {c.member_id: c for c in self._existing()}
        self._preselect = set(preselect)
        self._rebuild()
        self.w(DateField, "dateEdit").dateChanged.connect(lambda _d: self._rebuild())
        combo.currentIndexChanged.connect(lambda _i: self._rebuild())
        rng.currentIndexChanged.connect(lambda _i: self._rebuild())
        self.w(QPushButton, "regenerateButton").clicked.connect(self.regenerate)
        self.w(QPlainTextEdit, "messageEdit").textChanged.connect(self._message_edited)
        self.w(QPlainTextEdit, "messageEdit").setEnabled(False)
        buttons = self.w(QDialogButtonBox, "buttonBox")
        chinese_buttons(buttons)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.dialog.reject)

    def _fill_activities(self, ev: bd.EventRow | None) -> None:
        acts = self.w(QListWidget, "activitiesList")
        acts.clear()
        chosen = set(ev.activities) if ev else {"重温入党誓词", "赠送政治生日贺卡", "政治生日寄语"}
        extra = [a for a in (ev.activities if ev else ()) if a not in bd.ACTIVITY_CHOICES]
        for a in bd.ACTIVITY_CHOICES:
            item = QListWidgetItem(a, acts)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if a in chosen else Qt.CheckState.Unchecked)
        self.w(QPlainTextEdit, "otherActivitiesEdit").setPlainText("\n".join(extra))

    def reload_record(self) -> None:
        """重新载入: the celebration as stored now (someone else's save), replacing the user's edits."""
        self.detail = bd.get_event(self.ledger, self.detail.event.id)
        ev = self.detail.event
        self.version = ev.version
        combo = self.w(QComboBox, "branchCombo")
        combo.blockSignals(True)
        combo.setCurrentIndex(max(0, combo.findData(ev.branch_id)))
        combo.blockSignals(False)
        self.w(DateField, "dateEdit").setDate(ev.date)
        self._fill_activities(ev)
        self.w(QLineEdit, "titleEdit").setText(ev.title)
        self.w(QLineEdit, "placeEdit").setText(ev.place)
        self.w(QLineEdit, "notesEdit").setText(self.detail.notes)
        self.model.set_rows([])
        self._kept = {c.member_id: c for c in self._existing()}
        self._preselect = set(self._kept)
        self._rebuild()

    def resubmit(self) -> bool:
        return self._accept()

    # ------------------------------------------------------------ candidates
    def _existing(self) -> list[Candidate]:
        if not self.detail:
            return []
        return [Candidate(c.member_id, c.name, c.join_date, c.anniversary_number, c.party_age, c.milestone_label,
                          "", True, c.message) for c in self.detail.celebrants]

    def _months(self) -> list[int]:
        return list(self.w(QComboBox, "rangeCombo").currentData() or (1,))

    def _rebuild(self) -> None:
        for c in self.model.rows:  # keep ticks and edited messages across rebuilds
            self._kept[c.member_id] = c
        day = self.w(DateField, "dateEdit").value()
        if day is None:
            return  # the box says it cannot read the date; the list stays as it was
        branch = self.w(QComboBox, "branchCombo").currentData()
        rows: list[Candidate] = []
        seen: set[str] = set()
        for r in bd.birthdays_for(self.ledger, day.year, self._months(), branch):
            old = self._kept.get(r.member_id)
            checked = old.checked if old else (r.member_id in self._preselect or not self._preselect)
            message = old.message if old else bd.render_message(self.template, r.name, r.anniversary_number)
            rows.append(Candidate(r.member_id, r.name, r.join_date, r.anniversary_number, r.party_age,
                                  r.milestone_label, r.branch_name, checked, message))
            seen.add(r.member_id)
        rows += [c for mid, c in self._kept.items() if c.checked and mid not in seen]
        self._current = None
        self.model.set_rows(rows)
        self.w(QPlainTextEdit, "messageEdit").setEnabled(False)
        self.w(QPlainTextEdit, "messageEdit").clear()

    def _row_selected(self) -> None:
        rows = self.w(QTableView, "celebrantsView").selectionModel().selectedRows()
        edit = self.w(QPlainTextEdit, "messageEdit")
        if not rows:
            self._current = None
            edit.setEnabled(False)
            return
        cand: Candidate = self.proxy.row_at(rows[0].row())
        self._current = None
        edit.setPlainText(cand.message)
        edit.setEnabled(True)
        self._current = cand.member_id
        self.w(QLabel, "messageLabel").setText(f"寄语：{cand.name}（入党第{cand.anniversary_number}个周年）")

    def _message_edited(self) -> None:
        if self._current is None:
            return
        i = self.model.find_member(self._current)
        if i >= 0:
            text = self.w(QPlainTextEdit, "messageEdit").toPlainText()
            self.model.replace_row(i, replace(self.model.row_at(i), message=text))

    def regenerate(self) -> None:
        for i, c in enumerate(self.model.rows):
            if c.checked and c.anniversary_number is not None:
                self.model.replace_row(i, replace(c, message=bd.render_message(self.template, c.name,
                                                                                c.anniversary_number)))
        self._row_selected()

    # ------------------------------------------------------------------ save
    def activities(self) -> tuple[str, ...]:
        acts = self.w(QListWidget, "activitiesList")
        chosen = [acts.item(i).text() for i in range(acts.count())
                  if acts.item(i).checkState() == Qt.CheckState.Checked]
        other = self.w(QPlainTextEdit, "otherActivitiesEdit").toPlainText()
        return tuple(chosen + [a.strip() for a in other.split("\n") if a.strip()])

    def _accept(self) -> bool:
        data = bd.EventInput(
            self.w(DateField, "dateEdit").text(),
            tuple(bd.CelebrantInput(c.member_id, c.message) for c in self.model.rows if c.checked),
            self.w(QComboBox, "branchCombo").currentData(), self.w(QLineEdit, "titleEdit").text(),
            self.w(QLineEdit, "placeEdit").text(), self.activities(), self.w(QLineEdit, "notesEdit").text(),
            self.detail.event.id if self.detail else None, self.version,
        )  # fmt: skip
        return self.submit(lambda: setattr(self, "saved_id", bd.save_event(self.ledger, data)))


class TemplateDialog(FormDialog):
    """Edit the default 寄语 kept in the ledger settings ({姓名} and {周年} placeholders)."""

    form_name = "birthday_template"
    FIELD_KEYS = {"寄语模板": ("errorLabel", "templateEdit")}

    def __init__(self, ledger, parent: QWidget | None = None):
        super().__init__(parent)
        self.ledger = ledger
        self.edit: QPlainTextEdit = child(self.dialog, QPlainTextEdit, "templateEdit")
        self.shown = bd.get_message_template(ledger)  # what saving compares with what is stored
        self.edit.setPlainText(self.shown)
        self.edit.textChanged.connect(self._preview)
        child(self.dialog, QPushButton, "resetButton").clicked.connect(
            lambda: self.edit.setPlainText(bd.DEFAULT_TEMPLATE))
        buttons = child(self.dialog, QDialogButtonBox, "buttonBox")
        chinese_buttons(buttons)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.dialog.reject)
        self._preview()

    def _preview(self) -> None:
        child(self.dialog, QLabel, "previewLabel").setText(bd.render_message(self.edit.toPlainText(), "张建国", 30))

    def _accept(self) -> bool:
        text = self.edit.toPlainText()

        def save() -> None:
            if not text.strip():
                raise DomainValidationError("寄语模板", "不能为空；点“恢复默认”可用系统提供的模板。")
            bd.save_message_template(self.ledger, text, shown=self.shown)

        return self.submit(save)

    def reload_record(self) -> None:
        self.shown = bd.get_message_template(self.ledger)
        self.edit.setPlainText(self.shown)

    def resubmit(self) -> object:  # 另存为新版本: ours on top of the template stored now
        self.shown = bd.get_message_template(self.ledger)
        return self._accept()
