"""What the crash-safety checks at open cost, against a bare open measured in the same run.

| operation | measured |
|---|---|
| baseline | ``sqlite3.connect`` + one SELECT + close |
| open + close without the crash checks | ``Ledger.open`` + ``close`` with ``_verify`` and the clean-close record switched off (holder lock, exclusive lock, header) |
| open, known clean | ``Ledger.open`` + ``close`` of a file exactly as this program closed it (header, lock, schema check; no page check) |
| open, from elsewhere | the same with the clean-close record forgotten: adds ``PRAGMA quick_check`` (files up to 64 MB) |
| quick_check alone | ``PRAGMA quick_check`` on a plain connection (what a page check of the whole file costs) |

Usage: ``python -m benchmarks.bench_recovery --ten FILE --stress FILE [--runs N]``; the files are
made with ``python -m benchmarks.generate``. Prints min/median/max in ms; results in
docs/performance-store.md ("Opening: crash safety").
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from benchmarks.timing import spread, times_ms


def _times(fn, runs: int) -> tuple[float, float, float]:
    return spread(times_ms(fn, runs))


def bench(path: Path, runs: int) -> list[tuple[str, tuple[float, float, float]]]:
    from desktop.store import cleanclose
    from desktop.store.ledger import Ledger, _file_key
    from desktop.store.recovery import QUICK_CHECK_MAX_BYTES

    def bare() -> None:
        with closing(sqlite3.connect(path)) as db:
            db.execute("SELECT count(*) FROM sqlite_master").fetchall()

    def quick() -> None:
        with closing(sqlite3.connect(path)) as db:
            db.execute("PRAGMA quick_check").fetchall()

    def cold() -> None:
        cleanclose.forget(_file_key(path))
        Ledger.open(path).close()

    def unchecked() -> None:  # Ledger.open without this checks: what they add
        verify, remember, known = Ledger._verify, cleanclose.remember, cleanclose.is_known_clean
        Ledger._verify = lambda self, version, after_recovery, full=True: version
        cleanclose.remember, cleanclose.is_known_clean = (lambda *a: None), (lambda *a: False)
        try:
            Ledger.open(path).close()
        finally:
            Ledger._verify, cleanclose.remember, cleanclose.is_known_clean = verify, remember, known

    Ledger.open(path).close()  # the file as we closed it, and the page cache warm
    rows = [("baseline (connect + SELECT)", _times(bare, runs)),
            ("open + close without the crash checks", _times(unchecked, runs)),
            ("open + close, known clean", _times(lambda: Ledger.open(path).close(), runs)),  # noqa: E501
            ("open + close, from elsewhere" + ("" if path.stat().st_size <= QUICK_CHECK_MAX_BYTES
                                              else " (over 64 MB: no page check)"), _times(cold, runs)),
            ("quick_check alone", _times(quick, max(1, min(runs, 3))))]  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ten", type=Path, required=True)
    parser.add_argument("--stress", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("ZHIBU_DATA_DIR", tempfile.mkdtemp(prefix="zhibu-bench-"))
    for label, path in (("ten-year", args.ten), ("stress", args.stress)):
        if path is None:
            continue
        print(f"\n{label}: {path} ({path.stat().st_size / 1e6:.0f} MB), {args.runs} runs\n")
        print("| operation | min ms | median ms | max ms | ratio (median) |\n|---|---:|---:|---:|---:|")
        rows = bench(path, args.runs)
        base = rows[0][1][1]
        for name, (lo, med, hi) in rows:
            print(f"| {name} | {lo:,.1f} | {med:,.1f} | {hi:,.1f} | {med / base:,.1f}× |")


if __name__ == "__main__":
    main()
