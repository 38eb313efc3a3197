"""台账启用日期: a branch entered mid-year is not told it missed the months before, and 第N次
continues the paper record (compliance, 首页 reminders, precheck, 统计表, CLI, numbering)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, time
from pathlib import Path

import pytest

from desktop.domain.compliance import evaluate_compliance
from desktop.domain.enums import MeetingKind
from desktop.domain.errors import ValidationErrors
from desktop.domain.ledger_start import dump_start_numbers, next_meeting_number, parse_start_numbers
from desktop.services import meetings as svc
from desktop.services.compliance import branch_year_compliance, compliance_overview
from desktop.services.organization import BranchInput, get_branch, save_branch
from desktop.services.reminders import meeting_reminders

K = MeetingKind
ROOT = Path(__file__).resolve().parents[2]


def _set_start(ledger, branch_id: str, start: str | None, numbers: dict | None = None) -> None:
    b = get_branch(ledger, branch_id)
    save_branch(ledger, BranchInput(b.name, id=b.id, has_committee=b.has_committee, has_groups=b.has_groups,
                                    lecture_frequency=b.lecture_frequency, theme_day_of_month=b.theme_day_of_month,
                                    ledger_start=start, start_numbers=numbers))


def _hold(ledger, branch_id: str, kind: K, day: date) -> str:
    inp = svc.new_meeting(ledger, branch_id, kind, day)
    inp.start_time, inp.end_time, inp.place = time(9, 0), time(10, 30), "党员活动室"
    inp.recorder = inp.recorder or "陈志强"
    inp.content = f"{inp.host}主持会议并讲话。"
    inp.speeches = [svc.SpeechData(inp.host, "结合岗位谈了认识和打算。", "批评与自我批评")]
    inp.lecturer, inp.lecture_title, inp.summary = inp.host, "学习党章", "讲了三点体会。"
    inp.theme = "学党章守党规"
    mid = svc.save_meeting(ledger, inp)
    assert svc.finalize_meeting(ledger, mid).finalized, svc.precheck_meeting(ledger, mid)
    return mid


def test_november_start_shows_no_missing_before_it(org_ledger):
    """The defect: a branch entered in November showed every January–October obligation as 缺."""
    b2 = org_ledger.ids["branch2"]
    today = date(2026, 11, 20)
    before = branch_year_compliance(org_ledger, b2, 2026, today=today)
    assert len(before.missing()) == 16  # without a start date: 10 months × 主题党日, 3 quarters × 大会 and 党课
    _set_start(org_ledger, b2, "2026-11-01")
    report = branch_year_compliance(org_ledger, b2, 2026, today=today)
    assert report.missing() == []
    not_entered = {(i.requirement.kind, i.requirement.period_label) for i in report.not_entered()}
    assert (K.THEME_DAY, "2026年10月") in not_entered and (K.GENERAL_ASSEMBLY, "2026年第1季度") in not_entered
    assert (K.GENERAL_ASSEMBLY, "2026年第4季度") in not_entered  # began in October, before the start
    assert (K.THEME_DAY, "2026年11月") in {(i.requirement.kind, i.requirement.period_label) for i in report.pending()}
    rows = dict((r[0], r[1:]) for r in report.grid().rows())
    kinds = [str(k) for k in report.grid().kinds]
    assert rows["3月"][kinds.index("主题党日")] == "0/1 未录入"
    # a meeting entered for a period before the start still counts as held
    _hold(org_ledger, b2, K.THEME_DAY, date(2026, 10, 10))
    report = branch_year_compliance(org_ledger, b2, 2026, today=today)
    assert [i.status for i in report.items if i.requirement.period_label == "2026年10月"
            and i.requirement.kind == K.THEME_DAY] == ["held"]
    # the next year is judged in full
    assert branch_year_compliance(org_ledger, b2, 2027, today=date(2027, 12, 31)).missing()


def test_start_date_in_overview_reminders_and_statistics(org_ledger, tmp_path):
    from desktop.documents.kinds.compliance import build_compliance

    b2 = org_ledger.ids["branch2"]
    _set_start(org_ledger, b2, "2026-11-01")
    today = date(2026, 12, 5)  # Q4: October is before the start, November passed without a 主题党日
    overview = {bc.branch_id: bc.report for bc in compliance_overview(org_ledger, 2026, range(10, 13), today)}
    assert [i.requirement.period_label for i in overview[b2].missing()] == ["2026年11月"]
    texts = [r.text for r in meeting_reminders(org_ledger, today) if "第二党支部" in r.text]
    assert any("11月主题党日未开展" in t for t in texts)
    assert not any("10月" in t or "第4季度支部党员大会未开展" in t for t in texts), texts
    doc = build_compliance(branch_year_compliance(org_ledger, b2, 2026, today=today), branch_name="第二党支部",
                           today=today)
    text = "\n".join(getattr(blk, "text", "") for blk in doc.blocks)
    assert "2026年11月主题党日" in text and "自2026年11月1日起启用" in text
    assert "2026年10月主题党日" not in text  # not listed as 未落实


def test_start_number_continues_the_paper_record(org_ledger):
    b2 = org_ledger.ids["branch2"]
    assert svc.next_number(org_ledger, b2, K.GENERAL_ASSEMBLY, 2026) == 1
    _set_start(org_ledger, b2, "2026-11-01", {"支部党员大会": 4, "主题党日": 11})
    assert get_branch(org_ledger, b2).start_numbers == {"支部党员大会": 4, "主题党日": 11}
    inp = svc.new_meeting(org_ledger, b2, K.GENERAL_ASSEMBLY, date(2026, 11, 12))
    assert inp.number == 4 and "第4次" in inp.title
    _hold(org_ledger, b2, K.GENERAL_ASSEMBLY, date(2026, 11, 12))
    assert svc.next_number(org_ledger, b2, K.GENERAL_ASSEMBLY, 2026) == 5
    assert svc.next_number(org_ledger, b2, K.LECTURE, 2026) == 1  # no start number for 党课
    assert svc.next_number(org_ledger, b2, K.GENERAL_ASSEMBLY, 2027) == 1  # later years start at 1
    # precheck accepts 第4次 as the first entered record of the start year
    findings = svc.precheck_branch_year(org_ledger, b2, 2026, today=date(2026, 11, 20))
    assert not [f for f in findings if f.finding.code == "number_out_of_sequence"], findings
    assert not [f for f in findings if f.finding.code == "required_meeting_missing"], findings


def test_start_numbers_are_validated(org_ledger):
    b2 = org_ledger.ids["branch2"]
    with pytest.raises(ValidationErrors) as info:
        _set_start(org_ledger, b2, None, {"支部党员大会": 3})
    assert "台账启用日期" in str(info.value)
    with pytest.raises(ValidationErrors) as info:
        _set_start(org_ledger, b2, "2026-02-30")
    assert "台账启用日期" in str(info.value)
    with pytest.raises(ValidationErrors):
        _set_start(org_ledger, b2, "2026-11-01", {"支部党员大会": 0})
    _set_start(org_ledger, b2, "2026-11-01", {"支部党员大会": 1})  # 1 is the ordinary start: nothing kept
    assert get_branch(org_ledger, b2).start_numbers == {}
    assert parse_start_numbers('{"支部党员大会": 4, "乱码": 3, "党课": "x", "主题党日": true}') == {K.GENERAL_ASSEMBLY: 4}
    assert parse_start_numbers("not json") == {}
    assert dump_start_numbers({"主题党日": 5, "支部党员大会": 2}) == '{"支部党员大会": 2, "主题党日": 5}'
    assert next_meeting_number(None, "支部党员大会", 2026, date(2026, 11, 1), {K.GENERAL_ASSEMBLY: 4}) == 4
    assert next_meeting_number(6, "支部党员大会", 2026, date(2026, 11, 1), {K.GENERAL_ASSEMBLY: 4}) == 7


def test_domain_not_entered_only_for_unmet_periods_before_start():
    from desktop.domain.compliance import BranchProfile, HeldMeeting

    p = BranchProfile(False, False, 0, 3, ledger_start=date(2026, 5, 15))
    report = evaluate_compliance(p, 2026, [HeldMeeting(K.THEME_DAY, date(2026, 4, 3))], today=date(2026, 7, 1))
    status = {(i.requirement.kind, i.requirement.period_label): i.status for i in report.items}
    assert status[(K.THEME_DAY, "2026年4月")] == "held"
    assert status[(K.THEME_DAY, "2026年3月")] == "not_entered"
    assert status[(K.THEME_DAY, "2026年5月")] == "not_entered"  # began before 15 May
    assert status[(K.THEME_DAY, "2026年6月")] == "missing"
    assert status[(K.GENERAL_ASSEMBLY, "2026年第2季度")] == "not_entered"
    assert status[(K.ORG_LIFE, "2026年")] == "not_entered"


def test_cli_precheck_respects_the_start_date(org_ledger):
    b2 = org_ledger.ids["branch2"]
    _set_start(org_ledger, b2, "2025-11-01")
    for kind, day in [(K.THEME_DAY, date(2025, 11, 10)), (K.THEME_DAY, date(2025, 12, 10)),
                      (K.ORG_LIFE, date(2025, 12, 20))]:
        _hold(org_ledger, b2, kind, day)
    org_ledger.close()
    proc = subprocess.run([sys.executable, "-m", "desktop", "precheck", org_ledger.location, "--branch", "第二党支部",
                           "--year", "2025"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "第二党支部 2025年：未发现问题" in proc.stdout and "台账自2025年11月1日起启用" in proc.stdout
