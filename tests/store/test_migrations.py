"""Schema versions: the released v1 file upgrades to v2 keeping every row, after a verified backup;
a failed upgrade leaves the file byte-identical; a fresh file (and a fresh server database) matches
the models exactly. The upgrades of files are file_only here; a server's upgrade (after pg_dump)
is tests/server/test_server_upgrade.py."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from backends import sql_rows
from sqlalchemy import select

from desktop.store import errors, migrations
from desktop.store.header import APPLICATION_ID, SCHEMA_VERSION
from desktop.store.ledger import Ledger
from desktop.store.migrations import steps
from desktop.store.models import AgendaTemplate, Base, Meeting, MeetingDraft, Member
from desktop.store.queries import live, roster_on

from .util import LEDGER_V1, folder_listing, pragma, schema_shape, sha256, table_rows

ROOT = Path(__file__).resolve().parents[2]

V2_TABLES = {"meeting_draft", "agenda_template"}
V3_TABLES = {"probation_event"}
V4_TABLES = {"ledger_copy", "change_set", "change"}
V3_BRANCH_COLUMNS = ("ledger_start", "start_numbers")
LEDGER_V2 = LEDGER_V1.with_name("ledger_v2.zhibu")
LEDGER_V4 = LEDGER_V1.with_name("ledger_v4.zhibu")


def _drop_columns(path, table, rows, names):
    """Rows of ``table`` (as table_rows sorts its columns) without the columns ``names``."""
    cols = sorted(c[0] for c in schema_shape(path)[table]["columns"])
    keep = [i for i, c in enumerate(cols) if c not in names]
    return sorted((tuple(r[i] for i in keep) for r in rows), key=repr)


@pytest.fixture
def v1_copy(tmp_path):
    folder = tmp_path / "ledgers"
    folder.mkdir()
    path = folder / "支部台账.zhibu"
    shutil.copyfile(LEDGER_V1, path)
    return path


@pytest.mark.file_only(reason="released file fixtures")
def test_fixture_is_a_real_v1_ledger():
    assert pragma(LEDGER_V1, "user_version") == 1
    assert pragma(LEDGER_V1, "application_id") == APPLICATION_ID
    assert pragma(LEDGER_V1, "journal_mode") == "delete"
    rows = table_rows(LEDGER_V1)
    assert not V2_TABLES & set(rows)
    assert len(rows["member"]) == 8 and len(rows["attendance"]) == 8 and len(rows["meeting"]) == 2


@pytest.mark.file_only(reason="a file's upgrade with its verified backup file (the server's: tests/server/test_server_upgrade.py)")
def test_upgrade_v1_keeps_every_row_and_backs_up(v1_copy, tmp_path):
    before = table_rows(v1_copy)
    backups = tmp_path / "backups"
    with Ledger.open(v1_copy, backup_dir=backups) as ledger:
        assert ledger.upgraded_from == 1
        # in the ledger's own folder of rotated backups (named by its identity), never *.zhibu
        assert ledger.backup_path is not None and ledger.backup_path.parent.parent == backups
        folder, name = ledger.backup_path.parent, ledger.backup_path.name
        assert name.startswith("支部台账.") and name.endswith(".upgrade.zhibu-backup")
    after = table_rows(v1_copy)  # the upgrade alone
    ledger = Ledger.open(v1_copy, backup_dir=backups)
    try:
        assert ledger.upgraded_from is None  # already current
        with ledger.read() as s:  # the ORM reads the upgraded rows, new column included
            assert {m.job_title for m in s.scalars(live(Member))} == {""}
            meeting = s.scalars(live(Meeting).where(Meeting.kind == "支部党员大会")).one()
            assert len(meeting.attendance) == 5 and meeting.attachments[0].data.startswith(b"\x89PNG")
            assert len(roster_on(s, meeting.branch_id, meeting.date)) == 5
            meeting_id, branch_id, stamp = meeting.id, meeting.branch_id, meeting.modified_at
        with ledger.write() as s:  # and the v2 tables work
            s.add(AgendaTemplate(kind="支部委员会", items="传达学习上级精神\n研究近期工作"))
            s.add(MeetingDraft(meeting_id=meeting_id, branch_id=branch_id, saved_at=stamp))
            s.scalars(select(Member)).first().job_title = "科长"
    finally:
        ledger.close()
    assert pragma(v1_copy, "user_version") == SCHEMA_VERSION
    assert pragma(v1_copy, "application_id") == APPLICATION_ID
    # every v1 row with every v1 value is still there; member rows gained job_title = ''
    assert set(after) == set(before) | V2_TABLES | V3_TABLES | V4_TABLES
    for table, rows in before.items():
        if table == "member":  # v5 dropped party_post: the v1 texts are the v1 post holdings already
            job = sorted(c[0] for c in schema_shape(v1_copy)["member"]["columns"]).index("job_title")
            post = sorted(c[0] for c in schema_shape(LEDGER_V1)["member"]["columns"]).index("party_post")
            assert sorted((r[:job] + r[job + 1 :] for r in after[table]), key=repr) == sorted(
                (r[:post] + r[post + 1 :] for r in rows), key=repr)
            assert {r[job] for r in after[table]} == {""}
        elif table == "branch":
            assert _drop_columns(v1_copy, "branch", after[table], V3_BRANCH_COLUMNS) == rows
        else:
            assert after[table] == rows, table
    # the backup is the v1 file as it was, intact
    backup = folder / name
    assert pragma(backup, "user_version") == 1
    assert pragma(backup, "integrity_check") == "ok"
    assert table_rows(backup) == before
    assert folder_listing(v1_copy.parent) == [v1_copy.name]
    assert folder_listing(folder) == [name]


@pytest.mark.file_only(reason="a file's upgrade with its verified backup file (the server's: tests/server/test_server_upgrade.py)")
def test_upgrade_v2_keeps_every_row_and_adds_start_and_probation(tmp_path):
    """The released v2 file (tests/fixtures/make_released.py) upgrades to v3: every v2 row stays, branches
    gain 台账启用日期 (none) and start numbers ({}), and 转正 events can be recorded."""
    from desktop.store.models import Branch, ProbationEvent

    path = tmp_path / "v2.zhibu"
    shutil.copyfile(LEDGER_V2, path)
    assert pragma(path, "user_version") == 2
    before = table_rows(path)
    assert not V3_TABLES & set(before)
    with Ledger.open(path, backup_dir=tmp_path / "b") as ledger:
        assert ledger.upgraded_from == 2
        with ledger.write() as s:
            branches = s.scalars(live(Branch)).all()
            assert {(b.ledger_start, b.start_numbers) for b in branches} == {(None, "{}")}
            member = s.scalars(live(Member).where(Member.name == "赵敏")).one()
            assert member.job_title == "" and s.scalars(live(Member).where(Member.job_title == "科长")).one()
            s.add(ProbationEvent(member_id=member.id, kind="转正", on_date=member.join_date.replace(year=2026)))
    after = table_rows(path)
    assert set(after) == set(before) | V3_TABLES | V4_TABLES and len(after["probation_event"]) == 1
    for table, rows in before.items():
        if table == "branch":
            assert _drop_columns(path, "branch", after[table], V3_BRANCH_COLUMNS) == rows
        elif table == "member":  # v5 dropped party_post (the v2 texts are post holdings already)
            assert sorted(after[table], key=repr) == _drop_columns(LEDGER_V2, "member", rows, ("party_post",))
        else:
            assert after[table] == rows, table


@pytest.mark.file_only(reason="the v4 fixture file's upgrade (the server's v4 upgrade after pg_dump: tests/server/test_server_upgrade.py)")
def test_upgrade_v4_turns_party_post_text_into_post_holdings(tmp_path):
    """党内职务 entered once (schema 5): the v4 fixture's free text becomes post holdings where it
    names a post nobody else holds; everything else is kept in 备注; history of the column goes."""
    from desktop.services.members import get_member, list_members
    from desktop.services.organization import list_posts
    from desktop.store.models import PostHolding

    path = tmp_path / "v4.zhibu"
    shutil.copyfile(LEDGER_V4, path)
    before = table_rows(path)
    with Ledger.open(path, backup_dir=tmp_path / "b") as ledger:
        assert ledger.upgraded_from == 4
        posts = {m.name: m.party_post for m in list_members(ledger)}
        assert posts == {"张建国": "支部书记", "李秀英": "组织委员", "王磊": "宣传委员", "赵敏": "纪检委员",
                         "刘志强": "", "陈淑珍": "支部书记", "孙立新": "", "周海燕": ""}
        b1 = next(m.branch_id for m in list_members(ledger) if m.name == "赵敏")
        new = [p for p in list_posts(ledger, b1) if p.member_name == "赵敏"]
        assert [(p.post, p.start_date.isoformat(), p.end_date) for p in new] == [("纪检委员", "2025-06-01", None)]
        notes = {m.name: get_member(ledger, m.id).notes for m in list_members(ledger)}
        assert notes["刘志强"] == "原党内职务：支部委员、组织委员"  # 组织委员 is 李秀英's today: not taken
        assert notes["孙立新"] == "借调市局\n原党内职务：青年委员（兼）"
        assert {n for n, t in notes.items() if t} == {"刘志强", "孙立新"}
        with ledger.read() as s:
            assert len(s.scalars(live(PostHolding)).all()) == len(before["post_holding"]) + 1
    after = table_rows(path)
    again = tmp_path / "copy.zhibu"  # another copy of the same file, upgraded apart: the same holding id
    shutil.copyfile(LEDGER_V4, again)
    Ledger.open(again, backup_dir=tmp_path / "b2").close()
    key = sorted(c[0] for c in schema_shape(path)["post_holding"]["columns"]).index("id")
    assert {r[key] for r in table_rows(again)["post_holding"]} == {r[key] for r in after["post_holding"]}
    assert [r for r in after["change"] if "party_post" in r] == []
    assert len(after["change"]) == len(before["change"]) - 1
    assert "party_post" not in {c[0] for c in schema_shape(path)["member"]["columns"]}
    assert after["meeting"] == before["meeting"] and after["attendance"] == before["attendance"]


@pytest.mark.file_only(reason="a file's upgrade with its verified backup file (the server's: tests/server/test_server_upgrade.py)")
def test_upgrade_uses_default_backup_dir(v1_copy, tmp_path):
    with Ledger.open(v1_copy) as ledger:
        assert ledger.backup_path.parent.parent == tmp_path / "data" / "backups"  # ZHIBU_DATA_DIR per test
        assert ledger.backup_path.exists()


@pytest.mark.file_only(reason="a file's upgrade with its verified backup file (the server's: tests/server/test_server_upgrade.py)")
def test_upgraded_schema_equals_fresh_schema(v1_copy, tmp_path):
    Ledger.open(v1_copy, backup_dir=tmp_path / "b").close()
    fresh = tmp_path / "fresh.zhibu"
    Ledger.open(fresh, create=True).close()
    upgraded, created = schema_shape(v1_copy), schema_shape(fresh)
    assert upgraded.keys() == created.keys()
    for table in created:
        assert upgraded[table] == created[table], table


def test_fresh_schema_matches_models(ledger):
    """A model change without a migration step (and a SCHEMA_VERSION bump) fails here; a new
    server database has the same tables and columns (and its own two: the schema version and
    the change log)."""
    if ledger.is_server:
        rows = sql_rows(ledger, "SELECT table_name, column_name FROM information_schema.columns"
                                " WHERE table_schema = current_schema()")
        shape: dict[str, set[str]] = {}
        for table, column in rows:
            shape.setdefault(table, set()).add(column)
        assert set(shape) - set(Base.metadata.tables) == {"zhibu_meta", "zhibu_change_log"}
        del shape["zhibu_meta"], shape["zhibu_change_log"]
    else:
        ledger.close()
        shape = {t: {c[0] for c in v["columns"]} for t, v in schema_shape(ledger.path).items()}
    expected = {t.name: {c.name for c in t.columns} for t in Base.metadata.sorted_tables}
    assert set(shape) == set(expected)
    for table, columns in expected.items():
        assert shape[table] == columns, table


@pytest.mark.file_only(reason="the frozen schema-1 SQL run on SQLite")
def test_frozen_v1_schema_is_v2_minus_the_v2_additions(tmp_path):
    v1 = tmp_path / "v1.db"
    with closing(sqlite3.connect(v1)) as db:
        for statement in migrations.schema_sql(1).split(";"):
            if statement.strip():
                db.execute(statement)
    fresh = tmp_path / "fresh.zhibu"
    Ledger.open(fresh, create=True).close()
    a, b = schema_shape(v1), schema_shape(fresh)
    assert set(b) - set(a) == V2_TABLES | V3_TABLES | V4_TABLES and set(a) <= set(b)
    for table in a:
        if table == "member":
            assert {c[0] for c in b[table]["columns"]} - {c[0] for c in a[table]["columns"]} == {"job_title"}
        elif table == "branch":
            assert {c[0] for c in b[table]["columns"]} - {c[0] for c in a[table]["columns"]} == set(V3_BRANCH_COLUMNS)
        else:
            assert a[table] == b[table], table


@pytest.mark.file_only(reason="a file's upgrade with its verified backup file (the server's: tests/server/test_server_upgrade.py)")
def test_failure_mid_upgrade_leaves_file_unchanged(v1_copy, tmp_path, monkeypatch):
    original = steps.STEPS[1]

    def half_then_fail(db):
        original(db)  # tables created, column added …
        db.execute("UPDATE member SET job_title = '半途'")
        raise sqlite3.OperationalError("simulated failure in the middle of the upgrade")

    monkeypatch.setitem(steps.STEPS, 1, half_then_fail)
    before = sha256(v1_copy)
    with pytest.raises(errors.LedgerFileError) as info:
        Ledger.open(v1_copy, backup_dir=tmp_path / "b")
    assert "升级" in info.value.message and "原样" in info.value.message
    assert sha256(v1_copy) == before
    assert folder_listing(v1_copy.parent) == [v1_copy.name]  # no journal left behind
    monkeypatch.setitem(steps.STEPS, 1, original)  # and the file still upgrades afterwards
    with Ledger.open(v1_copy, backup_dir=tmp_path / "b") as ledger:
        assert ledger.upgraded_from == 1


@pytest.mark.file_only(reason="a file's upgrade with its verified backup file (the server's: tests/server/test_server_upgrade.py)")
def test_backup_failure_stops_upgrade(v1_copy, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    before = sha256(v1_copy)
    with pytest.raises(errors.LedgerFileError) as info:
        Ledger.open(v1_copy, backup_dir=blocker)
    assert "备份" in info.value.message and "未进行升级" in info.value.message
    assert sha256(v1_copy) == before
    assert folder_listing(v1_copy.parent) == [v1_copy.name]


@pytest.mark.file_only(reason="the backup file copy")
def test_interrupted_copy_leaves_destination_alone(tmp_path):
    from desktop.store.sqlcopy import copy_database

    dest = tmp_path / "copy.zhibu"
    dest.write_bytes(b"previous copy")

    class Interrupted:
        in_transaction = False

        def backup(self, target):
            target.execute("CREATE TABLE t (x)")
            raise sqlite3.OperationalError("database or disk is full")

    with pytest.raises(sqlite3.OperationalError):
        copy_database(Interrupted(), dest)
    assert dest.read_bytes() == b"previous copy"
    assert folder_listing(tmp_path) == ["copy.zhibu"]  # temp file and its journal removed
    with closing(sqlite3.connect(":memory:")) as src:
        src.execute("CREATE TABLE t (x)")
        src.execute("INSERT INTO t VALUES ('完整')")
        with pytest.raises(RuntimeError):  # never from inside an open transaction (would spin)
            copy_database(src, dest)
        src.commit()
        copy_database(src, dest)
    assert pragma(dest, "integrity_check") == "ok"
    assert folder_listing(tmp_path) == ["copy.zhibu"]


@pytest.mark.file_only(reason="released file fixtures")
def test_every_released_version_has_a_fixture_and_a_step():
    for version in range(1, SCHEMA_VERSION):
        assert version in steps.STEPS
        assert (LEDGER_V1.parent / f"ledger_v{version}.zhibu").exists()


@pytest.mark.file_only(reason="a read-only file")
def test_read_only_old_file_is_not_upgraded(v1_copy, tmp_path, monkeypatch):
    """A v1 file SQLite can only read (mode=ro, as for a read-only file or share): the upgrade's
    first write fails, the message says why, and the file stays as it was."""
    from desktop.store import ledger as ledger_module

    real = ledger_module._make_engine
    monkeypatch.setattr(ledger_module, "_make_engine", lambda p: real(Path(f"file:{p}?mode=ro&uri=true")))
    before = sha256(v1_copy)
    with pytest.raises(errors.ReadOnlyFile) as info:
        Ledger.open(v1_copy, backup_dir=tmp_path / "b")
    assert "升级" in info.value.message and "只读" in info.value.message and "原样" in info.value.message
    assert sha256(v1_copy) == before
    assert folder_listing(v1_copy.parent) == [v1_copy.name]


@pytest.mark.file_only(reason="a read-only file")
def test_read_only_permission_is_told_before_any_backup(v1_copy, tmp_path, monkeypatch):
    import os

    monkeypatch.setattr(os, "access", lambda path, mode: mode != os.W_OK)
    with pytest.raises(errors.ReadOnlyFile) as info:
        Ledger.open(v1_copy, backup_dir=tmp_path / "b")
    assert "需要从第 1 版升级" in info.value.message
    assert not (tmp_path / "b").exists()


@pytest.mark.file_only(reason="released file fixtures")
@pytest.mark.parametrize("version", [2, 3])
def test_released_fixtures_are_what_their_generator_makes(tmp_path, version):
    """tests/fixtures/make_released.py rebuilds ledger_v2/v3 from the v1 fixture with the frozen
    steps: the same schema, user_version and rows as the committed files."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_released", ROOT / "tests" / "fixtures" / "make_released.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    base = None
    for v in range(2, version + 1):
        out = tmp_path / f"v{v}.zhibu"
        gen.make(v, out, base)
        base = out

    def content(path):
        with closing(sqlite3.connect(path)) as db:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
            return (db.execute("PRAGMA user_version").fetchone()[0],
                    sorted(r for r in db.execute("SELECT type, name, sql FROM sqlite_master") if r[1]),
                    {t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables})

    assert content(base) == content(gen.fixture_path(version))
