"""A ledger on a real PostgreSQL server: opened by URL, same API as a file."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from desktop.store import errors
from desktop.store.header import SCHEMA_VERSION
from desktop.store.opening import open_ledger


def test_open_by_url_roundtrip(pg_url):
    from desktop.services.members import MemberInput, list_members, save_member
    from desktop.services.organization import BranchInput, save_branch, save_committee

    led = open_ledger(pg_url)
    try:
        assert led.is_server
        save_committee(led, "某某局机关党委", "某某局")
        b = save_branch(led, BranchInput("第一党支部"))
        save_member(led, MemberInput(name="张建国", gender="男", branch_id=b, birth_date="1968-03-12",
                                     join_date="1990-07-01", full_date="1991-07-01", category="正式党员"))
    finally:
        led.close()
    again = open_ledger(pg_url)
    try:
        assert [m.name for m in list_members(again)] == ["张建国"]
    finally:
        again.close()


def test_create_refuses_existing_ledger(pg_url):
    with pytest.raises(errors.FileExists):
        open_ledger(pg_url, create=True)


def test_unreachable_server_is_plain_message(pg_cluster):
    bad = pg_cluster.url("no_such_db")
    with pytest.raises(errors.ServerUnavailable) as info:
        open_ledger(bad)
    assert "no_such_db" in info.value.message


def test_empty_database_has_no_ledger(pg_cluster):
    pg_cluster.execute("CREATE DATABASE empty_one")
    try:
        with pytest.raises(errors.NoLedgerOnServer):
            open_ledger(pg_cluster.url("empty_one"))
    finally:
        pg_cluster.execute("DROP DATABASE empty_one WITH (FORCE)")


def test_schema_version_in_meta(pg_ledger):
    with pg_ledger.read() as s:
        assert s.execute(text("SELECT value FROM zhibu_meta WHERE key='schema_version'")).scalar_one() == str(SCHEMA_VERSION)


def test_change_counter_moves_with_committed_writes_only(pg_ledger):
    """The counter the other programs poll (zhibu_meta.changes) moves by one per committed write,
    never with a read or a rolled-back write."""
    from desktop.store import models as M

    def counter() -> int:
        with pg_ledger.read() as s:
            return int(s.execute(text("SELECT value FROM zhibu_meta WHERE key = 'changes'")).scalar_one())

    start = counter()
    with pg_ledger.write() as s:
        c = M.Committee(name="机关党委")
        s.add(c)
    assert counter() == start + 1
    with pg_ledger.read() as s:
        s.get(M.Committee, c.id).name = "只读"  # never committed
    with pytest.raises(RuntimeError), pg_ledger.write() as s:
        s.get(M.Committee, c.id).name = "撤销"
        s.flush()
        raise RuntimeError("refused")
    with pg_ledger.write() as s:
        s.get(M.Committee, c.id).name = "机关党委"  # the same value: nothing written, nothing told
    assert counter() == start + 1 and pg_ledger.poll_changes() is None
