"""A server ledger of an older schema is upgraded by the file's steps, after a pg_dump backup."""

from __future__ import annotations

import subprocess

import pytest
from sqlalchemy import text

from desktop.store import errors
from desktop.store.header import SCHEMA_VERSION
from desktop.store.opening import open_ledger
from desktop.store.serverschema import pg_sql, tool


def _make_v4(url: str, pg_cluster) -> tuple[str, str]:
    """Turn a fresh server ledger into what schema 4 looked like: member.party_post present,
    a member whose 党内职务 text says 组织委员."""
    from desktop.services.members import MemberInput, save_member
    from desktop.services.organization import BranchInput, save_branch

    with open_ledger(url) as led:
        b = save_branch(led, BranchInput("第一党支部"))
        mid = save_member(led, MemberInput(name="李秀英", gender="女", branch_id=b, birth_date="1975-09-20",
                                           join_date="2001-06-28", full_date="2002-06-28", category="正式党员"))
    dbname = url.split("/")[3].split("?")[0]
    pg_cluster.execute("ALTER TABLE member ADD COLUMN party_post VARCHAR(100) NOT NULL DEFAULT '';"
                       f"UPDATE member SET party_post = '组织委员、工会小组长' WHERE id = '{mid}';"
                       "UPDATE zhibu_meta SET value = '4' WHERE key = 'schema_version'", dbname)
    return mid, dbname


def test_older_server_ledger_is_backed_up_then_upgraded(pg_fresh_url, pg_cluster, tmp_path):
    mid, _db = _make_v4(pg_fresh_url, pg_cluster)
    led = open_ledger(pg_fresh_url, backup_dir=tmp_path)
    try:
        assert led.upgraded_from == 4
        backup = led.backup_path
        assert backup is not None and backup.parent == tmp_path and backup.name.endswith(".pgdump")
        listing = subprocess.run([tool("pg_restore"), "--list", str(backup)], capture_output=True, text=True)
        assert listing.returncode == 0 and "TABLE DATA public member" in listing.stdout
        with led.read() as s:
            assert s.execute(text("SELECT value FROM zhibu_meta WHERE key = 'schema_version'")).scalar_one() == str(SCHEMA_VERSION)
            cols = set(s.execute(text("SELECT column_name FROM information_schema.columns WHERE table_name = 'member'")).scalars())
            assert "party_post" not in cols
            posts = s.execute(text("SELECT post FROM post_holding WHERE member_id = :m"), {"m": mid}).scalars().all()
            notes = s.execute(text("SELECT notes FROM member WHERE id = :m"), {"m": mid}).scalar_one()
        assert posts == ["组织委员"] and notes.endswith("原党内职务：工会小组长")
        # the backup restores into an empty database as the schema-4 ledger it was
        pg_cluster.execute("CREATE DATABASE restored")
        target = pg_cluster.url("restored")
        proc = subprocess.run([tool("pg_restore"), "--no-owner", f"--dbname={target}", str(backup)],
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        with pg_cluster.connect("restored") as conn:
            assert conn.execute("SELECT value FROM zhibu_meta WHERE key = 'schema_version'").fetchone() == ("4",)
            assert conn.execute("SELECT party_post FROM member").fetchone() == ("组织委员、工会小组长",)
    finally:
        led.close()
        pg_cluster.execute("DROP DATABASE IF EXISTS restored WITH (FORCE)")


def test_newer_server_ledger_is_refused_untouched(pg_fresh_url, pg_cluster):
    dbname = pg_fresh_url.split("/")[3].split("?")[0]
    pg_cluster.execute(f"UPDATE zhibu_meta SET value = '{SCHEMA_VERSION + 1}' WHERE key = 'schema_version'", dbname)
    with pytest.raises(errors.NewerSchema):
        open_ledger(pg_fresh_url)


def test_sqlite_spellings_are_translated():
    assert pg_sql("CREATE TABLE t (a DATETIME, b BLOB)") == "CREATE TABLE t (a TIMESTAMP, b BYTEA)"
    assert pg_sql("CREATE TABLE c (x INT, PRIMARY KEY (x)) WITHOUT ROWID") == "CREATE TABLE c (x INT, PRIMARY KEY (x))"


def _v4_state(pg_cluster, dbname: str):
    with pg_cluster.connect(dbname) as conn:
        return (conn.execute("SELECT value FROM zhibu_meta WHERE key = 'schema_version'").fetchone(),
                conn.execute("SELECT id, party_post, notes FROM member ORDER BY id").fetchall(),
                conn.execute("SELECT count(*) FROM post_holding").fetchone())


def test_a_failed_step_leaves_the_server_ledger_as_it_was(pg_fresh_url, pg_cluster, tmp_path, monkeypatch):
    """The server's counterpart of tests/store/test_migrations.py::test_failure_mid_upgrade_leaves_file_unchanged:
    a step that fails half-way is rolled back (one transaction), said plainly, and the upgrade
    runs again next time."""
    from desktop.store.migrations import steps

    _mid, db = _make_v4(pg_fresh_url, pg_cluster)
    before = _v4_state(pg_cluster, db)
    original = steps.STEPS[4]

    def half_then_fail(conn):
        original(conn)  # holdings inserted, the column dropped …
        conn.execute("ALTER TABLE no_such_table ADD COLUMN x INTEGER")  # … then the server refuses a statement

    monkeypatch.setitem(steps.STEPS, 4, half_then_fail)
    with pytest.raises(errors.LedgerFileError) as info:
        open_ledger(pg_fresh_url, backup_dir=tmp_path)
    assert "升级" in info.value.message and "原样" in info.value.message
    assert _v4_state(pg_cluster, db) == before
    monkeypatch.setitem(steps.STEPS, 4, original)
    with open_ledger(pg_fresh_url, backup_dir=tmp_path) as led:
        assert led.upgraded_from == 4


def test_a_failed_backup_stops_the_upgrade(pg_fresh_url, pg_cluster, tmp_path, monkeypatch):
    """The counterpart of the file's test_backup_failure_stops_upgrade: pg_dump fails (here: the
    backup folder cannot be written) → nothing upgraded, no half-written backup left."""
    _mid, db = _make_v4(pg_fresh_url, pg_cluster)
    before = _v4_state(pg_cluster, db)
    folder = tmp_path / "backups"
    folder.mkdir()
    monkeypatch.setattr("desktop.store.serverschema.tool", lambda name: "/bin/false" if name == "pg_dump" else tool(name))
    with pytest.raises(errors.ServerUnavailable) as info:
        open_ledger(pg_fresh_url, backup_dir=folder)
    assert "pg_dump" in info.value.message and "原样" in info.value.message
    assert _v4_state(pg_cluster, db) == before and list(folder.iterdir()) == []
