"""``FormDialog``: a dialog designed in Qt Designer (forms/<name>.ui, root QDialog), driven by a
small Python controller. The loaded QDialog *is* the window (``self.dialog``), so Esc, Enter
and the title bar behave exactly as designed.

Field errors: ``show_errors(errors)`` puts each message under its field (labels named
``err_<key>`` in the form; ``FIELD_KEYS`` maps the domain's Chinese field labels to keys) and
marks the input invalid (red border from style.qss).

Shared controller plumbing: ``wire_buttons`` (Chinese button texts; accept → ``save``),
``submit`` (run a service call; validation errors go to the fields, success closes the dialog)
and ``fill_groups`` (the 党小组 combo of one branch).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QWidget

from desktop.domain.errors import DomainValidationError, ValidationErrors

from .forms import child, load_form


class FormDialog:
    form_name = ""
    # domain field label → (error label key, input widget name)
    FIELD_KEYS: dict[str, tuple[str, str]] = {}
    general_error = "err_general"

    def __init__(self, parent: QWidget | None = None):
        self.dialog: QDialog = load_form(self.form_name, parent)  # type: ignore[assignment]
        self.dialog._controller = self  # keep the controller alive as long as the dialog
        for label in self.dialog.findChildren(QLabel):
            if label.objectName().startswith("err_") or label.objectName() == "errorLabel":
                label.hide()
        self._invalid: list[QWidget] = []

    def w(self, cls: type, name: str):
        return child(self.dialog, cls, name)

    def button_box(self) -> QDialogButtonBox:
        return self.w(QDialogButtonBox, "buttonBox")

    def exec(self) -> int:
        return self.dialog.exec()

    def wire_buttons(self, ok_button: QDialogButtonBox.StandardButton, ok_text: str) -> QDialogButtonBox:
        """Give the button box Chinese texts and connect it: ``ok_button`` saves, 取消 rejects."""
        box = self.button_box()
        box.button(ok_button).setText(ok_text)
        box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        box.accepted.connect(self.save)
        box.rejected.connect(self.dialog.reject)
        return box

    def submit(self, call: Callable[[], object]) -> bool:
        """Run ``call``; on validation errors show them at the fields and stay open, otherwise
        accept the dialog. Returns whether it was accepted."""
        try:
            call()
        except (ValidationErrors, DomainValidationError) as exc:
            self.show_errors(exc)
            return False
        self.clear_errors()
        self.dialog.accept()
        return True

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
    def clear_errors(self) -> None:
        for label in self.dialog.findChildren(QLabel):
            name = label.objectName()
            if name.startswith("err_") or name == "errorLabel":
                label.clear()
                label.hide()
        for widget in self._invalid:
            widget.setProperty("invalid", False)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        self._invalid.clear()

    def show_errors(self, errors: DomainValidationError | ValidationErrors | Iterable[DomainValidationError]) -> None:
        self.clear_errors()
        if isinstance(errors, DomainValidationError):
            errors = [errors]
        by_label: dict[str, list[str]] = {}
        for err in errors:
            key, widget_name = self.FIELD_KEYS.get(err.field, (self.general_error, ""))
            by_label.setdefault(key, []).append(err.message if key != self.general_error else str(err))
            if widget_name:
                widget = self.dialog.findChild(QWidget, widget_name)
                if widget is not None and widget not in self._invalid:
                    widget.setProperty("invalid", True)
                    widget.style().unpolish(widget)
                    widget.style().polish(widget)
                    self._invalid.append(widget)
        first: QWidget | None = None
        for key, messages in by_label.items():
            label = self.dialog.findChild(QLabel, key) or self.dialog.findChild(QLabel, self.general_error) \
                or self.dialog.findChild(QLabel, "errorLabel")
            if label is None:
                continue
            text = "\n".join(messages)
            label.setText((label.text() + "\n" + text) if label.isVisibleTo(self.dialog) and label.text() else text)
            label.show()
        if self._invalid:
            first = self._invalid[0]
            first.setFocus()

    def error_text(self, key: str) -> str:
        label = self.dialog.findChild(QLabel, key)
        return label.text() if label is not None and not label.isHidden() else ""


def date_text(d: date | None) -> str:
    """A date for a QLineEdit: ISO text, empty for none."""
    return d.isoformat() if d else ""
