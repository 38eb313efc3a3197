"""``zhibu precheck FILE [--branch B] [--year Y]``."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, time
from pathlib import Path

import pytest

from desktop.domain.enums import MeetingKind
from desktop.services import meetings as svc

ROOT = Path(__file__).resolve().parents[2]


def zhibu(*args: str) -> subprocess.CompletedProcess:
    """Run the real command line (``python -m desktop``), as a secretary would."""
    return subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture
def closed_file(org_ledger):
    ids = org_ledger.ids
    inp = svc.new_meeting(org_ledger, ids["branch2"], MeetingKind.THEME_DAY, date(2026, 3, 10))
    inp.theme, inp.start_time, inp.end_time = "重温入党誓词", time(9, 0), None
    svc.save_meeting(org_ledger, inp)
    org_ledger.close()
    return org_ledger.location, ids


def test_precheck_lists_problems_and_exits_1(closed_file):
    path, _ids = closed_file
    proc = zhibu("precheck", str(path), "--branch", "第二党支部", "--year", "2026")
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    assert "第二党支部 2026年" in out and "未填写结束时间" in out and "[错误]" in out


def _hold_everything(ledger, branch_id: str, year: int) -> None:
    """Every meeting a small branch owes in ``year``, complete and finalized."""
    plan = [(MeetingKind.THEME_DAY, m) for m in range(1, 13)]
    plan += [(k, q * 3 - 1) for q in range(1, 5) for k in (MeetingKind.GENERAL_ASSEMBLY, MeetingKind.LECTURE)]
    plan += [(MeetingKind.ORG_LIFE, 12), (MeetingKind.EVALUATION, 12)]
    for kind, month in plan:
        inp = svc.new_meeting(ledger, branch_id, kind, date(year, month, 10 + (kind == MeetingKind.LECTURE)))
        inp.start_time, inp.end_time, inp.place = time(9, 0), time(10, 30), "党员活动室"
        inp.recorder = inp.recorder or "陈志强"  # the only member: the secretary records too
        inp.content = f"{inp.host}主持会议并讲话。"
        inp.speeches = [svc.SpeechData(inp.host, "结合岗位谈了认识和打算。", "批评与自我批评")]
        inp.lecturer, inp.lecture_title, inp.summary = inp.host, "学习党章", "讲了三点体会。"
        inp.theme = "学党章守党规"
        mid = svc.save_meeting(ledger, inp)
        assert svc.finalize_meeting(ledger, mid).finalized, svc.precheck_meeting(ledger, mid)


def test_precheck_clean_year_exits_0(org_ledger):
    ids = org_ledger.ids
    _hold_everything(org_ledger, ids["branch2"], 2025)
    org_ledger.close()
    proc = zhibu("precheck", org_ledger.location, "--branch", ids["branch2"], "--year", "2025")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "第二党支部 2025年：未发现问题" in proc.stdout


def test_precheck_unknown_branch_and_missing_file(closed_file, tmp_path):
    path, _ids = closed_file
    proc = zhibu("precheck", str(path), "--branch", "不存在支部")
    assert proc.returncode == 2 and "第一党支部" in proc.stderr
    proc = zhibu("precheck", str(tmp_path / "nope.zhibu"))
    assert proc.returncode == 2 and "nope.zhibu" in proc.stderr
