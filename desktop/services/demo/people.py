"""The 42 members of the sample 机关党委 (plus one transferred out during 2026).

Mined from the seed reports: the 开发区自然资源和规划分局 机关党委 has three branches —
第一党支部 (原国土分局一支部, “学习型”支部: 办公室、用地审批、耕地保护、国土资源所),
第二党支部 (原规划分局支部, “规划三创新、满意在基层”: 规划编制、规划管理、规划所) and
第三党支部 (土地出让、土地整理、低效用地再开发) — two full-time party-affairs workers aged
over 54, and 党委委员 as branch secretaries. Names are invented.

Each row: key, name, gender, ethnicity, birth date, education, job title, branch, group,
入党日期, 转正日期 (None = still 预备党员), status, birthplace region code.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from desktop.domain.enums import Gender, MemberStatus
from desktop.domain.members import id_check_digit

M, F = Gender.MALE, Gender.FEMALE
HAN = "汉族"
BK, MS, DZ, ZZ = "大学本科", "硕士研究生", "大学专科", "中专"


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    gender: Gender
    ethnicity: str
    birth: date
    education: str
    job: str
    branch: str  # b1 / b2 / b3
    group: str | None  # g1 / g2 (第一党支部 only)
    join: date
    full: date | None
    status: MemberStatus = MemberStatus.ACTIVE
    region: str = "330702"


def _p(key, name, g, eth, birth, edu, job, branch, group, join, full="auto", status=MemberStatus.ACTIVE,
       region="330702") -> Person:
    b, j = date.fromisoformat(birth), date.fromisoformat(join)
    if full == "auto":
        fd: date | None = j.replace(year=j.year + 1)
    else:
        fd = None if full is None else date.fromisoformat(full)
    return Person(key, name, g, eth, b, edu, job, branch, group, j, fd, status, region)


PEOPLE: tuple[Person, ...] = (
    # 第一党支部 — 第一党小组（机关科室）
    _p("chenlq", "陈立群", M, HAN, "1971-03-12", BK, "分局党委委员、副局长", "b1", "g1", "1996-07-08", region="330782"),
    _p("zhouxy", "周晓燕", F, HAN, "1978-09-23", MS, "办公室主任", "b1", "g1", "2003-05-16"),
    _p("wujp", "吴建平", M, HAN, "1970-01-05", BK, "机关党委专职副书记", "b1", "g1", "1994-12-20", region="330783"),
    _p("loulp", "楼丽萍", F, HAN, "1984-06-30", BK, "用地审批科科长", "b1", "g1", "2008-06-12", region="330726"),
    _p("hejj", "何俊杰", M, HAN, "1988-11-02", MS, "耕地保护科副科长", "b1", "g1", "2012-04-18",
       status=MemberStatus.TRANSFERRED_OUT),
    _p("jianghm", "蒋红梅", F, HAN, "1980-02-27", BK, "耕地保护科科长", "b1", "g1", "2006-03-21", region="330781"),
    _p("yeq", "叶青", F, HAN, "1990-12-03", MS, "用地审批科科员", "b1", "g1", "2014-11-26"),
    _p("shaowb", "邵文斌", M, HAN, "1982-07-07", BK, "办公室副主任", "b1", "g1", "2007-09-14", region="330784"),
    _p("jinxd", "金晓东", M, HAN, "1992-03-15", BK, "耕地保护科科员", "b1", "g1", "2017-06-27"),
    _p("fujm", "傅建明", M, HAN, "1979-06-25", BK, "用地审批科副科长", "b1", "g1", "2005-12-09", region="330723"),
    _p("wanglj", "汪丽娟", F, HAN, "1983-01-17", MS, "办公室综合文字岗", "b1", "g1", "2009-03-30"),
    _p("zhaosy", "赵思远", M, HAN, "2000-02-22", BK, "用地审批科科员", "b1", "g1", "2025-05-20", region="330781"),
    _p("lvj", "吕静", F, HAN, "1971-11-11", BK, "机关党委专职委员", "b1", "g1", "1998-01-16"),
    # 第一党支部 — 第二党小组（国土资源所）
    _p("xuwd", "徐卫东", M, HAN, "1975-08-14", BK, "国土资源所所长", "b1", "g2", "2001-10-09", region="330703"),
    _p("wangzg", "王志刚", M, HAN, "1986-05-19", BK, "国土资源所副所长", "b1", "g2", "2011-01-11"),
    _p("zhengyq", "郑雅琴", F, HAN, "1987-10-21", BK, "国土资源所工程师", "b1", "g2", "2010-05-28"),
    _p("lanxf", "蓝小芳", F, "畲族", "1991-04-09", BK, "国土资源所科员", "b1", "g2", "2015-08-19", region="330723"),
    _p("zhonggh", "钟国华", M, HAN, "1968-12-01", DZ, "国土资源所四级主任科员", "b1", "g2", "1992-02-14"),
    _p("hub", "胡斌", M, HAN, "1994-09-08", BK, "国土资源所科员", "b1", "g2", "2019-10-24"),
    _p("maj", "马骏", M, "回族", "1989-08-31", BK, "国土资源所执法中队队员", "b1", "g2", "2013-09-06"),
    # 第二党支部
    _p("linjg", "林建国", M, HAN, "1969-04-16", MS, "分局党委委员、副局长", "b2", None, "1993-11-05"),
    _p("yangf", "杨帆", F, HAN, "1981-07-29", MS, "规划编制科科长", "b2", None, "2004-06-22", region="330782"),
    _p("zhuxf", "朱晓峰", M, HAN, "1976-10-13", BK, "规划管理所所长", "b2", None, "2000-08-17"),
    _p("panxm", "潘雪梅", F, HAN, "1985-03-04", MS, "规划管理科副科长", "b2", None, "2009-04-23", region="330783"),
    _p("yanzh", "严志华", M, HAN, "1972-05-26", BK, "分局总规划师", "b2", None, "1997-09-29"),
    _p("shenjy", "沈佳怡", F, HAN, "1993-01-30", MS, "规划编制科科员", "b2", None, "2016-12-15"),
    _p("konglj", "孔令杰", M, HAN, "1988-02-12", MS, "规划管理所工程师", "b2", None, "2012-03-09", region="330784"),
    _p("xut", "许婷", F, HAN, "1990-06-18", BK, "规划管理科科员", "b2", None, "2015-02-04"),
    _p("handsh", "韩东升", M, HAN, "1983-09-02", BK, "规划管理所副所长", "b2", None, "2008-10-28"),
    _p("caowj", "曹文静", F, HAN, "1995-11-19", MS, "规划编制科科员", "b2", None, "2020-01-08", region="330781"),
    _p("fangzq", "方志强", M, HAN, "1977-12-24", BK, "测绘与地理信息科科长", "b2", None, "2002-07-11"),
    _p("shil", "石磊", M, "土家族", "1986-08-07", BK, "规划管理所科员", "b2", None, "2011-06-16", region="330703"),
    _p("huangm", "黄敏", F, HAN, "1979-05-05", BK, "规划管理科科长", "b2", None, "2004-11-19"),
    _p("yuht", "俞海涛", M, HAN, "1991-10-27", MS, "规划管理所工程师", "b2", None, "2015-05-12", region="330726"),
    _p("chengl", "程琳", F, "满族", "1987-04-01", BK, "规划编制科副科长", "b2", None, "2010-09-10", region="330102"),
    _p("tonglx", "童立新", M, HAN, "1952-10-08", ZZ, "原规划分局副局长（已退休）", "b2", None, "1975-07-01",
       status=MemberStatus.RETIRED),
    _p("qiuxm", "邱晓明", M, HAN, "1996-03-23", BK, "规划管理所科员", "b2", None, "2021-07-16"),
    # 第三党支部
    _p("guow", "郭伟", M, HAN, "1974-02-18", BK, "分局党委委员、土地储备中心主任", "b3", None, "1999-06-25"),
    _p("sunw", "孙雯", F, HAN, "1982-12-12", BK, "土地储备中心副主任", "b3", None, "2007-12-28", region="330783"),
    _p("liuy", "刘洋", M, HAN, "1989-03-28", BK, "土地整理科科员", "b3", None, "2013-03-14"),
    _p("xieml", "谢美玲", F, HAN, "1992-08-16", BK, "低效用地再开发专班工作人员", "b3", None, "2017-11-07"),
    _p("dinghr", "丁浩然", M, HAN, "1985-07-04", MS, "土地出让科副科长", "b3", None, "2010-02-26", region="330784"),
    _p("renxw", "任晓薇", F, HAN, "1998-04-13", BK, "土地储备中心科员", "b3", None, "2026-03-26", full=None),
)

BY_KEY = {p.key: p for p in PEOPLE}

TRANSFER_OUT = ("hejj", date(2026, 4, 30), "转至市自然资源和规划局机关第三党支部（干部交流）")
TRANSFER_IN = ("chengl", date(2026, 6, 15), "由市自然资源和规划局机关第二党支部转入")
FULL_IN_YEAR = "zhaosy"  # 预备党员 who becomes 正式 on 2026-05-20
# admitted as 预备党员 by a branch meeting of the sample years (on the roster from the next day)
ADMITTED_AT_MEETING = ("zhaosy", "renxw")
FIFTY_YEARS = "tonglx"  # 光荣在党50年: 转正 1976-07-01, retired
ESTABLISHED = date(2019, 12, 20)  # 机关党委 and branches set up (seed: 2019年12月)

_MOBILE_PREFIXES = ("135", "136", "137", "138", "139", "150", "151", "157", "158", "159", "187", "188", "189")


def id_number(p: Person, rng: random.Random) -> str:
    """A well-formed 18-digit ID: region, birth date, sequence (odd 3rd digit for men), check digit."""
    seq = rng.randrange(10, 99)
    sex = rng.choice((1, 3, 5, 7, 9) if p.gender == Gender.MALE else (0, 2, 4, 6, 8))
    first17 = f"{p.region}{p.birth:%Y%m%d}{seq:02d}{sex}"
    return first17 + id_check_digit(first17)


def phone_number(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(0, 10**8):08d}"
