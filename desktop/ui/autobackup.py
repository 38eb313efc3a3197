"""Drives desktop.services.autobackup for the open ledger: a backup when it opens (if the last
is a day old), every minute a look whether changes wait longer than the interval, and one when
it closes. Backups run on the GUI thread, under the ledger's lock, between two user actions —
never beside a closing ledger. ``notice`` tells the status bar what happened."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

log = logging.getLogger(__name__)

TICK_MS = 60_000


class BackupDriver(QObject):
    notice = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.auto = None
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.tick)

    def attach(self, ledger) -> None:
        from desktop.services.autobackup import AutoBackup

        self.detach()
        self.auto = AutoBackup(ledger)
        self._report(self.auto.opened(), "打开时")
        self._timer.start()

    def detach(self) -> None:
        """Before the ledger closes: the closing backup (when something changed)."""
        self._timer.stop()
        auto, self.auto = self.auto, None
        if auto is not None:
            self._report(auto.closing(), "关闭时", auto)

    def tick(self) -> None:
        if self.auto is not None:
            self._report(self.auto.tick(), "定时")

    def _report(self, made, when: str, auto=None) -> None:
        auto = auto or self.auto
        if made is not None:
            self.notice.emit(f"已自动备份（{when}）：{made.path.name}")
        elif auto is not None and auto.last_error is not None:
            self.notice.emit(f"自动备份失败：{auto.last_error.message}")
