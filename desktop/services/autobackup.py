"""When the program backs up by itself (Qt-free; the window drives it with a timer).

- on open, when the newest backup of this ledger is older than a day (or there is none);
- every ``backup_interval_minutes`` while there are changes not yet backed up;
- on close, when something changed since the last backup.

Failures never stop the user's work: they are logged and kept in ``last_error`` for the
status bar; older backups stay (rotation only follows a successful backup).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from desktop.store.backups import BackupFile, list_folder
from desktop.store.changes import PRIVATE_KINDS, ChangeEvent
from desktop.store.errors import LedgerFileError
from desktop.store.ledger import Ledger

from .backups import backup_before, backup_folder

log = logging.getLogger(__name__)

OPEN_AFTER = timedelta(days=1)


class AutoBackup:
    def __init__(self, ledger: Ledger, root: Path | None = None, clock: Callable[[], datetime] | None = None):
        self.ledger = ledger
        self.root = root
        self.clock = clock or (lambda: datetime.now(UTC))
        self.dirty_since: datetime | None = None
        self.last_error: LedgerFileError | None = None
        self.last: datetime | None = None
        try:
            newest = list_folder(backup_folder(ledger, root))
            self.last = newest[0].made_at if newest else None
        except LedgerFileError as exc:
            self.last_error = exc
        self._unsubscribe = ledger.subscribe(self._changed)

    def _changed(self, event: ChangeEvent) -> None:
        if event.without(PRIVATE_KINDS) and self.dirty_since is None:  # editor autosaves alone are not changes
            self.dirty_since = self.clock()

    def _backup(self, reason: str) -> BackupFile | None:
        started = self.clock()
        try:
            made = backup_before(self.ledger, reason, root=self.root)
        except LedgerFileError as exc:
            log.warning("automatic backup (%s) of %s failed: %s", reason, self.ledger.path, exc)
            self.last_error = exc
            return None
        log.info("automatic backup (%s): %s", reason, made.path)
        self.last_error = None
        self.last = started
        if self.dirty_since is not None and self.dirty_since <= started:
            self.dirty_since = None
        return made

    def opened(self) -> BackupFile | None:
        if self.last is None or self.clock() - self.last >= OPEN_AFTER:
            return self._backup("open")
        return None

    def tick(self, interval: timedelta | None = None) -> BackupFile | None:
        """Call every minute or so: backs up when changes are older than the interval."""
        if self.dirty_since is None:
            return None
        if interval is None:
            from .settings import get_settings

            interval = timedelta(minutes=get_settings(self.ledger).backup_interval_minutes)
        since = max(self.dirty_since, self.last) if self.last else self.dirty_since
        if self.clock() - since >= interval:
            return self._backup("auto")
        return None

    def closing(self) -> BackupFile | None:
        """Before the ledger closes; stops listening to it."""
        self._unsubscribe()
        return self._backup("close") if self.dirty_since is not None else None

    def mark_clean(self) -> None:
        """The caller has just made a backup itself (e.g. before a restore)."""
        self.dirty_since = None
        self.last = self.clock()
