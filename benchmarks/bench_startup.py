"""Start-up time: from process start to an interactive main window on the 10-year ledger, measured
in the same run as a bare QMainWindow with a table (the floor any PySide6 program pays).

Usage: ``python -m benchmarks.bench_startup [FILE] [--runs N]``. Without FILE (or when FILE does not
exist) the 10-year ledger is generated first (benchmarks/generate.py make_ten_year_ledger).
Each sample is a fresh process (QT_QPA_PLATFORM=offscreen unless a display is set) running what
``zhibu --db FILE`` runs (desktop.ui.app.start); the clock starts just before the process is
spawned and stops when the shown window has processed its first event-loop turn (a zero-timer
fires: the window answers input). The ledger opens in the background meanwhile; the time until
首页 shows the ledger's data is reported too. The first run of each kind
is a discarded warm-up (cold file cache); the median of the rest is "warm".
Goal: the application within 3× the bare window and under 1 s warm. Results:
docs/performance-startup.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE = r"""
import json, os, sys, time
from PySide6.QtCore import QTimer, QAbstractTableModel, Qt, QModelIndex
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
t_import = time.time()

class Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()): return 0 if parent.isValid() else 1000
    def columnCount(self, parent=QModelIndex()): return 0 if parent.isValid() else 8
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return f"{index.row()},{index.column()}" if role == Qt.ItemDataRole.DisplayRole else None

app = QApplication(sys.argv[:1])
window = QMainWindow()
view = QTableView()
view.setModel(Model(view))
window.setCentralWidget(view)
window.resize(1366, 768)
window.show()
def done():
    now = time.time()
    print(json.dumps({"total": now - float(os.environ["BENCH_T0"]), "imports": t_import - float(os.environ["BENCH_T0"])}))
    app.quit()
QTimer.singleShot(0, done)
app.exec()
"""

APP = r"""
import json, os, sys, time
t0 = float(os.environ["BENCH_T0"])
from PySide6.QtCore import QTimer
from desktop.ui import app as app_module
from desktop.ui.errors import setup_logging
t_import = time.time()
setup_logging()
marks = {}
app, window, ctx = app_module.start(sys.argv[1])
t_window = time.time()

def interactive():
    marks["interactive"] = time.time()

def ready():
    marks["ready"] = time.time()
    print(json.dumps({"total": marks["interactive"] - t0, "imports": t_import - t0, "window": t_window - t_import,
                      "interactive": marks["interactive"] - t_window, "ready": marks["ready"] - t0,
                      "page": window.current_page().title if window.current_page() else ""}))
    app.quit()

QTimer.singleShot(0, interactive)
home = window.pages.get("home")
if home is not None and hasattr(home, "loaded"):
    home.loaded.connect(lambda: QTimer.singleShot(0, ready))
else:
    ctx.ledgerChanged.connect(lambda: QTimer.singleShot(0, ready))
app.exec()
ctx.tasks.wait(30000)
ctx.set_ledger(None)
"""


def sample(script: str, *args: str, env: dict[str, str]) -> dict:
    env = dict(env, BENCH_T0=repr(time.time()))
    proc = subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", nargs="?", help="the 10-year ledger (generated when absent)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zhibu-bench-") as tmp:
        path = Path(args.file) if args.file else Path(tmp) / "ten-year.zhibu"
        if not path.exists():
            from benchmarks.generate import make_ten_year_ledger

            print(f"generating {path} …", file=sys.stderr)
            counts = make_ten_year_ledger(path)
            print(", ".join(f"{k}={v}" for k, v in counts.items()), file=sys.stderr)
        env = dict(os.environ, ZHIBU_LOG_DIR=tmp, ZHIBU_DATA_DIR=tmp, XDG_CONFIG_HOME=tmp)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # warm = compiled bytecode cached, as in an install
        if not env.get("DISPLAY") and not env.get("QT_QPA_PLATFORM"):
            env["QT_QPA_PLATFORM"] = "offscreen"
        bare, app = [], []
        for i in range(args.runs + 1):  # interleaved, so both see the same machine state
            b = sample(BARE, env=env)
            a = sample(APP, str(path), env=env)
            if i:
                bare.append(b)
                app.append(a)
        size_mb = path.stat().st_size / 1024 / 1024

    def med(rows: list[dict], key: str) -> float:
        return statistics.median(r[key] for r in rows) * 1000

    ratio = med(app, "total") / med(bare, "total")
    print(f"10-year ledger: {size_mb:.1f} MB; {args.runs} warm runs each (median, ms); platform "
          f"{env.get('QT_QPA_PLATFORM') or 'display'}\n")
    print("| program | interactive (total) | imports | build + show window | → first event turn "
          "| ledger open, 首页 filled |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| bare QMainWindow + table | {med(bare, 'total'):.0f} | {med(bare, 'imports'):.0f} | – | – | – |")
    print(f"| 支部台账 main window ({app[0]['page']}) | {med(app, 'total'):.0f} | {med(app, 'imports'):.0f} | "
          f"{med(app, 'window'):.0f} | {med(app, 'interactive'):.0f} | {med(app, 'ready'):.0f} |")
    print(f"\nratio app/bare: {ratio:.2f}× (goal ≤ 3×); app warm median {med(app, 'total'):.0f} ms (goal < 1000 ms); "
          f"worst app run {max(r['total'] for r in app) * 1000:.0f} ms; 首页 filled after {med(app, 'ready'):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
