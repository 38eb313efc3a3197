"""``zhibu push FILE URL`` and ``zhibu pull URL FILE --branch B`` through the real command line."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

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
        again = zhibu("push", str(file), url)
        assert again.returncode == 2 and "已经有台账" in again.stderr
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
