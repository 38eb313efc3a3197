"""文件 › 回收站…: every kind of deleted record in one list (desktop.services.recycle)."""

from __future__ import annotations

from .trash import recycle_dialog


def open_recycle_bin(window, ledger) -> None:
    dialog = recycle_dialog(window, ledger)
    window._recycle_dialog = dialog  # tests and screenshots reach the open dialog here
    dialog.exec()
    window._recycle_dialog = None
