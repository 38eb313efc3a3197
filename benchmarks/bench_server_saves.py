"""Saves for benchmarks/bench_server.py: many clients on the server against one program on the file.

- **own meetings**: N clients each save its own meeting K times (get + ``save_meeting`` with the
  version it read); on the server N processes at once, each its own connection (N PCs); on the
  file the same N×K saves by one process (a file has one program at a time).
- **the same meeting**: N clients read the same meeting at the same version and save it at once
  (server: N processes released by one barrier); on the file one program saves the N inputs one
  after another. Each round exactly one save may win and every other must get RecordConflict.

After each part the ledger is checked, not just timed: every meeting carries the last save's text
and moved by exactly the number of saves that won, the change history holds exactly one change
set per winning save, the search index holds the winner's text and no loser's. A failed check
raises (the figures of a run that lost a save mean nothing).
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import time
from pathlib import Path

from sqlalchemy import text

from desktop.domain.errors import RecordConflict
from desktop.services.meetings import get_meeting, save_meeting
from desktop.store.opening import open_ledger


def _base(content: str) -> str:
    """The generated text without what earlier saves appended (it has no spaces; they add " …")."""
    return content.split(" ", 1)[0][:200]


def _rss_mb() -> float:
    """Peak resident set of this process in MB: ``VmHWM`` of its own memory (``ru_maxrss`` would
    carry the parent's peak over the fork and exec that start a spawned process)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _save_own(ledger, meeting_id: str, saves: int) -> list[float]:
    ts = []
    for i in range(saves):
        t0 = time.perf_counter()
        inp = get_meeting(ledger, meeting_id).to_input()
        inp.content = f"{_base(inp.content)} 第{i}次修改"
        save_meeting(ledger, inp)
        ts.append((time.perf_counter() - t0) * 1000)
    return ts


def _own_client(target: str, meeting_ids: list[str], saves: int, barrier, out) -> None:
    ledger = open_ledger(target)
    try:
        barrier.wait()
        ts = [t for mid in meeting_ids for t in _save_own(ledger, mid, saves)]
        out.put(("ok", ts, _rss_mb()))
    except BaseException as exc:  # reported, so the parent does not wait for a dead client
        out.put(("error", repr(exc), 0.0))
        raise
    finally:
        ledger.close()


def _same_client(target: str, meeting_id: str, marker: str, barrier, out) -> None:
    ledger = open_ledger(target)
    try:
        inp = get_meeting(ledger, meeting_id).to_input()
        inp.content = f"{_base(inp.content)} {marker}"
        barrier.wait()
        t0 = time.perf_counter()
        try:
            save_meeting(ledger, inp)
            outcome = "saved"
        except RecordConflict:
            outcome = "conflict"
        out.put((outcome, marker, (time.perf_counter() - t0) * 1000))
    except BaseException as exc:
        out.put(("error", repr(exc), 0.0))
        raise
    finally:
        ledger.close()


_RUN = f"{time.time_ns():x}"[-6:]  # this run's mark: a marker of an earlier run is no winner's


def _marker(rnd: int, client: int) -> str:
    return f"{_RUN}第{rnd}轮客户{client}"


def _reader(target: str, branch: str, year: int, words: tuple[str, ...], barrier, out) -> None:
    from datetime import date

    from desktop.services.compliance import branch_year_compliance
    from desktop.services.meetings import list_meetings

    ledger = open_ledger(target)
    try:
        barrier.wait()
        list_meetings(ledger, branch_id=branch, year=year)
        branch_year_compliance(ledger, branch, year, today=date(year + 1, 1, 15))
        for w in words:
            list_meetings(ledger, search=w, limit=50)
        out.put(("ok", [], _rss_mb()))
    except BaseException as exc:
        out.put(("error", repr(exc), 0.0))
        raise
    finally:
        ledger.close()


def reader_rss(target: str, branch: str, year: int, words: tuple[str, ...]) -> float:
    """Peak RSS (MB) of a fresh program that opens ``target`` and does the reads of the benchmark once."""
    return _run(_reader, [(target, branch, year, words)])[1][0][2]


def _run(target_fn, args_list: list[tuple]) -> tuple[float, list[tuple]]:
    """Start one spawned process per args, release them together, collect one result each."""
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(len(args_list) + 1), ctx.Queue()
    procs = [ctx.Process(target=target_fn, args=(*a, barrier, out)) for a in args_list]
    for p in procs:
        p.start()
    barrier.wait(timeout=300)
    t0 = time.perf_counter()
    results = [out.get(timeout=900) for _ in procs]
    wall = (time.perf_counter() - t0) * 1000
    for p in procs:
        p.join()
    errors = [r[1] for r in results if r[0] == "error"]
    if errors:
        raise RuntimeError(f"a client failed: {errors}")
    return wall, results


def _state(ledger, meeting_id: str) -> tuple[int, str, int, str]:
    """(version, content, change sets that touched the meeting row, indexed body) of a meeting."""
    with ledger.read() as s:
        version, content = s.execute(text("SELECT version, content FROM meeting WHERE id = :m"),
                                     {"m": meeting_id}).one()
        sets = s.execute(text("SELECT count(DISTINCT set_id) FROM change WHERE record_id = :m"),
                         {"m": meeting_id}).scalar_one()
        body = s.execute(text("SELECT t.body FROM meeting_text t JOIN meeting_search x ON x.key = t.key"
                              " WHERE x.meeting_id = :m"), {"m": meeting_id}).scalar_one()
    return version, content, sets, body


def own_saves(target: str, ids: list[str], saves: int, clients: int) -> dict:
    """``clients`` processes share ``ids`` (one process: all of them in turn); checked afterwards."""
    with open_ledger(target) as led:
        before = {mid: _state(led, mid) for mid in ids}
    wall, results = _run(_own_client, [(target, ids[i::clients], saves) for i in range(clients)])
    with open_ledger(target) as led:
        for mid in ids:
            version, content, sets, body = _state(led, mid)
            v0, _c, s0, _b = before[mid]
            assert version == v0 + saves and sets == s0 + saves, (mid, version, v0, sets, s0)
            assert content.endswith(f"第{saves - 1}次修改") and content.lower() in body, mid
    return {"wall": wall, "lat": [t for r in results for t in r[1]], "rss": [r[2] for r in results]}


def same_meeting_server(url: str, meeting_id: str, clients: int, rnd: int) -> dict:
    """``clients`` processes save the same version of one meeting at once."""
    with open_ledger(url) as led:
        before = _state(led, meeting_id)
    markers = [_marker(rnd, i) for i in range(clients)]
    wall, results = _run(_same_client, [(url, meeting_id, m) for m in markers])
    return _check_same(url, meeting_id, before, results, wall)


def same_meeting_file(path: str, meeting_id: str, clients: int, rnd: int) -> dict:
    """One program saves ``clients`` inputs read at the same version, one after another."""
    results = []
    with open_ledger(path) as led:
        before = _state(led, meeting_id)
        start = get_meeting(led, meeting_id).to_input()
        t0 = time.perf_counter()
        for i in range(clients):
            inp = get_meeting(led, meeting_id).to_input()
            inp.version, inp.content = start.version, f"{_base(start.content)} {_marker(rnd, i)}"
            t1 = time.perf_counter()
            try:
                save_meeting(led, inp)
                outcome = "saved"
            except RecordConflict:
                outcome = "conflict"
            results.append((outcome, _marker(rnd, i), (time.perf_counter() - t1) * 1000))
        wall = (time.perf_counter() - t0) * 1000
    return _check_same(path, meeting_id, before, results, wall)


def _check_same(target: str, meeting_id: str, before, results: list[tuple], wall: float) -> dict:
    won = [r[1] for r in results if r[0] == "saved"]
    lost = [r[1] for r in results if r[0] == "conflict"]
    with open_ledger(target) as led:
        version, content, sets, body = _state(led, meeting_id)
    assert len(won) == 1 and len(lost) == len(results) - 1, results
    assert version == before[0] + 1 and sets == before[2] + 1, (version, before, sets)
    assert content.endswith(won[0]) and won[0] in body and not any(m in body for m in lost), (content, won)
    return {"wall": wall, "won": len(won), "conflicts": len(lost), "lat": [r[2] for r in results]}
