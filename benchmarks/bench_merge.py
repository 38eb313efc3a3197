"""Change history size and merge speed on the 10-year ledger, against same-run baselines.

1. **History growth.** The generator writes rows in bulk (no history), so the history the program
   would have written for them is synthesised with the same row format ``desktop.store.history``
   writes: one change set per saved meeting (its record, agenda, speeches, attendance: one ``+``
   row each) and per member, then per meeting a 定稿 change set (``state``, ``finalized_at``) and
   for one meeting in ten a later edit of its ``content`` (old and new text). Both files are
   VACUUMed; growth = size with history / size without − 1.
2. **Merge.** Two plain copies of that ledger, each given 1,000 field changes through the ORM
   (so the hooks record them): attendance reasons and statuses, meeting places, new speeches,
   member phones — with 20 fields changed on both sides (conflicts, defaults taken). Measured:
   ``merge_files`` (backups of both inputs, working copy, plan, apply, quick_check/foreign-key/
   ``zhibu check`` of the result, fsync, rename). Baseline: ``dump_ledger`` + ``load_ledger`` of the
   same ledger.

Usage: ``python -m benchmarks.bench_merge [--runs N]``; results in docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import closing
from pathlib import Path

from sqlalchemy import select

from benchmarks.generate import make_ten_year_ledger
from desktop.services.files import dump_ledger, load_ledger
from desktop.services.merge import merge_files
from desktop.store import models as M
from desktop.store.ledger import Ledger

STAMP = "2026-11-01 08:00:00.000000"
# the phases of merge_files timed separately: (name, function of desktop.services.merge.run)
PHASES = (
    ("backups of both inputs (at once)", "_backups"),
    ("working files (copy of MINE, structure)", "_working_file"),
    ("plan", "compute"),
    ("apply", "apply"),
    ("check of the result", "check_connection"),
)


def synthesize_history(path: Path) -> int:
    """Write the history the program would have recorded creating the bulk-generated rows."""
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("BEGIN")
        copy = db.execute("SELECT id FROM ledger_copy WHERE current = 1").fetchone()[0]
        sets = 0

        def change_set() -> int:
            nonlocal sets
            sets += 1
            return db.execute(
                "INSERT INTO change_set (uid, copy_id, at, program, note) VALUES (?, ?, ?, '0.1.0', '')",
                (str(uuid.uuid4()), copy, STAMP),
            ).lastrowid

        rows = []
        for (mid,) in db.execute("SELECT id FROM member").fetchall():
            sid = change_set()
            rows.append((mid, sid, "+", "member", None, None, 1))
            rows += [(r, sid, "+", "membership", None, None, 1) for (r,) in db.execute("SELECT id FROM membership WHERE member_id = ?", (mid,))]
        children = {}
        for table in ("agenda_item", "speech", "attendance"):
            for rid, meeting in db.execute(f"SELECT id, meeting_id FROM {table}"):
                children.setdefault(meeting, []).append((rid, table))
        meetings = db.execute("SELECT id, content FROM meeting ORDER BY date").fetchall()
        for n, (mid, content) in enumerate(meetings):
            sid = change_set()
            rows.append((mid, sid, "+", "meeting", None, None, 1))
            rows += [(rid, sid, "+", table, None, None, 1) for rid, table in children.get(mid, [])]
            sid = change_set()  # 定稿
            rows += [(mid, sid, "state", "meeting", "草稿", "定稿", 2),
                     (mid, sid, "finalized_at", "meeting", None, STAMP, 2)]  # fmt: skip
            if n % 10 == 0:  # a later correction of the minutes
                sid = change_set()
                rows.append((mid, sid, "content", "meeting", content[: len(content) // 2] + "（补充）", content, 3))
        db.executemany('INSERT INTO change (record_id, set_id, field, tbl, "old", "new", version) VALUES (?, ?, ?, ?, ?, ?, ?)', rows)
        db.execute("COMMIT")
        db.execute("VACUUM")
        return len(rows)


def diverge(path: Path, side: int, changes: int = 1000) -> None:
    """``changes`` field changes through the ORM; side 0 and 1 edit mostly different records."""
    with Ledger.open(path) as led, led.write() as s:
        attendance = s.scalars(select(M.Attendance).order_by(M.Attendance.id).limit(1200)).all()
        meetings = s.scalars(select(M.Meeting).order_by(M.Meeting.id).limit(400)).all()
        members = s.scalars(select(M.Member).order_by(M.Member.id).limit(400)).all()
        done = 0
        for a in attendance[side * 600 : side * 600 + 300]:  # 600 changes: status and reason
            a.status, a.reason = "缺席", f"因公出差（副本{side}）"
            done += 2
        for m in meetings[side * 200 : side * 200 + 150]:  # 150
            m.place = f"会议室（副本{side}）"
            done += 1
        for i, m in enumerate(meetings[side * 200 + 150 : side * 200 + 200]):  # 50 new speeches (7 fields each)
            s.add(M.Speech(meeting_id=m.id, seq=90 + i, speaker="张三", text=f"补录发言{side}-{i}"))
            done += 1
        remaining = changes - 20 - done  # 180 member phones
        for p in members[side * 200 : side * 200 + remaining]:
            p.phone = f"1390000{side}{done:04d}"
            done += 1
        for m in meetings[380:400]:  # the same field on both sides: 20 conflicts
            m.host = f"主持人（副本{side}）"
            done += 1


def timed(fn, runs: int, cpu: list[float] | None = None) -> list[float]:
    """Wall times of ``runs`` calls; their CPU times (this process, all threads) into ``cpu``."""
    out = []
    for i in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn(i)
        out.append(time.perf_counter() - t0)
        if cpu is not None:
            cpu.append(time.process_time() - c0)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-merge-"))
    os.environ.setdefault("ZHIBU_DATA_DIR", str(folder / "data"))
    try:
        plain = folder / "ten.zhibu"
        make_ten_year_ledger(plain)
        with closing(sqlite3.connect(plain, isolation_level=None)) as db:
            db.execute("VACUUM")
        base = folder / "ten-history.zhibu"
        shutil.copyfile(plain, base)
        n_rows = synthesize_history(base)
        size0, size1 = plain.stat().st_size, base.stat().st_size
        print(f"python {sys.version.split()[0]}, {platform.platform()}")
        print(f"history rows: {n_rows}; size without history {size0 / 1e6:.1f} MB, with {size1 / 1e6:.1f} MB: "
              f"growth {100 * (size1 / size0 - 1):.1f} %")  # fmt: skip
        mine, theirs = folder / "office" / "ten.zhibu", folder / "home" / "ten.zhibu"
        for p, side in ((mine, 0), (theirs, 1)):
            p.parent.mkdir()
            shutil.copyfile(base, p)
            diverge(p, side)
        with closing(sqlite3.connect(mine)) as db:
            unshared = db.execute("SELECT count(*) FROM change c JOIN change_set s ON s.id = c.set_id "
                                  "WHERE s.at > ?", (STAMP,)).fetchone()[0]  # fmt: skip
        print(f"changes recorded on one side: {unshared}")
        results = []
        phases: dict[str, list[float]] = {name: [] for name, _attr in PHASES}

        def merge(i):
            from desktop.services.merge import run

            real = {attr: getattr(run, attr) for _name, attr in PHASES}

            def timing(name, fn):
                def wrapped(*a, **k):
                    t0 = time.perf_counter()
                    try:
                        return fn(*a, **k)
                    finally:
                        phases[name][-1] += time.perf_counter() - t0
                return wrapped

            for name, attr in PHASES:
                phases[name].append(0.0)
                setattr(run, attr, timing(name, real[attr]))
            try:
                results.append(merge_files(mine, theirs, folder / f"merged{i}.zhibu", backup_dir=folder / "backups"))
            finally:
                for attr, fn in real.items():
                    setattr(run, attr, fn)

        def dump_load(i):
            load_ledger(dump_ledger(mine), folder / f"loaded{i}.zhibu")

        m_cpu: list[float] = []
        b_cpu: list[float] = []
        m_times = timed(merge, args.runs, m_cpu)
        b_times = timed(dump_load, args.runs, b_cpu)
        r = results[-1]
        print(f"merge: {len(r.applied.added)} added, {len(r.applied.changed)} changed, "
              f"{len(r.plan.conflicts)} conflicts, check ok: {r.check.ok}")  # fmt: skip
        print(f"load average during the run: {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} CPUs")
        print("| operation | min | median | max |")
        print("|---|---|---|---|")
        for name, times in (("merge (1,000 changes each side)", m_times), ("baseline: dump + load", b_times),
                            ("merge, CPU time", m_cpu), ("baseline, CPU time", b_cpu)):  # fmt: skip
            print(f"| {name} | {min(times):.2f} s | {statistics.median(times):.2f} s | {max(times):.2f} s |")
        print(f"ratio of medians: {statistics.median(m_times) / statistics.median(b_times):.3f} "
              f"(CPU time: {statistics.median(m_cpu) / statistics.median(b_cpu):.3f})")  # fmt: skip
        print(f"merge per run: {', '.join(f'{t:.2f}' for t in m_times)}; baseline per run: {', '.join(f'{t:.2f}' for t in b_times)}")
        print("| merge phase (median) | s |")
        print("|---|---|")
        for name, times in phases.items():
            print(f"| {name} | {statistics.median(times):.2f} |")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
