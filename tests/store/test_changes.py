"""Typed change events (desktop/store/changes.py): Ledger.write() tells its listeners, after the
commit, which kinds of record changed, which ids, and how (on a file and on a server)."""

from __future__ import annotations

import pytest

from desktop.store.changes import PRIVATE_KINDS, ChangeEvent, Op, RecordChange, RecordKind, change
from desktop.store.models import MODELS_IN_ORDER, Record, Setting


def test_every_record_type_has_a_kind():
    assert {m.__name__ for m in MODELS_IN_ORDER} == {k.value for k in RecordKind}
    assert all(issubclass(m, Record) for m in MODELS_IN_ORDER)


def test_a_write_reports_kinds_ids_and_ops_after_the_commit(ledger):
    events: list[ChangeEvent] = []
    seen_committed: list[bool] = []

    def listener(event: ChangeEvent) -> None:
        events.append(event)
        with ledger.read() as s:  # the listener runs after the commit: the row is there
            seen_committed.append(s.query(Setting).filter_by(key="probe").count() == 1)

    unsubscribe = ledger.subscribe(listener)
    with ledger.write() as s:
        row = Setting(key="probe", value="1")
        s.add(row)
    sid = row.id
    assert events[-1].records == {RecordChange(RecordKind.SETTING, sid, Op.ADDED)} and seen_committed == [True]

    with ledger.write() as s:
        s.get(Setting, sid).value = "2"
    assert events[-1].ids(RecordKind.SETTING) == {sid} and events[-1].ops(RecordKind.SETTING) == {Op.CHANGED}

    with ledger.write() as s:  # the same value again: no record changed (an empty event, ignored)
        s.get(Setting, sid).value = "2"
    assert len(events) == 3 and not events[-1]

    with ledger.write() as s:
        s.delete(s.get(Setting, sid))
    assert events[-1].ops(RecordKind.SETTING) == {Op.DELETED}

    with pytest.raises(RuntimeError), ledger.write() as s:  # rolled back: nobody is told
        s.add(Setting(key="never", value="1"))
        raise RuntimeError("refused")
    assert len(events) == 4
    unsubscribe()
    with ledger.write() as s:
        s.add(Setting(key="after", value="1"))
    assert len(events) == 4


def test_event_queries_and_merging():
    a = change(RecordKind.MEETING, "m1", "m2")
    b = change(RecordKind.ATTENDANCE, "x1", op=Op.ADDED) | change(RecordKind.MEETING_DRAFT, "d1")
    both = a | b
    assert both.kinds == {RecordKind.MEETING, RecordKind.ATTENDANCE, RecordKind.MEETING_DRAFT}
    assert both.touches(RecordKind.ATTENDANCE) and both.touches({RecordKind.BRANCH, RecordKind.MEETING})
    assert not both.touches(RecordKind.BRANCH, RecordKind.MEMBER)
    assert both.ids(RecordKind.MEETING) == {"m1", "m2"} and both.ops(RecordKind.ATTENDANCE) == {Op.ADDED}
    assert not both.only({RecordKind.MEETING, RecordKind.ATTENDANCE})
    assert both.without(PRIVATE_KINDS).only({RecordKind.MEETING, RecordKind.ATTENDANCE})
    assert not change(RecordKind.MEETING_DRAFT, "d1").without(PRIVATE_KINDS)
    assert not ChangeEvent() and not ChangeEvent().only({RecordKind.MEETING})
    with pytest.raises(ValueError):
        change(RecordKind.MEETING)


def test_rows_inserted_past_the_flush_are_told_too(new_target):
    """The demo inserts its attendance in one executemany (no flush hook sees it): the event still
    names them, with their ids."""
    from desktop.services.demo import build_demo
    from desktop.store.ledger import Ledger
    from desktop.store.models import Attendance
    from desktop.store.opening import open_ledger

    events: list[ChangeEvent] = []
    original = Ledger._notify
    target = new_target()
    try:
        Ledger._notify = lambda self, event: (events.append(event), original(self, event))
        build_demo(target)
    finally:
        Ledger._notify = original
    attendance = set().union(*(e.ids(RecordKind.ATTENDANCE) for e in events))
    with open_ledger(target) as led, led.read() as s:
        assert attendance == {a.id for a in s.query(Attendance)} and len(attendance) > 100
