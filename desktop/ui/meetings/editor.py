"""The meeting record editor: one form that adapts to the kind of meeting.

Edits are collected into a :class:`MeetingInput` and saved through the meetings service in one
transaction. Grid edits go through a QUndoStack; text fields keep their own undo (the 撤销/重做
buttons act on the focused text field, otherwise on the grids). While there are unsaved edits the
form is written to a MeetingDraft every few seconds, so a crash loses only those seconds.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QWidget,
)

from desktop.domain.dates import format_cn_date
from desktop.domain.enums import MeetingState
from desktop.domain.meeting_kinds import MeetingKindSpec, spec_or_other
from desktop.domain.meetings import committee_quorum, general_assembly_quorum, summarize_attendance
from desktop.services import meetings as svc
from desktop.services.document_kinds import find_document_kind

from ..datefield import DateField
from ..formdialog import FormDialog
from ..rights import OTHER_BRANCH_TIP, READ_ONLY_TIP, lock, may_write
from . import models as gm
from .dialogs import fill_branches, fill_groups
from .editor_actions import EditorActions
from .editor_grids import GridActions
from .editor_parts import AttachmentsPart, FindingsPart
from .editor_undo import UndoActions
from .grids import setup_grid

AUTOSAVE_MS = 3000
TEXT_EDITS = ("titleEdit", "startEdit", "endEdit", "placeEdit", "lecturerEdit", "lecturerTitleEdit",
              "lectureTitleEdit", "themeEdit")
PLAIN_EDITS = ("summaryEdit", "requiredActionsEdit", "followupEdit", "agendaEdit", "contentEdit", "resolutionEdit")

WRITE_BUTTONS = ("saveButton", "undoButton", "redoButton", "deleteButton", "finalizeButton", "reopenButton")


class _Form(FormDialog):
    form_name = "meeting_editor"
    FIELD_KEYS = {
        "会议日期": ("err_date", "dateEdit"),
        "开始时间": ("err_time", "startEdit"),
        "结束时间": ("err_time", "endEdit"),
        "会议次数": ("err_number", "numberSpin"),
        "党小组": ("err_group", "groupCombo"),
    }


class MeetingEditor(EditorActions, GridActions, UndoActions, QObject):
    """Controller of forms/meeting_editor.ui. ``widget`` is the loaded form."""

    closed = Signal()
    saved = Signal(str)

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.form = _Form(parent)
        self.widget: QWidget = self.form.dialog
        self.undo = QUndoStack(self)
        self.meeting_id: str | None = None
        self.version: int | None = None
        self.state = MeetingState.DRAFT
        self.draft_id: str | None = None
        self.dirty = False
        self._loading = False
        self._draft_pending = False
        self._inp: svc.MeetingInput | None = None
        self._last_text: QWidget | None = None

        w = self.form.w
        self.tabs: QTabWidget = w(QTabWidget, "tabs")
        self.attendance = gm.attendance_model(self.undo, self)
        self.guests = gm.guests_model(self.undo, self)
        self.speeches = gm.speeches_model(self.undo, lambda: self.kind, self._names, self)
        self.motions = gm.motions_model(self.undo, self.summary, self)
        for view, model in (("attendanceView", self.attendance), ("guestsView", self.guests),
                            ("speechesView", self.speeches), ("motionsView", self.motions)):
            setup_grid(w(QTableView, view), model)
            model.changed.connect(self._changed)
        self.attendance.changed.connect(self._attendance_changed)
        self.attachments = AttachmentsPart(self)
        self.findings = FindingsPart(self)

        for name in TEXT_EDITS:
            w(QLineEdit, name).textChanged.connect(self._changed)
        for name in PLAIN_EDITS:
            w(QPlainTextEdit, name).textChanged.connect(self._changed)
        for name in ("hostCombo", "recorderCombo"):
            w(QComboBox, name).editTextChanged.connect(self._changed)
        w(QComboBox, "groupCombo").currentIndexChanged.connect(self._changed)
        w(QSpinBox, "numberSpin").valueChanged.connect(self._changed)
        w(DateField, "dateEdit").textChanged.connect(self._changed)
        w(DateField, "dateEdit").dateChanged.connect(self._date_changed)
        save_key = QShortcut(QKeySequence.StandardKey.Save, self.widget)
        save_key.activated.connect(self.save)
        self.undo.indexChanged.connect(self._update_undo_buttons)
        QApplication.instance().focusChanged.connect(self._focus_changed)

        self._buttons()
        self._timer = QTimer(self)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.autosave)
        self._timer.start()
        self._counts = QTimer(self)
        self._counts.setSingleShot(True)
        self._counts.setInterval(400)
        self._counts.timeout.connect(self._update_counts)

    def dispose(self) -> None:
        """Stop timers and global connections before the widget goes away."""
        self._timer.stop()
        self._counts.stop()
        try:
            QApplication.instance().focusChanged.disconnect(self._focus_changed)
        except (RuntimeError, TypeError):
            pass

    # ------------------------------------------------------------------ wiring
    def _buttons(self) -> None:
        w = self.form.w
        for name, slot in (
            ("backButton", self.request_close), ("saveButton", self.save), ("checkButton", self.run_check),
            ("finalizeButton", self.finalize), ("reopenButton", self.reopen), ("deleteButton", self.delete),
            ("undoButton", self.do_undo), ("redoButton", self.do_redo), ("allPresentButton", self.all_present),
            ("absentButton", lambda: self.mark_selected(False)), ("excludeButton", lambda: self.mark_selected(True)),
            ("rosterButton", lambda: self.regenerate_roster()), ("addGuestButton", lambda: self._add(self.guests, "guestsView",
                                                                                          dict(name="", title="", role="列席"))),
            ("removeGuestButton", lambda: self._remove(self.guests, "guestsView")),
            ("addSpeechButton", self.add_speech), ("removeSpeechButton", lambda: self._remove(self.speeches, "speechesView")),
            ("upSpeechButton", lambda: self._move(-1)), ("downSpeechButton", lambda: self._move(1)),
            ("addMotionButton", lambda: self._add(self.motions, "motionsView",
                                                  dict(title="", yes=0, no=0, abstain=0, is_election=False))),
            ("removeMotionButton", lambda: self._remove(self.motions, "motionsView")),
        ):
            w(QPushButton, name).clicked.connect(slot)
        for name in ("undoButton", "redoButton"):
            w(QPushButton, name).setFocusPolicy(Qt.FocusPolicy.NoFocus)
        menu = QMenu(self.widget)
        for kind, fmt, fmt_label in (("minutes", "pdf", "PDF"), ("minutes", "docx", "Word"),
                                     ("minutes", "both", "PDF 和 Word"), ("signin", "pdf", "PDF"),
                                     ("signin", "docx", "Word")):
            act = QAction(f"{find_document_kind(kind).label}（{fmt_label}）", menu)
            act.triggered.connect(lambda _=False, k=kind, f=fmt: self.print_record(k, f))
            menu.addAction(act)
        w(QPushButton, "printButton").setMenu(menu)

    # ------------------------------------------------------------------ properties
    @property
    def kind(self) -> str:
        return self._inp.kind if self._inp else ""

    @property
    def spec(self) -> MeetingKindSpec:
        """The rules of this record's kind (``desktop.domain.meeting_kinds``)."""
        return spec_or_other(self.kind)

    @property
    def is_final(self) -> bool:
        return self.state == MeetingState.FINAL

    @property
    def no_write(self) -> str:
        """Why this login may not change the record shown ("" when it may): desktop.ui.rights."""
        if self.ctx.read_only:
            return READ_ONLY_TIP
        if self._inp is not None and not may_write(self.ctx.ledger, self._inp.branch_id):
            return OTHER_BRANCH_TIP
        return ""

    def summary(self):
        return summarize_attendance(a.attendee() for a in gm.attendance_data(self.attendance))

    def _names(self) -> list[str]:
        return [r["name"] for r in self.attendance.rows]

    # ------------------------------------------------------------------ load
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

    # ------------------------------------------------------------------ collect
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

    # ------------------------------------------------------------------ change tracking
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


def _time_text(t) -> str:
    if t is None:
        return ""
    if isinstance(t, str):
        return t
    return f"{t.hour}:{t.minute:02d}"

