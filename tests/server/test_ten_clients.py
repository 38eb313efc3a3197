"""Ten programs saving on one server ledger at once (each its own connection): no save lost, none
half-written, and of ten saves of the same version exactly one wins (the figures of the same
runs on the stress ledger: docs/performance.md, benchmarks/bench_server_saves.py)."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import text

from desktop.domain.enums import MeetingKind
from desktop.domain.errors import RecordConflict
from desktop.services import meetings as svc
from desktop.store.opening import open_ledger

CLIENTS = 10


def _meeting(led, n: int) -> str:
    inp = svc.new_meeting(led, led.ids["branch1"], MeetingKind.COMMITTEE, date(2026, 3, 1 + n))
    inp.content, inp.agenda = "原稿", ["传达学习上级精神", "研究党建工作"]
    return svc.save_meeting(led, inp)


def _state(led, mid: str) -> tuple[int, str, int, str, int]:
    """(version, content, change sets of the meeting row, indexed text, live agenda items)."""
    with led.read() as s:
        version, content = s.execute(text("SELECT version, content FROM meeting WHERE id = :m"), {"m": mid}).one()
        sets = s.execute(text("SELECT count(DISTINCT set_id) FROM change WHERE record_id = :m"), {"m": mid}).scalar_one()
        body = s.execute(text("SELECT t.body FROM meeting_text t JOIN meeting_search x ON x.key = t.key"
                              " WHERE x.meeting_id = :m"), {"m": mid}).scalar_one()
        agenda = s.execute(text("SELECT count(*) FROM agenda_item WHERE meeting_id = :m AND deleted_at IS NULL"),
                           {"m": mid}).scalar_one()
    return version, content, sets, body, agenda


def _at_once(work) -> list:
    """Run ``work(i, barrier)`` in CLIENTS threads released together; their results."""
    barrier, out = threading.Barrier(CLIENTS), [None] * CLIENTS

    def run(i: int) -> None:
        try:
            out[i] = work(i, barrier)
        except BaseException as exc:  # noqa: BLE001 — reported to the test below
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return out


def test_ten_programs_saving_their_own_meetings_lose_nothing(org_ledger):
    svc.ensure_search_index(org_ledger)
    ids = [_meeting(org_ledger, i) for i in range(CLIENTS)]
    before = {mid: _state(org_ledger, mid) for mid in ids}

    def work(i: int, barrier) -> str:
        led = open_ledger(org_ledger.location)
        try:
            barrier.wait(30)
            for k in range(3):
                inp = svc.get_meeting(led, ids[i]).to_input()
                inp.content = f"客户{i}第{k}次修改"
                svc.save_meeting(led, inp)
            return "saved"
        finally:
            led.close()

    assert _at_once(work) == ["saved"] * CLIENTS
    for i, mid in enumerate(ids):
        version, content, sets, body, agenda = _state(org_ledger, mid)
        v0, _c, s0, _b, a0 = before[mid]
        assert (version, sets, content, agenda) == (v0 + 3, s0 + 3, f"客户{i}第2次修改", a0)
        assert content in body


def test_ten_programs_saving_the_same_version_one_wins(org_ledger):
    svc.ensure_search_index(org_ledger)
    mid = _meeting(org_ledger, 0)
    for rnd in range(2):
        v0, _c, s0, _b, a0 = _state(org_ledger, mid)

        def work(i: int, barrier, rnd=rnd):
            led = open_ledger(org_ledger.location)
            try:
                inp = svc.get_meeting(led, mid).to_input()
                inp.content = f"第{rnd}轮客户{i}"
                inp.agenda = [*inp.agenda, f"客户{i}加的议题"]
                barrier.wait(30)
                svc.save_meeting(led, inp)
                return "saved"
            finally:
                led.close()

        out = _at_once(work)
        won = [i for i, r in enumerate(out) if r == "saved"]
        assert len(won) == 1 and all(isinstance(r, RecordConflict) for i, r in enumerate(out) if i != won[0]), out
        version, content, sets, body, agenda = _state(org_ledger, mid)
        assert (version, sets, content, agenda) == (v0 + 1, s0 + 1, f"第{rnd}轮客户{won[0]}", a0 + 1)
        assert f"客户{won[0]}加的议题" in svc.get_meeting(org_ledger, mid).agenda  # the winner's whole save
        assert content in body and not any(f"第{rnd}轮客户{i}" in body for i in range(CLIENTS) if i != won[0])
        losers = [r for r in out if isinstance(r, RecordConflict)]
        assert all(r.record_id == mid for r in losers)
