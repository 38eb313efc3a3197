"""党支部 profile editor (支委会, 党小组, 党课 frequency, 主题党日 fixed day) and the post editor."""

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

from desktop.domain.enums import CommitteePost, LectureFrequency, MeetingKind
from desktop.domain.meeting_kinds import COMMITTEE_MIN_FULL_MEMBERS, committee_meetings_owed
from desktop.services.members import list_members
from desktop.services.organization import (
    BranchInput,
    BranchRow,
    PostInput,
    get_branch,
    list_groups,
    save_branch,
    save_post,
)
from desktop.services.settings import get_settings

from ..formdialog import FormDialog


class BranchEditor(FormDialog):
    form_name = "branch_editor"
    FIELD_KEYS = {"支部名称": ("err_name", "nameEdit"), "党课频次": ("err_lecture", "lectureCombo"),
                  "主题党日": ("err_theme", "themeDaySpin"), "成立日期": ("err_established", "establishedEdit"),
                  "台账启用日期": ("err_start", "ledgerStartEdit"), "起始编号": ("err_numbers", "startAssemblySpin")}
    START_SPINS = {MeetingKind.GENERAL_ASSEMBLY: "startAssemblySpin", MeetingKind.COMMITTEE: "startCommitteeSpin",
                   MeetingKind.LECTURE: "startLectureSpin", MeetingKind.THEME_DAY: "startThemeDaySpin"}

    def __init__(self, ledger, parent: QWidget | None = None, branch: BranchRow | None = None):
        super().__init__(parent)
        self.ledger, self.branch = ledger, branch
        self.version = branch.version if branch else None  # saving checks it (another user's save?)
        self.saved_id: str | None = None
        self.name = self.w(QLineEdit, "nameEdit")
        self.has_committee = self.w(QCheckBox, "hasCommitteeCheck")
        self.has_groups = self.w(QCheckBox, "hasGroupsCheck")
        self.lecture = self.w(QComboBox, "lectureCombo")
        self.lecture_spin = self.w(QSpinBox, "lectureSpin")
        self.theme_day = self.w(QSpinBox, "themeDaySpin")
        self.established = self.w(QLineEdit, "establishedEdit")
        self.notes = self.w(QPlainTextEdit, "notesEdit")
        self.hint = self.w(QLabel, "hintLabel")
        self.ledger_start = self.w(QLineEdit, "ledgerStartEdit")
        self.start_spins = {k: self.w(QSpinBox, n) for k, n in self.START_SPINS.items()}
        for kind, spin in self.start_spins.items():
            spin.setToolTip(f"台账启用当年，第一次录入的{kind}从第几次编号（纸质记录已开到第几次就填下一次）")
        for f in LectureFrequency:
            self.lecture.addItem(f.value, f.value)
        self.lecture.currentIndexChanged.connect(self._lecture_changed)
        self.has_committee.toggled.connect(self._hint)
        if branch is None:
            self.dialog.setWindowTitle("新增党支部")
            defaults = get_settings(ledger)
            self.lecture.setCurrentIndex(max(0, self.lecture.findData(defaults.lecture_frequency)))
            self.lecture_spin.setValue(defaults.lecture_custom_per_year or 4)
            self.has_committee.setChecked(True)
        else:
            self._load(branch)
        self._lecture_changed()
        self._hint()
        self.wire_buttons(QDialogButtonBox.StandardButton.Save, "保存")

    def _load(self, branch: BranchRow) -> None:
        self.dialog.setWindowTitle(f"修改党支部 — {branch.name}")
        self.name.setText(branch.name)
        self.has_committee.setChecked(branch.has_committee)
        self.has_groups.setChecked(branch.has_groups)
        self.lecture.setCurrentIndex(max(0, self.lecture.findData(branch.lecture_frequency)))
        self.lecture_spin.setValue(branch.lecture_custom_per_year or 4)
        self.theme_day.setValue(branch.theme_day_of_month or 0)
        self.established.setText(branch.established_on.isoformat() if branch.established_on else "")
        self.notes.setPlainText(branch.notes)
        self.ledger_start.setText(branch.ledger_start.isoformat() if branch.ledger_start else "")
        for kind, spin in self.start_spins.items():
            spin.setValue(branch.start_numbers.get(str(kind), 1))

    def reload_record(self) -> None:
        """重新载入: the branch as stored now (someone else's save), replacing the user's edits."""
        self.branch = get_branch(self.ledger, self.branch.id)
        self.version = self.branch.version
        self._load(self.branch)
        self._lecture_changed()
        self._hint()

    def _lecture_changed(self) -> None:
        self.lecture_spin.setVisible(self.lecture.currentData() == LectureFrequency.CUSTOM)

    def _hint(self) -> None:
        b = self.branch
        if b is None:
            self.hint.setText(f"支部委员会每月开一次支委会；正式党员不足{COMMITTEE_MIN_FULL_MEMBERS}人的支部只设书记，不开支委会。")
            return
        text = f"本支部现有正式党员 {b.full_count} 人、预备党员 {b.probationary_count} 人。"
        if self.has_committee.isChecked() and not committee_meetings_owed(True, b.full_count):
            text += f"正式党员不足{COMMITTEE_MIN_FULL_MEMBERS}人，按规定不设支部委员会，不要求开支委会。"
        self.hint.setText(text)

    def save(self) -> bool:
        custom = self.lecture.currentData() == LectureFrequency.CUSTOM
        data = BranchInput(
            id=self.branch.id if self.branch else None, name=self.name.text(),
            has_committee=self.has_committee.isChecked(), has_groups=self.has_groups.isChecked(),
            lecture_frequency=self.lecture.currentData(),
            lecture_custom_per_year=self.lecture_spin.value() if custom else None,
            theme_day_of_month=self.theme_day.value() or None, established_on=self.established.text() or None,
            notes=self.notes.toPlainText(), ledger_start=self.ledger_start.text() or None,
            start_numbers={str(k): spin.value() for k, spin in self.start_spins.items()}, version=self.version)
        return self.submit(lambda: setattr(self, "saved_id", save_branch(self.ledger, data)))


