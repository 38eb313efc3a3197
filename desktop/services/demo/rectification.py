"""The sample 主题教育 rectification list: 六类13个方面问题、20项整改措施、3个重点整改项目.

The problems are those the seed report found in the bureau's own 机关党建 (缺少设计、缺少统筹、
缺少抓手; 以会议落实会议; 兼职党务干部不懂、不会做党务工作; 用干部会议替代党内会议 …).
States are mixed as of 22 November 2026: 已销号, 已完成 awaiting 销号, 阶段性完成并长期坚持,
整改中 (some overdue, some due within two weeks) and 未开始.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from desktop.domain.enums import MeasureStatus, MeasureType, ProblemSource
from desktop.store.models import Campaign, Measure, Problem, ProgressEntry, RectCategory

S, T = MeasureStatus, MeasureType
SRC = ProblemSource
CAMPAIGN = ("学习贯彻习近平新时代中国特色社会主义思想主题教育检视问题整改", 2026, date(2026, 3, 1), date(2026, 12, 31),
            "分局党委通过自检共查找六类13个方面问题，制定20项整改措施，确定重点整改项目3个；"
            "整改情况每季度向机关党委报告，年底开展“回头看”。")

D = date.fromisoformat
# measure: (content, target, leader, owner, deadline, type, status, closed_on, evidence, [(date, progress)])
CATEGORIES = [
    ("理论学习", [
        ("理论学习系统性不够，满足于完成“规定动作”，学用结合不紧，存在以会议落实会议的现象", SRC.SELF_CHECK, False, [
            ("制定年度学习计划，落实“每周一夜学”制度，每月至少一次专题研讨", "全年集中学习不少于20次", "陈立群",
             "机关党委", D("2026-04-30"), T.IMMEDIATE, S.CLOSED, D("2026-06-10"), "年度学习计划；学习签到表",
             [("2026-03-20", "印发《分局2026年理论学习计划》"), ("2026-05-28", "已开展集中学习9次，专题研讨3次")]),
            ("每名党员每季度撰写一篇联系业务的学习体会，支部择优交流", "学习体会全覆盖", "吴建平",
             "各党支部", D("2026-12-31"), T.LONG_TERM, S.ONGOING, None, "学习体会汇编（第一、二、三季度）",
             [("2026-07-05", "上半年收集学习体会84篇，汇编成册"), ("2026-10-12", "第三季度体会已收齐")]),
        ]),
        ("“学习强国”“每周一夜学”等平台运用不均衡，部分青年党员学习积分长期偏低", SRC.SUPERIOR, False, [
            ("每月通报“学习强国”积分，对连续两月排名靠后的党员开展提醒谈话", "消灭零登录，人均积分进入系统前列",
             "吴建平", "机关党委 吕静", D("2026-06-30"), T.DEADLINE, S.DONE, None, "每月积分通报",
             [("2026-04-02", "建立积分月通报制度"), ("2026-06-29", "零登录清零，提醒谈话4人次")]),
        ]),
    ]),
    ("政治素质", [
        ("个别党支部“第一责任人”“一岗双责”意识不强，对“抓好党建是最大政绩”认识不深", SRC.INSPECTION, True, [
            ("签订党建工作责任书，党支部书记年底向机关党委述职", "责任书签订率100%，述职全覆盖", "陈立群",
             "机关党委", D("2026-04-15"), T.IMMEDIATE, S.CLOSED, D("2026-05-20"), "责任书3份",
             [("2026-04-10", "三个党支部书记签订责任书")]),
            ("建立党建与业务“同研究、同部署、同考核”清单，纳入科室年度考核", "党建考核权重不低于20%", "林建国",
             "办公室 周晓燕", D("2026-09-30"), T.DEADLINE, S.IN_PROGRESS, None, "",
             [("2026-06-15", "起草考核办法征求意见稿"), ("2026-09-20", "考核办法待分局党委会审议，进度滞后")]),
        ]),
        ("部分党员身份意识淡化，对党史、党纪、党规知之甚少", SRC.SELF_CHECK, False, [
            ("开展党纪党规知识测试，每半年一次，成绩纳入民主评议", "测试参与率100%", "吴建平", "各党支部",
             D("2026-12-15"), T.DEADLINE, S.IN_PROGRESS, None, "上半年测试试卷及成绩",
             [("2026-06-24", "完成上半年测试，平均分88分")]),
        ]),
    ]),
    ("能力本领", [
        ("兼职党务干部未经系统培训，不懂、不会做党务工作，组织生活记录不规范", SRC.SUPERIOR, True, [
            ("举办兼职党务干部培训班，系统学习《中国共产党支部工作条例（试行）》", "兼职党务干部培训全覆盖",
             "吴建平", "机关党委", D("2026-05-31"), T.DEADLINE, S.CLOSED, D("2026-07-08"), "培训通知、签到表、课件",
             [("2026-05-22", "举办培训班1期，9名兼职党务干部全部参训")]),
            ("统一“三会一课”记录格式，机关党委每季度抽查会议记录", "记录规范率100%", "吴建平", "机关党委 吕静",
             D("2026-11-30"), T.DEADLINE, S.IN_PROGRESS, None, "抽查通报（第二、三季度）",
             [("2026-07-10", "第二季度抽查记录36本，发现问题7个"), ("2026-10-15", "第三季度抽查，问题已减少到2个")]),
        ]),
        ("服务企业用地审批专业能力不足，项目方案审批协调效率不高", SRC.PUBLIC, False, [
            ("建立“班子成员+党员业务骨干”服务企业机制，每名党员挂钩联系一个工业企业", "挂钩企业问题办结率95%以上",
             "陈立群", "用地审批科 楼丽萍", D("2026-06-30"), T.DEADLINE, S.DONE, None, "挂钩联系台账",
             [("2026-04-08", "完成党员与企业结对分工"), ("2026-06-26", "收集企业问题31个，办结30个")]),
            ("编制用地审批业务指引，开展“科长论坛”业务培训", "每季度培训不少于1次", "陈立群", "用地审批科",
             D("2026-08-31"), T.DEADLINE, S.IN_PROGRESS, None, "",
             [("2026-07-01", "业务指引完成初稿")]),
        ]),
        ("国土空间规划编制与信息化、数字化手段结合不够", SRC.SELF_CHECK, False, [
            ("推进规划“一张图”系统应用，组织规划编制人员专题培训", "规划审批全部上图入库", "林建国",
             "测绘与地理信息科 方志强", D("2027-03-31"), T.DEADLINE, S.NOT_STARTED, None, "", []),
        ]),
    ]),
    ("担当作为", [
        ("低效用地再开发推进缓慢，历史遗留问题化解办法不多", SRC.INSPECTION, True, [
            ("建立低效用地再开发项目清单，实行“一地一策”挂图作战", "年度完成再开发项目8宗", "郭伟",
             "土地储备中心 孙雯", D("2026-12-31"), T.DEADLINE, S.IN_PROGRESS, None, "项目清单、月度进度表",
             [("2026-04-20", "梳理低效用地23宗，列入年度计划8宗"), ("2026-08-31", "已完成4宗"),
              ("2026-11-10", "已完成6宗，2宗进入出让程序")]),
            ("对批而未供土地逐宗制定处置方案", "批而未供土地处置率达到省定目标", "郭伟", "土地出让科 丁浩然",
             D("2026-11-30"), T.DEADLINE, S.IN_PROGRESS, None, "",
             [("2026-09-15", "完成逐宗核查，制定处置方案12个")]),
        ]),
        ("面对急难险重任务主动请缨少，攻坚克难韧劲不足", SRC.SELF_CHECK, False, [
            ("组建党员志愿服务先锋队，设立党员先锋岗", "每个支部设立先锋岗不少于2个", "林建国", "各党支部",
             D("2026-05-31"), T.IMMEDIATE, S.CLOSED, D("2026-06-18"), "先锋岗名单及授牌照片",
             [("2026-05-12", "设立党员先锋岗7个")]),
        ]),
    ]),
    ("工作作风", [
        ("党建与业务“两张皮”，有的以工会活动替代支部活动、用干部会议替代党内会议", SRC.SUPERIOR, False, [
            ("规范支部活动，机关党委对“三会一课”开展情况每月通报", "组织生活按期开展率100%", "吴建平",
             "机关党委", D("2026-07-31"), T.DEADLINE, S.DONE, None, "月度通报",
             [("2026-05-05", "开始按月通报"), ("2026-07-30", "已连续通报4期")]),
            ("开展“一支部一特色”品牌创建，深化“规划三创新、满意在基层”品牌", "每个支部形成一个特色品牌", "林建国",
             "各党支部", D("2026-10-31"), T.DEADLINE, S.IN_PROGRESS, None, "",
             [("2026-06-30", "第一、第二党支部品牌方案已定"), ("2026-10-20", "第三党支部品牌方案尚在征求意见")]),
        ]),
        ("窗口服务“最多跑一次”落实不到位，群众办事等候时间长", SRC.PUBLIC, False, [
            ("推行预约办理和延时服务，公开办事指南", "窗口平均等候时间压缩到15分钟以内", "林建国",
             "规划管理科 黄敏", D("2026-05-15"), T.IMMEDIATE, S.CLOSED, D("2026-06-05"), "办事指南、等候时间统计",
             [("2026-04-28", "上线预约办理"), ("2026-05-30", "平均等候时间12分钟")]),
            ("建立群众意见“限时答复”机制", "群众意见5个工作日内答复", "林建国", "办公室 邵文斌",
             D("2026-12-04"), T.LONG_TERM, S.IN_PROGRESS, None, "意见答复台账",
             [("2026-08-10", "已答复群众意见26条")]),
        ]),
    ]),
    ("廉洁自律", [
        ("土地出让、规划审批等重点领域廉政风险防控不够精准", SRC.INSPECTION, False, [
            ("梳理重点岗位廉政风险点，修订防控措施", "风险点清单全覆盖重点岗位", "郭伟", "机关纪委",
             D("2026-10-15"), T.DEADLINE, S.IN_PROGRESS, None, "",
             [("2026-08-28", "梳理风险点46个，防控措施修订中")]),
        ]),
        ("对隐形变异“四风”问题警惕性不高，廉洁教育方式单一", SRC.SELF_CHECK, False, [
            ("开设廉政微课堂，组织参观廉政警示教育基地", "每季度开展一次廉洁教育", "郭伟", "机关纪委",
             D("2027-06-30"), T.LONG_TERM, S.NOT_STARTED, None, "", []),
        ]),
    ]),
]


def build_campaign(session: Session) -> str:
    name, year, start, end, description = CAMPAIGN
    campaign = Campaign(name=name, year=year, start_date=start, end_date=end, description=description)
    session.add(campaign)
    session.flush()
    for ci, (cat_name, problems) in enumerate(CATEGORIES):
        cat = RectCategory(campaign_id=campaign.id, seq=ci + 1, name=cat_name)
        session.add(cat)
        session.flush()
        for pi, (text, source, key, measures) in enumerate(problems):
            prob = Problem(category_id=cat.id, seq=pi + 1, description=text, source=source, is_key=key)
            session.add(prob)
            session.flush()
            for mi, (content, target, leader, owner, deadline, mtype, status, closed, evidence, progress) in enumerate(
                measures
            ):
                measure = Measure(problem_id=prob.id, seq=mi + 1, content=content, target=target, leader=leader,
                                  owner=owner, deadline=deadline, type=mtype, status=status, closed_on=closed,
                                  evidence=evidence)
                measure.progress = [ProgressEntry(date=D(d), text=t) for d, t in progress]
                session.add(measure)
    session.flush()
    return campaign.id
