"""The meeting editor's state (desktop.ui.meetings.editor): an edit marks it dirty, attendance
gives the summary and quorum, the head names the record and its state (草稿 / 定稿), counts, and
what a final record or a login without the right may no longer change.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QWidget

from desktop.domain.dates import format_cn_date
from desktop.domain.meetings import committee_quorum, general_assembly_quorum

from ..rights import lock
from .editor_fields import PLAIN_EDITS, TEXT_EDITS

WRITE_BUTTONS = ("saveButton", "undoButton", "redoButton", "deleteButton", "finalizeButton", "reopenButton")


class EditorState:
    """Mixed into MeetingEditor (which provides form, the grid models, the parts and its properties)."""

    def _changed(self, *_args) -> None:
        if self._loading or self.is_final:
            return
        self.dirty = True
        self._draft_pending = True
        self._update_head()
        self._counts.start()

    def _attendance_changed(self) -> None:
        w = self.form.w
        s = self.summary()
        w(QLabel, "summaryLabel").setText(s.text() + "；缺席：" + s.absent_text())
        text, ok = "", True
        if self.spec.quorum == "assembly":
            q = general_assembly_quorum(s, any(r.get("is_election") for r in self.motions.rows))
            text, ok = q.text, q.ok
        elif self.spec.quorum == "committee":
            q = committee_quorum(s)
            text, ok = q.text, q.ok
        for name in ("quorumLabel", "voteQuorumLabel"):
            label = w(QLabel, name)
            label.setText(text)
            label.setProperty("role", "summary" if ok else "error")
            label.style().unpolish(label)
            label.style().polish(label)
            label.setVisible(bool(text))
        if self.motions.rows:  # 结果 depends on attendance
            self.motions.dataChanged.emit(self.motions.index(0, 5), self.motions.index(len(self.motions.rows) - 1, 5))
        if not self._loading:
            host, recorder = w(QComboBox, "hostCombo").currentText(), w(QComboBox, "recorderCombo").currentText()
            self._fill_people(host, recorder)

    def _update_head(self) -> None:
        w = self.form.w
        inp = self._inp
        if inp is None:
            return
        d = inp.date if isinstance(inp.date, date) else None
        head = f"{inp.kind} · {format_cn_date(d)}" if self.meeting_id else f"新建{inp.kind}"
        w(QLabel, "headLabel").setText(head)
        state = "定稿（只读）" if self.is_final else ("草稿 · 有未保存的修改" if self.dirty else "草稿")
        w(QLabel, "stateLabel").setText(state)
        saved = self.meeting_id is not None
        w(QPushButton, "finalizeButton").setVisible(not self.is_final)
        w(QPushButton, "reopenButton").setVisible(self.is_final)
        w(QPushButton, "saveButton").setEnabled(not self.is_final)
        w(QPushButton, "undoButton").setEnabled(not self.is_final)
        w(QPushButton, "redoButton").setEnabled(not self.is_final)
        w(QPushButton, "deleteButton").setEnabled(saved and not self.is_final)
        w(QPushButton, "printButton").setEnabled(saved)
        self._update_undo_buttons()
        why = self.no_write
        lock(bool(why), [w(QPushButton, name) for name in WRITE_BUTTONS], why)

    def _update_counts(self) -> None:
        n = len(self.form.w(QPlainTextEdit, "contentEdit").toPlainText())
        self.form.w(QLabel, "countsLabel").setText(f"会议内容 {n} 字 · 发言 {len(self.speeches.rows)} 条")

    def _set_read_only(self, ro: bool) -> None:
        w = self.form.w
        label = w(QLabel, "readOnlyLabel")
        if label.property("finalText") is None:
            label.setProperty("finalText", label.text())
        why = self.no_write
        label.setText(why + "。" if why else label.property("finalText"))
        label.setVisible(ro)
        for name in TEXT_EDITS:
            w(QLineEdit, name).setReadOnly(ro)
        for name in PLAIN_EDITS:
            w(QPlainTextEdit, name).setReadOnly(ro)
        for name in ("hostCombo", "recorderCombo", "groupCombo", "numberSpin", "dateEdit"):
            w(QWidget, name).setEnabled(not ro)
        for name in ("branchCombo", "kindCombo"):
            w(QWidget, name).setEnabled(False)
        for model in (self.attendance, self.guests, self.speeches, self.motions):
            model.read_only = ro
        for name in ("allPresentButton", "absentButton", "excludeButton", "rosterButton", "addGuestButton",
                     "removeGuestButton", "addSpeechButton", "removeSpeechButton", "upSpeechButton",
                     "downSpeechButton", "addMotionButton", "removeMotionButton"):
            w(QPushButton, name).setEnabled(not ro)
        self.attachments.set_read_only(ro or self.meeting_id is None)
