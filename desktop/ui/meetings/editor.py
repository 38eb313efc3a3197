"""The meeting record editor: one form that adapts to the kind of meeting.

Edits are collected into a :class:`MeetingInput` and saved through the meetings service in one
transaction. Grid edits go through a QUndoStack; text fields keep their own undo (the 撤销/重做
buttons act on the focused text field, otherwise on the grids). While there are unsaved edits the
form is written to a MeetingDraft every few seconds, so a crash loses only those seconds.
The controller is put together from its parts: fields (editor_fields), dirty state, head and
read-only (editor_state), save/finalize/print (editor_actions), grids (editor_grids), undo (editor_undo).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QWidget,
)

from desktop.domain.enums import MeetingState
from desktop.domain.meeting_kinds import MeetingKindSpec, spec_or_other
from desktop.domain.meetings import summarize_attendance
from desktop.services import meetings as svc
from desktop.services.document_kinds import find_document_kind

from ..datefield import DateField
from ..formdialog import FormDialog
from ..rights import OTHER_BRANCH_TIP, READ_ONLY_TIP, may_write
from . import models as gm
from .editor_actions import EditorActions
from .editor_fields import PLAIN_EDITS, TEXT_EDITS, FieldBinding
from .editor_grids import GridActions
from .editor_parts import AttachmentsPart, FindingsPart
from .editor_state import EditorState
from .editor_undo import UndoActions
from .grids import setup_grid

AUTOSAVE_MS = 3000


class _Form(FormDialog):
    form_name = "meeting_editor"
    FIELD_KEYS = {
        "会议日期": ("err_date", "dateEdit"),
        "开始时间": ("err_time", "startEdit"),
        "结束时间": ("err_time", "endEdit"),
        "会议次数": ("err_number", "numberSpin"),
        "党小组": ("err_group", "groupCombo"),
    }


class MeetingEditor(FieldBinding, EditorState, EditorActions, GridActions, UndoActions, QObject):
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
