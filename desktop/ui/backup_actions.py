"""文件 › 从备份恢复… and opening a backup file: the window-side flows over desktop.services.backups.

Restoring over the open ledger: confirm → back up the current file (never rotated away) → close
it → replace it atomically by the backup → open it again. Opening a file that is a backup (or lies
in the backup folder) never opens or upgrades the backup itself: it is copied to a ledger file the
user names, and that copy is opened."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop import FILE_SUFFIX
from desktop.store import paths
from desktop.store.errors import LedgerFileError

from .errors import show_error
from .filedialogs import FILE_FILTER


def _original(ledger) -> Path:
    """The file the user opened: for a working copy (desktop.store.workcopy) the one on the stick."""
    return getattr(ledger, "shown_path", ledger.path)


def _when(entry) -> str:
    return entry.made_at.astimezone().strftime("%Y-%m-%d %H:%M")


def open_restore_dialog(window) -> None:
    from desktop.services import backups as bk

    from .dialogs.restore_backup import RestoreBackupDialog

    ledger = window.ctx.ledger
    try:
        if ledger is not None:
            folder = bk.backup_folder(ledger)
            intro = (f"“{_original(ledger).name}”的自动备份，最新的在前。恢复时先备份当前文件，"
                     "再用所选备份替换它并重新打开；备份本身不会被改动。")

            def entries():
                return bk.list_backups(ledger)
        else:
            folder = paths.backup_dir()
            intro = "所有台账的自动备份，最新的在前。恢复时请选择把台账保存到哪里。"
            entries = bk.list_all_backups
        dialog = RestoreBackupDialog(entries, lambda e: restore_entry(window, e), str(folder), intro, window)
    except LedgerFileError as exc:
        show_error(window, exc)
        return
    window._restore_dialog = dialog  # tests reach the open dialog here
    dialog.exec()
    window._restore_dialog = None


def _ask_target(window, suggested: str) -> Path | None:
    start = Path(window._start_dir()) / f"{suggested}{FILE_SUFFIX}"

    name, _ = QFileDialog.getSaveFileName(window, "恢复为台账文件", str(start), FILE_FILTER)
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == FILE_SUFFIX else path.with_name(path.name + FILE_SUFFIX)


def copy_backup_and_open(window, backup: Path, suggested: str, entry_when: str = "") -> bool:
    """Restore ``backup`` to a new ledger file the user chooses and open that file."""
    from desktop.services.backups import restore_backup

    target = _ask_target(window, suggested)
    if target is None:
        return False
    try:
        restore_backup(backup, target, force=True)  # the save dialog asked before overwriting
    except LedgerFileError as exc:
        show_error(window, exc)
        return False
    message = f"已把备份{entry_when}复制为 {target} 并打开；备份文件保持原样。"
    window.open_path(target, after=lambda _ledger: window.statusBar().showMessage(message, 15000))
    return True


def open_backup_file(window, path: Path) -> None:
    """Someone opened a backup (文件 › 打开…, a recent file, a dropped file)."""
    answer = QMessageBox.information(
        window, "这是备份文件",
        f"“{path.name}”是一份自动备份。为了不改动备份，程序不会直接打开或升级它，"
        "而是先把它复制为一个新的台账文件，再打开复制的文件。\n\n请选择保存位置。",
        QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    if answer == QMessageBox.StandardButton.Ok:
        copy_backup_and_open(window, path, f"{path.name.split('.')[0]}-从备份恢复")


def restore_entry(window, entry) -> bool:
    from desktop.services import backups as bk

    ledger = window.ctx.ledger
    if ledger is None:
        return copy_backup_and_open(window, entry.path, f"{entry.ledger_name}-恢复", f"（{_when(entry)}）")
    if not window.maybe_close_pages():
        return False
    answer = QMessageBox.question(
        window, "从备份恢复",
        f"用 {_when(entry)} 的备份（{entry.reason_label}）替换当前台账“{_original(ledger).name}”吗？\n\n"
        "替换前会先备份当前文件，之后仍可从备份恢复回来。")
    if answer != QMessageBox.StandardButton.Yes:
        return False
    path = _original(ledger)  # a working copy is written back when it closes; the original is replaced
    try:
        current = bk.backup_before(ledger, "restore", rotate_after=False)
    except LedgerFileError as exc:
        show_error(window, exc)
        return False
    if window.ctx.backups.auto is not None:
        window.ctx.backups.auto.mark_clean()  # just backed up: no closing backup on top
    window.ctx.set_ledger(None)
    try:
        bk.restore_backup(entry.path, path, force=True, current_backed_up=True)
    except LedgerFileError as exc:
        show_error(window, exc)
        window.open_path(path)  # the file was not replaced: open it again as it was
        return False
    message = f"已从 {_when(entry)} 的备份恢复。恢复前的台账已备份为 {current.path.name}。"
    window.open_path(path, after=lambda _ledger: window.statusBar().showMessage(message, 15000))
    return True
