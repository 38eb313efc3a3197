"""Two people editing the same record never silently overwrite each other (both back ends)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desktop.domain.enums import MeetingKind
from desktop.domain.errors import RecordConflict
from desktop.services import meetings as svc
from desktop.services.record_history import record_history

DAY = date(2026, 3, 10)


def _meeting(led) -> str:
    inp = svc.new_meeting(led, led.ids["branch1"], MeetingKind.COMMITTEE, DAY)
    inp.content = "原稿"
    return svc.save_meeting(led, inp)


def test_second_save_from_the_same_version_is_a_typed_conflict(org_ledger):
    mid = _meeting(org_ledger)
    mine = svc.get_meeting(org_ledger, mid).to_input()
    theirs = svc.get_meeting(org_ledger, mid).to_input()
    theirs.content = "他们的修改"
    svc.save_meeting(org_ledger, theirs)
    mine.content = "我的修改"
    before = datetime.now().astimezone()
    with pytest.raises(RecordConflict) as info:
        svc.save_meeting(org_ledger, mine)
    exc = info.value
    assert svc.get_meeting(org_ledger, mid).content == "他们的修改"  # nothing overwritten
    assert exc.record_id == mid and exc.current_version == svc.get_meeting(org_ledger, mid).version
    assert exc.when is not None and abs((exc.when - before).total_seconds()) < 120
    assert str(exc).startswith("会议记录：该记录已被 ") and f"于 {exc.when:%Y-%m-%d %H:%M} 修改" in str(exc)
    if org_ledger.is_server:
        assert exc.who == org_ledger.user
    # 另存为新版本: ours on top of theirs; theirs stays in the history
    mine.version = exc.current_version
    svc.save_meeting(org_ledger, mine)
    assert svc.get_meeting(org_ledger, mid).content == "我的修改"
    contents = [(h.old, h.new) for h in record_history(org_ledger, mid) if "他们的修改" in (h.old or "") + (h.new or "")]
    assert contents, "their version is kept in the change history"


def test_unguarded_save_still_works(org_ledger):
    mid = _meeting(org_ledger)
    inp = svc.get_meeting(org_ledger, mid).to_input()
    inp.version, inp.content = None, "不带版本"
    svc.save_meeting(org_ledger, inp)
    assert svc.get_meeting(org_ledger, mid).content == "不带版本"
