"""Who may change what, enforced by the database: the committee's office reads all and writes
nothing; a branch's secretary writes their own branch only — through the program, and through
plain SQL on their own login."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import psycopg
import pytest

from desktop.domain.enums import MeetingKind
from desktop.services import meetings as svc
from desktop.services.server_roles import setup_roles
from desktop.store import errors
from desktop.store.models import Member
from desktop.store.opening import open_ledger

DAY = date(2026, 3, 10)
ROOT = Path(__file__).resolve().parents[2]


def _as(url: str, role: str) -> str:
    return url.replace("zhibu@", f"{role}@", 1)


def _meeting(led, branch: str, content: str = "原稿") -> str:
    inp = svc.new_meeting(led, led.ids[branch], MeetingKind.COMMITTEE, DAY)
    inp.content = content
    return svc.save_meeting(led, inp)


@pytest.fixture
def roles(org_ledger):
    m1 = _meeting(org_ledger, "branch1")
    m2 = _meeting(org_ledger, "branch2")
    result = setup_roles(org_ledger, ["office"], [("sec1", "第一党支部")])
    assert result.secretaries == [("sec1", "第一党支部")] and result.committee == ["office"]
    return {"m1": m1, "m2": m2}


def test_secretary_writes_own_branch_only(org_ledger, roles):
    ids = org_ledger.ids
    with open_ledger(_as(org_ledger.location, "sec1")) as sec:
        sec.ids = ids  # type: ignore[attr-defined]
        assert {r.id for r in svc.list_meetings(sec)} >= {roles["m1"], roles["m2"]}  # reads all
        inp = svc.get_meeting(sec, roles["m1"]).to_input()
        inp.content = "一支部书记修改"
        svc.save_meeting(sec, inp)  # own branch: saved
        assert _meeting(sec, "branch1", "一支部新建")
        other = svc.get_meeting(sec, roles["m2"]).to_input()
        other.content = "越权修改"
        with pytest.raises(errors.PermissionDenied):
            svc.save_meeting(sec, other)
        with pytest.raises(errors.PermissionDenied):
            _meeting(sec, "branch2", "越权新建")
        with pytest.raises(errors.PermissionDenied), sec.write() as s:
            s.get(Member, ids["陈志强"]).phone = "13900000000"  # a member of 第二党支部
    assert svc.get_meeting(org_ledger, roles["m2"]).content == "原稿"
    assert svc.get_meeting(org_ledger, roles["m1"]).content == "一支部书记修改"


def test_committee_reads_all_and_writes_nothing(org_ledger, roles):
    with open_ledger(_as(org_ledger.location, "office")) as office:
        office.ids = org_ledger.ids  # type: ignore[attr-defined]
        assert {r.id for r in svc.list_meetings(office)} >= {roles["m1"], roles["m2"]}
        inp = svc.get_meeting(office, roles["m1"]).to_input()
        inp.content = "机关党委改的"
        with pytest.raises(errors.PermissionDenied) as info:
            svc.save_meeting(office, inp)
        assert info.value.title == "没有权限"
    assert svc.get_meeting(org_ledger, roles["m1"]).content == "原稿"


def test_plain_sql_cannot_get_around_it(org_ledger, roles, pg_cluster):
    """Enforced by the server, not the program: the same login with psql-like plain SQL."""
    dbname = org_ledger.location.split("/")[3].split("?")[0]
    b1, b2 = org_ledger.ids["branch1"], org_ledger.ids["branch2"]
    with psycopg.connect(host=str(pg_cluster.root), port=pg_cluster.port, user="sec1", dbname=dbname,
                         autocommit=True) as conn:
        for sql in (f"UPDATE meeting SET content = 'x' WHERE id = '{roles['m2']}'",
                    f"UPDATE meeting SET branch_id = '{b1}' WHERE id = '{roles['m2']}'",  # taking it over
                    f"UPDATE meeting SET branch_id = '{b2}' WHERE id = '{roles['m1']}'",  # giving it away
                    f"DELETE FROM agenda_item WHERE meeting_id = '{roles['m2']}'",
                    "UPDATE committee SET name = 'x'"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql)
        conn.execute(f"UPDATE meeting SET place = '二楼' WHERE id = '{roles['m1']}'")  # own: allowed
    with psycopg.connect(host=str(pg_cluster.root), port=pg_cluster.port, user="office", dbname=dbname,
                         autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM meeting").fetchone()[0] == 2
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f"UPDATE meeting SET place = 'x' WHERE id = '{roles['m1']}'")


def test_cli_roles(org_ledger):
    proc = subprocess.run([sys.executable, "-m", "desktop", "roles", org_ledger.location, "--committee", "office2",
                           "--secretary", "sec2=第二党支部"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "sec2：第二党支部书记" in proc.stdout and "office2：机关党委" in proc.stdout
    bad = subprocess.run([sys.executable, "-m", "desktop", "roles", org_ledger.location, "--secretary", "x=第九支部"],
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "没有名为“第九支部”的党支部" in bad.stderr
