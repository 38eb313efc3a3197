"""A carried branch file merged back into the server (``zhibu push FILE URL`` onto a ledger), timed
by phase on the ten-year ledger (benchmarks/generate.py) in a throwaway cluster (tests/pgcluster.py).

Per run: a fresh database gets the ten-year ledger (``push`` into an empty database), one branch is
pulled as a file, the file gets three edits (a meeting's content, a member's phone, a new meeting),
the server one (another branch's member), and the file is pushed back. Phases of the push:
snapshot (the server dumped in one transaction and loaded as a file), plan (backups, copies, the
merge plan), apply+check (the merge on the result file and its checks), pg_dump (the backup before
writing), write (the difference, one server transaction). Prints min / median / max in ms.

Usage: ``python -m benchmarks.bench_push [--runs N]``. Results: docs/server.md (push into a ledger).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

from benchmarks.generate import make_ten_year_ledger
from benchmarks.timing import stats, time_ms

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def _timed(module, name: str, phase: str, spent: dict) -> None:
    real = getattr(module, name)

    def wrapper(*a, **k):
        t = time.perf_counter()
        try:
            return real(*a, **k)
        finally:
            spent[phase].append((time.perf_counter() - t) * 1000)

    setattr(module, name, wrapper)


def main() -> None:
    from pgcluster import Cluster

    from desktop.domain.enums import MeetingKind
    from desktop.services import backups
    from desktop.services import meetings as svc
    from desktop.services.members import list_members
    from desktop.services.merge import onserver, run
    from desktop.services.organization import list_branches
    from desktop.services.server_transfer import pull, push
    from desktop.store.models import Member
    from desktop.store.opening import open_ledger

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3, choices=range(1, 101), metavar="N")
    args = parser.parse_args()
    spent: dict[str, list[float]] = defaultdict(list)
    _timed(onserver, "snapshot", "snapshot", spent)
    _timed(onserver, "prepare", "plan", spent)
    _timed(run.MergeSession, "finish", "apply+check", spent)
    _timed(backups, "backup_before", "pg_dump", spent)
    _timed(onserver, "write", "write", spent)
    work = Path(tempfile.mkdtemp(prefix="bench-push."))
    ten = work / "ten.zhibu"
    print("ten-year ledger:", make_ten_year_ledger(ten))
    cluster = Cluster().start()
    try:
        for i in range(args.runs):
            cluster.execute(f"CREATE DATABASE p{i}")
            url = cluster.url(f"p{i}")
            spent["push into empty"].append(time_ms(lambda url=url: push(ten, url)))
            with open_ledger(url) as led:
                first, second = [b.name for b in list_branches(led)][:2]
            carry = work / f"carry{i}.zhibu"
            spent["pull one branch"].append(time_ms(lambda url=url, carry=carry, first=first: pull(url, carry, first)))
            with open_ledger(carry) as led:
                branch = next(b.id for b in list_branches(led) if b.name == first)
                row = svc.list_meetings(led, branch_id=branch, limit=1)[0]
                inp = svc.get_meeting(led, row.id).to_input()
                inp.content = "带出去改的"
                svc.save_meeting(led, inp)
                svc.save_meeting(led, svc.new_meeting(led, branch, MeetingKind.COMMITTEE, date(2026, 12, 1)))
                member = next(m.id for m in list_members(led) if m.branch_id == branch)
                with led.write() as s:
                    s.get(Member, member).phone = "13800000001"
            with open_ledger(url) as led:
                other = next(b.id for b in list_branches(led) if b.name == second)
                with led.write() as s:  # another branch's member, meanwhile on the server
                    s.get(Member, next(m.id for m in list_members(led) if m.branch_id == other)).phone = "13900000002"
                t = time.perf_counter()
                session = onserver.prepare_push(carry, led, backup_dir=work / "bk")
                result = session.finish()
                spent["push merge (total)"].append((time.perf_counter() - t) * 1000)
                assert result.check.ok and not result.plan.conflicts, result.check.problems
            cluster.execute(f"DROP DATABASE p{i} WITH (FORCE)")
        print(f"{args.runs} runs, milliseconds (min / median / max)")
        for phase, values in spent.items():
            print(f"{phase:20} {stats(values)}")
        print(f"carried file: {carry.stat().st_size / 1e6:.1f} MB; ten-year file: {ten.stat().st_size / 1e6:.1f} MB")
    finally:
        cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
