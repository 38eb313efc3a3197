"""The one helper that runs slow work off the GUI thread, with progress, cancel and errors.

``TaskRunner.run(fn, on_done=..., on_error=..., title=...)`` calls ``fn(progress)`` in a worker
thread, where ``progress(done, total, text)`` reports and raises :class:`Cancelled` once the user
cancelled. Results and errors come back on the GUI thread. Database access inside ``fn`` goes
through the ledger's own lock (one writer at a time), so workers never interleave with the GUI.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a task when the user pressed 取消."""


class _Signals(QObject):
    progress = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(object, str)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[Callable[[int, int, str], None]], Any]):
        super().__init__()
        self.fn = fn
        self.signals = _Signals()
        self.cancelled = False
        self.setAutoDelete(True)

    def report(self, done: int, total: int, text: str = "") -> None:
        if self.cancelled:
            raise Cancelled()
        self.signals.progress.emit(done, total, text)

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn(self.report)
        except Cancelled as exc:
            self.signals.failed.emit(exc, "")
        except BaseException as exc:  # noqa: BLE001 - delivered to the GUI thread
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.done.emit(result)


class TaskRunner(QObject):
    """Owns the thread pool; one instance per application (``AppContext.tasks``)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self._jobs: set[_Job] = set()

    def run(
        self,
        fn: Callable[[Callable[[int, int, str], None]], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException, str], None] | None = None,
        title: str = "",
        parent: QWidget | None = None,
        cancellable: bool = True,
    ) -> _Job:
        """Start ``fn``; with ``title`` a modal progress dialog (shown after 400 ms) tracks it."""
        job = _Job(fn)
        dialog: QProgressDialog | None = None
        if title:
            dialog = QProgressDialog(title, "取消" if cancellable else "", 0, 0, parent)
            dialog.setWindowTitle(title)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(400)
            if not cancellable:
                dialog.setCancelButton(None)
            dialog.canceled.connect(lambda: setattr(job, "cancelled", True))

            def on_progress(done: int, total: int, text: str) -> None:
                dialog.setMaximum(max(total, 0))
                dialog.setValue(min(done, total) if total else 0)
                if text:
                    dialog.setLabelText(text)

            job.signals.progress.connect(on_progress)

        def finish() -> None:
            self._jobs.discard(job)
            if dialog is not None:
                dialog.reset()
                dialog.deleteLater()

        def done(result: Any) -> None:
            finish()
            if on_done:
                on_done(result)

        def failed(exc: BaseException, tb: str) -> None:
            finish()
            if isinstance(exc, Cancelled):
                return
            if on_error:
                on_error(exc, tb)
            else:
                log.error("background task failed: %s\n%s", exc, tb)

        job.signals.done.connect(done)
        job.signals.failed.connect(failed)
        self._jobs.add(job)
        self.pool.start(job)
        return job

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)