class PostEditor(FormDialog):
    """登记任职, from 组织 › 任职 or from a member's form (``member_id``: that member only). A
    党小组组长 is picked from the members of the chosen group."""

    form_name = "post_editor"
    general_error = "errorLabel"
    FIELD_KEYS = {"职务": ("", "postCombo"), "党小组": ("", "groupCombo"), "党员": ("", "memberCombo"),
                  "任职日期": ("", "startEdit"), "离任日期": ("", "endEdit")}

    def __init__(self, ledger, branch: BranchRow, parent: QWidget | None = None, member_id: str | None = None):
        super().__init__(parent)
        self.ledger, self.branch, self.member_id = ledger, branch, member_id
        self.w(QLabel, "branchLabel").setText(branch.name)
        self.post = self.w(QComboBox, "postCombo")
        self.group = self.w(QComboBox, "groupCombo")
        self.member = self.w(QComboBox, "memberCombo")
        self.start = self.w(QLineEdit, "startEdit")
        self.end = self.w(QLineEdit, "endEdit")
        self.roll = list_members(ledger, branch_id=branch.id, status="在册")
        if member_id is not None:  # opened from the member's form: the post, not the person, is chosen
            self.roll = [m for m in self.roll if m.id == member_id]
        for p in CommitteePost:
            self.post.addItem(p.value, p.value)
        self.group.addItem("", None)
        for g in list_groups(ledger, branch.id):
            self.group.addItem(g.name, g.id)
        self.post.currentIndexChanged.connect(self._post_changed)
        self.group.currentIndexChanged.connect(lambda *_: self._fill_members())
        self._post_changed()
        self.start.setText(date.today().isoformat())
        self.wire_buttons(QDialogButtonBox.StandardButton.Save, "保存")

    def _post_changed(self) -> None:
        leader = self.post.currentData() == CommitteePost.GROUP_LEADER
        self.group.setEnabled(leader)
        if not leader:
            self.group.setCurrentIndex(0)
        elif self.group.currentIndex() == 0 and self.group.count() > 1:
            own = self.roll[0].group_id if self.member_id and self.roll else None
            self.group.setCurrentIndex(max(1, self.group.findData(own)))
        self._fill_members()

    def _fill_members(self) -> None:
        """The members who may take the post: for 党小组组长 only those of the chosen group."""
        keep = self.member.currentData()
        leader = self.post.currentData() == CommitteePost.GROUP_LEADER
        group_id = self.group.currentData()
        self.member.clear()
        for m in self.roll:
            if not leader or (group_id and m.group_id == group_id):
                self.member.addItem(f"{m.name}（{m.category}）", m.id)
        if leader and self.member.count() == 0:
            self.member.setPlaceholderText("本党小组还没有党员" if group_id else "请先选择党小组")
        self.member.setCurrentIndex(max(0, self.member.findData(keep)) if self.member.count() else -1)
        self.member.setEnabled(self.member_id is None and self.member.count() > 0)

    def save(self) -> bool:
        data = PostInput(self.branch.id, self.member.currentData() or "", self.post.currentData(),
                         self.start.text(), self.end.text() or None, self.group.currentData())
        return self.submit(lambda: save_post(self.ledger, data))
