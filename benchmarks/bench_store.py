"""The ledger file on the ten-year and the 100,000-meeting stress ledger, each operation against a
bare baseline measured in the same run.

| operation | measured | baseline |
|---|---|---|
| open | ``Ledger.open`` + ``close`` (header check, exclusive lock) | ``sqlite3.connect`` + one SELECT + close |
| list branch-year | ``meetings.list_meetings(branch_id=, year=)`` (rows with attendance counts) | bare SQL of the same rows and counts |
| compliance | ``compliance.branch_year_compliance(branch, year)`` | bare SQL of that branch-year's kinds and dates |
| check | ``files.check_ledger`` (integrity, foreign keys, domain checks) | ``PRAGMA integrity_check`` alone |
| dump | ``files.dump_ledger`` into a null stream | ``json.dumps`` of the raw rows of every table |

Usage: ``python -m benchmarks.bench_store [--ten FILE] [--stress FILE] [--runs N] [--dump-runs N]``.
Missing ledgers are generated first (benchmarks/generate.py) in a temporary folder. Prints one
Markdown table per ledger (median of N runs, milliseconds); results are in docs/performance-store.md.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from datetime import date
from pathlib import Path

from benchmarks.generate import make_stress_ledger, make_ten_year_ledger
from benchmarks.timing import median_ms
from desktop.services.files import check_ledger, dump_ledger
from desktop.store.ledger import Ledger

try:
    from desktop.services.meetings import list_meetings
except ImportError:  # the meetings service is written by another engineer
    list_meetings = None
try:
    from desktop.services.compliance import branch_year_compliance
except ImportError:
    branch_year_compliance = None

LIST_SQL = """
SELECT m.id, m.branch_id, b.name, m.kind, m.number, m.title, m.date, m.start_time, m.end_time, m.place,
       m.host, m.recorder, m.state,
       (SELECT count(*) FROM attendance a WHERE a.meeting_id = m.id AND a.deleted_at IS NULL
          AND a.status != '不计入应到'),
       (SELECT count(*) FROM attendance a WHERE a.meeting_id = m.id AND a.deleted_at IS NULL AND a.status = '出席'),
       (SELECT count(*) FROM attendance a WHERE a.meeting_id = m.id AND a.deleted_at IS NULL AND a.status = '缺席')
