"""定稿 is guarded by the version the editor showed: a meeting someone else saved since (while
「仍然定稿吗？」 was open) is not made 定稿 unseen (RecordConflict), it stays a draft."""

from __future__ import annotations

from datetime import date, time

import pytest

from desktop.domain.enums import MeetingKind, MeetingState
from desktop.domain.errors import RecordConflict
from desktop.services import meetings as svc


def test_finalize_from_a_stale_version_is_refused(org_ledger):
    inp = svc.new_meeting(org_ledger, org_ledger.ids["branch1"], MeetingKind.COMMITTEE, date(2026, 6, 20))
    inp.content, inp.place, inp.start_time, inp.end_time = "原稿", "会议室", time(9, 0), time(11, 0)
    mid = svc.save_meeting(org_ledger, inp)
    shown = svc.get_meeting(org_ledger, mid)
    theirs = shown.to_input()
    theirs.content = "别人改的"
    svc.save_meeting(org_ledger, theirs)
    with pytest.raises(RecordConflict):
        svc.finalize_meeting(org_ledger, mid, accept_warnings=True, version=shown.version)
    assert svc.get_meeting(org_ledger, mid).state == MeetingState.DRAFT
    now = svc.get_meeting(org_ledger, mid)
    assert svc.finalize_meeting(org_ledger, mid, accept_warnings=True, version=now.version).finalized
