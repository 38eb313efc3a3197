"""Regression guard: PySide6 6.12.0 on CPython 3.11 loses a reference to None on every void Qt
call and aborts after ~5,000 calls (pyproject pins <6.12 on 3.11). Run 20,000 void calls in a
fresh process and check None's reference count does not fall (an abort fails the test too)."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = r"""
import sys
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
w = QWidget()
before = sys.getrefcount(None)
for i in range(10_000):
    w.setEnabled(i % 2 == 0)        # void
    w.setObjectName(f"w{i % 7}")     # void
after = sys.getrefcount(None)
print(before, after)
"""


def test_void_calls_do_not_leak_none():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, f"PySide6 aborted (exit {proc.returncode}):\n{proc.stderr[-2000:]}"
    before, after = map(int, proc.stdout.split()[-2:])
    assert after >= before - 50, f"None lost {before - after} references over 20,000 void calls"
