"""``zhibu push FILE URL`` and ``zhibu pull URL FILE --branch B`` through the real command line."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop.domain.enums import MeetingKind
from desktop.services import meetings as svc
from desktop.services.members import list_members
from desktop.services.record_history import record_history
from desktop.store.opening import open_ledger

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # nine command-line processes


def zhibu(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True, text=True, cwd=ROOT)


def _build(path: Path) -> dict:
    from desktop.services.members import MemberInput, save_member
    from desktop.services.organization import BranchInput, save_branch, save_committee

    with open_ledger(path, create=True) as led:
        save_committee(led, "某某局机关党委", "某某局")
        b1 = save_branch(led, BranchInput("第一党支部", has_committee=True))
        b2 = save_branch(led, BranchInput("第二党支部", has_committee=True))
        for name, b in (("张建国", b1), ("李秀英", b1), ("陈志强", b2)):
            save_member(led, MemberInput(name=name, gender="男", branch_id=b, birth_date="1970-01-01",
                                         join_date="1995-07-01", full_date="1996-07-01", category="正式党员"),
                        today=date(2026, 6, 1))
        ids = {}
        for key, b in (("m1", b1), ("m2", b2)):
            inp = svc.new_meeting(led, b, MeetingKind.COMMITTEE, date(2026, 3, 10))
            inp.content = f"{key} 原稿"
            ids[key] = svc.save_meeting(led, inp)
        inp = svc.get_meeting(led, ids["m1"]).to_input()
        inp.content = "m1 修改后"
        svc.save_meeting(led, inp)
    return ids


def test_push_then_pull_one_branch(tmp_path, pg_cluster):
    file = tmp_path / "一支部.zhibu"
    ids = _build(file)
    pg_cluster.execute("CREATE DATABASE pushed")
    url = pg_cluster.url("pushed")
    try:
        done = zhibu("push", str(file), url)
        assert done.returncode == 0, done.stderr
        assert zhibu("dump", url).stdout == zhibu("dump", str(file)).stdout  # everything, history included
        before = zhibu("dump", url).stdout
        again = zhibu("push", str(file), url)  # a ledger there: a merge, and this one has nothing new
        assert again.returncode == 0 and "新增 0 条记录，修改 0 处，删除 0 条，冲突 0 处" in again.stdout, again.stderr
        assert zhibu("dump", url).stdout == before
        out = tmp_path / "取出.zhibu"
        pulled = zhibu("pull", url, str(out), "--branch", "第一党支部")
        assert pulled.returncode == 0, pulled.stderr
        assert zhibu("check", str(out)).returncode == 0
        with open_ledger(out) as led:
            assert {r.id for r in svc.list_meetings(led)} == {ids["m1"]}
            assert sorted(m.name for m in list_members(led)) == ["张建国", "李秀英"]
            assert any(h.new == "m1 修改后" for h in record_history(led, ids["m1"]))
        refused = zhibu("pull", url, str(out), "--branch", "第一党支部")
        assert refused.returncode == 2 and "已存在" in refused.stderr
        unknown = zhibu("pull", url, str(tmp_path / "x.zhibu"), "--branch", "第九党支部")
        assert unknown.returncode == 2 and "没有名为“第九党支部”的党支部" in unknown.stderr
        assert not (tmp_path / "x.zhibu").exists()
    finally:
        pg_cluster.execute("DROP DATABASE IF EXISTS pushed WITH (FORCE)")


# ------------------------------------------------------------------ push into a ledger: a merge
@pytest.fixture
def served(tmp_path, pg_cluster):
    """A file ledger (two branches) pushed into a fresh database; (file, url, ids)."""
    from desktop.services.server_transfer import push

    file = tmp_path / "党委.zhibu"
    ids = _build(file)
    name = f"push{next(_DBS)}"
    pg_cluster.execute(f"CREATE DATABASE {name}")
    url = pg_cluster.url(name)
    push(file, url)
    yield file, url, ids
    pg_cluster.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


_DBS = iter(range(1, 10_000))


def _member_id(led, name: str) -> str:
    return next(m.id for m in list_members(led) if m.name == name)


def _set(led, model, rid: str, **values) -> None:
    with led.write() as s:
        obj = s.get(model, rid)
        for k, v in values.items():
            setattr(obj, k, v)


def _content(led, mid: str) -> str:
    return svc.get_meeting(led, mid).content


def _carry(tmp_path: Path, url: str) -> Path:
    """第一党支部 pulled from the server as a file to carry (``zhibu pull``)."""
    carry = tmp_path / "带走.zhibu"
    assert zhibu("pull", url, str(carry), "--branch", "第一党支部").returncode == 0
    return carry


def _edit_meeting(led, mid: str, content: str) -> None:
    inp = svc.get_meeting(led, mid).to_input()
    inp.content = content
    svc.save_meeting(led, inp)


def _server_dump(url: str) -> str:
    from desktop.services.dumpload import dump_ledger

    return dump_ledger(url)


def test_carried_branch_file_merges_back(tmp_path, served):
    """push A, pull 第一党支部, edit the file (a new meeting, a member) while the server changes
    another branch's meeting and another record of 第一党支部; push back: both sides' changes,
    history names who changed what, versions consistent, `zhibu check` clean."""
    from desktop.store.models import Member

    _file, url, ids = served
    carry = _carry(tmp_path, url)
    with open_ledger(carry) as led:  # offline, on the secretary's laptop
        inp = svc.new_meeting(led, _branch(led, "第一党支部"), MeetingKind.COMMITTEE, date(2026, 4, 8))
        inp.content = "带出去开的会"
        new_mid = svc.save_meeting(led, inp)
        zhang = _member_id(led, "张建国")
        _set(led, Member, zhang, phone="13800000001")
    with open_ledger(url) as led:  # meanwhile on the server
        inp = svc.get_meeting(led, ids["m2"]).to_input()
        inp.content = "第二党支部在服务器上改的"
        svc.save_meeting(led, inp)
        li = _member_id(led, "李秀英")
        _set(led, Member, li, education="大学本科")
        server_user = led.user
    backups = tmp_path / "bk"
    done = zhibu("push", str(carry), url, "--backup-dir", str(backups))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "新增 " in done.stdout and "冲突 0 处" in done.stdout
    assert list((backups / "server").glob("*.merge.pgdump")), "pg_dump before writing"
    with open_ledger(url) as led:
        assert _content(led, new_mid) == "带出去开的会"
        assert _content(led, ids["m2"]) == "第二党支部在服务器上改的"
        with led.read() as s:
            z, li_row = s.get(Member, zhang), s.get(Member, li)
            assert z.phone == "13800000001" and li_row.education == "大学本科"
            assert z.version == 2 and li_row.version == 2
        phone = next(h for h in record_history(led, zhang) if h.new == "13800000001")
        edu = next(h for h in record_history(led, li) if h.new == "大学本科")
        assert "（" in phone.copy and "：带走.zhibu）" in phone.copy  # the laptop's file, by computer and name
        assert edu.copy == f"服务器用户 {server_user}"  # the server user, by name
        with led.read() as s:
            place = "SELECT k.place FROM change c JOIN change_set cs ON cs.id = c.set_id JOIN ledger_copy k ON k.id = cs.copy_id WHERE c.record_id = :r AND c.field = :f"
            assert s.execute(text(place), {"r": li, "f": "education"}).scalars().all() == [led.user_place]
            (laptop,) = s.execute(text(place), {"r": zhang, "f": "phone"}).scalars().all()
        assert carry.name in laptop and not laptop.startswith("server:")
    assert zhibu("check", url).returncode == 0
    again = zhibu("push", str(carry), url)  # the same file again: nothing left to do
    assert again.returncode == 0 and "新增 0 条记录，修改 0 处" in again.stdout


def _branch(led, name: str) -> str:
    from desktop.services.organization import list_branches

    return next(b.id for b in list_branches(led) if b.name == name)


def test_same_record_conflict_is_named_and_nothing_written(tmp_path, served):
    _file, url, ids = served
    carry = _carry(tmp_path, url)
    for where, content in ((carry, "文件里改的"), (url, "服务器上改的")):
        with open_ledger(where) as led:
            _edit_meeting(led, ids["m1"], content)
    before = _server_dump(url)
    refused = zhibu("push", str(carry), url)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "同一字段两边都修改了" in refused.stdout and "服务器 服务器上改的｜文件 文件里改的" in refused.stdout
    with open_ledger(url) as led:
        label = next(line for line in refused.stdout.splitlines() if line.startswith("[1]"))
        assert svc.get_meeting(led, ids["m1"]).title in label  # named by the record, not an id
    assert _server_dump(url) == before
    report = carry.with_name("合并报告.docx")
    taken = zhibu("push", str(carry), url, "--choose", "1=theirs", "--report", str(report))
    assert taken.returncode == 0, taken.stdout + taken.stderr
    from docx import Document

    doc = Document(str(report))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert any(c.startswith("服务器上的台账 postgresql://") for c in cells) and "已写入服务器" in "".join(cells)
    assert {"服务器", "文件", "采用文件"} <= set(cells)  # the conflict table names the sides
    with open_ledger(url) as led:
        assert _content(led, ids["m1"]) == "文件里改的"
        assert [r.id for r in svc.list_meetings(led, search="文件里改的")] == [ids["m1"]]  # re-indexed
        assert svc.list_meetings(led, search="服务器上改的") == []
        olds = [h.old for h in record_history(led, ids["m1"]) if h.new == "文件里改的"]
        assert olds  # the file's edit is in the server's history


def test_unrelated_ledger_refused_unless_combine(tmp_path, served):
    _file, url, _ids = served
    other = tmp_path / "别的党委.zhibu"
    _build(other)
    before = _server_dump(url)
    refused = zhibu("push", str(other), url)
    assert refused.returncode == 2 and "不是同一份台账的副本" in refused.stderr and "--combine" in refused.stderr
    assert _server_dump(url) == before


def test_failure_mid_write_leaves_server_untouched(tmp_path, served, monkeypatch):
    from desktop.services.merge import delta
    from desktop.services.merge.onserver import prepare_push

    _file, url, ids = served
    carry = _carry(tmp_path, url)
    with open_ledger(carry) as led:
        _edit_meeting(led, ids["m1"], "文件里改的")
        inp = svc.new_meeting(led, _branch(led, "第一党支部"), MeetingKind.COMMITTEE, date(2026, 4, 8))
        new_mid = svc.save_meeting(led, inp)
    before = _server_dump(url)
    real = delta._write_history

    def broken(pg, *a, **k):  # records are written by now; the history half-way
        real(pg, *a, **k)
        raise OSError("disk gone mid-apply")

    monkeypatch.setattr(delta, "_write_history", broken)
    with open_ledger(url) as led:
        session = prepare_push(carry, led, backup_dir=tmp_path / "bk")
        with pytest.raises(OSError, match="mid-apply"):
            session.finish()
        assert not session.work.exists()
    assert _server_dump(url) == before
    monkeypatch.setattr(delta, "_write_history", real)
    with open_ledger(url) as led:
        prepare_push(carry, led, backup_dir=tmp_path / "bk").finish()
        assert _content(led, ids["m1"]) == "文件里改的" and svc.get_meeting(led, new_mid)


def test_server_changed_during_push_is_planned_again(tmp_path, served, monkeypatch):
    """Another program saves the member the push changes between the snapshot and the write:
    the versioned update refuses, the merge is planned again and both edits survive."""
    from desktop.services.merge import onserver
    from desktop.services.merge.onserver import prepare_push
    from desktop.store.models import Member

    _file, url, _ids = served
    carry = _carry(tmp_path, url)
    with open_ledger(carry) as led:
        zhang = _member_id(led, "张建国")
        _set(led, Member, zhang, phone="13800000001")
    real = onserver.write
    calls = []

    def meanwhile(ledger, *a, **k):
        if not calls:
            with open_ledger(url) as other:
                _set(other, Member, zhang, education="研究生")
        calls.append(1)
        return real(ledger, *a, **k)

    monkeypatch.setattr(onserver, "write", meanwhile)
    with open_ledger(url) as led:
        session = prepare_push(carry, led, backup_dir=tmp_path / "bk")
        session.finish()
        assert session.rounds == 2 and len(calls) == 2
        with led.read() as s:
            z = s.get(Member, zhang)
            assert (z.phone, z.education, z.version) == ("13800000001", "研究生", 3)


def test_server_writes_after_push(served):
    """A pushed ledger's change sets keep their ids: the server's sequence must go past them
    (the first save after a push failed on pk_change_set)."""
    _file, url, ids = served
    with open_ledger(url) as led:
        inp = svc.get_meeting(led, ids["m2"]).to_input()
        inp.content = "推送后第一次保存"
        svc.save_meeting(led, inp)
        assert _content(led, ids["m2"]) == "推送后第一次保存"


def test_secretary_pushes_own_branch_and_is_refused_elsewhere(tmp_path, served):
    """A branch secretary (zhibu roles) brings the carried file back as their own login; a change
    to a record that is not theirs is refused by the server, nothing written."""
    from desktop.services.server_roles import setup_roles
    from desktop.store.models import Committee

    _file, url, ids = served
    with open_ledger(url) as owner:
        setup_roles(owner, ["office"], [("sec1", "第一党支部")])
    sec = url.replace("zhibu@", "sec1@", 1)
    carry = tmp_path / "带走.zhibu"
    assert zhibu("pull", sec, str(carry), "--branch", "第一党支部").returncode == 0
    with open_ledger(carry) as led:
        inp = svc.get_meeting(led, ids["m1"]).to_input()
        inp.content = "书记带出去改的"
        svc.save_meeting(led, inp)
    done = zhibu("push", str(carry), sec, "--backup-dir", str(tmp_path / "bk"))
    assert done.returncode == 0, done.stdout + done.stderr
    with open_ledger(url) as led:
        assert _content(led, ids["m1"]) == "书记带出去改的"
    with open_ledger(carry) as led, led.write() as s:
        s.query(Committee).one().name = "书记改了党委名称"
    before = _server_dump(url)
    refused = zhibu("push", str(carry), sec, "--backup-dir", str(tmp_path / "bk"))
    assert refused.returncode == 2 and "您没有修改党委“书记改了党委名称”的权限" in refused.stderr, refused.stderr
    # why, for this login (a committee-wide record), not the generic advice of a secretary's refused write
    assert "全委共用的记录" in refused.stderr and "每个支部的书记只能修改本支部" not in refused.stderr
    assert _server_dump(url) == before


def test_a_server_dump_without_a_current_copy_gets_one():
    """Servers made before they had a copy of their own: each user a copy, none current. A pulled
    file is a new 另存副本 made from the user's copy; a merge's snapshot is the user's copy (made
    when that user never wrote, and then named as missing on the server). A user's copy is the one
    on THIS database: the same login's copy on another database (loaded from it) is not."""
    from desktop.services.server_transfer import with_current_copy
    from desktop.store.history import server_place

    here, there = "11111111-2222-3333-4444-555555555555", "66666666-7777-8888-9999-000000000000"

    def dump(*places):
        return {"tables": {"ledger_copy": [{"id": p, "made_at": "2026-01-01T00:00:00Z", "origin": "服务器用户",
                                            "parent_id": None, "place": p if ":" in p else f"server:{p}",
                                            "current": False} for p in places]}}  # fmt: skip

    data, missing = with_current_copy(dump("wang", "li"), "server:li")
    new = data["tables"]["ledger_copy"][-1]
    assert missing is None and (new["origin"], new["parent_id"], new["place"], new["current"]) == ("另存副本", "li", "", True)
    data, missing = with_current_copy(dump("wang", "li"), "server:li", snapshot=True)
    assert missing is None and [c["current"] for c in data["tables"]["ledger_copy"]] == [False, True]
    data, missing = with_current_copy(dump("wang"), "server:li", snapshot=True)
    new = data["tables"]["ledger_copy"][-1]
    assert missing == new["id"] and (new["place"], new["current"]) == ("server:li", True)
    mine, theirs = server_place(here, "li", "服务器 A 的数据库 a"), server_place(there, "li", "服务器 B 的数据库 b")
    data, missing = with_current_copy(dump(theirs, mine), server_place(here, "li", "服务器 A2 的数据库 a"), snapshot=True)
    assert missing is None and [c["current"] for c in data["tables"]["ledger_copy"]] == [False, True]
    data, missing = with_current_copy(dump(theirs), mine, snapshot=True)  # li never wrote on this database
    new = data["tables"]["ledger_copy"][-1]
    assert missing == new["id"] and (new["place"], new["current"]) == (mine, True)
    current = dump("wang")
    current["tables"]["ledger_copy"][0]["current"] = True
    assert with_current_copy(current, "server:li") == (current, None)  # a server with its own current copy


