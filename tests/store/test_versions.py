"""Record versions, on a file and on a server: a record's ``version`` moves with each write that
changes it (not with a same-value assignment), and a write from a stale version is a
RecordConflict, never an overwrite. (A server's change counter: tests/server/test_server_basics.py.)"""

from __future__ import annotations

from datetime import date

import pytest
from backends import sql_rows

from desktop.domain.errors import RecordConflict
from desktop.store import models as M


def _member(led) -> str:
    with led.write() as s:
        c = M.Committee(name="机关党委")
        b = M.Branch(committee=c, name="一支部")
        s.add_all([c, b])
        s.flush()
        m = M.Member(name="张三", branch_id=b.id, join_date=date(2000, 1, 1))
        s.add(m)
    return m.id


def _version(led, mid: str) -> int:
    [(v,)] = sql_rows(led, "SELECT version FROM member WHERE id = :id", id=mid)
    return v


def test_a_record_version_moves_with_each_changing_write(ledger):
    mid = _member(ledger)
    assert _version(ledger, mid) == 1
    with ledger.write() as s:
        m = s.get(M.Member, mid)
        m.name, m.phone = "张三丰", "13812345678"
    assert _version(ledger, mid) == 2
    with ledger.write() as s:
        s.get(M.Member, mid).name = "张三丰"  # the same value: no UPDATE, no new version
    assert _version(ledger, mid) == 2
    with ledger.write() as s:
        s.get(M.Member, mid).tombstone()  # a delete is a change too
    assert _version(ledger, mid) == 3


def test_a_write_from_a_stale_version_is_a_conflict_not_an_overwrite(ledger):
    mid = _member(ledger)
    with pytest.raises(RecordConflict), ledger.write() as s:
        m = s.get(M.Member, mid)  # read at version 1 …
        s.execute(M.Member.__table__.update().where(M.Member.id == mid)
                  .values(name="别人改的", version=M.Member.version + 1))  # … another program saves meanwhile
        m.name = "我改的"
    assert sql_rows(ledger, "SELECT name, version FROM member WHERE id = :id", id=mid) == [("张三", 1)]  # rolled back
