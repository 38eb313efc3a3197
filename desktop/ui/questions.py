"""One way to ask a question with named answers (a QMessageBox with Chinese buttons): each caller
lists its answers as (key, label, role) and gets the key back; closing the box (Esc, the title
bar) is the answer whose role is RejectRole."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QMessageBox, QWidget

Role = QMessageBox.ButtonRole


def ask(parent: QWidget | None, title: str, text: str, answers: Sequence[tuple[str, str, Role]], *,
        icon: QMessageBox.Icon = QMessageBox.Icon.Question, informative: str = "") -> str:
    """The key of the answer clicked; the RejectRole answer (or the last one) when the box is closed."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    if informative:
        box.setInformativeText(informative)
    buttons = [(key, box.addButton(label, role)) for key, label, role in answers]
    box.exec()
    clicked = box.clickedButton()
    chosen = next((key for key, button in buttons if button is clicked), None)
    if chosen is not None:
        return chosen
    return next((key for key, _label, role in answers if role == Role.RejectRole), answers[-1][0])
