"""撤销/重做 of the editor: the focused text field's own undo first, else the grids' QUndoStack."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QPushButton


class UndoActions:
    """Mixed into MeetingEditor (which provides form, widget and the QUndoStack ``undo``)."""

    def _focus_changed(self, _old, new) -> None:
        if isinstance(new, QLineEdit | QPlainTextEdit) and self.widget.isAncestorOf(new):
            self._last_text = new

    def _text_target(self):
        focus = QApplication.focusWidget()
        if isinstance(focus, QLineEdit | QPlainTextEdit) and self.widget.isAncestorOf(focus):
            return focus
        return None

    def do_undo(self) -> None:
        t = self._text_target()
        if isinstance(t, QPlainTextEdit) and t.document().isUndoAvailable():
            t.undo()
        elif isinstance(t, QLineEdit) and t.isUndoAvailable():
            t.undo()
        else:
            self.undo.undo()

    def do_redo(self) -> None:
        t = self._text_target()
        if isinstance(t, QPlainTextEdit) and t.document().isRedoAvailable():
            t.redo()
        elif isinstance(t, QLineEdit) and t.isRedoAvailable():
            t.redo()
        else:
            self.undo.redo()

    def _update_undo_buttons(self, *_a) -> None:
        w = self.form.w
        w(QPushButton, "undoButton").setToolTip(f"撤销：{self.undo.undoText()}" if self.undo.canUndo() else "撤销（文字框内为文字撤销）")
        w(QPushButton, "redoButton").setToolTip(f"重做：{self.undo.redoText()}" if self.undo.canRedo() else "重做")
