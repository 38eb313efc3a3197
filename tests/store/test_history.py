"""Change history: every write records old/new per field with its copy and version (both back
ends: a file's writes go under its current copy, a server's under the database user's own copy);
plain file copies get their own copy id at their first write; dump/load carries the history;
schema 3 files upgrade to it."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from datetime import date

import pytest
from backends import sql_rows

from desktop.services.files import DumpInvalid, dump_ledger, load_ledger, save_copy
from desktop.store import models as M
from desktop.store.history import CopyOrigin
from desktop.store.ledger import Ledger
from desktop.store.opening import open_ledger

from .util import FIXTURES, table_rows


def _changes(path, rid):
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        return db.execute(
            'SELECT c.field, c."old", c."new", c.version, s.copy_id FROM change c JOIN change_set s ON s.id = c.set_id '
            "WHERE c.record_id = ? ORDER BY s.id, c.field",
            (rid,),
        ).fetchall()


def _current(path):
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        return db.execute("SELECT id, origin, parent_id FROM ledger_copy WHERE current = 1").fetchall()


def _ledger_changes(led, rid):
    return sql_rows(led, 'SELECT c.field, c."old", c."new", c.version, s.copy_id FROM change c JOIN change_set s'
                         " ON s.id = c.set_id WHERE c.record_id = :rid ORDER BY s.id, c.field", rid=rid)


def _writer_copy(led) -> tuple[str, str]:
    """(id, origin) of the copy this program's writes go under: the file's current copy; on a
    server, the database user's own copy."""
    if led.is_server:
        where, params = "place = :place", {"place": led.user_place}
    else:
        where, params = "current = TRUE", {}
    [row] = sql_rows(led, f"SELECT id, origin FROM ledger_copy WHERE {where}", **params)
    return row


def test_every_write_records_fields_copy_and_version(ledger):
    led = ledger
    with led.write() as s:
        c = M.Committee(name="机关党委")
        b = M.Branch(committee=c, name="一支部")
        s.add_all([c, b])
        s.flush()
        m = M.Member(name="张三", branch_id=b.id, join_date=date(2000, 1, 1))
        s.add(m)
    with led.write() as s:
        m = s.get(M.Member, m.id)
        m.name, m.join_date, m.is_deleted  # noqa: B018
        m.name = "张三丰"
        m.join_date = date(2001, 2, 3)
        s.flush()
        m.name = "张三峰"  # two flushes, one transaction: one row, first old and last new
    with led.write() as s:
        s.get(M.Member, m.id).tombstone()
    with led.write() as s:
        s.get(M.Member, m.id).phone = ""  # unchanged value: nothing recorded
    copy, origin = _writer_copy(led)
    assert origin == (CopyOrigin.SERVER_USER if led.is_server else CopyOrigin.CREATED)
    got = _ledger_changes(led, m.id)
    assert got[0] == ("+", None, None, 1, copy)
    assert got[1:3] == [("join_date", "2000-01-01", "2001-02-03", 2, copy), ("name", "张三", "张三峰", 3, copy)]
    assert got[3][0] == "deleted_at" and got[3][1] is None and got[3][2].startswith("20") and got[3][3] == 4
    assert len(got) == 4


@pytest.mark.file_only(reason="a byte copy of the file and 另存副本 (a server has one place)")
def test_plain_file_copy_gets_its_own_copy_id_at_first_write(tmp_path):
    a = tmp_path / "a.zhibu"
    with Ledger.open(a, create=True) as led, led.write() as s:
        s.add(M.Committee(name="机关党委"))
    b = tmp_path / "usb" / "a.zhibu"
    b.parent.mkdir()
    shutil.copyfile(a, b)
    assert _current(a) == _current(b)  # a byte copy: same until written
    with Ledger.open(b) as led, led.write() as s:
        s.add(M.Committee(name="另一个"))
    [(new_id, origin, parent)] = _current(b)
    assert origin == "复制文件" and parent == _current(a)[0][0] and new_id != parent
    with Ledger.open(a) as led, led.write() as s:  # the original, in its place, keeps its id
        s.add(M.Committee(name="原处"))
    assert _current(a)[0][0] == parent
    with Ledger.open(a) as led:
        saved = save_copy(led, tmp_path / "副本.zhibu")
    [(saved_id, origin, parent)] = _current(saved)
    assert origin == "另存副本" and parent == _current(a)[0][0]


def test_dump_and_load_carry_the_history(ledger, new_target, tmp_path):
    led = ledger
    with led.write() as s:
        c = M.Committee(name="机关党委")
        s.add(c)
    with led.write() as s:
        s.get(M.Committee, c.id).unit_name = "某某局"
    text = dump_ledger(led)
    data = json.loads(text)
    assert [r["field"] for r in data["tables"]["change"]] == ["+", "unit_name"]
    copy = new_target()
    load_ledger(text, copy)
    assert dump_ledger(copy) == text
    everything = 'SELECT * FROM change ORDER BY record_id, set_id, field'
    with open_ledger(copy) as loaded:
        assert sql_rows(loaded, everything) == sql_rows(led, everything)
        [(original, _origin)] = sql_rows(led, "SELECT id, origin FROM ledger_copy WHERE current = TRUE")
        with loaded.write() as s:  # a loaded dump is a copy in a new place
            s.add(M.Committee(name="载入后"))
        [(new_id, origin, parent)] = sql_rows(loaded, "SELECT id, origin, parent_id FROM ledger_copy WHERE current = TRUE")
        if not loaded.is_server:  # the file's writes go under a new current copy, child of the dumped one
            assert origin == "复制文件" and parent == original and new_id != parent
        else:  # a server keeps the loaded current copy; its writes go under the user's copy
            assert new_id == original and len(sql_rows(loaded, "SELECT id FROM change_set")) == 3
    bad = json.loads(text)
    bad["tables"]["change"][1]["field"] = "nonexistent"
    for row in bad["tables"]["ledger_copy"]:
        row["current"] = False
    with pytest.raises(DumpInvalid) as info:
        load_ledger(bad, tmp_path / "c.zhibu")
    assert any("$.tables.change[1].field: 表 committee 没有字段 nonexistent" in e for e in info.value.errors)
    assert any(e.startswith("$.tables.ledger_copy: 应有且只有一条") for e in info.value.errors)


@pytest.mark.file_only(reason="the schema-3 fixture file's upgrade (a server's upgrade: tests/server/test_server_upgrade.py)")
def test_schema_3_file_upgrades_and_starts_recording(tmp_path):
    path = tmp_path / "v3.zhibu"
    shutil.copyfile(FIXTURES / "ledger_v3.zhibu", path)
    before = table_rows(path)
    with Ledger.open(path, backup_dir=tmp_path / "b") as led:
        assert led.upgraded_from == 3
        with led.write() as s:
            member = s.query(M.Member).filter(M.Member.job_title == "科长").one()
            member.job_title, member_id = "处长", member.id
    after = table_rows(path)
    for table, rows in before.items():
        if table != "member":
            assert after[table] == rows, table
    [(_copy, origin, _p)] = _current(path)
    assert origin == "开始记录"
    assert [c[:3] for c in _changes(path, member_id)] == [("job_title", "科长", "处长")]
