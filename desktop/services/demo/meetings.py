"""Write the planned sample meetings with attendance frozen from the roster of each meeting date."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session

from desktop.domain.enums import (
    AttendanceScope,
    AttendanceStatus,
    CommitteePost,
    GuestRole,
    MeetingKind,
    MeetingState,
    MemberCategory,
)
from desktop.domain.meeting_kinds import kind_spec
from desktop.domain.meetings import Attendee, summarize_attendance
from desktop.store.changes import RecordKind, note_changes
from desktop.store.history import created_in_bulk
from desktop.store.models import AgendaItem, Attendance, Guest, Meeting, Motion, Speech, new_id
from desktop.store.queries import DueMember

from .minutes import COMPOSERS, Ctx
from .org import BY_ELECTION, ELECTION_2025, Org
from .people import BY_KEY, TRANSFER_OUT
from .rosters import Rosters
from .schedule import DRAFTS_FROM, TIMES, Plan, plan_meetings
from .topics import GUEST_LECTURERS, LECTURES, TOPICS

K = MeetingKind
P = CommitteePost
REASONS = ("因公出差", "病假", "事假", "公休假", "外出学习培训")
RECORDERS = {"b1": "周晓燕", "b2": "潘雪梅", "b3": "孙雯", "g1": "汪丽娟", "g2": "郑雅琴"}
SUPERIOR = ("冯建华", "中共金华市直属机关工作委员会组织部二级主任科员", GuestRole.SUPERIOR)
COMMITTEE_OFFICE = ("吴建平", "机关党委专职副书记", GuestRole.SUPERIOR)


def _month_before(d: date) -> tuple[int, int]:
    return (d.year - 1, 12) if d.month == 1 else (d.year, d.month - 1)


def _month_after(d: date) -> tuple[int, int]:
    return (d.year + 1, 1) if d.month == 12 else (d.year, d.month + 1)


def build_meetings(session: Session, org: Org, rng: random.Random, today: date) -> int:
    lecture_index: dict[str, int] = {}
    plans = plan_meetings(today)
    rosters = Rosters(session, org)
    attendance: list[dict] = []
    # Rosters and posts come from rows flushed by build_org; the meetings are inserted in one batch,
    # then their attendance rows (the bulk of the file) in one executemany through the model, with
    # their creation in the change history like any saved record (store.history.created_in_bulk).
    with session.no_autoflush:
        for plan in plans:
            attendance += _write(session, org, rosters, rng, plan, lecture_index)
    session.flush()
    for row in attendance:
        row["id"] = new_id()
    session.execute(insert(Attendance), attendance)
    created_in_bulk(session, Attendance.__tablename__, [row["id"] for row in attendance])  # history, like any save
    note_changes(session, RecordKind.ATTENDANCE, [row["id"] for row in attendance])  # and the listeners
    return len(plans)


def _write(session: Session, org: Org, rosters: Rosters, rng: random.Random, plan: Plan,
           lecture_index: dict[str, int]) -> list[dict]:
    branch_id = org.branches[plan.branch]
    day = plan.day
    holdings = rosters.posts(branch_id, day)
    posts = {post: name for post, _g, name in holdings if post != P.GROUP_LEADER}
    group_id = org.groups[plan.group] if plan.group else None
    host = posts[P.SECRETARY]
    recorder = RECORDERS[plan.group or plan.branch]
    extra: dict = {}
    spec = kind_spec(plan.kind)  # who is due and who hosts: the kind's rules, as the editor proposes
    if spec.attendance == AttendanceScope.COMMITTEE:
        due = rosters.committee(branch_id, day)
    elif spec.per_group:
        due = rosters.members(branch_id, day, group_id)
        host = next(name for post, g, name in holdings if post == P.GROUP_LEADER and g == group_id)
    else:
        due = rosters.members(branch_id, day)
    if plan.kind == K.COMMITTEE:  # the sample words of each kind (minutes.COMPOSERS) need these
        nxt = TOPICS.get(_month_after(day))
        extra["next_theme"] = nxt.theme if nxt else ""
    elif plan.kind == K.GROUP:
        extra["group_name"] = org.group_names[plan.group]
        extra["jobs"] = {p.name: p.job for p in BY_KEY.values()}
    protected = {host, recorder}
    if plan.kind == K.LECTURE:
        i = lecture_index.get(plan.branch, 0)
        lecture_index[plan.branch] = i + 1
        who, lecture_title, summary = LECTURES[plan.branch][i % len(LECTURES[plan.branch])]
        if isinstance(who, int):
            name, title = GUEST_LECTURERS[who]
            extra["guest"] = (name, title, GuestRole.SUPERIOR)
        else:
            name = BY_KEY[who].name
            post = next((p for p, _g, n in holdings if n == name and p != P.GROUP_LEADER), "")
            title = f"{org.branch_names[plan.branch]}{post}、{BY_KEY[who].job}" if post else BY_KEY[who].job
            if name == host and P.DEPUTY_SECRETARY in posts:
                host = posts[P.DEPUTY_SECRETARY]
        extra.update(lecturer=name, lecturer_title=title, lecture=(lecture_title, summary))
        protected |= {name, host}
    if plan.kind == K.GENERAL_ASSEMBLY:
        extra.update(_assembly_specials(plan, posts))
        protected |= {v for k, v in extra.items() if k in ("candidate", "sponsor", "elected_name")}
    if plan.kind == K.ORG_LIFE:
        extra["guest"] = SUPERIOR if plan.branch == "b1" else COMMITTEE_OFFICE

    absent = _absentees(plan, due, protected, rng)
    attendees = [Attendee(d.member_id, d.name, d.category,
                          AttendanceStatus.ABSENT if d.member_id in absent else AttendanceStatus.PRESENT,
                          absent.get(d.member_id, "")) for d in due]
    summary = summarize_attendance(attendees)
    extra["full_names"] = {a.name for a in attendees if a.category == MemberCategory.FULL}
    ctx = Ctx(plan, TOPICS[(day.year, day.month)], TOPICS.get(_month_before(day)), org.branch_names[plan.branch],
              org.rooms[plan.branch], posts, host, recorder,
              [a.name for a in attendees if a.status == AttendanceStatus.PRESENT],
              [(a.name, a.reason) for a in attendees if a.status == AttendanceStatus.ABSENT], summary, rng, extra,
              has_committee=P.DEPUTY_SECRETARY in posts or P.ORGANIZATION in posts)
    minutes = COMPOSERS[plan.kind](ctx)

    start, end = TIMES[plan.kind]
    if plan.kind == K.THEME_DAY and minutes.place != org.rooms[plan.branch]:
        start, end = time(9, 0), time(11, 30)
    draft = day >= DRAFTS_FROM
    meeting = Meeting(
        id=new_id(), branch_id=branch_id, group_id=group_id, kind=plan.kind, number=plan.number, title=minutes.title, date=day,
        start_time=start, end_time=end, place=minutes.place, host=host, recorder=recorder,
        content=minutes.content, resolution=minutes.resolution,
        is_election=any(m[4] for m in minutes.motions),
        state=MeetingState.DRAFT if draft else MeetingState.FINAL,
        finalized_at=None if draft else datetime.combine(day + timedelta(days=2), time(9, 0), tzinfo=UTC),
        **minutes.fields,
    )
    meeting.agenda = [AgendaItem(seq=i + 1, text=t) for i, t in enumerate(minutes.agenda)]
    meeting.speeches = [Speech(seq=i + 1, section=s, speaker=n, text=t) for i, (s, n, t) in enumerate(minutes.speeches)]
    meeting.motions = [Motion(seq=i + 1, title=t, yes=y, no=n, abstain=a, is_election=e)
                       for i, (t, y, n, a, e) in enumerate(minutes.motions)]
    meeting.guests = [Guest(seq=i + 1, name=n, title=t, role=r) for i, (n, t, r) in enumerate(minutes.guests)]
    session.add(meeting)
    return [{"meeting_id": meeting.id, "member_id": a.member_id, "status": a.status.value, "reason": a.reason,
             "category": a.category.value} for a in attendees]


def _assembly_specials(plan: Plan, posts: dict[str, str]) -> dict:
    if plan.day == ELECTION_2025:
        order = (P.SECRETARY, P.DEPUTY_SECRETARY, P.ORGANIZATION, P.PROPAGANDA, P.DISCIPLINE)
        elected = "、".join(posts[p] for p in order if p in posts)
        guest = SUPERIOR if plan.branch == "b1" else COMMITTEE_OFFICE
        return {"special": "election", "elected": elected, "guest": guest}
    for key, sponsor in (("zhaosy", "fujm"), ("renxw", "sunw")):
        p = BY_KEY[key]
        if plan.branch == p.branch and plan.day == p.join:
            return {"special": "admission", "candidate": p.name, "candidate_job": p.job, "sponsor": BY_KEY[sponsor].name}
    if plan.branch == "b1" and plan.day == BY_ELECTION:
        return {"special": "full_membership", "candidate": BY_KEY["zhaosy"].name, "sponsor": BY_KEY["fujm"].name,
                "vacancy": BY_KEY[TRANSFER_OUT[0]].name, "elected": BY_KEY["loulp"].name,
                "elected_name": BY_KEY["loulp"].name}
    return {}


def _absentees(plan: Plan, due: list[DueMember], protected: set[str], rng: random.Random) -> dict[str, str]:
    """member id -> reason. Ordinary meetings lose 0–2 people; the deliberate faults more or no reason."""
    pool = [d for d in due if d.name not in protected]
    out: dict[str, str] = {}
    retired = BY_KEY["tonglx"].name
    for d in pool:
        if d.name == retired and rng.random() < 0.5:
            out[d.member_id] = "病假"
    if "no_quorum" in plan.flags:
        voting = [d for d in pool if d.category == "正式党员" and d.member_id not in out]
        need_absent = len([d for d in due if d.category == "正式党员"]) - len(
            [d for d in due if d.category == "正式党员"]) // 2 - len(out)
        for d in voting[:need_absent]:
            out[d.member_id] = rng.choice(("因公出差", "外出学习培训", "因公出差", "公休假"))
        return out
    weights = {K.COMMITTEE: (0, 0, 0, 1), K.GROUP: (0, 0, 1), K.EVALUATION: (0, 1)}.get(plan.kind, (0, 1, 1, 2))
    n = rng.choice(weights)
    if plan.kind in (K.GENERAL_ASSEMBLY,) and len(due) < 8:
        n = min(n, 1)
    for d in rng.sample(pool, min(n, len(pool))):
        out.setdefault(d.member_id, rng.choice(REASONS))
    if "absent_without_reason" in plan.flags:
        victim = next(d for d in pool if d.name == BY_KEY["shil"].name)
        out[victim.member_id] = ""
    return out
