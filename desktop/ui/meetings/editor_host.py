"""Where the 三会一课 page shows a record (desktop.ui.pages.meetings): the editor replaces the list
and gives it back when closed; autosaved drafts left by a crash are offered for recovery.
"""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget

from desktop.domain.enums import MeetingState
from desktop.services import meetings as svc

from ..forms import child
from ..questions import Role, ask
from .editor import MeetingEditor


def ask_recover(parent: QWidget, drafts: list[svc.DraftInfo]) -> str:
    """'recover', 'discard' or 'later' for autosaves left by a crash (a function, so tests can answer)."""
    d = drafts[0]
    return ask(parent, "恢复未保存的会议记录",
               f"上次编辑的会议记录没有保存就关闭了（自动保存于 {d.saved_at.astimezone():%Y-%m-%d %H:%M:%S}）：\n\n"
               f"{d.label}\n\n要恢复这些修改吗？", [
                   ("recover", "恢复", Role.AcceptRole), ("discard", "丢弃", Role.DestructiveRole),
                   ("later", "以后再说", Role.RejectRole)])


class EditorHost:
    """The editor half of MeetingsPage (mixed in; uses its form, stack and ctx)."""

    def _show_list(self, show: bool) -> None:
        self.stack.setCurrentIndex(0 if show else 1)
        for name in ("openButton", "printLedgerButton", "templatesButton"):
            child(self.form, QPushButton, name).setVisible(show)

    def _make_editor(self) -> MeetingEditor:
        editor = MeetingEditor(self.ctx, self)
        host = child(self.form, QWidget, "editorPage")
        host.layout().addWidget(editor.widget)
        editor.closed.connect(lambda: self._close_editor(force=True))
        self.editor = editor
        self._show_list(False)
        return editor

    def _close_editor(self, force: bool = False) -> bool:
        editor = self.editor
        if editor is None:
            self._show_list(True)
            return True
        if not force and not editor.maybe_close():
            return False
        editor.dispose()
        editor.widget.setParent(None)
        editor.widget.deleteLater()
        editor.deleteLater()
        self.editor = None
        self._show_list(True)
        return True

    def offer_recovery(self) -> None:
        if self._recovery_offered or self.ctx.ledger is None or self.editor is not None:
            return
        self._recovery_offered = True
        drafts = svc.list_drafts(self.ctx.ledger)
        if not drafts:
            return
        answer = ask_recover(self, drafts)
        if answer == "discard":
            for d in drafts:
                svc.discard_draft(self.ctx.ledger, d.id)
        elif answer == "recover":
            d = drafts[0]
            inp = svc.load_draft(self.ctx.ledger, d.id)
            state = MeetingState.DRAFT
            detail = None
            if inp.id:
                try:
                    detail = svc.get_meeting(self.ctx.ledger, inp.id)
                    state = detail.state
                except Exception:  # noqa: BLE001 - the record was deleted meanwhile: recover as new
                    inp.id, inp.version = None, None
            self._make_editor().load(inp, state=state, detail=detail, draft_id=d.id)
