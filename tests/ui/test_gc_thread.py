"""Cyclic garbage is collected on the GUI thread only (desktop/ui/gccollect.py)."""

from __future__ import annotations

import gc
import threading

from desktop.ui import gccollect


def test_collector_disables_automatic_collection_and_collects_on_its_timer(qapp):
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        collector = gccollect.install(qapp)
        assert gccollect.install(qapp) is collector  # once per application
        assert not gc.isenabled()

        class Node:
            pass

        # cyclic garbage made in a worker thread is not collected there ...
        def make_cycles():
            for _ in range(5000):
                a, b = Node(), Node()
                a.other, b.other = b, a

        t = threading.Thread(target=make_cycles)
        t.start()
        t.join()
        assert gc.get_count()[0] > collector.threshold[0]
        # ... but by the GUI thread's check
        assert collector.check() >= 0
        assert gc.get_count()[0] <= collector.threshold[0]
    finally:
        if was_enabled:
            gc.enable()
        else:
            gc.disable()
