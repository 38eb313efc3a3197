"""The same ledger on a PostgreSQL server and in a file, the same operations, in the same run.

| operation | measured on both |
|---|---|
| list branch-year | ``meetings.list_meetings(branch_id=, year=)`` (the busiest branch-year) |
| compliance | ``compliance.branch_year_compliance(branch, year)`` |
| search | ``meetings.list_meetings(search=WORD, limit=50)`` for 2-character words |
| saves | N clients each saving its own meeting K times (``save_meeting`` with its version): on the
  server 10 processes at once, each its own connection (10 PCs); on the file the same N×K saves by
  one process (a file has one program at a time) |
| same meeting | N clients saving the same version of one meeting at once (server: N processes),
  ``--rounds`` times; on the file one program saves the N inputs in turn: one wins, N-1 conflict |

Every row prints the 1-minute load average before and after it (the machine is shared), the saves
the peak RSS of the client processes, and the ledgers are checked after the saves
(benchmarks/bench_server_saves.py: no save lost, none half-written).

Both ledgers are generated with the same seed (benchmarks/generate.py: identical rows and ids), the
server one straight into a fresh database of a throwaway cluster (tests/pgcluster.py) unless
``--url`` names an empty database. Prints min / median / max in milliseconds.

Usage: ``python -m benchmarks.bench_server ten|stress [--file F] [--url URL] [--runs N] [--clients 10] [--saves K]
[--rounds R]``.
Results: docs/performance.md (PostgreSQL server).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks import bench_server_saves as saves
from benchmarks.generate import make_stress_ledger, make_ten_year_ledger
from benchmarks.timing import stats, time_ms
from desktop.services.compliance import branch_year_compliance
from desktop.services.meetings import ensure_search_index, list_meetings
from desktop.store.opening import open_ledger

WORDS = ("党员", "学习", "整改", "组织", "会议", "廉政", "支部", "教育")


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


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
    """One draft meeting of 2026 per client (different branches where there are enough), and one
    more for the clients that all save the same meeting."""
    rows = [r for r in list_meetings(ledger, year=2026) if r.state == "草稿"]
    by_branch: dict[str, str] = {}
    for r in rows:
        by_branch.setdefault(r.branch_id, r.id)
    picked = list(by_branch.values())[: n + 1]
    picked += [r.id for r in rows if r.id not in picked][: n + 1 - len(picked)]
    return picked


def _saves(file: Path, url: str, ids: list[str], same: str, args) -> None:
    total, load = len(ids) * args.saves, _load()
    f = saves.own_saves(str(file), ids, args.saves, clients=1)
    s = saves.own_saves(url, ids, args.saves, clients=len(ids))
    print(f"| {total} saves: file, one program after another | {f['wall']:.0f} ms total, {stats(f['lat'])} per save,"
          f" RSS {max(f['rss']):.0f} MB |")
    print(f"| {total} saves: server, {len(ids)} programs at once | {s['wall']:.0f} ms total, {stats(s['lat'])} per save,"
          f" RSS {min(s['rss']):.0f}–{max(s['rss']):.0f} MB per client | {s['wall'] / f['wall']:.2f}× | {load}–{_load()} |",
          flush=True)
    f_walls, s_walls, won, lost, load = [], [], [0, 0], [0, 0], _load()
    for rnd in range(args.rounds):
        f = saves.same_meeting_file(str(file), same, args.clients, rnd)
        s = saves.same_meeting_server(url, same, args.clients, rnd)
        f_walls.append(f["wall"])
        s_walls.append(s["wall"])
        won, lost = [won[0] + f["won"], won[1] + s["won"]], [lost[0] + f["conflicts"], lost[1] + s["conflicts"]]
    print(f"| same meeting, {args.clients} saves × {args.rounds} rounds | file (one program in turn): {stats(f_walls)}"
          f" per round, {won[0]} won, {lost[0]} RecordConflict | server ({args.clients} programs at once):"
          f" {stats(s_walls)} per round, {won[1]} won, {lost[1]} RecordConflict | checked: nothing lost or half-written |"
          f" {load}–{_load()} |", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("which", choices=("ten", "stress"))
    ap.add_argument("--file")
    ap.add_argument("--url")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--saves", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    make = make_ten_year_ledger if args.which == "ten" else make_stress_ledger
    tmp = Path(tempfile.mkdtemp(prefix="bench-server-"))
    cluster = None
    file = Path(args.file) if args.file else tmp / f"{args.which}.zhibu"
    if not file.exists():
        t0 = time.perf_counter()
        make(file)
        print(f"file generated in {time.perf_counter() - t0:.0f} s (load {_load()})", flush=True)
    url = args.url
    if url is None:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
        from pgcluster import Cluster

        cluster = Cluster().start()
        cluster.execute("CREATE DATABASE bench")
        url = cluster.url("bench")
        t0 = time.perf_counter()
        make(url)
        print(f"server generated in {time.perf_counter() - t0:.0f} s (load {_load()})", flush=True)
    try:
        results = []
        with open_ledger(file) as f_led, open_ledger(url) as s_led:
            for led in (f_led, s_led):
                t0 = time.perf_counter()
                ensure_search_index(led)
                print(f"search index {'server' if led.is_server else 'file'}: {time.perf_counter() - t0:.0f} s"
                      f" (load {_load()})", flush=True)
            branch, year = _busiest(f_led)
            n = len(list_meetings(f_led, branch_id=branch, year=year))
            for label, fn in (
                (f"list one branch-year ({n} meetings)", lambda led: list_meetings(led, branch_id=branch, year=year)),
                ("compliance, one branch-year", lambda led: branch_year_compliance(led, branch, year,
                                                                                    today=date(year + 1, 1, 15))),
                *((f"search “{w}”, top 50", lambda led, w=w: list_meetings(led, search=w, limit=50)) for w in WORDS),
            ):
                file_t, server_t, load = [], [], _load()
                for _ in range(args.runs):  # interleaved: the same load on both
                    file_t.append(time_ms(lambda fn=fn: fn(f_led)))
                    server_t.append(time_ms(lambda fn=fn: fn(s_led)))
                if "compliance" not in label:  # the same answers, or the figures mean nothing
                    assert sorted(r.id for r in fn(f_led)) == sorted(r.id for r in fn(s_led)), label
                results.append((label, file_t, server_t))
                ratio = statistics.median(server_t) / statistics.median(file_t)
                print(f"| {label} | {stats(file_t)} | {stats(server_t)} | {ratio:.1f}× | {load}–{_load()} |", flush=True)
            *ids, same = _targets(f_led, args.clients)
        f_rss = saves.reader_rss(str(file), branch, year, WORDS)
        s_rss = saves.reader_rss(url, branch, year, WORDS)
        print(f"| peak RSS of a program doing the reads above once | {f_rss:.0f} MB | {s_rss:.0f} MB |"
              f" {s_rss / f_rss:.2f}× |", flush=True)
        _saves(file, url, ids, same, args)
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)  # a generated stress file is 660 MB
    return 0


if __name__ == "__main__":
    sys.exit(main())
