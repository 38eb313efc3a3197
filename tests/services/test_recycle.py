"""One 回收站 for every kind of record (desktop.services.recycle), on real ledger files."""

from __future__ import annotations

from datetime import date, time

import pytest

from desktop.domain.enums import MeetingKind
from desktop.domain.errors import DomainValidationError
from desktop.services import meetings as msvc
from desktop.services import recycle
from desktop.services.files import check_ledger
from desktop.services.members import delete_member, list_members
from desktop.services.organization import (
    PostInput,
    delete_branch,
    delete_group,
    delete_post,
    list_branches,
    save_post,
)
from desktop.store.models import Attendance, Member, Membership, PostHolding
from desktop.store.queries import live


def _meeting(ledger, branch, day=date(2026, 3, 10)):
    inp = msvc.new_meeting(ledger, branch, MeetingKind.THEME_DAY, day)
    inp.theme, inp.start_time, inp.end_time = "重温入党誓词", time(9, 0), time(10, 0)
    return msvc.save_meeting(ledger, inp)


def test_deleting_a_member_with_attendance_keeps_check_passing(org_ledger):
    ids = org_ledger.ids
    mid = _meeting(org_ledger, ids["branch2"])
    with org_ledger.read() as s:
        assert [a.member_id for a in s.scalars(live(Attendance).where(Attendance.meeting_id == mid))] == [ids["陈志强"]]
    assert check_ledger(org_ledger).ok
    delete_member(org_ledger, ids["陈志强"])
    report = check_ledger(org_ledger)
    assert report.ok, report.problems
    recycle.restore(org_ledger, "member", ids["陈志强"])
    assert "陈志强" in {m.name for m in list_members(org_ledger)}
    assert check_ledger(org_ledger).ok


def test_meeting_comes_back_with_its_attendance(org_ledger):
    ids = org_ledger.ids
    mid = _meeting(org_ledger, ids["branch1"])
    msvc.delete_meeting(org_ledger, mid)
    [item] = recycle.list_deleted(org_ledger)
    assert (item.kind, item.kind_label, item.where) == ("meeting", "会议", "第一党支部")
    assert "2026-03-10" in item.label
    recycle.restore(org_ledger, "meeting", mid)
    data = msvc.get_meeting(org_ledger, mid)
    assert len(data.attendance) == 4 and recycle.list_deleted(org_ledger) == []
    assert check_ledger(org_ledger).ok


def test_meeting_number_taken_meanwhile_is_refused(org_ledger):
    ids = org_ledger.ids
    first = _meeting(org_ledger, ids["branch2"])
    msvc.delete_meeting(org_ledger, first)
    _meeting(org_ledger, ids["branch2"], date(2026, 4, 10))  # gets number 1 again
    with pytest.raises(DomainValidationError, match="第1次已有记录"):
        recycle.restore(org_ledger, "meeting", first)
    assert [d.id for d in recycle.list_deleted(org_ledger)] == [first]


def test_member_posts_come_back_with_the_member_and_not_others(org_ledger):
    ids = org_ledger.ids
    with org_ledger.read() as s:
        [own_post] = [p.id for p in s.scalars(live(PostHolding).where(PostHolding.member_id == ids["陈志强"]))]
    other = save_post(org_ledger, PostInput(ids["branch2"], ids["陈志强"], "组织委员", "2023-01-01"))
    delete_post(org_ledger, other)  # deleted on its own, earlier: stays deleted
    delete_member(org_ledger, ids["陈志强"])
    kinds = [(d.kind, d.label) for d in recycle.list_deleted(org_ledger)]
    assert kinds[0] == ("member", "陈志强") and ("post", "书记：陈志强（2022-03-01 起）") in kinds
    recycle.restore(org_ledger, "member", ids["陈志强"])
    with org_ledger.read() as s:
        live_posts = {p.id for p in s.scalars(live(PostHolding).where(PostHolding.member_id == ids["陈志强"]))}
        periods = s.scalars(live(Membership).where(Membership.member_id == ids["陈志强"])).all()
    assert live_posts == {own_post} and len(periods) == 1
    assert [d.id for d in recycle.list_deleted(org_ledger)] == [other]


def test_member_of_a_deleted_branch_says_so(org_ledger):
    ids = org_ledger.ids
    delete_member(org_ledger, ids["陈志强"])
    delete_branch(org_ledger, ids["branch2"])  # empty now
    with pytest.raises(DomainValidationError) as info:
        recycle.restore(org_ledger, "member", ids["陈志强"])
    assert "所在的党支部“第二党支部”已删除" in str(info.value) and "请先在回收站中恢复党支部" in str(info.value)
    recycle.restore(org_ledger, "branch", ids["branch2"])
    recycle.restore(org_ledger, "member", ids["陈志强"])
    assert "第二党支部" in {b.name for b in list_branches(org_ledger)}
    assert check_ledger(org_ledger).ok


def test_branch_groups_come_back_together(org_ledger):
    ids = org_ledger.ids
    for name in ("张建国", "李秀英", "王磊", "赵敏"):
        delete_member(org_ledger, ids[name])
    delete_branch(org_ledger, ids["branch1"])
    deleted = {(d.kind, d.label) for d in recycle.list_deleted(org_ledger)}
    assert {("group", "第一党小组"), ("group", "第二党小组"), ("branch", "第一党支部")} <= deleted
    with pytest.raises(DomainValidationError, match="党支部“第一党支部”已删除"):
        recycle.restore(org_ledger, "group", ids["group1"])
    recycle.restore(org_ledger, "branch", ids["branch1"])
    left = {d.kind for d in recycle.list_deleted(org_ledger)}
    assert left == {"member", "post"}  # groups came back; the members were deleted on their own
    recycle.restore(org_ledger, "member", ids["张建国"])
    assert "张建国" in {m.name for m in list_members(org_ledger)}


def test_group_restores_alone(org_ledger):
    ids = org_ledger.ids
    from desktop.services.organization import save_group

    gid = save_group(org_ledger, ids["branch1"], "第三党小组")
    delete_group(org_ledger, gid)
    [item] = recycle.list_deleted(org_ledger, kinds=["group"])
    assert (item.label, item.where) == ("第三党小组", "第一党支部")
    recycle.restore(org_ledger, "group", gid)
    assert recycle.list_deleted(org_ledger) == []


def test_member_deleted_by_an_older_version_comes_back_with_its_periods(org_ledger):
    """Older versions tombstoned the branch periods too (and `zhibu check` then failed)."""
    from desktop.store.models import utcnow

    ids = org_ledger.ids
    _meeting(org_ledger, ids["branch2"])
    with org_ledger.write() as s:
        for p in s.scalars(live(Membership).where(Membership.member_id == ids["陈志强"])):
            p.tombstone()
        s.get(Member, ids["陈志强"]).tombstone(utcnow())
    assert check_ledger(org_ledger).ok  # a deleted member's attendance history is not a problem
    recycle.restore(org_ledger, "member", ids["陈志强"])
    with org_ledger.read() as s:
        assert len(s.scalars(live(Membership).where(Membership.member_id == ids["陈志强"])).all()) == 1
    assert check_ledger(org_ledger).ok
