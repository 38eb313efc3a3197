"""Drives desktop.services.autobackup for the open ledger: a backup when it opens (if the last
is a day old), every minute a look whether changes wait longer than the interval, and one when
it closes. The opening and interval backups run in the background (the ledger's lock is held
only while SQLite copies; the check of the copy runs beside the user's work); the closing one
runs before the ledger closes. ``notice`` tells the status bar what happened."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.store.errors import LedgerClosed

log = logging.getLogger(__name__)

TICK_MS = 60_000


class BackupDriver(QObject):
    notice = Signal(str, bool)  # text, failed

    def __init__(self, tasks, parent: QObject | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.auto = None
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.tick)

    def attach(self, ledger) -> None:
        from desktop.services.autobackup import AutoBackup

        self.detach()
        self.auto = auto = AutoBackup(ledger)
        self._run(auto, auto.opened, "打开时")
        self._timer.start()

    def detach(self) -> None:
        """Before the ledger closes: the closing backup (when something changed)."""
        self._timer.stop()
        auto, self.auto = self.auto, None
        if auto is not None:
            self._report(auto.closing(), "关闭时", auto)

    def tick(self) -> None:
        auto = self.auto
        if auto is None or self._busy or auto.dirty_since is None:
            return
        from datetime import timedelta

        from desktop.services.settings import get_settings

        interval = timedelta(minutes=get_settings(auto.ledger).backup_interval_minutes)  # GUI thread: open
        self._run(auto, lambda: auto.tick(interval), "定时")

    def _run(self, auto, fn, when: str) -> None:
        self._busy = True

        def done(made) -> None:
            self._busy = False
            self._report(made, when, auto)

        def failed(exc: BaseException, tb: str) -> None:
            self._busy = False
            log.error("automatic backup (%s) failed: %s\n%s", when, exc, tb)
            self.notice.emit(f"自动备份失败：{exc}", True)

        self.tasks.run(lambda _progress: fn(), on_done=done, on_error=failed)

    def _report(self, made, when: str, auto=None) -> None:
        auto = auto or self.auto
        if made is not None:
            self.notice.emit(f"已自动备份（{when}）：{made.path.name}", False)
        elif auto is not None and auto.last_error is not None and not isinstance(auto.last_error, LedgerClosed):
            self.notice.emit(f"自动备份失败：{auto.last_error.message}", True)
