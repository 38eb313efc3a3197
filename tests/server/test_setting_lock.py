"""Two saves of one setting at the same moment on a server: the check of the value shown and the
write are one step under a row lock, so the second save waits for the first to commit and then asks
(RecordConflict) — it never reads the old value, passes, and overwrites the first."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

from sqlalchemy import select

from desktop.domain.errors import RecordConflict
from desktop.services.settings import get_settings, save_settings
from desktop.store.models import Setting


def test_a_save_waits_for_an_uncommitted_change_of_the_same_setting_and_asks(org_ledger, wang):
    shown = get_settings(org_ledger)
    save_settings(wang, replace(shown, soon_days=5), shown=shown)  # the row exists from here on
    shown = get_settings(org_ledger)
    outcome: dict = {}

    def ours() -> None:
        try:
            save_settings(org_ledger, replace(shown, soon_days=3), shown=shown)
            outcome["result"] = "saved"
        except RecordConflict as exc:
            outcome["result"] = exc

    with wang.write() as s:  # theirs, written but not committed yet: holds the row
        s.scalar(select(Setting).where(Setting.key == "soon_days")).value = "9"
        s.flush()
        worker = threading.Thread(target=ours)
        worker.start()
        time.sleep(1.0)
        assert worker.is_alive() and not outcome, "our save must wait for theirs, not read the old value"
    worker.join(30)
    assert isinstance(outcome.get("result"), RecordConflict) and outcome["result"].who == "wangfang"
    assert get_settings(org_ledger).soon_days == 9


def test_two_first_saves_of_a_setting_not_stored_yet_wait_for_each_other(org_ledger, wang):
    """No row to lock yet: the committee row serializes them; the second asks, no duplicate key."""
    shown = get_settings(org_ledger)
    outcome: dict = {}

    def ours() -> None:
        try:
            save_settings(org_ledger, replace(shown, reminder_days=20), shown=shown)
            outcome["result"] = "saved"
        except RecordConflict as exc:
            outcome["result"] = exc

    with wang.write() as s:
        from desktop.services.setting_guard import lock_settings

        lock_settings(s, ["reminder_days"])
        s.add(Setting(key="reminder_days", value="30"))
        s.flush()
        worker = threading.Thread(target=ours)
        worker.start()
        time.sleep(1.0)
        assert worker.is_alive() and not outcome
    worker.join(30)
    assert isinstance(outcome.get("result"), RecordConflict)
    assert get_settings(org_ledger).reminder_days == 30