def test_push_help_says_what_it_does_with_a_ledger_there():
    shown = zhibu("push", "--help").stdout
    for words in ("已有台账的数据库：把文件合并进去", "--choose", "--accept-defaults", "--combine", "pg_dump", "退出码"):
        assert words in shown
    assert "zhibu push" in zhibu("pull", "--help").stdout  # how the carried file comes back


def test_unrelated_branch_file_combined_into_the_committee(tmp_path, served):
    """A branch that kept its own file from the start joins the server's committee with --combine:
    its branch points at the server's 机关党委, its own committee is kept only as a deleted record."""
    from desktop.services.members import MemberInput, save_member
    from desktop.services.organization import BranchInput, list_branches, save_branch, save_committee

    _file, url, _ids = served
    own = tmp_path / "第三党支部.zhibu"
    with open_ledger(own, create=True) as led:
        save_committee(led, "第三党支部自建的党委", "某某局")
        b3 = save_branch(led, BranchInput("第三党支部"))
        save_member(led, MemberInput(name="赵红梅", gender="女", branch_id=b3, birth_date="1980-02-02",
                                     join_date="2005-07-01", full_date="2006-07-01", category="正式党员"),
                    today=date(2026, 6, 1))  # fmt: skip
    done = zhibu("push", str(own), url, "--combine", "--backup-dir", str(tmp_path / "bk"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "合并方式：两个支部台账合成党委台账" in done.stdout
    with open_ledger(url) as led:
        assert {b.name for b in list_branches(led)} == {"第一党支部", "第二党支部", "第三党支部"}
        assert "赵红梅" in {m.name for m in list_members(led)}
        with led.read() as s:
            live = s.execute(text("SELECT name FROM committee WHERE deleted_at IS NULL")).scalars().all()
            parents = set(s.execute(text("SELECT DISTINCT committee_id FROM branch")).scalars())
            ours = s.execute(text("SELECT id FROM committee WHERE deleted_at IS NULL")).scalar_one()
        assert live == ["某某局机关党委"] and parents == {ours}
    assert zhibu("check", url).returncode == 0


def test_a_new_conflict_found_when_planned_again_stops_the_push(tmp_path, served, monkeypatch):
    """The server changes the same field between the snapshot and the write: planned again, the
    conflict is new and undecided — nothing is written, the user is asked to merge again."""
    from desktop.services.merge import MergeRefused, onserver
    from desktop.services.merge.onserver import prepare_push
    from desktop.store.models import Member

    _file, url, _ids = served
    carry = _carry(tmp_path, url)
    with open_ledger(carry) as led:
        zhang = _member_id(led, "张建国")
        _set(led, Member, zhang, phone="13800000001")
    real = onserver.write

    def meanwhile(ledger, *a, **k):
        with open_ledger(url) as other:
            with other.read() as s:
                saved = s.get(Member, zhang).phone == "13900000009"
            if not saved:  # once: the first write attempt
                _set(other, Member, zhang, phone="13900000009")
        return real(ledger, *a, **k)

    monkeypatch.setattr(onserver, "write", meanwhile)
    with open_ledger(url) as led:
        session = prepare_push(carry, led, backup_dir=tmp_path / "bk")
        assert session.conflicts == []
        before = _server_dump(url)  # after the snapshot, before the other program's save
        with pytest.raises(MergeRefused, match="出现了新的冲突（同一字段两边都修改了：党员“张建国”）"):
            session.finish()
        with led.read() as s:
            assert s.get(Member, zhang).phone == "13900000009"  # theirs, untouched by the push
    assert _server_dump(url) != before and "13800000001" not in _server_dump(url)


def test_history_names_who_made_a_change():
    from desktop.services.record_history import copy_label
    from desktop.store.history import server_place

    assert copy_label("c" * 36, "服务器用户", "server:wangfang") == "服务器用户 wangfang"  # an older database
    db, other = "11111111-2222-3333-4444-555555555555", "66666666-7777-8888-9999-000000000000"
    place = server_place(db, "wang:fang", "服务器 192.168.1.20 的数据库 jiguan")
    assert copy_label("c" * 36, "服务器用户", place, db) == "服务器用户 wang:fang"  # this database's login
    assert copy_label("c" * 36, "服务器用户", place, other) == copy_label("c" * 36, "服务器用户", place) == (
        "服务器用户 wang:fang（服务器 192.168.1.20 的数据库 jiguan）")  # another database's, or seen in a file
    assert copy_label("3f2a1b2c-0000", "复制文件", r"办公室-PC|C:\Users\li\U盘\带走.zhibu|42") == "复制文件 3f2a1b2c（办公室-PC：带走.zhibu）"
    assert copy_label("3f2a1b2c-0000", "合并", "push:wangfang") == "合并 3f2a1b2c（wangfang 合并到服务器）"
    assert copy_label("3f2a1b2c-0000", "另存副本", "") == "另存副本 3f2a1b2c"


def test_an_editor_behind_a_merge_is_told_who_merged(tmp_path, served):
    """A decided conflict moves the record past the version an editor on the server had open; its
    save is refused naming the login that merged (was 「另一台电脑（push:…）」, the copy's raw place)."""
    from desktop.domain.errors import RecordConflict
    from desktop.services.merge.onserver import prepare_push

    _file, url, ids = served
    carry = _carry(tmp_path, url)
    with open_ledger(carry) as led:
        _edit_meeting(led, ids["m1"], "文件里改的")
    with open_ledger(url) as led:
        _edit_meeting(led, ids["m1"], "服务器上改的")
        stale = svc.get_meeting(led, ids["m1"]).to_input()  # an editor open on the server's version
        session = prepare_push(carry, led, backup_dir=tmp_path / "bk")
        (conflict,) = session.conflicts
        session.decide(conflict.key, "theirs")
        session.finish()
        stale.content = "编辑器里的"
        with pytest.raises(RecordConflict) as caught:
            svc.save_meeting(led, stale)
        assert caught.value.who == f"{led.user}（合并到服务器）"
        assert "push:" not in caught.value.message and "另一台电脑" not in caught.value.message
        assert _content(led, ids["m1"]) == "文件里改的"
