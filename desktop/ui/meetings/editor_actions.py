"""What the editor's buttons do: save, autosave, pre-check, finalize, reopen, delete, print, close."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QLabel, QMessageBox

from desktop.domain.errors import DomainValidationError, RecordConflict, ValidationErrors
from desktop.services import meetings as svc
from desktop.services.export import ExportFilters
from desktop.store.errors import LedgerFileError

from .. import conflicts
from ..errors import show_error
from ..questions import Role, ask
from .printing import run_export


class EditorActions:
    """Mixed into MeetingEditor (which provides form, ctx, collect(), load() …)."""

    # ------------------------------------------------------------------ save
    def save(self) -> bool:
        """Save the record; field errors show at the fields. True when saved."""
        if self.is_final or self.no_write:  # nothing can have changed: the form is read-only
            return True
        ledger = self.ctx.require_ledger()
        inp = self.collect()
        try:
            mid = svc.save_meeting(ledger, inp)
        except RecordConflict as exc:  # someone else saved it since it was opened (a server ledger)
            return self._resolve_conflict(exc)
        except (DomainValidationError, ValidationErrors) as exc:
            self.form.show_errors(exc)
            return False
        except LedgerFileError as exc:
            show_error(self.widget, exc, action="保存会议记录")
            return False
        self._drop_draft()
        tab = self.tabs.currentIndex()
        self.open_meeting(mid)
        self.tabs.setCurrentIndex(tab)
        self.form.w(QLabel, "autosaveLabel").setText(f"已保存 {datetime.now():%H:%M:%S}")
        self.saved.emit(mid)
        return True

    def _resolve_conflict(self, exc: RecordConflict) -> bool:
        """「该记录已被 <谁> 于 <时间> 修改」: reload theirs, or save ours as the next version."""
        choice = conflicts.ask_conflict(self.widget, exc)
        if choice == "reload":
            self._show_theirs(exc)
            return False
        if choice == "save_new":
            self.version = exc.current_version  # ours on top of theirs; theirs stays in the history
            return self.save()
        return False

    def _show_theirs(self, exc) -> None:
        """Drop ours and show what the other person saved (after 重新载入, or a refused 定稿 / 删除)."""
        self._drop_draft()
        self.open_meeting(exc.record_id or self.meeting_id)
        self.form.w(QLabel, "autosaveLabel").setText(conflicts.reloaded_text(exc))

    def autosave(self) -> None:
        """Write the unsaved form to its MeetingDraft (timer, every few seconds while editing)."""
        if not self._draft_pending or self.is_final or self._inp is None or self.ctx.ledger is None:
            return
        try:
            self.draft_id = svc.save_draft(self.ctx.ledger, self.collect(), self.draft_id)
        except LedgerFileError as exc:  # the next save reports it; autosave must never interrupt typing,
            from desktop.store.errors import PermissionDenied  # but the label must not keep claiming it saved

            why = "没有修改这条记录的权限" if isinstance(exc, PermissionDenied) else exc.title
            self.form.w(QLabel, "autosaveLabel").setText(f"草稿没有自动保存：{why}")
            return
        self._draft_pending = False
        self.form.w(QLabel, "autosaveLabel").setText(f"已自动保存草稿 {datetime.now():%H:%M:%S}")

    def _drop_draft(self) -> None:
        if self.draft_id and self.ctx.ledger is not None:
            svc.discard_draft(self.ctx.ledger, self.draft_id)
        self.draft_id = None
        self._draft_pending = False
        self.dirty = False

    def discard_edits(self) -> None:
        self._drop_draft()

    # ------------------------------------------------------------------ check / finalize / reopen
    def run_check(self) -> list:
        findings = svc.check_record(self.collect())
        self.findings.show(findings)
        self.tabs.setCurrentWidget(self.form.w(type(self.widget), "checkTab"))
        return findings

    def finalize(self) -> bool:
        """Save, pre-check, then 定稿: errors block, warnings ask."""
        if not self.save():
            return False
        try:
            return self._finalize()
        except RecordConflict as exc:  # saved by someone else meanwhile (while 仍然定稿吗 was asked)
            conflicts.refuse_finalize(self.widget, exc)
            self._show_theirs(exc)
            return False

    def _finalize(self) -> bool:
        ledger = self.ctx.require_ledger()
        result = svc.finalize_meeting(ledger, self.meeting_id, version=self.version)
        if not result.finalized and result.errors:
            self.findings.show(list(result.findings))
            self.tabs.setCurrentWidget(self.form.w(type(self.widget), "checkTab"))
            QMessageBox.warning(self.widget, "不能定稿", f"自查发现 {len(result.errors)} 个错误，改正后才能定稿：\n\n"
                                + "\n".join(f"· {f.field}：{f.message}" for f in result.errors[:8]))
            return False
        if not result.finalized:
            text = "\n".join(f"· {f.field}：{f.message}" for f in result.warnings[:8])
            answer = QMessageBox.question(self.widget, "定稿前请确认", f"自查有 {len(result.warnings)} 条提醒：\n\n{text}\n\n仍然定稿吗？")
            if answer != QMessageBox.StandardButton.Yes:
                self.findings.show(list(result.findings))
                return False
            result = svc.finalize_meeting(ledger, self.meeting_id, accept_warnings=True, version=self.version)
        self.open_meeting(self.meeting_id)
        self.findings.show(list(result.findings))
        self.saved.emit(self.meeting_id)
        return result.finalized

    def reopen(self) -> bool:
        from .dialogs import ReopenDialog

        d = self._inp
        subject = f"{d.kind} · {d.date} · {d.title}" if d else ""
        dlg = ReopenDialog(self.ctx.require_ledger(), self.meeting_id, subject, self.widget)
        if not dlg.exec():
            return False
        self.open_meeting(self.meeting_id)
        self.saved.emit(self.meeting_id)
        return True

    def delete(self) -> None:
        if self.meeting_id is None:
            return
        answer = QMessageBox.question(self.widget, "删除记录", "确定删除这份会议记录吗？删除后它不再出现在列表、自查和台账中。")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            svc.delete_meeting(self.ctx.require_ledger(), self.meeting_id, self.version)
        except RecordConflict as exc:  # changed since it was opened: not deleted, theirs shown
            conflicts.refuse_delete(self.widget, exc)
            self._show_theirs(exc)
            return
        except DomainValidationError as exc:
            show_error(self.widget, exc)
            return
        self._drop_draft()
        self.closed.emit()

    # ------------------------------------------------------------------ print
    def print_record(self, kind: str, fmt: str) -> None:
        if self.dirty and not self.save():
            return
        if self.meeting_id is None:
            return
        title = "会议记录" if kind == "minutes" else "签到表"
        run_export(self.ctx, self.widget, kind, fmt, ExportFilters(meeting=self.meeting_id), title)

    # ------------------------------------------------------------------ close
    def maybe_close(self) -> bool:
        """Never discard silently: ask 保存 / 不保存 / 取消 when there are unsaved edits."""
        if not self.dirty or self.is_final:
            return True
        answer = ask_unsaved(self.widget)
        if answer == "save":
            return self.save()
        if answer == "discard":
            self.discard_edits()
            return True
        return False

    def request_close(self) -> None:
        if self.maybe_close():
            self.closed.emit()


def ask_unsaved(parent) -> str:
    """'save', 'discard' or 'cancel' (a function, so tests can answer it)."""
    return ask(parent, "有未保存的修改", "这份会议记录有未保存的修改，要保存吗？", [
        ("save", "保存", Role.AcceptRole), ("discard", "不保存", Role.DestructiveRole), ("cancel", "取消", Role.RejectRole),
    ])
