"""Every editor that changes an existing record is guarded by the version it opened (both back ends):
another writer saves meanwhile → our save from the stale version is a RecordConflict naming who and
when, and nothing of it is written; from the current version it saves, theirs kept in the history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

import pytest

from desktop.domain.errors import DomainValidationError, RecordConflict
from desktop.services import birthdays as bd
from desktop.services import members as ms
from desktop.services import organization as org
from desktop.services import rectification as rect
from desktop.services.record_history import record_history

TODAY = date(2026, 12, 1)


@dataclass
class Case:
    record_id: str
    opened: int  # the version our editor opened
    theirs: Callable[[], object]  # another person saves meanwhile (their text has 「他们的」)
    ours: Callable[[int], object]  # our save (or delete, or step) from a version
    state: Callable[[], object]  # what is stored, with whatever a half-done save of ours would touch
    label: str
    history: bool = True  # theirs is a text change that 修改历史 shows


def member_input(detail: ms.MemberDetail, **changes) -> ms.MemberInput:
    """What the member editor sends for the record it opened."""
    r = detail.row
    return replace(ms.MemberInput(
        id=r.id, name=r.name, branch_id=r.branch_id, gender=r.gender, ethnicity=r.ethnicity, birth_date=r.birth_date,
        education=r.education, id_number=r.id_number, phone=r.phone, group_id=r.group_id, job_title=r.job_title,
        category=r.category, status=r.status, join_date=r.join_date, full_date=r.full_date, notes=detail.notes,
        version=r.version), **changes)


def branch_input(b: org.BranchRow, **changes) -> org.BranchInput:
    return replace(org.BranchInput(
        b.name, b.id, b.has_committee, b.has_groups, b.lecture_frequency, b.lecture_custom_per_year,
        b.theme_day_of_month, b.established_on, b.notes, None, b.ledger_start, None, b.version), **changes)


def _member_state(led, mid):
    try:
        d = ms.get_member(led, mid, today=TODAY)
    except KeyError:
        return "deleted"
    r = d.row
    return (r.name, r.phone, r.job_title, r.group_id, r.branch_id, r.status, r.category, r.full_date, d.notes,
            [(p.branch_name, p.group_name, p.start_date, p.end_date) for p in d.periods],
            [e.kind for e in ms.probation_info(led, mid).events])


def _their_member_edit(led, mid):
    ms.save_member(led, member_input(ms.get_member(led, mid, today=TODAY), notes="他们的备注", version=None),
                   today=TODAY)


def _member_case(led, name, ours):
    mid = led.ids[name]
    opened = ms.get_member(led, mid, today=TODAY)
    return Case(mid, opened.row.version, lambda: _their_member_edit(led, mid), lambda v: ours(opened, v),
                lambda: _member_state(led, mid), "党员")


def member_save(led):
    g2 = led.ids["group2"]
    return _member_case(led, "李秀英", lambda d, v: ms.save_member(
        led, member_input(d, job_title="我的职务", phone="13900000000", group_id=g2, version=v), today=TODAY))


def member_status(led):
    return _member_case(led, "陈志强", lambda d, v: ms.change_status(led, d.row.id, "转出", "2026-06-30", version=v))


def member_transfer(led):
    b2 = led.ids["branch2"]
    return _member_case(led, "王磊", lambda d, v: ms.transfer_member(
        led, d.row.id, to_branch_id=b2, to_group_id=None, on="2026-06-01", version=v))


def member_probation(led):
    return _member_case(led, "赵敏", lambda d, v: ms.record_probation_step(led, d.row.id, "转正", "2026-12-01",
                                                                          version=v))


def member_delete(led):
    return _member_case(led, "王磊", lambda d, v: ms.delete_member(led, d.row.id, version=v))


# ------------------------------------------------------------------ 整改清单
def _rect(led) -> dict[str, str]:
    cid = rect.save_campaign(led, rect.CampaignInput("主题教育", 2026, description="原稿"))
    cat = rect.save_category(led, cid, "理论学习")
    pid = rect.save_problem(led, rect.ProblemInput(cat, "学习不深入"))
    mid = rect.save_measure(led, rect.MeasureInput(pid, "每月集中学习", deadline=date(2026, 12, 31)))
    return {"campaign": cid, "category": cat, "problem": pid, "measure": mid}


def _measure_state(led, mid):
    try:
        m = rect.get_measure(led, mid)
    except rect.NotFound:
        return "deleted"
    tree = rect.get_campaign_tree(led, rect.campaign_of(led, "measure", mid), today=TODAY)
    node = next(n for _c, _p, n in tree.measures() if n.id == mid)
    return replace(m, version=None), [(e.date, e.text) for e in node.progress]


def _their_measure_edit(led, mid):
    rect.save_measure(led, replace(rect.get_measure(led, mid), owner="他们的部门", version=None), today=TODAY)


def _measure_case(led, ours, closed=False):
    mid = _rect(led)["measure"]
    if closed:
        rect.finish_and_close(led, mid, TODAY, today=TODAY)
    opened = rect.get_measure(led, mid)
    return Case(mid, opened.version, lambda: _their_measure_edit(led, mid), lambda v: ours(opened, v),
                lambda: _measure_state(led, mid), "整改措施")


def measure_save(led):
    return _measure_case(led, lambda m, v: rect.save_measure(led, replace(m, content="我的措施", version=v), today=TODAY))


def measure_close(led):
    return _measure_case(led, lambda m, v: rect.finish_and_close(led, m.id, TODAY, "我的整改结果", today=TODAY,
                                                                 version=v))


def measure_undo_close(led):
    return _measure_case(led, lambda m, v: rect.undo_close(led, m.id, version=v), closed=True)


def measure_delete(led):
    return _measure_case(led, lambda m, v: rect.delete(led, "measure", m.id, version=v))


def campaign_save(led):
    cid = _rect(led)["campaign"]
    opened = rect.get_campaign(led, cid)

    def edit(text, version):
        c = rect.get_campaign(led, cid) if version is None else opened
        return rect.save_campaign(led, rect.CampaignInput(c.name, c.year, c.branch_id, c.start_date, c.end_date,
                                                          text, cid, version))

    return Case(cid, opened.version, lambda: edit("他们的说明", None), lambda v: edit("我的说明", v),
                lambda: replace(rect.get_campaign(led, cid), version=0), "主题教育活动")


def category_save(led):
    ids = _rect(led)
    opened = rect.get_campaign_tree(led, ids["campaign"], today=TODAY).categories[0]

    def state():
        return rect.get_campaign_tree(led, ids["campaign"], today=TODAY).categories[0].name

    return Case(ids["category"], opened.version,
                lambda: rect.save_category(led, ids["campaign"], "他们的类别", ids["category"]),
                lambda v: rect.save_category(led, ids["campaign"], "我的类别", ids["category"], version=v),
                state, "类别")


def problem_save(led):
    pid = _rect(led)["problem"]
    opened = rect.get_problem(led, pid)
    return Case(pid, opened.version,
                lambda: rect.save_problem(led, replace(rect.get_problem(led, pid), description="他们的问题", version=None)),
                lambda v: rect.save_problem(led, replace(opened, description="我的问题", is_key=True, version=v)),
                lambda: replace(rect.get_problem(led, pid), version=None), "问题")


# ------------------------------------------------------------------ 政治生日
def _event(led) -> str:
    return bd.save_event(led, bd.EventInput(date(2026, 7, 1), (bd.CelebrantInput(led.ids["张建国"], "原寄语"),),
                                            led.ids["branch1"], place="原地点"))


def _event_state(led, eid):
    try:
        d = bd.get_event(led, eid)
    except rect.NotFound:
        return "deleted"
    return d.event.place, d.event.title, d.notes, [(c.member_id, c.message) for c in d.celebrants]


def _event_input(d: bd.EventDetail, version, **changes) -> bd.EventInput:
    e = d.event
    return replace(bd.EventInput(e.date, tuple(bd.CelebrantInput(c.member_id, c.message) for c in d.celebrants),
                                 e.branch_id, e.title, e.place, e.activities, d.notes, e.id, version), **changes)


def _event_case(led, theirs, ours, history=True):
    eid = _event(led)
    opened = bd.get_event(led, eid)
    return Case(eid, opened.event.version, lambda: theirs(eid), lambda v: ours(opened, v),
                lambda: _event_state(led, eid), "政治生日活动", history)


def event_save(led):
    return _event_case(
        led, lambda eid: bd.save_event(led, _event_input(bd.get_event(led, eid), None, place="他们的会议室")),
        lambda d, v: bd.save_event(led, _event_input(d, v, place="我的会议室", notes="我的备注",
                                                    celebrants=(bd.CelebrantInput(led.ids["李秀英"], "我的寄语"),))))


def event_celebrants_only(led):
    """Their edit touches only a celebrant's 寄语: the event's version still moves."""
    def theirs(eid):
        d = bd.get_event(led, eid)
        bd.save_event(led, _event_input(d, None, celebrants=(bd.CelebrantInput(led.ids["张建国"], "他们的寄语"),)))

    return _event_case(led, theirs, lambda d, v: bd.save_event(led, _event_input(d, v, place="我的会议室")),
                       history=False)


def event_delete(led):
    return _event_case(
        led, lambda eid: bd.save_event(led, _event_input(bd.get_event(led, eid), None, place="他们的会议室")),
        lambda d, v: bd.delete_event(led, d.event.id, version=v))


# ------------------------------------------------------------------ 三会一课 (the save is tests/services/test_conflicts.py)
def meeting_delete(led):
    from desktop.domain.enums import MeetingKind
    from desktop.services import meetings as mt

    inp = mt.new_meeting(led, led.ids["branch1"], MeetingKind.COMMITTEE, date(2026, 3, 10))
    mid = mt.save_meeting(led, replace(inp, content="原稿"))
    opened = mt.get_meeting(led, mid).version

    def theirs():
        mt.save_meeting(led, replace(mt.get_meeting(led, mid).to_input(), content="他们的记录"))

    def exists():
        try:
            return mt.get_meeting(led, mid).content
        except DomainValidationError:  # 该会议记录不存在或已删除
            return "deleted"

    return Case(mid, opened, theirs, lambda v: mt.delete_meeting(led, mid, version=v), exists, "会议记录")


# ------------------------------------------------------------------ 组织
def _branch_state(led, bid):
    try:
        return replace(org.get_branch(led, bid), version=0)
    except KeyError:
        return "deleted"


def _branch_case(led, bid, ours):
    opened = org.get_branch(led, bid)
    return Case(bid, opened.version,
                lambda: org.save_branch(led, branch_input(org.get_branch(led, bid), notes="他们的备注", version=None)),
                lambda v: ours(opened, v), lambda: _branch_state(led, bid), "党支部")


def branch_save(led):
    return _branch_case(led, led.ids["branch1"], lambda b, v: org.save_branch(
        led, branch_input(b, name="我的支部", theme_day_of_month=20, version=v)))


def branch_delete(led):
    bid = org.save_branch(led, org.BranchInput("第三党支部"))
    return _branch_case(led, bid, lambda b, v: org.delete_branch(led, b.id, version=v))


def _groups(led):
    return {g.id: (g.name, g.version) for g in org.list_groups(led, led.ids["branch1"])}


def group_rename(led):
    b1, gid = led.ids["branch1"], led.ids["group1"]
    return Case(gid, _groups(led)[gid][1], lambda: org.save_group(led, b1, "他们的小组", gid),
                lambda v: org.save_group(led, b1, "我的小组", gid, version=v),
                lambda: {k: n for k, (n, _v) in _groups(led).items()}, "党小组")


def group_delete(led):
    b1 = led.ids["branch1"]
    gid = org.save_group(led, b1, "第三党小组")
    return Case(gid, _groups(led)[gid][1], lambda: org.save_group(led, b1, "他们的小组", gid),
                lambda v: org.delete_group(led, gid, version=v),
                lambda: {k: n for k, (n, _v) in _groups(led).items()}, "党小组")


def _posts(led):
    return {p.id: p for p in org.list_posts(led, led.ids["branch1"])}


def _post_case(led, ours):
    post = next(p for p in _posts(led).values() if p.post == "组织委员")

    def theirs():
        org.save_post(led, org.PostInput(post.branch_id, post.member_id, post.post, "2021-02-01", id=post.id))

    return Case(post.id, post.version, theirs, lambda v: ours(post, v),
                lambda: (lambda p: p and (p.start_date, p.end_date))(_posts(led).get(post.id)), "任职记录", False)


def post_end(led):
    return _post_case(led, lambda p, v: org.end_post(led, p.id, "2026-06-30", version=v))


def post_save(led):
    return _post_case(led, lambda p, v: org.save_post(led, org.PostInput(
        p.branch_id, p.member_id, p.post, "2020-05-01", "2026-05-31", id=p.id, version=v)))


def post_delete(led):
    return _post_case(led, lambda p, v: org.delete_post(led, p.id, version=v))


def committee_save(led):
    opened = org.get_committee(led)
    return Case(opened.id, opened.version, lambda: org.save_committee(led, "他们的机关党委", "某某局"),
                lambda v: org.save_committee(led, "我的机关党委", "某某局", version=v),
                lambda: replace(org.get_committee(led), version=0), "党组织")


CASES = [member_save, member_status, member_transfer, member_probation, member_delete,
         campaign_save, category_save, problem_save, measure_save, measure_close, measure_undo_close, measure_delete,
         event_save, event_celebrants_only, event_delete, meeting_delete,
         branch_save, branch_delete, group_rename, group_delete, post_end, post_save, post_delete, committee_save]


@pytest.mark.parametrize("make", CASES, ids=[c.__name__ for c in CASES])
def test_stale_version_is_refused_and_the_current_one_saves(org_ledger, make):
    case = make(org_ledger)
    case.theirs()
    theirs = case.state()
    before = datetime.now().astimezone()
    with pytest.raises(RecordConflict) as info:
        case.ours(case.opened)
    exc = info.value
    assert case.state() == theirs  # nothing of ours written, not even half
    assert exc.field == case.label and exc.record_id == case.record_id and exc.current_version > case.opened
    assert exc.when is not None and abs((exc.when - before).total_seconds()) < 120
    assert str(exc) == f"{case.label}：该记录已被 {exc.who} 于 {exc.when:%Y-%m-%d %H:%M} 修改"
    if org_ledger.is_server:
        assert exc.who == org_ledger.user
    else:
        assert exc.who.startswith("另一台电脑（") or exc.who == "其他用户"
    case.ours(exc.current_version)  # 另存为新版本: from the version now stored, ours goes on top
    assert case.state() != theirs
    if case.history:
        assert any("他们的" in (h.new or "") for h in record_history(org_ledger, case.record_id)), \
            "theirs stays in 修改历史"


@pytest.mark.parametrize("make", [member_save, measure_save, branch_save, event_save],
                         ids=["member", "measure", "branch", "event"])
def test_unchanged_record_saves_with_the_version_opened(org_ledger, make):
    case = make(org_ledger)
    before = case.state()
    case.ours(case.opened)
    assert case.state() != before
