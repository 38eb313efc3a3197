"""Automatic backups on the ten-year ledger, against plain copies of the same file in the same run.

| operation | measured | baselines |
|---|---|---|
| backup | ``services.backups.backup_before`` on the open ledger: SQLite backup API under the ledger's lock, ``integrity_check`` of the copy, fsync, rename, rotation | (a) bare ``sqlite3`` backup API into a new file (no check, no fsync); (b) ``shutil.copyfile`` of the closed file |
| list | ``services.backups.list_backups`` with record counts of every backup made | ``os.scandir`` of the folder |
| restore | ``services.backups.restore_backup`` over the closed file (backs the current file up first) | (b) ``shutil.copyfile`` |

Usage: ``python -m benchmarks.bench_backup [--ten FILE] [--runs N]``. A missing ledger is generated
first (benchmarks/generate.py). Prints min / median / max in milliseconds and the ratios of the
medians; results are in docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from benchmarks.generate import make_ten_year_ledger
from desktop.services.backups import backup_before, list_backups, restore_backup
from desktop.store.backups import start_backup
from desktop.store.ledger import Ledger


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float, float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return min(times), statistics.median(times), max(times)


def row(name: str, figures: tuple[float, float, float], base: tuple[float, float, float] | None = None) -> str:
    lo, med, hi = figures
    ratio = f"{med / base[1]:.2f}×" if base else ""
    return f"| {name} | {lo:,.0f} | {med:,.0f} | {hi:,.0f} | {ratio} |"


def copy_phase(ledger, folder: Path) -> None:
    """What backup_before does while it holds the ledger's lock (the copy), timed alone."""
    with ledger._lock:
        raw = ledger.engine.raw_connection()
        try:
            pending = start_backup(raw.driver_connection, ledger.path, "manual", folder)
        finally:
            raw.close()
    pending.tmp.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ten", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="zhibu-bench-backup-"))
    ten = args.ten or work / "ten.zhibu"
    if not ten.exists():
        make_ten_year_ledger(ten)
    size = ten.stat().st_size
    root = work / "backups"
    plain = work / "plain"
    plain.mkdir()

    def bare_backup_api() -> None:
        dest = plain / f"api-{time.perf_counter_ns()}.db"
        with closing(sqlite3.connect(ten)) as src, closing(sqlite3.connect(dest)) as dst:
            src.backup(dst)
        dest.unlink()

    def file_copy() -> None:
        dest = plain / f"copy-{time.perf_counter_ns()}.db"
        shutil.copyfile(ten, dest)
        dest.unlink()

    # interleaved: baseline, measured, baseline … so the shared machine's load hits all alike
    api, copy, ours, locked = [], [], [], []
    for _ in range(args.runs):
        api.append(timed(bare_backup_api, 1)[1])
        copy.append(timed(file_copy, 1)[1])
        with Ledger.open(ten) as ledger:
            ours.append(timed(lambda: backup_before(ledger, "manual", root=root), 1)[1])
            locked.append(timed(lambda: copy_phase(ledger, work / "phase"), 1)[1])
    stats = [(min(x), statistics.median(x), max(x)) for x in (ours, api, copy, locked)]
    with Ledger.open(ten) as ledger:
        listed = timed(lambda: list_backups(ledger, root), max(3, args.runs // 2))
        entries = list_backups(ledger, root)
        folder, newest = entries[0].path.parent, entries[0].path
    scan = timed(lambda: list(os.scandir(folder)), max(3, args.runs // 2))
    target = work / "restored.zhibu"
    shutil.copyfile(ten, target)
    restored = timed(lambda: restore_backup(newest, target, force=True, root=work / "restore-backups"), 3)
    print(f"ten-year ledger: {size / 1e6:.1f} MB, {args.runs} runs, milliseconds")
    print("| operation | min | median | max | ratio |")
    print("|---|---:|---:|---:|---:|")
    print(row("backup_before (ours)", stats[0]))
    print(row("  of which the ledger is locked (copy phase)", stats[3]))
    print(row("(a) sqlite3 backup API, bare", stats[1]) + f" ours / (a) = {stats[0][1] / stats[1][1]:.2f}×")
    print(row("(b) shutil.copyfile", stats[2]) + f" ours / (b) = {stats[0][1] / stats[2][1]:.2f}×")
    print(row(f"list_backups with record counts ({len(entries)} backups)", listed))
    print(row("os.scandir of the folder", scan))
    print(row("restore_backup (backs up current file first)", restored, stats[2]))
    if args.ten is not None:
        ten = None  # the caller's ledger stays
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
