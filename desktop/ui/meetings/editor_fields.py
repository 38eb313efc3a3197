"""The meeting editor's fields (desktop.ui.meetings.editor): a MeetingInput shown in the form
(adapted to the kind of meeting) and the form collected back into one.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QGroupBox, QLabel, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from desktop.domain.enums import MeetingState
from desktop.services import meetings as svc

from ..datefield import DateField
from . import models as gm
from .dialogs import fill_branches, fill_groups

TEXT_EDITS = ("titleEdit", "startEdit", "endEdit", "placeEdit", "lecturerEdit", "lecturerTitleEdit",
              "lectureTitleEdit", "themeEdit")
PLAIN_EDITS = ("summaryEdit", "requiredActionsEdit", "followupEdit", "agendaEdit", "contentEdit", "resolutionEdit")


class FieldBinding:
    """Mixed into MeetingEditor (which provides form, ctx, the grid models and the parts)."""

    def open_meeting(self, meeting_id: str) -> None:
        d = svc.get_meeting(self.ctx.require_ledger(), meeting_id)
        self.load(d.to_input(), state=d.state, detail=d)

    def load(self, inp: svc.MeetingInput, *, state: str = MeetingState.DRAFT, detail: svc.MeetingDetail | None = None,
             draft_id: str | None = None) -> None:
        """Show ``inp``; ``detail`` for a saved record (attachments, reopenings)."""
        ledger = self.ctx.require_ledger()
        self._loading = True
        w = self.form.w
        try:
            self._inp = inp
            self.meeting_id, self.version, self.state = inp.id, inp.version, state
            self.draft_id = draft_id
            fill_branches(w(QComboBox, "branchCombo"), ledger, inp.branch_id)
            kind_box = w(QComboBox, "kindCombo")
            kind_box.clear()
            kind_box.addItem(str(inp.kind))
            fill_groups(w(QComboBox, "groupCombo"), ledger, inp.branch_id, inp.group_id)
            w(QSpinBox, "numberSpin").setValue(max(1, int(inp.number or 1)))
            d = inp.date if isinstance(inp.date, date) else date.today()
            w(DateField, "dateEdit").setDate(d)
            for name, value in (("titleEdit", inp.title), ("placeEdit", inp.place), ("lecturerEdit", inp.lecturer),
                                ("lecturerTitleEdit", inp.lecturer_title), ("lectureTitleEdit", inp.lecture_title),
                                ("themeEdit", inp.theme), ("startEdit", _time_text(inp.start_time)),
                                ("endEdit", _time_text(inp.end_time))):
                w(QLineEdit, name).setText(value or "")
            for name, value in (("summaryEdit", inp.summary), ("requiredActionsEdit", inp.required_actions),
                                ("followupEdit", inp.followup), ("agendaEdit", "\n".join(inp.agenda)),
                                ("contentEdit", inp.content), ("resolutionEdit", inp.resolution)):
                w(QPlainTextEdit, name).setPlainText(value or "")
            self.attendance.load(gm.attendance_rows(inp.attendance))
            self.guests.load(gm.guest_rows(inp.guests))
            self.speeches.load(gm.speech_rows(inp.speeches))
            self.motions.load(gm.motion_rows(inp.motions))
            self._fill_people(inp.host, inp.recorder)
            self.attachments.show(detail)
            self.findings.clear()
            self.undo.clear()
            for name in PLAIN_EDITS:
                w(QPlainTextEdit, name).document().clearUndoRedoStacks()
            self._adapt()
        finally:
            self._loading = False
        self.dirty = draft_id is not None
        self._draft_pending = False
        self.form.clear_errors()
        self._attendance_changed()
        self._update_head()
        self._update_counts()
        self._set_read_only(self.is_final or bool(self.no_write))

    def _fill_people(self, host: str, recorder: str) -> None:
        for name, value in (("hostCombo", host), ("recorderCombo", recorder)):
            box = self.form.w(QComboBox, name)
            box.blockSignals(True)
            box.clear()
            box.addItems(self._names())
            box.setEditText(value or "")
            box.blockSignals(False)

    def _adapt(self) -> None:
        """Show what this kind of meeting records (the parts of its spec)."""
        w = self.form.w
        spec = self.spec
        for part, box_name in (("lecture", "lectureBox"), ("theme", "themeBox")):
            box = w(QGroupBox, box_name)
            box.setVisible(part in spec.parts)
            if part in spec.parts:
                box.setTitle(spec.name)  # 党课, 主题党日, or the kind that has this part
        w(QComboBox, "groupCombo").setVisible(spec.per_group)
        w(QLabel, "groupLabel").setVisible(spec.per_group)
        votes = self.tabs.indexOf(w(QWidget, "votesTab"))
        self.tabs.setTabText(votes, spec.votes_title)
        for label in w(QWidget, "speechPane").findChildren(QLabel):
            if label.property("role") == "headline":
                label.setText(spec.speech_title)

    def collect(self) -> svc.MeetingInput:
        w = self.form.w
        day = w(DateField, "dateEdit").value() or w(DateField, "dateEdit").text()  # the service names a bad date
        base = self._inp
        assert base is not None
        return svc.MeetingInput(
            id=self.meeting_id, version=self.version, branch_id=base.branch_id, kind=base.kind,
            group_id=w(QComboBox, "groupCombo").currentData() if self.spec.per_group else None,
            number=w(QSpinBox, "numberSpin").value(), date=day,
            title=w(QLineEdit, "titleEdit").text(), start_time=w(QLineEdit, "startEdit").text(),
            end_time=w(QLineEdit, "endEdit").text(), place=w(QLineEdit, "placeEdit").text(),
            host=w(QComboBox, "hostCombo").currentText(), recorder=w(QComboBox, "recorderCombo").currentText(),
            lecturer=w(QLineEdit, "lecturerEdit").text(), lecturer_title=w(QLineEdit, "lecturerTitleEdit").text(),
            lecture_title=w(QLineEdit, "lectureTitleEdit").text(), summary=w(QPlainTextEdit, "summaryEdit").toPlainText(),
            theme=w(QLineEdit, "themeEdit").text(), required_actions=w(QPlainTextEdit, "requiredActionsEdit").toPlainText(),
            followup=w(QPlainTextEdit, "followupEdit").toPlainText(), content=w(QPlainTextEdit, "contentEdit").toPlainText(),
            resolution=w(QPlainTextEdit, "resolutionEdit").toPlainText(),
            agenda=[x for x in w(QPlainTextEdit, "agendaEdit").toPlainText().split("\n") if x.strip()],
            speeches=gm.speech_data(self.speeches), motions=gm.motion_data(self.motions),
            attendance=gm.attendance_data(self.attendance), guests=gm.guest_data(self.guests),
        )


def _time_text(t) -> str:
    if t is None:
        return ""
    if isinstance(t, str):
        return t
    return f"{t.hour}:{t.minute:02d}"
