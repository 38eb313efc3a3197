"""修改历史 shows a changed reference (党小组, 支部 …) by the name of the record it points at, on
both back ends (on a server the lookup once failed: ``PRAGMA database_list`` was not answered)."""

from __future__ import annotations

from datetime import date

from desktop.services import members as ms
from desktop.services.record_history import record_history


def test_member_moved_to_another_group_shows_both_group_names(org_ledger):
    mid = org_ledger.ids["李秀英"]
    d = ms.get_member(org_ledger, mid, today=date(2026, 6, 15))
    r = d.row
    ms.save_member(org_ledger, ms.MemberInput(
        id=mid, name=r.name, branch_id=r.branch_id, gender=r.gender, birth_date=r.birth_date, phone=r.phone,
        group_id=org_ledger.ids["group2"], category=r.category, join_date=r.join_date, full_date=r.full_date),
        today=date(2026, 6, 15))
    moves = [(h.old, h.new) for h in record_history(org_ledger, mid) if h.old == "第一党小组"]
    assert moves == [("第一党小组", "第二党小组")]
