"""What every page and dialog shares: the open ledger, the task runner, change notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.store.changes import PRIVATE_KINDS, ChangeEvent

from .autobackup import BackupDriver
from .tasks import TaskRunner

if TYPE_CHECKING:  # imported lazily: the window can show before SQLAlchemy has loaded
    from desktop.store.ledger import Ledger


POLL_MS = 3000  # a server ledger: how often to ask whether other programs changed records


class AppContext(QObject):
    """``ledgerChanged`` fires when another file is opened (pages reload everything);
    ``dataChanged(ChangeEvent)`` fires on the GUI thread after every committed write, so open
    views refresh (desktop.store.changes: which kinds of record, which ids, added/changed/deleted)."""

    ledgerChanged = Signal()
    dataChanged = Signal(object)
    serverLost = Signal(str)  # the poll could not reach the server (why); the window says so
    serverBack = Signal()
    _changedFromAnyThread = Signal(object)

    def __init__(self, ledger: Ledger | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.tasks = TaskRunner(self)
        self.backups = BackupDriver(self.tasks, self)  # automatic backups of whichever ledger is open
        self.ledger: Ledger | None = None
        self._unsubscribe = None
        # writes may commit in a worker thread; the queued connection delivers on the GUI thread
        self._changedFromAnyThread.connect(self._deliver)
        # a server ledger (several programs at once): poll its change counter, pages refresh
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.poll_server)
        self.server_lost = ""  # why the last poll failed; "" while the server answers
        if ledger is not None:
            self.set_ledger(ledger)

    def _deliver(self, event: ChangeEvent) -> None:
        """Autosaved editor drafts are the editor's own business (PRIVATE_KINDS): a write that
        touched nothing else (every few seconds while someone types) must not make every page reload."""
        event = event.without(PRIVATE_KINDS)
        if event:
            self.dataChanged.emit(event)

    def set_ledger(self, ledger: Ledger | None) -> None:
        if self._unsubscribe:
            self._unsubscribe()
            self._unsubscribe = None
        old = self.ledger
        if old is not None and old is not ledger:
            self.backups.detach()  # the closing backup, while the old ledger is still open
        self.ledger = ledger
        if ledger is not None:
            self._unsubscribe = ledger.subscribe(self._changedFromAnyThread.emit)
        if old is not None and old is not ledger:
            old.close()
        if ledger is not None and ledger is not old and not getattr(ledger, "is_server", False):  # a server: pg_dump by its admin
            self.backups.attach(ledger)
        self.server_lost = ""
        if ledger is not None and getattr(ledger, "is_server", False):
            self._poll.start()
        else:
            self._poll.stop()
        self.ledgerChanged.emit()

    def poll_server(self) -> None:
        """What other programs changed on the server reaches the pages as ``dataChanged`` (one
        small query; skipped while background work holds the ledger, or the server is away)."""
        from desktop.store.errors import LedgerFileError

        ledger = self.ledger
        if ledger is None or not getattr(ledger, "is_server", False) or ledger.busy():
            return
        try:
            ledger.poll_changes()
        except LedgerFileError as exc:  # said in the status bar, never a box: polling must not interrupt work
            if not self.server_lost:
                self.server_lost = exc.message
                self.serverLost.emit(exc.message)
            return
        if self.server_lost:  # back: what others changed meanwhile arrived with this poll
            self.server_lost = ""
            self.serverBack.emit()

    @property
    def read_only(self) -> bool:
        """The open ledger's login may change nothing (desktop.ui.rights: pages disable their writes)."""
        from .rights import read_only

        return read_only(self.ledger)

    def ledger_busy(self) -> bool:
        """True while a background task holds the open ledger (GUI reads must wait for it)."""
        return self.ledger is not None and self.ledger.busy()

    def require_ledger(self) -> Ledger:
        if self.ledger is None:
            raise RuntimeError("no ledger open")
        return self.ledger
