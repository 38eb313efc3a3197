"""Python's cyclic garbage collector runs only on the GUI thread.

Left automatic, a collection can start in whatever thread happens to allocate, e.g. a
TaskRunner worker writing a PDF; it then destroys Qt objects of the GUI thread (a closed
editor's QTimers) from that worker, which Qt refuses ("Timers cannot be stopped from another
thread") or worse. Anki and qutebrowser solve it the same way: automatic collection off, a
timer on the GUI thread that collects each generation when its threshold is reached.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


class GuiThreadCollector(QObject):
    """Disable automatic collection and collect on a GUI-thread timer instead."""

    def __init__(self, parent: QObject, interval_ms: int = INTERVAL_MS):
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> int:
        """Collect the oldest generation whose count passed its threshold; returns it or -1."""
        counts = gc.get_count()
        for gen in (2, 1, 0):
            if counts[gen] > self.threshold[gen]:
                gc.collect(gen)
                return gen
        return -1


def install(app: QObject) -> GuiThreadCollector:
    """Install once per application (idempotent)."""
    existing = app.findChild(GuiThreadCollector)
    if existing is None:
        return GuiThreadCollector(app)
    gc.disable()  # something may have turned automatic collection back on
    return existing
