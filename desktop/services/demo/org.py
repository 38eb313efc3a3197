"""Committee, branches, groups, members, membership periods and committee posts of the sample."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session

from desktop.domain.dates import format_cn_date
from desktop.domain.enums import (
    CommitteePost,
    LectureFrequency,
    MemberCategory,
    MembershipChange,
)
from desktop.store.models import Branch, Committee, Member, Membership, PartyGroup, PostHolding

from .people import (
    ADMITTED_AT_MEETING,
    ESTABLISHED,
    PEOPLE,
    TRANSFER_IN,
    TRANSFER_OUT,
    id_number,
    phone_number,
)

COMMITTEE_NAME = "中共金华经济技术开发区自然资源和规划分局机关委员会"
UNIT_NAME = "金华市自然资源和规划局金华经济技术开发区分局"

# key, name, has_committee, has_groups, lecture frequency, 主题党日 day, room, notes
BRANCHES = (
    ("b1", "第一党支部", True, True, LectureFrequency.QUARTER, 15, "分局三楼党员活动室",
     "原国土分局一支部。党建品牌：“学习型”支部。联系办公室、用地审批科、耕地保护科和国土资源所。"
     "共建单位：山嘴头社区；每名党员挂钩联系一个工业企业。"),
    ("b2", "第二党支部", True, False, LectureFrequency.HALF_YEAR, 10, "分局五楼规划会议室",
     "原规划分局党支部。党建品牌：“规划三创新、满意在基层”（2018年市直机关“一星级”知名品牌）。"
     "联系规划编制科、规划管理科、测绘与地理信息科和规划管理所。"),
    ("b3", "第三党支部", False, False, LectureFrequency.QUARTER, 20, "土地储备中心二楼会议室",
     "联系土地储备中心、土地出让和土地整理工作；围绕土地出让、土地整理、低效用地再开发筹建支部党建品牌。"
     "正式党员不足7人，不设支部委员会，设书记1名。"),
)
GROUPS = (("g1", "b1", "第一党小组（机关科室）"), ("g2", "b1", "第二党小组（国土资源所）"))

ELECTION_2022 = date(2022, 12, 16)
ELECTION_2025 = date(2025, 12, 18)  # 换届选举 at the Q4 2025 党员大会 of 第一、第二党支部
BY_ELECTION = date(2026, 5, 14)  # 第一党支部 补选宣传委员 after 何俊杰 was transferred out

# branch, post, member key, start, end
POSTS: tuple[tuple[str, CommitteePost, str, date, date | None], ...] = (
    ("b1", CommitteePost.SECRETARY, "chenlq", ELECTION_2022, None),
    ("b1", CommitteePost.DEPUTY_SECRETARY, "wujp", ELECTION_2022, None),
    ("b1", CommitteePost.ORGANIZATION, "zhouxy", ELECTION_2022, None),
    ("b1", CommitteePost.PROPAGANDA, "hejj", ELECTION_2022, TRANSFER_OUT[1]),
    ("b1", CommitteePost.PROPAGANDA, "loulp", BY_ELECTION, None),
    ("b1", CommitteePost.DISCIPLINE, "jianghm", ELECTION_2022, None),
    ("b2", CommitteePost.SECRETARY, "linjg", ELECTION_2022, None),
    ("b2", CommitteePost.DEPUTY_SECRETARY, "yangf", ELECTION_2022, None),
    ("b2", CommitteePost.ORGANIZATION, "panxm", ELECTION_2022, None),
    ("b2", CommitteePost.PROPAGANDA, "zhuxf", ELECTION_2022, ELECTION_2025 - timedelta(days=1)),
    ("b2", CommitteePost.PROPAGANDA, "shenjy", ELECTION_2025, None),
    ("b2", CommitteePost.DISCIPLINE, "yanzh", ELECTION_2022, None),
    ("b3", CommitteePost.SECRETARY, "guow", ELECTION_2022, None),
)
GROUP_LEADERS = (("g1", "shaowb"), ("g2", "xuwd"))


@dataclass
class Org:
    """Ids of what was built, by the keys of the tables above."""

    committee_id: str = ""
    branches: dict[str, str] = field(default_factory=dict)
    branch_names: dict[str, str] = field(default_factory=dict)
    rooms: dict[str, str] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    group_names: dict[str, str] = field(default_factory=dict)
    members: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # member id -> name


def build_org(session: Session, rng: random.Random) -> Org:
    org = Org()
    committee = Committee(name=COMMITTEE_NAME, unit_name=UNIT_NAME)
    session.add(committee)
    session.flush()
    org.committee_id = committee.id
    for i, (key, name, has_committee, has_groups, lecture, day, room, notes) in enumerate(BRANCHES):
        branch = Branch(
            committee_id=committee.id, name=name, sort_order=i + 1, has_committee=has_committee,
            has_groups=has_groups, lecture_frequency=lecture, theme_day_of_month=day,
            established_on=ESTABLISHED, notes=notes,
        )
        session.add(branch)
        session.flush()
        org.branches[key], org.branch_names[key], org.rooms[key] = branch.id, name, room
    for i, (key, bkey, name) in enumerate(GROUPS):
        group = PartyGroup(branch_id=org.branches[bkey], name=name, sort_order=i + 1)
        session.add(group)
        session.flush()
        org.groups[key], org.group_names[key] = group.id, name

    for p in PEOPLE:
        transferred_out = p.key == TRANSFER_OUT[0]
        member = Member(
            name=p.name, gender=p.gender, ethnicity=p.ethnicity, birth_date=p.birth, education=p.education,
            id_number=id_number(p, rng), phone=phone_number(rng),
            branch_id=None if transferred_out else org.branches[p.branch],
            group_id=None if transferred_out or p.group is None else org.groups[p.group],
            job_title=p.job,
            category=MemberCategory.FULL if p.full else MemberCategory.PROBATIONARY,
            status=p.status, join_date=p.join, full_date=p.full,
            notes=_member_notes(p.key),
        )
        session.add(member)
        session.flush()
        org.members[p.key] = member.id
        org.names[member.id] = p.name
        session.add(_membership(p, member.id, org))

    for bkey, post, mkey, start, end in POSTS:
        session.add(PostHolding(branch_id=org.branches[bkey], member_id=org.members[mkey], post=post,
                                start_date=start, end_date=end))
    for gkey, mkey in GROUP_LEADERS:
        bkey = next(b for g, b, _n in GROUPS if g == gkey)
        session.add(PostHolding(branch_id=org.branches[bkey], group_id=org.groups[gkey], member_id=org.members[mkey],
                                post=CommitteePost.GROUP_LEADER, start_date=ELECTION_2022))
    session.flush()
    return org


def _membership(p, member_id: str, org: Org) -> Membership:
    group_id = org.groups[p.group] if p.group else None
    if p.key == TRANSFER_IN[0]:
        start, reason, notes = TRANSFER_IN[1], MembershipChange.TRANSFER_IN, TRANSFER_IN[2]
    elif p.key in ADMITTED_AT_MEETING:
        # admitted by the 党员大会 of that day, where the applicant attended as 列席; due from the next day
        start, reason = p.join + timedelta(days=1), MembershipChange.ADMITTED
        notes = f"{format_cn_date(p.join)}支部党员大会接收为预备党员"
    elif p.join > ESTABLISHED:
        start, reason, notes = p.join, MembershipChange.ADMITTED, ""
    else:
        start, reason, notes = ESTABLISHED, MembershipChange.INITIAL, ""
    end, end_reason = None, ""
    if p.key == TRANSFER_OUT[0]:
        end, end_reason, notes = TRANSFER_OUT[1], MembershipChange.TRANSFER_OUT, TRANSFER_OUT[2]
    return Membership(member_id=member_id, branch_id=org.branches[p.branch], group_id=group_id, start_date=start,
                      end_date=end, start_reason=reason, end_reason=end_reason, notes=notes)


def _member_notes(key: str) -> str:
    if key == TRANSFER_OUT[0]:
        return f"{format_cn_date(TRANSFER_OUT[1])}{TRANSFER_OUT[2]}，组织关系已转出。"
    if key == TRANSFER_IN[0]:
        return f"{format_cn_date(TRANSFER_IN[1])}{TRANSFER_IN[2]}。"
    if key == "tonglx":
        return "2012年退休。1976年7月1日转正，2026年光荣在党50年，已申报“光荣在党50年”纪念章。"
    if key in ("wujp", "lvj"):
        return "机关党委专职党务工作者。"
    return ""

