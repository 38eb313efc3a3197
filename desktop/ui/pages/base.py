"""The contract between the main window and its pages."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from desktop.store.changes import ChangeEvent

from .. import rights
from ..context import AppContext


class Page(QWidget):
    """A navigation page. Subclasses set ``title`` (Chinese, shown in the navigation) and
    ``icon_name`` (file in resources/icons/ without extension), build their UI from a form in
    ``__init__``, and implement :meth:`reload`.

    - ``reload()``: re-read everything from ``ctx.ledger`` (called on ``ledgerChanged`` and when
      the page is first shown); must cope with ``ctx.ledger is None``.
    - ``on_data_changed(event)``: refresh if the :class:`ChangeEvent` touches records shown here
      (``event.touches(RecordKind.MEMBER, ...)``, ``event.ids(kind)``).
    - ``open_record(kind, record_id)``: show one record (首页 reminders and pre-check lists call
      this through ``MainWindow.open_record``); return True if handled.
    - ``maybe_close()``: return False to veto closing or switching ledgers (unsaved edits).
    - ``write_buttons``: the buttons that change records; :meth:`lock_writes`, called after the page set
      their states, disables them for a read-only login (desktop.ui.rights), ``committee_buttons``
      (committee-wide records) for a secretary's; :meth:`lock_record` those of a selected record of
      a branch the login may not change.

    The GUI thread never waits for work in progress: while a background task holds the ledger
    (``ctx.ledger_busy()``), ``ledgerChanged``/``dataChanged`` and :meth:`when_free` calls are
    queued and run when it lets go (checked every 50 ms), so the window keeps painting.
    """

    title = ""
    icon_name = ""
    write_buttons: tuple[str, ...] = ()  # object names in ``self.form`` of the buttons that change records
    committee_buttons: tuple[str, ...] = ()  # those of them that change committee-wide records (owner only)


    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._queued: dict[str, Callable[[], None]] = {}
        self._pending: ChangeEvent | None = None
        self._free_timer = QTimer(self)
        self._free_timer.setInterval(50)
        self._free_timer.timeout.connect(self._run_queued)
        ctx.ledgerChanged.connect(self.request_reload)
        ctx.dataChanged.connect(self._data_changed)

    # ------------------------------------------------------------------ never wait on the GUI thread
    def when_free(self, key: str, fn: Callable[[], None]) -> bool:
        """Run ``fn`` now if the ledger is free, else once it is (the latest ``fn`` per ``key``).
        Returns True if it ran now."""
        if not self.ctx.ledger_busy():
            fn()
            return True
        self._queued[key] = fn
        self._free_timer.start()
        return False

    def request_reload(self) -> None:
        self._queued.pop("data", None)
        self._pending = None
        if not self.when_free("reload", self._reload_held):
            self._hold_edits(True)  # waits for background work: typing meanwhile would be lost to it

    def held_while_loading(self) -> list[QWidget]:
        """The page's inline edit fields: disabled while a reload waits (a page with none: [])."""
        return []

    def _hold_edits(self, held: bool) -> None:
        for widget in self.held_while_loading():
            widget.setEnabled(not held)

    def _reload_held(self) -> None:
        self._hold_edits(False)  # reload() then sets their states (rights, no ledger …)
        self.reload()

    def _data_changed(self, event: ChangeEvent) -> None:
        if "reload" in self._queued:
            return  # a reload is due anyway
        if "data" in self._queued:  # several writes while busy: one refresh for all of them
            merged = (self._pending or ChangeEvent()) | event
            self._pending = merged
            self._queued["data"] = lambda: self.on_data_changed(merged)
            return
        self._pending = event
        self.when_free("data", lambda: self.on_data_changed(event))

    def is_waiting(self) -> bool:
        """True while refreshes wait for a background task to let go of the ledger."""
        return bool(self._queued)

    def _run_queued(self) -> None:
        if self.ctx.ledger_busy():
            return
        self._free_timer.stop()
        queued, self._queued = self._queued, {}
        self._pending = None
        if "reload" in queued:
            queued.pop("data", None)
        for key, fn in queued.items():
            if self.ctx.ledger_busy():  # an earlier refresh started new background work
                self._queued.setdefault(key, fn)
                self._free_timer.start()
            else:
                fn()

    # ------------------------------------------------------------------ what the login may do
    @property
    def read_only(self) -> bool:
        """True when the open ledger's login may change nothing (a server's committee office)."""
        return self.ctx.read_only

    def lock_writes(self, *extra) -> None:
        """Disable ``write_buttons`` (and ``extra`` widgets or actions) for a read-only login, and
        ``committee_buttons`` for a secretary's, saying why."""
        form = getattr(self, "form", self)
        items = [form.findChild(QWidget, name) for name in self.write_buttons]
        rights.lock(self.read_only, [i for i in items if i is not None] + list(extra))
        if not self.read_only:  # else they said so already
            shared = [form.findChild(QWidget, name) for name in self.committee_buttons]
            rights.lock(rights.committee_locked(self.ctx.ledger), [i for i in shared if i is not None],
                        rights.COMMITTEE_TIP)

    def lock_record(self, branch_id: str | None, *names: str) -> None:
        """After :meth:`lock_writes`: disable ``names`` (buttons that change the selected record) when
        it belongs to a branch a secretary's login may not change; ``branch_id`` None: no record."""
        if self.read_only:
            return  # lock_writes said so already
        locked = branch_id is not None and not rights.may_write(self.ctx.ledger, branch_id)
        rights.lock(locked, [self.form.findChild(QWidget, name) for name in names], rights.OTHER_BRANCH_TIP)

    def reload(self) -> None:
        raise NotImplementedError

    def on_data_changed(self, event: ChangeEvent) -> None:
        self.reload()

    def open_record(self, kind: str, record_id: str) -> bool:
        return False

    def maybe_close(self) -> bool:
        return True
