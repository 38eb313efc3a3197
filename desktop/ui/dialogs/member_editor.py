"""党员信息 editor: every field checked by the members service; problems shown at the field."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from desktop.domain.enums import Gender, MemberCategory
from desktop.domain.errors import DomainValidationError, ValidationErrors
from desktop.domain.members import id_birth_date, id_gender, member_date_warnings
from desktop.domain.posts import post_title
from desktop.services.members import MemberDetail, MemberInput, get_member, save_member
from desktop.services.organization import PostRow, end_post, list_branches, list_posts

from ..conflicts import run_guarded
from ..formdialog import FormDialog, date_text
from ..rights import lock

EDUCATION = ("研究生", "大学本科", "大学专科", "中专", "高中", "初中及以下")


class MemberEditor(FormDialog):
    form_name = "member_editor"
    FIELD_KEYS = {
        "姓名": ("err_name", "nameEdit"), "性别": ("err_gender", "genderCombo"),
        "民族": ("err_ethnicity", "ethnicityEdit"), "出生日期": ("err_birth", "birthEdit"),
        "学历": ("err_education", "educationCombo"), "身份证号": ("err_id", "idEdit"),
        "联系电话": ("err_phone", "phoneEdit"), "所在支部": ("err_branch", "branchCombo"),
        "党小组": ("err_group", "groupCombo"), "类别": ("err_category", "categoryCombo"),
        "人员类别": ("err_category", "categoryCombo"), "入党日期": ("err_join", "joinEdit"),
        "转正日期": ("err_full", "fullEdit"), "转入本支部日期": ("err_since", "sinceEdit"),
        "状态": ("err_general", ""), "离任日期": ("err_partypost", ""),
    }

    def __init__(self, ledger, parent: QWidget | None = None, detail: MemberDetail | None = None,
                 branch_id: str | None = None, today: date | None = None):
        super().__init__(parent)
        self.ledger = ledger
        self.detail = detail
        self.version = detail.row.version if detail else None  # saving checks it (another user's save?)
        self.today = today
        self.saved_id: str | None = None
        self.read_only = False  # shown only (:meth:`show_read_only`)
        d = self.dialog
        self.name = self.w(QLineEdit, "nameEdit")
        self.gender = self.w(QComboBox, "genderCombo")
        self.gender.addItems(["", *[g.value for g in Gender]])
        self.ethnicity = self.w(QLineEdit, "ethnicityEdit")
        self.birth = self.w(QLineEdit, "birthEdit")
        self.education = self.w(QComboBox, "educationCombo")
        self.education.addItems(["", *EDUCATION])
        self.id_edit = self.w(QLineEdit, "idEdit")
        self.phone = self.w(QLineEdit, "phoneEdit")
        self.branch = self.w(QComboBox, "branchCombo")
        self.group = self.w(QComboBox, "groupCombo")
        self.category = self.w(QComboBox, "categoryCombo")
        self.category.addItems([c.value for c in MemberCategory])
        self.join = self.w(QLineEdit, "joinEdit")
        self.full = self.w(QLineEdit, "fullEdit")
        self.since = self.w(QLineEdit, "sinceEdit")
        self.posts_label = self.w(QLabel, "postsLabel")
        self.add_post_button = self.w(QPushButton, "addPostButton")
        self.end_post_button = self.w(QPushButton, "endPostButton")
        self.add_post_button.clicked.connect(self.add_post)
        self.end_post_button.clicked.connect(self.end_post)
        self.job_title = self.w(QLineEdit, "jobTitleEdit")
        self.notes = self.w(QPlainTextEdit, "notesEdit")
        self.warning = self.w(QLabel, "warningLabel")
        for b in list_branches(ledger):
            self.branch.addItem(b.name, b.id)
        self.branch.currentIndexChanged.connect(self._fill_groups)
        self.id_edit.editingFinished.connect(self._from_id)
        self.category.currentTextChanged.connect(self._category_changed)
        for edit in (self.join, self.full):
            edit.editingFinished.connect(self._date_warnings)
        self.wire_buttons(QDialogButtonBox.StandardButton.Save, "保存")
        if detail is None:
            d.setWindowTitle("新增党员")
            if branch_id:
                self.branch.setCurrentIndex(max(0, self.branch.findData(branch_id)))
            self.ethnicity.setText("汉族")
        else:
            self._load(detail)
        self._fill_groups()
        if detail is not None and detail.row.group_id:
            self.group.setCurrentIndex(max(0, self.group.findData(detail.row.group_id)))
        self._category_changed(self.category.currentText())
        self._show_posts()
        self.name.setFocus()

    def _load(self, detail: MemberDetail) -> None:
        r = detail.row
        self.dialog.setWindowTitle(f"编辑党员 — {r.name}")
        self.name.setText(r.name)
        self.gender.setCurrentText(r.gender)
        self.ethnicity.setText(r.ethnicity)
        self.birth.setText(date_text(r.birth_date))
        self.education.setCurrentText(r.education)
        self.id_edit.setText(r.id_number)
        self.phone.setText(r.phone)
        self.branch.setCurrentIndex(max(0, self.branch.findData(r.branch_id)))
        self.branch.setEnabled(False)
        self.branch.setToolTip("调整支部请在党员列表中用“调动…”，以保留组织关系历史")
        self.category.setCurrentText(r.category)
        self.join.setText(date_text(r.join_date))
        self.full.setText(date_text(r.full_date))
        self.since.setEnabled(False)
        self.since.setPlaceholderText("见组织关系历史")
        self.job_title.setText(r.job_title)
        self.notes.setPlainText(detail.notes)
        if detail.warnings:
            self.warning.setText("；".join(detail.warnings))

    def show_read_only(self, tip: str) -> None:
        """Show the member without letting it be changed (another branch's member for a secretary's
        login, desktop.ui.rights): every field disabled, 保存 and the post buttons disabled saying
        ``tip``, and a banner above the fields."""
        for cls in (QLineEdit, QComboBox, QPlainTextEdit):
            for field in self.dialog.findChildren(cls):
                field.setEnabled(False)
        box = self.button_box()
        box.button(QDialogButtonBox.StandardButton.Cancel).setText("关闭")
        lock(True, [box.button(QDialogButtonBox.StandardButton.Save), self.add_post_button, self.end_post_button], tip)
        banner = self.w(QLabel, "readOnlyLabel")
        banner.setText(tip + "。")
        banner.setVisible(True)
        self.read_only = True

    def reload_record(self) -> None:
        """重新载入: the member as stored now (someone else's save), replacing the user's edits."""
        self.detail = get_member(self.ledger, self.detail.row.id, today=self.today)
        self.version = self.detail.row.version
        self.warning.clear()
        self._load(self.detail)
        self._fill_groups()
        self.group.setCurrentIndex(max(0, self.group.findData(self.detail.row.group_id)))
        self._category_changed(self.category.currentText())
        self._show_posts()

    # ------------------------------------------------------------ 党内职务 = the member's post holdings
    def current_posts(self) -> list[PostRow]:
        if self.detail is None or not self.detail.row.branch_id:
            return []
        mid = self.detail.row.id
        return [p for p in list_posts(self.ledger, self.detail.row.branch_id, include_ended=False) if p.member_id == mid]

    def _show_posts(self) -> None:
        if self.detail is None:
            self.posts_label.setText("保存党员后可在此登记党内职务")
            self.add_post_button.setEnabled(False)
            self.end_post_button.setEnabled(False)
            return
        posts = self.current_posts()
        self.posts_label.setText("、".join(self._post_text(p) for p in posts) or "无")
        self.add_post_button.setEnabled(bool(self.detail.row.branch_id))
        self.end_post_button.setEnabled(bool(posts))

    @staticmethod
    def _post_text(p: PostRow) -> str:
        return post_title(p.post) + (f"（{p.group_name}）" if p.group_name else "") + f"，{p.start_date:%Y-%m-%d}起"

    def add_post(self) -> None:
        """The 登记任职 dialog of 组织 › 任职, for this member; saved at once (a post holding)."""
        from .branch_editor import PostEditor

        branch = next((b for b in list_branches(self.ledger) if b.id == self.detail.row.branch_id), None)
        if branch is not None and PostEditor(self.ledger, branch, self.dialog, member_id=self.detail.row.id).exec():
            self._show_posts()

    def end_post(self) -> None:
        posts = self.current_posts()
        if not posts:
            return
        labels = [self._post_text(p) for p in posts]
        choice, ok = (labels[0], True) if len(labels) == 1 else QInputDialog.getItem(
            self.dialog, "离任", "离任哪一职务：", labels, 0, False)
        if not ok:
            return
        post = posts[labels.index(choice)]
        day, ok = QInputDialog.getText(self.dialog, "离任", f"{post.member_name} 离任{post_title(post.post)}的日期：",
                                       text=date.today().isoformat())
        if not ok:
            return
        try:
            run_guarded(self.dialog, lambda v: end_post(self.ledger, post.id, day, version=v), post.version,
                        refresh=self._show_posts)
        except (DomainValidationError, ValidationErrors) as exc:
            self.show_errors(exc)
            return
        self._show_posts()

    def _fill_groups(self) -> None:
        self.fill_groups(self.group, self.ledger, self.branch.currentData(), keep=self.group.currentData())

    def _from_id(self) -> None:
        """Fill 出生日期 and 性别 from a valid ID number when they are still blank."""
        text = self.id_edit.text()
        born = id_birth_date(text)
        if born and not self.birth.text().strip():
            self.birth.setText(born.isoformat())
        gender = id_gender(text)
        if gender and not self.gender.currentText():
            self.gender.setCurrentText(gender.value)

    def _category_changed(self, text: str) -> None:
        probationary = text == MemberCategory.PROBATIONARY
        self.full.setEnabled(not probationary or bool(self.full.text().strip()))
        if probationary:
            self.full.setPlaceholderText("预备党员没有转正日期；转正后改为正式党员并填写")
        else:
            self.full.setPlaceholderText("党龄从此日算起")

    def _date_warnings(self) -> None:
        try:
            from desktop.domain.dates import parse_optional_date

            join = parse_optional_date(self.join.text(), "入党日期")
            full = parse_optional_date(self.full.text(), "转正日期")
        except DomainValidationError:
            return
        self.warning.setText("；".join(member_date_warnings(join, full)))

    def data(self) -> MemberInput:
        r = self.detail.row if self.detail else None
        return MemberInput(
            id=r.id if r else None, name=self.name.text(), gender=self.gender.currentText(),
            ethnicity=self.ethnicity.text(), birth_date=self.birth.text() or None,
            education=self.education.currentText(), id_number=self.id_edit.text(), phone=self.phone.text(),
            branch_id=self.branch.currentData(), group_id=self.group.currentData(),
            job_title=self.job_title.text(),
            category=self.category.currentText(), status=r.status if r else "在职",
            join_date=self.join.text() or None, full_date=self.full.text() or None,
            since=self.since.text() or None, notes=self.notes.toPlainText(), version=self.version,
        )

    def save(self) -> bool:
        if self.read_only:  # 保存 is disabled; Enter in a field must not save either
            return False
        data = self.data()
        return self.submit(lambda: setattr(self, "saved_id", save_member(self.ledger, data, today=self.today)))
