"""Several programs on one server ledger at once."""

from __future__ import annotations

import threading
from datetime import date

from desktop.domain.enums import MeetingKind
from desktop.domain.errors import RecordConflict
from desktop.services import meetings as svc
from desktop.store.changes import RecordKind
from desktop.store.opening import open_ledger

DAY = date(2026, 3, 10)


def _meeting(led) -> str:
    inp = svc.new_meeting(led, led.ids["branch1"], MeetingKind.COMMITTEE, DAY)
    inp.content = "原稿"
    return svc.save_meeting(led, inp)


def test_two_programs_saving_at_once_exactly_one_wins(org_ledger, pg_cluster):
    """Two server connections (two programs, two database users) save the same version at the
    same moment, three times over: each time exactly one wins, the other is told who won."""
    mid = _meeting(org_ledger)
    url = org_ledger.location
    pg_cluster.execute("DO $$ BEGIN CREATE ROLE wangfang LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    dbname = url.split("/")[3].split("?")[0]
    pg_cluster.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO wangfang;"
                       " GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO wangfang", dbname)
    other_url = url.replace("zhibu@", "wangfang@")
    results: dict[str, object] = {}
    barrier = threading.Barrier(2)
    for _round in range(3):
        start = svc.get_meeting(org_ledger, mid).to_input()

        def save(name: str, target: str, start=start) -> None:
            led = open_ledger(target)
            try:
                inp = svc.get_meeting(led, mid).to_input()
                inp.version, inp.content = start.version, f"{name} 的修改"
                barrier.wait(10)
                svc.save_meeting(led, inp)
                results[name] = "saved"
            except RecordConflict as exc:
                results[name] = exc
            finally:
                led.close()

        threads = [threading.Thread(target=save, args=("张", url)), threading.Thread(target=save, args=("王", other_url))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        outcome = sorted(type(v).__name__ if not isinstance(v, str) else v for v in results.values())
        assert outcome == ["RecordConflict", "saved"], results
        winner = next(k for k, v in results.items() if v == "saved")
        loser = next(v for v in results.values() if isinstance(v, RecordConflict))
        assert svc.get_meeting(org_ledger, mid).content == f"{winner} 的修改"
        assert loser.who == ("wangfang" if winner == "王" else "zhibu")
        results.clear()


def test_other_programs_changes_reach_the_listeners_by_polling(org_ledger):
    other = open_ledger(org_ledger.location)
    try:
        heard: list = []
        org_ledger.subscribe(heard.append)
        assert org_ledger.poll_changes() is None  # nothing new: one cheap query, nobody told
        mid = _meeting(org_ledger)
        heard.clear()
        assert org_ledger.poll_changes() is None  # our own write was told at once, not again
        inp = svc.get_meeting(other, mid).to_input()
        inp.content = "另一台电脑改的"
        svc.save_meeting(other, inp)
        assert heard == []
        changed = org_ledger.poll_changes()
        assert changed is not None and changed.ids(RecordKind.MEETING) == {mid}  # which record, too
        assert heard and heard[-1] == changed
        assert org_ledger.poll_changes() is None
        assert svc.get_meeting(org_ledger, mid).content == "另一台电脑改的"
    finally:
        other.close()
