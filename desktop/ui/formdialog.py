"""``FormDialog``: the one framework of the program's dialogs. Each is designed in Qt Designer
(forms/<name>.ui, root QDialog) and driven by a small Python controller; the loaded QDialog *is*
the window (``self.dialog``), so Esc, Enter and the title bar behave exactly as designed.

Field errors, the same way in every dialog:
- ``FIELD_KEYS`` maps the domain's Chinese field label (``DomainValidationError.field``) to
  (error label, input widget) names in the form; error labels are hidden until they have a message;
- ``show_errors(errors)`` puts each message in the label next to its field, marks the input
  invalid (red border from style.qss, the message as its tooltip) and moves the focus to the
  first bad field; a message for any other field goes to the general label (``err_general`` or
  ``errorLabel``) as ``字段：说明``;
- ``submit(call)`` runs the service call behind 确定/保存: on a validation error (or a record that
  vanished meanwhile) the dialog stays open with the messages shown; otherwise it closes.

Someone else saved the record since the dialog opened (``RecordConflict``, desktop.ui.conflicts):
a dialog editing an existing record keeps the ``version`` it opened and sends it; ``submit`` asks
「该记录已被 <谁> 于 <时间> 修改」 — 重新载入 calls ``reload_record()`` (the dialog shows their
content and says so), 另存为新版本 sends ours again from the stored version (``resubmit()``), 取消
keeps the dialog open with the user's edits.

Shared plumbing: ``wire_buttons`` (Chinese button texts; accept → ``save``), ``chinese_buttons``
and ``fill_groups`` (the 党小组 combo of one branch).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QWidget

from desktop.domain.errors import DomainValidationError, RecordConflict, ValidationErrors

from .conflicts import gone_text
from .forms import child, load_form

GENERAL_LABELS = ("err_general", "errorLabel")


def chinese_buttons(box: QDialogButtonBox, ok: str = "保存") -> None:
    """Chinese captions whether or not a Qt translation is installed."""
    for which, text in ((QDialogButtonBox.StandardButton.Ok, ok), (QDialogButtonBox.StandardButton.Save, ok),
                        (QDialogButtonBox.StandardButton.Cancel, "取消"), (QDialogButtonBox.StandardButton.Close, "关闭")):
        button = box.button(which)
        if button is not None:
            button.setText(text)


class FormDialog:
    form_name = ""
    # domain field label → (error label name, input widget name); a dialog may also set
    # ``self.FIELD_KEYS`` per instance before showing errors
    FIELD_KEYS: dict[str, tuple[str, str]] = {}
    general_error = "err_general"  # where messages of other fields go (else "errorLabel")
    version: int | None = None  # the version of the record the dialog opened (None: a new one)

    def __init__(self, parent: QWidget | None = None):
        self.dialog: QDialog = load_form(self.form_name, parent)  # type: ignore[assignment]
        self.dialog._controller = self  # keep the controller alive as long as the dialog
        self._invalid: list[QWidget] = []
        self._notice: QLabel | None = None
        self.clear_errors()

    def w(self, cls: type, name: str):
        return child(self.dialog, cls, name)

    def button_box(self) -> QDialogButtonBox:
        return self.w(QDialogButtonBox, "buttonBox")

    def exec(self) -> int:
        return self.dialog.exec()

    def setWindowTitle(self, title: str) -> None:  # noqa: N802 - mirrors the Qt name
        self.dialog.setWindowTitle(title)

    def wire_buttons(self, ok_button: QDialogButtonBox.StandardButton = QDialogButtonBox.StandardButton.Ok,
                     ok_text: str = "保存") -> QDialogButtonBox:
        """Give the button box Chinese texts and connect it: ``ok_button`` saves, 取消 rejects."""
        box = self.button_box()
        chinese_buttons(box)
        box.button(ok_button).setText(ok_text)
        box.accepted.connect(self.save)
        box.rejected.connect(self.dialog.reject)
        return box

    def save(self) -> object:
        raise NotImplementedError

    def submit(self, call: Callable[[], object]) -> bool:
        """Run ``call``; on validation errors (or a record deleted meanwhile: LookupError) show them
        at the fields and stay open, otherwise accept the dialog. Returns whether it was accepted."""
        try:
            call()
        except RecordConflict as exc:
            return self.resolve_conflict(exc)
        except (ValidationErrors, DomainValidationError) as exc:
            self.show_errors(exc)
            return False
        except LookupError as exc:
            self.show_errors(DomainValidationError("记录", gone_text(exc)))
            return False
        self.clear_errors()
        self.dialog.accept()
        return True

    # ------------------------------------------------------------ someone else saved meanwhile
    def resolve_conflict(self, exc: RecordConflict) -> bool:
        from . import conflicts

        choice = conflicts.ask_conflict(self.dialog, exc)
        if choice == "reload":
            self.clear_errors()
            try:
                self.reload_record()
            except LookupError as gone:  # deleted meanwhile: nothing to show
                self.show_errors(DomainValidationError("记录", gone_text(gone)))
                return False
            self.show_notice(conflicts.reloaded_text(exc))
            return False
        if choice == "save_new":
            self.version = exc.current_version  # ours on top of theirs; theirs stays in 修改历史
            return bool(self.resubmit())
        return False  # 取消: stay open with the user's edits

    def reload_record(self) -> None:
        """Show the record as stored now (and take its version); each editing dialog defines it."""
        raise NotImplementedError

    def resubmit(self) -> object:
        """Send the form again (what 确定/保存 does)."""
        return self.save()

    def show_notice(self, text: str) -> None:
        """A note (not an error) in the general label, e.g. after 重新载入."""
        label = self._general_label()
        if label is None:
            return
        if self._notice is None:
            self._notice, self._notice_role = label, label.property("role")
        label.setProperty("role", "warning")
        label.style().unpolish(label)
        label.style().polish(label)
        label.setText(text)
        label.show()

    @staticmethod
    def fill_groups(combo: QComboBox, ledger, branch_id: str | None, keep: object = None) -> None:
        """Refill a 党小组 combo with the groups of ``branch_id`` after a “不分党小组” entry;
        reselect ``keep`` when it is still there; disabled when the branch has no groups."""
        from desktop.services.organization import list_groups

        combo.clear()
        combo.addItem("（不分党小组）", None)
        if branch_id:
            for g in list_groups(ledger, branch_id):
                combo.addItem(g.name, g.id)
        combo.setCurrentIndex(max(0, combo.findData(keep)))
        combo.setEnabled(combo.count() > 1)

    # ------------------------------------------------------------ errors at the field
    def _error_labels(self) -> list[QLabel]:
        names = {key for key, _widget in self.FIELD_KEYS.values()} | set(GENERAL_LABELS) | {self.general_error}
        return [label for label in self.dialog.findChildren(QLabel)
                if label.objectName() in names or label.objectName().startswith("err_")]

    def _general_label(self) -> QLabel | None:
        for name in (self.general_error, *GENERAL_LABELS):
            label = self.dialog.findChild(QLabel, name)
            if label is not None:
                return label
        return None

    @staticmethod
    def _mark(widget: QWidget, message: str | None) -> None:
        widget.setProperty("invalid", message is not None)
        widget.setToolTip(message or "")
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    def clear_errors(self) -> None:
        if getattr(self, "_notice", None) is not None:
            self._notice.setProperty("role", self._notice_role)
            self._notice.style().unpolish(self._notice)
            self._notice.style().polish(self._notice)
            self._notice = None
        for label in self._error_labels():
            label.clear()
            label.hide()
            label.setMinimumHeight(0)
        for widget in self._invalid:
            self._mark(widget, None)
        self._invalid.clear()

    def show_errors(self, errors: DomainValidationError | ValidationErrors | Iterable[DomainValidationError]) -> None:
        self.clear_errors()
        if isinstance(errors, DomainValidationError):
            errors = [errors]
        by_label: dict[QLabel, list[str]] = {}
        by_widget: dict[QWidget, list[str]] = {}
        general = self._general_label()
        for err in errors:
            key, widget_name = self.FIELD_KEYS.get(err.field, ("", ""))
            label = self.dialog.findChild(QLabel, key) if key else None
            widget = self.dialog.findChild(QWidget, widget_name) if widget_name else None
            if label is None and widget is None:  # not a field of this form
                if general is not None:
                    by_label.setdefault(general, []).append(str(err))
                continue
            if widget is not None:
                by_widget.setdefault(widget, []).append(err.message)
            target = label if label is not None else general
            if target is not None:  # a general label names the field: 字段：说明
                shared = target is general or target.objectName() in (self.general_error, *GENERAL_LABELS)
                by_label.setdefault(target, []).append(str(err) if shared else err.message)
        for label, messages in by_label.items():
            label.setText("\n".join(messages))
            label.show()
            if label.wordWrap():  # a grid row does not grow for a wrapped label on its own
                label.setMinimumHeight(label.heightForWidth(max(label.width(), 120)))
        self._fit()
        for widget, messages in by_widget.items():
            self._mark(widget, "；".join(messages))
            self._invalid.append(widget)
        if self._invalid:
            self._invalid[0].setFocus()

    def _fit(self) -> None:
        """Grow the dialog when the messages need more room than it has (never shrink it)."""
        layout = self.dialog.layout()
        if layout is None:
            return
        layout.activate()
        need = layout.totalMinimumSize()
        if need.height() > self.dialog.height() or need.width() > self.dialog.width():
            self.dialog.resize(max(need.width(), self.dialog.width()), max(need.height(), self.dialog.height()))

    def error_text(self, key: str) -> str:
        label = self.dialog.findChild(QLabel, key)
        return label.text() if label is not None and not label.isHidden() else ""


def date_text(d: date | None) -> str:
    """A date for a QLineEdit: ISO text, empty for none."""
    return d.isoformat() if d else ""
