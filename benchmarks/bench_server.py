"""The same ledger on a PostgreSQL server and in a file, the same operations, in the same run.

| operation | measured on both |
|---|---|
| list branch-year | ``meetings.list_meetings(branch_id=, year=)`` (the busiest branch-year) |
| compliance | ``compliance.branch_year_compliance(branch, year)`` |
| search | ``meetings.list_meetings(search=WORD, limit=50)`` for 2-character words |
| saves | N clients each saving its own meeting K times (``save_meeting`` with its version): on the
  server 10 processes at once, each its own connection (10 PCs); on the file the same N×K saves by
  one process (a file has one program at a time) |

Both ledgers are generated with the same seed (benchmarks/generate.py: identical rows and ids), the
server one straight into a fresh database of a throwaway cluster (tests/pgcluster.py) unless
``--url`` names an empty database. Prints min / median / max in milliseconds.

Usage: ``python -m benchmarks.bench_server ten|stress [--file F] [--url URL] [--runs N] [--clients 10] [--saves K]``.
Results: docs/performance.md (PostgreSQL server).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks.generate import make_stress_ledger, make_ten_year_ledger
from desktop.services.compliance import branch_year_compliance
from desktop.services.meetings import ensure_search_index, get_meeting, list_meetings, save_meeting
from desktop.store.opening import open_ledger

WORDS = ("党员", "学习", "整改", "组织", "会议", "廉政", "支部", "教育")


def _times(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _fmt(ts: list[float]) -> str:
    return f"{min(ts):.1f} / {statistics.median(ts):.1f} / {max(ts):.1f}"


def _busiest(ledger) -> tuple[str, int]:
    from sqlalchemy import func, select

    from desktop.store.models import Meeting

    year = 2025  # the latest complete year of both generated ledgers (2017–2026)
    with ledger.read() as s:
        branch = s.execute(select(Meeting.branch_id, func.count()).where(
            Meeting.date >= date(year, 1, 1), Meeting.date <= date(year, 12, 31)).group_by(Meeting.branch_id)
            .order_by(func.count().desc()).limit(1)).first()[0]
    return branch, year


def _targets(ledger, n: int) -> list[str]:
    """One draft meeting of 2026 per client (different branches where there are enough)."""
    rows = [r for r in list_meetings(ledger, year=2026) if r.state == "草稿"]
    by_branch: dict[str, str] = {}
    for r in rows:
        by_branch.setdefault(r.branch_id, r.id)
    picked = list(by_branch.values())[:n]
    picked += [r.id for r in rows if r.id not in picked][: n - len(picked)]
    return picked


def _client(target: str, meeting_id: str, saves: int, barrier, out) -> None:
    ledger = open_ledger(target)
    try:
        ts = []
        barrier.wait()
        for i in range(saves):
            t0 = time.perf_counter()
            inp = get_meeting(ledger, meeting_id).to_input()
            inp.content = f"{inp.content[:200]} 第{i}次修改"
            save_meeting(ledger, inp)
            ts.append((time.perf_counter() - t0) * 1000)
        out.put(ts)
    finally:
        ledger.close()


def concurrent_saves(target: str, ids: list[str], saves: int) -> tuple[float, list[float]]:
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(len(ids) + 1), ctx.Queue()
    procs = [ctx.Process(target=_client, args=(target, mid, saves, barrier, out)) for mid in ids]
    for p in procs:
        p.start()
    barrier.wait()
    t0 = time.perf_counter()
    lat = [t for _ in procs for t in out.get(timeout=600)]
    wall = (time.perf_counter() - t0) * 1000
    for p in procs:
        p.join()
    return wall, lat


def sequential_saves(ledger, ids: list[str], saves: int) -> tuple[float, list[float]]:
    lat = []
    t0 = time.perf_counter()
    for mid in ids:
        for i in range(saves):
            t1 = time.perf_counter()
            inp = get_meeting(ledger, mid).to_input()
            inp.content = f"{inp.content[:200]} 第{i}次修改"
            save_meeting(ledger, inp)
            lat.append((time.perf_counter() - t1) * 1000)
    return (time.perf_counter() - t0) * 1000, lat


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("which", choices=("ten", "stress"))
    ap.add_argument("--file")
    ap.add_argument("--url")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--saves", type=int, default=10)
    args = ap.parse_args(argv)
    make = make_ten_year_ledger if args.which == "ten" else make_stress_ledger
    tmp = Path(tempfile.mkdtemp(prefix="bench-server-"))
    cluster = None
    file = Path(args.file) if args.file else tmp / f"{args.which}.zhibu"
    if not file.exists():
        t0 = time.perf_counter()
        make(file)
        print(f"file generated in {time.perf_counter() - t0:.0f} s", flush=True)
    url = args.url
    if url is None:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
        from pgcluster import Cluster

        cluster = Cluster().start()
        cluster.execute("CREATE DATABASE bench")
        url = cluster.url("bench")
        t0 = time.perf_counter()
        make(url)
        print(f"server generated in {time.perf_counter() - t0:.0f} s", flush=True)
    try:
        results = []
        with open_ledger(file) as f_led, open_ledger(url) as s_led:
            for led in (f_led, s_led):
                t0 = time.perf_counter()
                ensure_search_index(led)
                print(f"search index {'server' if led.is_server else 'file'}: {time.perf_counter() - t0:.0f} s",
                      flush=True)
            branch, year = _busiest(f_led)
            n = len(list_meetings(f_led, branch_id=branch, year=year))
            for label, fn in (
                (f"list one branch-year ({n} meetings)", lambda led: list_meetings(led, branch_id=branch, year=year)),
                ("compliance, one branch-year", lambda led: branch_year_compliance(led, branch, year,
                                                                                    today=date(year + 1, 1, 15))),
                *((f"search “{w}”, top 50", lambda led, w=w: list_meetings(led, search=w, limit=50)) for w in WORDS),
            ):
                file_t, server_t = [], []
                for _ in range(args.runs):  # interleaved: the same load on both
                    file_t += _times(lambda fn=fn: fn(f_led), 1)
                    server_t += _times(lambda fn=fn: fn(s_led), 1)
                if "compliance" not in label:  # the same answers, or the figures mean nothing
                    assert sorted(r.id for r in fn(f_led)) == sorted(r.id for r in fn(s_led)), label
                results.append((label, file_t, server_t))
                print(f"| {label} | {_fmt(file_t)} | {_fmt(server_t)} | {statistics.median(server_t) / statistics.median(file_t):.1f}× |",
                      flush=True)
            ids = _targets(f_led, args.clients)
        f_wall, f_lat = None, None
        with open_ledger(file) as f_led:
            f_wall, f_lat = sequential_saves(f_led, ids, args.saves)
        s_wall, s_lat = concurrent_saves(url, ids, args.saves)
        total = len(ids) * args.saves
        print(f"| {total} saves: file, one program after another | {f_wall:.0f} ms total, {_fmt(f_lat)} per save |")
        print(f"| {total} saves: server, {len(ids)} programs at once | {s_wall:.0f} ms total, {_fmt(s_lat)} per save |"
              f" {s_wall / f_wall:.2f}× |")
    finally:
        if cluster is not None:
            cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