FROM meeting m JOIN branch b ON b.id = m.branch_id
WHERE m.deleted_at IS NULL AND m.branch_id = ? AND m.date >= ? AND m.date <= ?
ORDER BY m.date DESC, m.start_time DESC, m.number DESC
"""
COMPLIANCE_SQL = """
SELECT kind, date, group_id, state FROM meeting
WHERE deleted_at IS NULL AND branch_id = ? AND date >= ? AND date <= ?
"""


class NullWriter:
    def __init__(self) -> None:
        self.chars = 0

    def write(self, text: str) -> int:
        self.chars += len(text)
        return len(text)


def _bare(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


def _busiest_branch_year(path: Path) -> tuple[str, int]:
    """The branch-year with the most meetings in the latest complete year (a worst case)."""
    with closing(_bare(path)) as db:
        (year,) = db.execute("SELECT max(substr(date, 1, 4)) - 1 FROM meeting").fetchone()
        branch, _n = db.execute(
            "SELECT branch_id, count(*) c FROM meeting WHERE date BETWEEN ? AND ? GROUP BY branch_id "
            "ORDER BY c DESC LIMIT 1",
            (f"{year}-01-01", f"{year}-12-31"),
        ).fetchone()
    return branch, int(year)


def _raw_dump(path: Path) -> int:
    def default(value):
        return base64.b64encode(value).decode("ascii") if isinstance(value, bytes) else str(value)

    total = 0
    with closing(_bare(path)) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            rows = db.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
            total += len(json.dumps(rows, ensure_ascii=False, default=default))
    return total


def bench(path: Path, runs: int, dump_runs: int) -> list[tuple[str, float, float, str]]:
    """Rows (operation, measured ms, baseline ms, note)."""
    branch, year = _busiest_branch_year(path)
    first, last = date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()
    rows: list[tuple[str, float, float, str]] = []

    def bare_open():
        with closing(_bare(path)) as db:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()

    ms, _ = median_ms(lambda: Ledger.open(path).close(), runs)
    base, _ = median_ms(bare_open, runs)
    rows.append(("open + close", ms, base, ""))

    with Ledger.open(path) as ledger:
        with closing(_bare_shared(ledger)) as db:
            base, raw = median_ms(lambda: db.execute(LIST_SQL, (branch, first, last)).fetchall(), runs)
            if list_meetings is not None:
                list_meetings(ledger, branch_id=branch, year=year)  # warm caches, build indexes once
                ms, found = median_ms(lambda: list_meetings(ledger, branch_id=branch, year=year), runs)
                same = [r.id for r in found] == [r[0] for r in raw]
                rows.append(("list one branch-year", ms, base, f"{len(found)} meetings, same rows: {same}"))
            else:
                rows.append(("list one branch-year", float("nan"), base, "meetings service missing"))
            base, held = median_ms(lambda: db.execute(COMPLIANCE_SQL, (branch, first, last)).fetchall(), runs)
            if branch_year_compliance is not None:
                today = date(year + 1, 1, 15)
                ms, _ = median_ms(lambda: branch_year_compliance(ledger, branch, year, today=today), runs)
                rows.append(("compliance, one branch-year", ms, base, f"{len(held)} meetings"))
            else:
                rows.append(("compliance, one branch-year", float("nan"), base, "compliance service missing"))

    def bare_integrity():
        with closing(_bare(path)) as db:
            return db.execute("PRAGMA integrity_check").fetchone()

    ms, report = median_ms(lambda: check_ledger(path), dump_runs)
    base, _ = median_ms(bare_integrity, dump_runs)
    rows.append(("check (whole file)", ms, base, f"exit {report.exit_code}"))

    writer = NullWriter()
    ms, _ = median_ms(lambda: dump_ledger(path, writer), dump_runs)
    base, size = median_ms(lambda: _raw_dump(path), dump_runs)
    rows.append(("dump (whole file)", ms, base, f"{writer.chars // max(dump_runs, 1) / 1e6:.0f} M characters"))
    return rows


def _bare_shared(ledger: Ledger):
    """The baseline queries run on the ledger's own connection (the file is locked exclusively)."""

    class Shared:
        def __init__(self) -> None:
            self.raw = ledger.engine.raw_connection()
            self.db = self.raw.driver_connection

        def execute(self, sql, params=()):
            with ledger._lock:
                return self.db.execute(sql, params)

        def close(self) -> None:
            self.raw.close()

    return Shared()


def table(title: str, rows: list[tuple[str, float, float, str]]) -> str:
    lines = [f"### {title}", "", "| operation | median ms | baseline ms | ratio | note |", "|---|---:|---:|---:|---|"]
    for name, ms, base, note in rows:
        ratio = f"{ms / base:.1f}×" if base and ms == ms else "–"
        lines.append(f"| {name} | {ms:.1f} | {base:.1f} | {ratio} | {note} |")
    return "\n".join(lines)


def machine() -> str:
    return (
        f"{platform.platform()}, {os.cpu_count()} CPUs (nproc), Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ten", type=Path, help="ten-year ledger (generated if missing)")
    parser.add_argument("--stress", type=Path, help="stress ledger (generated if missing)")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--dump-runs", type=int, default=3)
    parser.add_argument("--only", choices=("ten", "stress"))
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="zhibu-bench-"))
    print(f"Machine: {machine()}\n")
    for key, make, label in (
        ("ten", make_ten_year_ledger, "Ten-year ledger (10 branches, 400 members, 2017–2026)"),
        ("stress", make_stress_ledger, "Stress ledger (100 branches, 5,000 members, 100,000 meetings)"),
    ):
        if args.only and args.only != key:
            continue
        path = getattr(args, key) or tmp / f"{key}.zhibu"
        if not path.exists():
            t0 = time.perf_counter()
            counts = make(path)
            print(f"generated {path} in {time.perf_counter() - t0:.1f} s: {counts}", file=sys.stderr)
        size = path.stat().st_size / 1e6
        print(table(f"{label}, {size:.0f} MB", bench(path, args.runs, args.dump_runs)))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
