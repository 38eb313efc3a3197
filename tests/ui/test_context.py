"""AppContext delivers change notifications on the GUI thread, without editor-private drafts."""

from datetime import UTC, datetime

from desktop.store.changes import ChangeEvent, RecordKind
from desktop.store.ledger import Ledger
from desktop.store.models import Committee, MeetingDraft
from desktop.ui.context import AppContext


def test_draft_autosave_does_not_reach_pages_but_real_writes_do(qtbot, tmp_path):
    ledger = Ledger.open(tmp_path / "c.zhibu", create=True)
    ctx = AppContext(ledger)
    seen: list[ChangeEvent] = []
    ctx.dataChanged.connect(seen.append)
    try:
        with ledger.write() as s:
            s.add(MeetingDraft(saved_at=datetime.now(UTC), payload="{}"))
        with ledger.write() as s:
            s.add(Committee(name="机关党委"))
            s.add(MeetingDraft(saved_at=datetime.now(UTC), payload="{}"))
        qtbot.waitUntil(lambda: len(seen) >= 1)
        qtbot.wait(50)
        assert [e.kinds for e in seen] == [{RecordKind.COMMITTEE}]
    finally:
        ctx.set_ledger(None)
