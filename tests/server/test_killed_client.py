"""A program killed mid-transaction on a server ledger (the server's counterpart of the file's hot
journal, tests/store/test_crash_recovery.py): the server rolls its work back, its row locks go with
its connection, nobody is told of a change that never happened, and the others save at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

from desktop.domain.enums import MeetingKind
from desktop.services import meetings as svc
from desktop.services.files import check_ledger
from desktop.store import models as M

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import sys, time
    from desktop.store import models as M
    from desktop.store.opening import open_ledger

    led = open_ledger(sys.argv[1])
    with led.write() as s:
        s.query(M.Meeting).filter_by(id=sys.argv[2]).with_for_update().one().content = "未提交的修改"
        s.add_all(M.Committee(name=f"未提交{i}") for i in range(500))
        s.flush()  # on the server now, uncommitted; the meeting's row locked
        print("HELD", flush=True)
        time.sleep(600)  # killed here
    """
)


def test_a_killed_client_leaves_nothing_and_holds_nothing(org_ledger):
    inp = svc.new_meeting(org_ledger, org_ledger.ids["branch1"], MeetingKind.COMMITTEE, date(2026, 3, 10))
    inp.content = "原稿"
    mid = svc.save_meeting(org_ledger, inp)
    counter = org_ledger._seen
    child = subprocess.Popen([sys.executable, "-c", CHILD, org_ledger.location, mid], stdout=subprocess.PIPE,
                             text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert child.stdout.readline().strip() == "HELD"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    started = time.monotonic()
    again = svc.get_meeting(org_ledger, mid).to_input()
    again.content = "另一台电脑随后保存"
    svc.save_meeting(org_ledger, again)  # the dead program's row lock went with its connection
    assert time.monotonic() - started < 10
    assert svc.get_meeting(org_ledger, mid).content == "另一台电脑随后保存"
    with org_ledger.read() as s:
        assert s.query(M.Committee).filter(M.Committee.name.like("未提交%")).count() == 0
    assert org_ledger.poll_changes() is None  # the counter moved by our save only: nothing to tell
    assert org_ledger._seen == counter + 1
    assert check_ledger(org_ledger.location).ok
