"""Two programs logged in as different database users edit the same 党员 / 整改措施 / 党支部 on one
server: the later save is told the other user's name; two saves from the same version at the same
moment: exactly one wins."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date

import pytest

from desktop.domain.errors import RecordConflict
from desktop.services import members as ms
from desktop.services import organization as org
from desktop.services import rectification as rect
from desktop.store.opening import open_ledger

TODAY = date(2026, 12, 1)


def _member(led, mid, version, **changes):
    d = ms.get_member(led, mid, today=TODAY)
    r = d.row
    return replace(ms.MemberInput(
        id=r.id, name=r.name, branch_id=r.branch_id, gender=r.gender, birth_date=r.birth_date, phone=r.phone,
        group_id=r.group_id, category=r.category, join_date=r.join_date, full_date=r.full_date, notes=d.notes,
        version=version), **changes)


def _measure(led) -> str:
    cid = rect.save_campaign(led, rect.CampaignInput("主题教育", 2026))
    pid = rect.save_problem(led, rect.ProblemInput(rect.save_category(led, cid, "理论学习"), "学习不深入"))
    return rect.save_measure(led, rect.MeasureInput(pid, "每月集中学习", deadline=date(2026, 12, 31)))


def _save_member(led, mid, version, text):
    ms.save_member(led, _member(led, mid, version, notes=text), today=TODAY)


def _save_measure(led, mid, version, text):
    rect.save_measure(led, replace(rect.get_measure(led, mid), content=text, version=version), today=TODAY)


def _save_branch(led, bid, version, text):
    b = org.get_branch(led, bid)
    org.save_branch(led, org.BranchInput(b.name, bid, b.has_committee, b.has_groups, b.lecture_frequency,
                                         b.lecture_custom_per_year, b.theme_day_of_month, b.established_on, text,
                                         version=version))


KINDS = {
    "member": (lambda led: led.ids["李秀英"], lambda led, i: ms.get_member(led, i).row.version, _save_member,
               lambda led, i: ms.get_member(led, i).notes),
    "measure": (_measure, lambda led, i: rect.get_measure(led, i).version, _save_measure,
                lambda led, i: rect.get_measure(led, i).content),
    "branch": (lambda led: led.ids["branch1"], lambda led, i: org.get_branch(led, i).version, _save_branch,
               lambda led, i: org.get_branch(led, i).notes),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_later_save_names_the_other_database_user(org_ledger, wang_url, kind):
    make, version_of, save, text_of = KINDS[kind]
    rid = make(org_ledger)
    opened = version_of(org_ledger, rid)
    wang = open_ledger(wang_url)
    try:
        save(wang, rid, version_of(wang, rid), "王芳的修改")
    finally:
        wang.close()
    with pytest.raises(RecordConflict) as info:
        save(org_ledger, rid, opened, "张的修改")
    assert info.value.who == "wangfang" and str(info.value).split("：", 1)[1].startswith("该记录已被 wangfang 于 ")
    assert text_of(org_ledger, rid) == "王芳的修改"


@pytest.mark.parametrize("kind", list(KINDS))
def test_two_saves_from_the_same_version_at_once_exactly_one_wins(org_ledger, wang_url, kind):
    make, version_of, save, text_of = KINDS[kind]
    rid = make(org_ledger)
    for n in range(3):  # each round new texts: a save that changes nothing moves no version
        start = version_of(org_ledger, rid)
        results: dict[str, object] = {}
        barrier = threading.Barrier(2)

        def run(name: str, url: str, start=start, results=results, barrier=barrier, n=n) -> None:
            led = open_ledger(url)
            try:
                barrier.wait(10)
                save(led, rid, start, f"{name} 的修改{n}")
                results[name] = "saved"
            except RecordConflict as exc:
                results[name] = exc
            finally:
                led.close()

        threads = [threading.Thread(target=run, args=("张", org_ledger.location)),
                   threading.Thread(target=run, args=("王", wang_url))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        winner = [k for k, v in results.items() if v == "saved"]
        losers = [v for v in results.values() if isinstance(v, RecordConflict)]
        assert len(winner) == 1 and len(losers) == 1, results
        assert text_of(org_ledger, rid) == f"{winner[0]} 的修改{n}"
        assert losers[0].who == ("wangfang" if winner[0] == "王" else "zhibu")


def test_a_change_of_parts_only_names_who_made_it(org_ledger, wang_url):
    """wangfang changes only a part (a celebrant's 寄语, a meeting's agenda): the record's version
    moves and the question names wangfang, not whoever last changed the record's own fields."""
    from desktop.domain.enums import MeetingKind
    from desktop.services import birthdays as bd
    from desktop.services import meetings as mt

    eid = bd.save_event(org_ledger, bd.EventInput(date(2026, 7, 1), (bd.CelebrantInput(org_ledger.ids["张建国"], "原"),),
                                                  org_ledger.ids["branch1"]))
    inp = mt.new_meeting(org_ledger, org_ledger.ids["branch1"], MeetingKind.COMMITTEE, date(2026, 3, 10))
    mid = mt.save_meeting(org_ledger, replace(inp, agenda=["原议程"]))
    event_v, meeting = bd.get_event(org_ledger, eid).event.version, mt.get_meeting(org_ledger, mid).to_input()
    wang = open_ledger(wang_url)
    try:
        d = bd.get_event(wang, eid)
        bd.save_event(wang, bd.EventInput(d.event.date, (bd.CelebrantInput(org_ledger.ids["张建国"], "王芳的寄语"),),
                                          d.event.branch_id, d.event.title, id=eid))
        mt.save_meeting(wang, replace(mt.get_meeting(wang, mid).to_input(), agenda=["王芳改的议程"]))
    finally:
        wang.close()
    with pytest.raises(RecordConflict) as ev:
        bd.save_event(org_ledger, bd.EventInput(date(2026, 7, 1), (bd.CelebrantInput(org_ledger.ids["张建国"], "我的"),),
                                                org_ledger.ids["branch1"], id=eid, version=event_v))
    with pytest.raises(RecordConflict) as mv:
        mt.save_meeting(org_ledger, replace(meeting, agenda=["我的议程"]))
    assert ev.value.who == "wangfang" and mv.value.who == "wangfang"


