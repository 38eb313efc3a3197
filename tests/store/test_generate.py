"""The benchmark generator writes rows the program reads back and zhibu check accepts, into a file
and into a server database."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from sqlalchemy import func, select

from desktop.services.files import check_ledger
from desktop.store.models import Attendance, Meeting
from desktop.store.opening import open_ledger
from desktop.store.queries import live, roster_on

_spec = importlib.util.spec_from_file_location(
    "benchmarks_generate", Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"
)
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)


def test_ten_year_ledger_is_consistent(new_target):
    path = new_target()
    counts = generate.make_ten_year_ledger(path)
    assert counts["branch"] == 10 and counts["member"] == 400 and counts["meeting"] > 3000
    report = check_ledger(path)
    assert report.ok, report.problems[:5]
    with open_ledger(path) as led, led.read() as s:
        meeting = s.scalars(live(Meeting).where(Meeting.kind == "支部党员大会").order_by(Meeting.date)).first()
        due = roster_on(s, meeting.branch_id, meeting.date)
        assert {a.member_id for a in meeting.attendance} == {d.member_id for d in due}
        assert meeting.start_time < meeting.end_time and meeting.title.endswith("支部党员大会")
        assert s.scalar(select(func.count()).select_from(Attendance)) == counts["attendance"]
