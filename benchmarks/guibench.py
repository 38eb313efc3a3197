"""What the GUI benchmarks share: their arguments and the 10-year ledger opened behind an AppContext."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def gui_ledger(argv: list[str] | None):
    """Parse ``[FILE] [--runs N]``; return (app, ledger, ctx, path, args) on the 10-year ledger,
    generated into a temp folder when FILE is not given or does not exist yet."""
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    from PySide6.QtWidgets import QApplication

    from benchmarks.generate import make_ten_year_ledger
    from desktop.store.ledger import Ledger
    from desktop.ui.context import AppContext

    app = QApplication.instance() or QApplication([])
    path = Path(args.file) if args.file else Path(tempfile.mkdtemp(prefix="zhibu-bench-")) / "ten.zhibu"
    if not path.exists():
        print("generating", path, make_ten_year_ledger(path), file=sys.stderr)
    ledger = Ledger.open(path)
    return app, ledger, AppContext(ledger), path, args