def test_records_that_only_point_at_it_are_not_blamed(org_ledger, wang_url):
    """The branch was changed by zhibu; wangfang then renamed one of its 党小组 (its own record):
    the branch's question names zhibu, who changed the branch."""
    bid = org_ledger.ids["branch1"]
    opened = org.get_branch(org_ledger, bid).version
    _save_branch(org_ledger, bid, None, "张在另一台电脑写的")
    wang = open_ledger(wang_url)
    try:
        org.save_group(wang, bid, "王芳改名的小组", org_ledger.ids["group1"])
    finally:
        wang.close()
    with pytest.raises(RecordConflict) as info:
        _save_branch(org_ledger, bid, opened, "张的修改")
    assert info.value.who == "zhibu"


def test_guarded_saves_under_the_server_roles(org_ledger):
    """The row lock of the check needs no more than the write itself: a secretary's guarded save of
    their own branch's member works; another branch's, or the committee office's, is 没有权限."""
    from desktop.services.server_roles import setup_roles
    from desktop.store import errors

    setup_roles(org_ledger, ["office"], [("sec1", "第一党支部")])
    own, other = org_ledger.ids["李秀英"], org_ledger.ids["陈志强"]
    with open_ledger(org_ledger.location.replace("zhibu@", "sec1@", 1)) as sec:
        _save_member(sec, own, ms.get_member(sec, own).row.version, "一支部书记写的")
        with pytest.raises(errors.PermissionDenied):
            _save_member(sec, other, ms.get_member(sec, other).row.version, "越权")
    with open_ledger(org_ledger.location.replace("zhibu@", "office@", 1)) as office, \
            pytest.raises(errors.PermissionDenied):
        _save_member(office, own, ms.get_member(office, own).row.version, "机关党委改的")
    assert ms.get_member(org_ledger, own).notes == "一支部书记写的" and ms.get_member(org_ledger, other).notes == ""
