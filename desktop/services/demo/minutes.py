"""The words of the sample minutes: agenda, named speeches, motions, resolutions, per kind.

Every record names its speakers; the only vague wording (“大家一致认为”) is the deliberate
fault of one 主题党日 (see schedule.VAGUE). Vote tallies equal the voting members present.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from desktop.domain.dates import quarter_of
from desktop.domain.enums import CommitteePost, GuestRole, MeetingKind
from desktop.domain.meetings import AttendanceSummary

from .schedule import Plan
from .topics import MonthTopic

K = MeetingKind
P = CommitteePost
CN_Q = "一二三四"


@dataclass
class Ctx:
    plan: Plan
    topic: MonthTopic
    prev_topic: MonthTopic | None
    branch_name: str
    room: str
    posts: dict[str, str]  # CommitteePost value -> name
    host: str
    recorder: str
    present: list[str]  # names, roster order
    absent: list[tuple[str, str]]  # (name, reason)
    summary: AttendanceSummary
    rng: random.Random
    extra: dict = field(default_factory=dict)  # kind-specific facts from the builder
    has_committee: bool = True

    @property
    def body(self) -> str:
        """Who reports for the branch: its 支部委员会, or the 书记 where there is none."""
        return "支部委员会" if self.has_committee else "支部书记"

    def others(self, n: int, exclude: tuple[str, ...] = ()) -> list[str]:
        pool = [x for x in self.present if x not in (self.host, *exclude)]
        return self.rng.sample(pool, min(n, len(pool)))

    @property
    def month(self) -> int:
        return self.plan.day.month


@dataclass
class Minutes:
    title: str
    place: str
    agenda: list[str]
    content: str
    resolution: str = ""
    speeches: list[tuple[str, str, str]] = field(default_factory=list)  # (section, speaker, text)
    motions: list[tuple[str, int, int, int, bool]] = field(default_factory=list)
    guests: list[tuple[str, str, str]] = field(default_factory=list)  # (name, title, role)
    fields: dict[str, str] = field(default_factory=dict)  # lecture / theme-day fields


def _tally(ctx: Ctx, election: bool = False) -> tuple[int, int, int, bool]:
    return ctx.summary.voting_present, 0, 0, election


def committee(ctx: Ctx) -> Minutes:
    t, m, p = ctx.topic, ctx.month, ctx.posts
    next_m = 1 if m == 12 else m + 1
    agenda = [f"传达学习{t.study}", f"研究{t.work}中党员先锋作用发挥", f"研究{next_m}月主题党日活动安排"]
    if m in (3, 6, 9, 12):
        agenda.append(f"通报第{CN_Q[quarter_of(ctx.plan.day) - 1]}季度党费收缴情况")
    speeches = [("", ctx.host, f"传达了{t.study}的主要精神，要求支委带头学、带动党员学；通报本月{t.work}进展，"
                               f"提出支委按分工包干推进，每周五前向支部报告进度。")]
    lines = {
        P.DEPUTY_SECRETARY: f"就{t.work}提出意见：对进度滞后的事项列出清单，明确责任人和完成时限，下次支委会逐项销号。",
        P.ORGANIZATION: f"通报了上月党员“学习强国”积分和党费交纳情况，全体党员均已按月足额交纳；"
                        f"建议{next_m}月主题党日结合{quoted(_next_theme(ctx))}组织。",
        P.PROPAGANDA: "汇报了支部宣传栏和微信公众号更新情况，建议对本月活动做好图文记录，及时报送机关党委。",
        P.DISCIPLINE: f"提醒关注{t.work}中的廉政风险，建议在主题党日中安排一次廉政提醒谈话。",
    }
    for post, text in lines.items():
        name = p.get(post)
        if name and name in ctx.present and name != ctx.host:
            speeches.append(("", name, text))
    motion = f"{next_m}月主题党日活动方案"
    yes, no, ab, el = _tally(ctx)
    resolution = (f"一、{next_m}月主题党日以{quoted(_next_theme(ctx))}为主题，由组织委员{p.get(P.ORGANIZATION, ctx.host)}负责组织；"
                  f"二、{t.next_step}，由{ctx.host}牵头，月底前完成。")
    content = (f"{ctx.host}主持会议。会议学习了{t.study}，研究了{t.work}和下月支部活动安排。"
               f"支委逐一发言，表决了{motion}。")
    return Minutes(f"{ctx.branch_name}{ctx.plan.day.year}年第{ctx.plan.number}次支部委员会", ctx.room, agenda,
                   content, resolution, speeches, [(motion, yes, no, ab, el)])


def _next_theme(ctx: Ctx) -> str:
    return ctx.extra.get("next_theme") or ctx.topic.theme


GROUP_LINES = (
    "结合{job}岗位谈了学习体会，认为{work}要把企业和群众满意作为标准，本月主动上门服务两家企业。",
    "谈到{work}中遇到的难点，建议小组建立问题清单，每周碰头一次，逐条研究解决。",
    "表示要把学习成果转化为{work}的具体成效，手头承办件全部按期办结。",
    "交流了“学习强国”和“每周一夜学”的学习收获，建议小组每月开展一次业务知识互学。",
    "围绕{study}谈了认识，提出在窗口服务中落实“最多跑一次”要求，减少群众跑腿。",
    "联系自身谈了差距：政治理论学习有时挤不出时间，今后每天保证半小时学习。",
)


def group(ctx: Ctx) -> Minutes:
    t = ctx.topic
    agenda = [f"学习{t.study}", f"交流{t.work}中的做法和体会"]
    speeches = [("", ctx.host, f"领学了{t.study}的重点内容，结合小组实际布置本月{t.work}任务。")]
    jobs = ctx.extra["jobs"]
    for i, name in enumerate(ctx.others(3, (ctx.recorder,))):
        line = GROUP_LINES[(ctx.plan.number + i * 2) % len(GROUP_LINES)]
        speeches.append(("", name, line.format(job=jobs.get(name, "本职"), work=t.work, study=t.study)))
    content = f"{ctx.host}主持。小组集中学习了{t.study}，组员结合本职工作交流发言。"
    resolution = f"会议明确：本月每名组员撰写一篇学习体会；{t.work}中发现的问题由{ctx.host}汇总后报支部。"
    return Minutes(f"{ctx.extra['group_name']}{ctx.plan.day.year}年第{ctx.plan.number}次党小组会", ctx.room,
                   agenda, content, resolution, speeches)


def general_assembly(ctx: Ctx) -> Minutes:
    t, d, p, s = ctx.topic, ctx.plan.day, ctx.posts, ctx.summary
    q = CN_Q[quarter_of(d) - 1]
    agenda = [f"传达学习{t.study}", f"听取{ctx.body}第{q}季度工作情况报告"]
    speeches = [("", ctx.host, f"报告第{q}季度支部工作：支部围绕{t.work}，组织党员开展主题党日和集中学习，"
                               f"党员在项目一线亮身份、作表率。下一步工作安排：{t.next_step}。")]
    motions: list[tuple[str, int, int, int, bool]] = []
    guests: list[tuple[str, str, str]] = []
    special = ctx.extra.get("special", "")
    org_name = p.get(P.ORGANIZATION, ctx.recorder)
    if special == "election":
        agenda.append("选举新一届支部委员会")
        speeches.append(("", org_name, f"宣读选举办法和候选人名单，说明本次选举为等额选举，应到有选举权党员{s.voting_due}人，"
                                       f"实到{s.voting_present}人，超过应到人数的五分之四，可以进行选举。"))
        motions.append(("选举新一届支部委员会委员（等额选举）", s.voting_present, 0, 0, True))
        guests.append(ctx.extra["guest"])
        resolution = "选举产生新一届支部委员会，" + ctx.extra["elected"] + "当选；随后召开支委会进行分工。"
    elif special == "admission":
        cand = ctx.extra["candidate"]
        agenda.append(f"讨论接收{cand}同志为预备党员")
        # the applicant is not yet a member: she attends as 列席 and her statement is in the content
        speeches.append(("", ctx.extra["sponsor"], f"作为入党介绍人，介绍了{cand}同志在{ctx.extra['candidate_job']}岗位上的工作表现"
                                                   f"和培养考察情况，同意接收。"))
        ctx.extra["content_note"] = f"发展对象{cand}汇报了对党的认识、入党动机和个人履历。"
        motions.append((f"关于接收{cand}同志为中共预备党员的决议", s.voting_present, 0, 0, False))
        guests.append((cand, "发展对象", GuestRole.OBSERVER))
        resolution = f"同意接收{cand}同志为中共预备党员，预备期一年，报机关党委审批。"
    elif special == "full_membership":
        cand, sponsor = ctx.extra["candidate"], ctx.extra["sponsor"]
        agenda += [f"讨论{cand}同志预备党员转正", "补选支部宣传委员"]
        speeches += [
            ("", cand, "汇报了预备期间的思想和工作情况，提出自己在服务企业方面经验不足，今后加强学习。"),
            ("", sponsor, f"作为入党介绍人，认为{cand}同志预备期间表现良好，在项目用地审批中积极主动，同意按期转正。"),
            ("", org_name, f"说明{ctx.extra['vacancy']}同志组织关系转出后宣传委员空缺，支委会提名{ctx.extra['elected']}同志为补选人选。"),
        ]
        motions += [(f"关于{cand}同志按期转正的决议", s.voting_present, 0, 0, False),
                    ("补选支部宣传委员", s.voting_present, 0, 0, True)]
        resolution = (f"一、同意{cand}同志按期转正，报机关党委审批；"
                      f"二、{ctx.extra['elected']}同志当选支部宣传委员。")
    else:
        title = {
            "一": f"《{ctx.branch_name}{d.year}年党建工作要点》",
            "二": "党员挂钩联系企业分工方案",
            "三": "《关于开展“我为企业解难题”结对帮扶的实施方案》",
            "四": f"{d.year}年度党费收缴使用情况报告",
        }[q]
        agenda.append(f"审议{title}")
        lines = (f"对{title}提出修改意见：建议把{t.work}的具体目标写进去，并明确完成时限。",
                 f"赞成{title}，建议实施中每季度在党员大会上通报一次进展。")
        for name, line in zip(ctx.others(2, (org_name,)), lines, strict=False):
            speeches.append(("", name, line))
        motions.append((f"审议通过{title}", s.voting_present, 0, 0, False))
        resolution = f"审议通过{title}，由{ctx.body}组织实施。"
    content = (f"{ctx.host}主持会议。{s.text()}。会议传达学习了{t.study}，听取了{ctx.body}工作报告，"
               f"对会议议题进行了讨论和表决。{ctx.extra.get('content_note', '')}")
    return Minutes(f"{ctx.branch_name}{d.year}年第{ctx.plan.number}次支部党员大会", ctx.room, agenda, content,
                   resolution, speeches, motions, guests)


def lecture(ctx: Ctx) -> Minutes:
    lecturer, ltitle, (title, summary) = ctx.extra["lecturer"], ctx.extra["lecturer_title"], ctx.extra["lecture"]
    content = (f"{ctx.host}主持。{lecturer}（{ltitle}）以《{title}》为题为全体党员讲授党课。{summary}"
               f"授课结束后，党员结合岗位交流了学习体会。")
    lines = (f"谈了听课体会，表示要把党课内容落实到{ctx.topic.work}中，做到学用结合。",
             "结合本职岗位谈了认识，提出要把党课中讲到的要求转化为服务企业和群众的具体行动。")
    speeches = [("交流发言", n, line) for n, line in zip(ctx.others(2, (lecturer,)), lines, strict=False)]
    guests = [ctx.extra["guest"]] if ctx.extra.get("guest") else []
    return Minutes(f"党课：{title}", ctx.room, [f"{lecturer}讲授党课《{title}》", "党员交流学习体会"], content,
                   "", speeches, guests=guests,
                   fields={"lecturer": lecturer, "lecturer_title": ltitle, "lecture_title": title, "summary": summary})


def theme_day(ctx: Ctx) -> Minutes:
    t, p = ctx.topic, ctx.posts
    org_name = p.get(P.ORGANIZATION) or ctx.recorder
    place = t.theme_place or ctx.room
    actions = ["交纳党费", "重温入党誓词"] + (["集中学习"] if ctx.month % 2 else [])
    followup = (f"上次议定事项{quoted(ctx.prev_topic.next_step)}已落实，由{ctx.host}在会上作了通报。"
                if ctx.prev_topic else "")
    agenda = ["重温入党誓词", f"交纳{ctx.month}月党费", f"开展{quoted(t.theme)}活动", "通报上次议定事项落实情况"]
    guests = []
    if "社区" in place:
        guests.append(("应美华", "山嘴头社区党委书记", GuestRole.OBSERVER))
    if "vague" in ctx.plan.flags:
        content = (f"本月主题党日在{place}举行，主题为{quoted(t.theme)}。全体党员重温入党誓词，交纳党费。{t.theme_activity}。"
                   f"活动结束后进行了讨论，大家一致认为活动很有意义，收获很大。")
        return Minutes(f"{ctx.month}月主题党日：{t.theme}", place, agenda, content, "", [], guests=guests,
                       fields={"theme": t.theme, "required_actions": "\n".join(actions), "followup": followup})
    content = (f"{ctx.host}主持。全体党员在{place}开展{quoted(t.theme)}主题党日活动。{ctx.host}带领全体党员重温入党誓词；"
               f"{org_name}收缴{ctx.month}月党费，实到党员当场交纳。{t.theme_activity}。")
    speeches = [("", n, line.format(theme=quoted(t.theme), work=t.work)) for n, line in zip(ctx.others(2), (
        "谈了参加{theme}的感受，表示要把活动中受到的教育转化为{work}的干劲。",
        "建议把本次活动中群众和企业提出的问题整理成清单，交相关科室限时答复。",
    ), strict=False)]
    resolution = f"会议议定：{t.next_step}。"
    return Minutes(f"{ctx.month}月主题党日：{t.theme}", place, agenda, content, resolution, speeches,
                   guests=guests, fields={"theme": t.theme, "required_actions": "\n".join(actions),
                                          "followup": followup})


SELF = (
    "理论学习满足于完成规定篇目，联系{work}深入思考不够",
    "服务企业主动性不够，有时等企业上门，没有做到提前介入",
    "遇到历史遗留问题有畏难情绪，攻坚克难的韧劲不足",
    "对年轻同志传帮带不够，谈心交流偏少",
    "“学习强国”学习时断时续，周末学习坚持得不好",
    "业务学习多、政治学习少，党员身份意识有时不够强",
)
CRIT = (
    "{x}同志工作标准高，但对群众解释政策有时不够耐心，建议改进沟通方式",
    "希望{x}同志在支部活动中多发挥带头作用，多交流所思所悟",
    "{x}同志学习笔记以摘抄为主，联系实际的体会偏少，建议多写多思",
    "{x}同志承担任务多，有时临时赶进度，建议提前谋划、合理安排",
)


def org_life(ctx: Ctx) -> Minutes:
    t, y = ctx.topic, ctx.plan.day.year
    on_behalf = "支部委员会" if ctx.has_committee else "支部"
    agenda = [f"支部书记代表{on_behalf}作对照检查", "党员逐一对照检查，开展批评与自我批评", "研究制定整改措施"]
    speeches = [("对照检查", ctx.host, f"代表{on_behalf}作对照检查，从理论学习、党员教育管理、党建与业务融合三方面查摆问题5条："
                                     f"对{t.work}中党员先锋作用发挥谋划不足，组织生活形式较单一，等等，并逐条分析原因。")]
    people = ctx.others(6, (ctx.recorder,)) + [ctx.recorder, ctx.host]  # the secretary is criticised too
    for i, name in enumerate(people):
        target = people[(i + 1) % len(people)]
        self_c = SELF[(i + y) % len(SELF)].format(work=t.work)
        crit = CRIT[(i + y) % len(CRIT)].format(x=target)
        speeches.append(("批评与自我批评", name, f"自我批评：{self_c}。对{target}同志的批评意见：{crit}。"))
    speeches.append(("整改措施", ctx.host, "针对查摆的问题，支部建立整改台账，明确责任人和时限，整改情况在下次党员大会上通报。"))
    content = (f"{ctx.host}主持会议。会前支部开展了谈心谈话，广泛征求了意见。{ctx.summary.text()}。"
               f"会上{ctx.body}作对照检查，党员逐一发言，开展批评与自我批评。")
    resolution = "会议形成问题清单和整改措施，于一个月内完成整改，整改情况报机关党委。"
    return Minutes(f"{ctx.branch_name}{y}年度组织生活会", ctx.room, agenda, content, resolution, speeches,
                   guests=[ctx.extra["guest"]])


def evaluation(ctx: Ctx) -> Minutes:
    y, s = ctx.plan.day.year, ctx.summary
    best = [n for n in ctx.others(4, (ctx.recorder,)) if n in ctx.extra["full_names"]][:2]
    total = s.due
    agenda = ["党员个人总结自评", "党员互评", "民主测评", "确定评议等次"]
    speeches = [("个人自评", n, f"作{y}年度个人总结，从政治表现、履职尽责、遵规守纪三方面进行了自评。")
                for n in [ctx.host, *best]]
    content = (f"{ctx.host}主持。{s.text()}。党员逐一总结自评，开展互评，填写民主测评表。"
               f"经民主测评，{'、'.join(best)}同志评为优秀，其余{total - len(best)}名同志评为合格，"
               f"无基本合格和不合格党员。")
    motion = f"{y}年度民主评议党员结果"
    return Minutes(f"{ctx.branch_name}{y}年度民主评议党员", ctx.room, agenda, content,
                   f"通过{motion}：优秀{len(best)}名，合格{total - len(best)}名，报机关党委备案。", speeches,
                   [(motion, s.voting_present, 0, 0, False)])


COMPOSERS = {
    K.COMMITTEE: committee, K.GROUP: group, K.GENERAL_ASSEMBLY: general_assembly, K.LECTURE: lecture,
    K.THEME_DAY: theme_day, K.ORG_LIFE: org_life, K.EVALUATION: evaluation,
}


def quoted(text: str) -> str:
    """“text”, with quotation marks inside it turned into the nested ‘ ’."""
    return "“" + text.replace("“", "‘").replace("”", "’") + "”"
