"""Opening a damaged ledger (our application id, a table missing) in the window shows the plain
file-problem box 「台账已损坏」, never the crash dialog; the open ledger stays open."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from PySide6.QtWidgets import QMessageBox

from desktop.store.ledger import Ledger
from desktop.ui import errors as ui_errors


def test_damaged_ledger_gets_the_plain_message_not_the_crash_dialog(qtbot, main_window, app_ctx, tmp_path,
                                                                    monkeypatch):  # fmt: skip
    path = tmp_path / "损坏.zhibu"
    Ledger.open(path, create=True).close()
    with closing(sqlite3.connect(path)) as db:
        db.execute("DROP TABLE attendance")
        db.commit()
    boxes, crashes = [], []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: boxes.append(self.text() + self.informativeText()) or 0)
    monkeypatch.setattr(ui_errors.CrashDialog, "exec", lambda self: crashes.append(self) or 0)
    before = app_ctx.ledger
    main_window.open_path(path)
    qtbot.waitUntil(lambda: not app_ctx.tasks._jobs and bool(boxes), timeout=30000)
    assert not crashes
    assert len(boxes) == 1 and "台账已损坏" in boxes[0] and "attendance" in boxes[0], boxes
    assert app_ctx.ledger is before
