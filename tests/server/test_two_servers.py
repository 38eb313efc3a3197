"""One ledger on TWO server databases: server 1's dump loaded into server 2 (``zhibu dump URL1 |
zhibu load - URL2``). The same login writing on each must be two copies in the history (each
database is a copy of its own, as a copied file is), so a merge of the two finds the conflict and
says which database made which change."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop.domain.enums import MeetingKind
from desktop.services import meetings as svc
from desktop.services.record_history import record_history
from desktop.store.opening import open_ledger
from desktop.store.target import parts_of

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # command-line processes

PLACE_OF_EDIT = (
    "SELECT k.id, k.place FROM change c JOIN change_set s ON s.id = c.set_id"
    " JOIN ledger_copy k ON k.id = s.copy_id WHERE c.record_id = :r AND c.field = 'content' AND c.new = :v"
    " AND k.place LIKE 'server:%'"  # not the merge's own set (合并) that took it
)


def zhibu(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True, text=True, cwd=ROOT,
                          input=stdin)  # fmt: skip


def _edit(url: str, mid: str, content: str) -> tuple[str, str]:
    """Change the meeting's content on ``url``; the (copy id, place) the history wrote it under."""
    with open_ledger(url) as led:
        inp = svc.get_meeting(led, mid).to_input()
        inp.content = content
        svc.save_meeting(led, inp)
        with led.read() as s:
            return s.execute(text(PLACE_OF_EDIT), {"r": mid, "v": content}).one()._tuple()


@pytest.fixture
def two_servers(tmp_path, pg_new_database):
    """A ledger with one meeting on server 1, its dump loaded into server 2: (url1, url2, meeting id)."""
    url1, url2 = pg_new_database(), pg_new_database()
    with open_ledger(url1, create=True) as led:
        from desktop.services.organization import BranchInput, save_branch, save_committee

        save_committee(led, "某某局机关党委", "某某局")
        branch = save_branch(led, BranchInput("第一党支部", has_committee=True))
        inp = svc.new_meeting(led, branch, MeetingKind.COMMITTEE, date(2026, 3, 10))
        inp.content = "原稿"
        mid = svc.save_meeting(led, inp)
    dumped = zhibu("dump", url1)
    assert dumped.returncode == 0, dumped.stderr
    loaded = zhibu("load", "-", url2, stdin=dumped.stdout)
    assert loaded.returncode == 0, loaded.stderr
    return url1, url2, mid


def test_same_login_on_two_servers_is_two_copies_and_a_merge_conflicts(tmp_path, two_servers):
    url1, url2, mid = two_servers
    copy1, place1 = _edit(url1, mid, "一号服务器改的")
    copy2, place2 = _edit(url2, mid, "二号服务器改的")
    assert copy1 != copy2, "the same login on two databases wrote under one copy id"
    assert place1 != place2 and place1.startswith("server:") and place2.startswith("server:")

    carry = tmp_path / "二号.zhibu"  # server 2's ledger as a file, brought to server 1
    pulled = zhibu("pull", url2, str(carry), "--branch", "第一党支部")
    assert pulled.returncode == 0, pulled.stderr
    refused = zhibu("push", str(carry), url1)
    assert refused.returncode == 1, refused.stdout + refused.stderr  # a decision is needed: nothing written
    assert "同一字段两边都修改了" in refused.stdout
    assert "服务器 一号服务器改的｜文件 二号服务器改的" in refused.stdout
    with open_ledger(url1) as led:
        assert svc.get_meeting(led, mid).content == "一号服务器改的"

    taken = zhibu("push", str(carry), url1, "--choose", "1=theirs")
    assert taken.returncode == 0, taken.stdout + taken.stderr
    with open_ledger(url1) as led:
        assert svc.get_meeting(led, mid).content == "二号服务器改的"
        with led.read() as s:  # both edits kept, each under its own database's copy
            assert s.execute(text(PLACE_OF_EDIT), {"r": mid, "v": "一号服务器改的"}).one()._tuple() == (copy1, place1)
            assert s.execute(text(PLACE_OF_EDIT), {"r": mid, "v": "二号服务器改的"}).one()._tuple() == (copy2, place2)
        shown = {h.new: h.copy for h in record_history(led, mid) if h.copy.startswith("服务器用户")}
        user = led.user
    # 修改历史 tells the two databases apart: server 2's edit names its database
    assert shown["一号服务器改的"] == f"服务器用户 {user}", shown
    assert shown["二号服务器改的"] == f"服务器用户 {user}（服务器 本机 的数据库 {parts_of(url2)['dbname']}）", shown
    assert zhibu("check", url1).returncode == 0


def _meta(url: str) -> dict:
    with open_ledger(url) as led, led.read() as s:
        return dict(s.execute(text("SELECT key, value FROM zhibu_meta WHERE key LIKE 'database%'")).all())


def test_a_cloned_database_gets_an_id_of_its_own(two_servers, pg_cluster):
    """``createdb -T`` (or pg_restore elsewhere) copies zhibu_meta too: the clone's OID differs, so
    its first opening gives it a new id and its logins new copies; the original keeps its id."""
    url1, _url2, mid = two_servers
    first = _meta(url1)
    copy1, _ = _edit(url1, mid, "克隆之前")
    source = parts_of(url1)["dbname"]
    name = f"clone_of_{source}"
    pg_cluster.execute(f"CREATE DATABASE {name} TEMPLATE {source}")
    try:
        clone = pg_cluster.url(name)
        with open_ledger(clone) as led:
            assert led.database_id not in (None, first["database_id"])
        copy_c, place_c = _edit(clone, mid, "克隆里改的")
        assert copy_c != copy1 and name in place_c
        assert _meta(url1) == first and _edit(url1, mid, "原库又改")[0] == copy1
    finally:
        pg_cluster.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_an_older_database_gets_its_id_from_the_owner(two_servers):
    """A database from before (no id; the login's copy ``server:<user>``): a branch secretary (who
    may not add to zhibu_meta) keeps writing under the older copy; the owner's next opening gives
    the database its id, and the owner's writes go to a copy of this database made from the older one."""
    from desktop.services.server_roles import setup_roles

    url, _url2, mid = two_servers
    owner_copy, _ = _edit(url, mid, "升级之前")
    with open_ledger(url) as led:
        owner = led.user
        setup_roles(led, ["office"], [("sec1", "第一党支部")])
        with led.write() as s:  # as an older program left it
            s.execute(text("DELETE FROM zhibu_meta WHERE key LIKE 'database%'"))
            s.execute(text("UPDATE ledger_copy SET place = :p WHERE id = :i"), {"p": f"server:{owner}", "i": owner_copy})
    sec = url.replace(f"{owner}@", "sec1@", 1)
    with open_ledger(sec) as led:
        assert led.database_id is None
    sec_copy, sec_place = _edit(sec, mid, "书记改的")
    assert sec_place == "server:sec1"
    assert _edit(sec, mid, "书记又改")[0] == sec_copy
    assert _meta(sec) == {}  # still none: the secretary could not add it (read as the secretary)
    with open_ledger(url) as led:
        assert led.database_id
    new_copy, new_place = _edit(url, mid, "升级之后")
    assert new_copy != owner_copy and new_place.startswith(f"server:{_meta(url)['database_id']}:{owner}:")
    with open_ledger(url) as led, led.read() as s:
        parent = s.execute(text("SELECT parent_id FROM ledger_copy WHERE id = :i"), {"i": new_copy}).scalar_one()
    assert parent == owner_copy
    assert zhibu("check", url).returncode == 0
