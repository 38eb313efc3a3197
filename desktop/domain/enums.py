"""Closed vocabularies of the domain.

Members are named in English for code; values are the Chinese terms stored in the ledger,
shown in the UI and printed, so a dump or an Excel export reads naturally.
"""

from __future__ import annotations

from enum import StrEnum


class Gender(StrEnum):
    MALE = "男"
    FEMALE = "女"


class MemberCategory(StrEnum):
    FULL = "正式党员"
    PROBATIONARY = "预备党员"


class MemberStatus(StrEnum):
    ACTIVE = "在职"
    RETIRED = "退休"
    MOBILE = "流动"
    TRANSFERRED_OUT = "转出"
    DECEASED = "去世"
    CANCELLED = "取消资格"  # 取消预备党员资格: no longer a party member (see ProbationStep)


class MeetingKind(StrEnum):
    GENERAL_ASSEMBLY = "支部党员大会"
    COMMITTEE = "支部委员会"
    GROUP = "党小组会"
    LECTURE = "党课"
    THEME_DAY = "主题党日"
    ORG_LIFE = "组织生活会"
    EVALUATION = "民主评议党员"
    OTHER = "其他"


class MeetingState(StrEnum):
    DRAFT = "草稿"
    FINAL = "定稿"


class AttendanceStatus(StrEnum):
    PRESENT = "出席"
    ABSENT = "缺席"
    EXCLUDED = "不计入应到"  # excluded from 应到 with upper-level approval; reason required


class GuestRole(StrEnum):
    OBSERVER = "列席"
    SUPERIOR = "上级指导"


ABSENCE_REASONS = ("因公出差", "病假", "事假", "公休假", "外出学习培训", "产假")
EXCLUSION_REASONS = ("长期患病", "出国出境半年以上", "正在服刑", "其他经上级批准")


class CommitteePost(StrEnum):
    SECRETARY = "书记"
    DEPUTY_SECRETARY = "副书记"
    ORGANIZATION = "组织委员"
    PROPAGANDA = "宣传委员"
    DISCIPLINE = "纪检委员"
    YOUTH = "青年委员"
    WOMEN = "统战委员"
    GROUP_LEADER = "党小组组长"


class LectureFrequency(StrEnum):
    QUARTER = "每季度"
    HALF_YEAR = "每半年"
    CUSTOM = "自定义"


class MembershipChange(StrEnum):
    ADMITTED = "发展"
    TRANSFER_IN = "转入"
    TRANSFER_OUT = "转出"
    MOVED = "支部调整"
    DECEASED = "去世"
    INITIAL = "建账"
    CANCELLED = "取消预备党员资格"


class ProbationStep(StrEnum):
    """What a 党员大会 decided about a 预备党员 at the end of the probation year."""

    CONFIRMED = "转正"
    EXTENDED = "延长预备期"
    CANCELLED = "取消预备党员资格"


class ProblemSource(StrEnum):
    SELF_CHECK = "自查"
    PUBLIC = "群众反映"
    SUPERIOR = "上级点评"
    INSPECTION = "巡视巡察"


class MeasureType(StrEnum):
    IMMEDIATE = "立行立改"
    DEADLINE = "限期整改"
    LONG_TERM = "长期坚持"


class MeasureStatus(StrEnum):
    NOT_STARTED = "未开始"
    IN_PROGRESS = "整改中"
    DONE = "已完成"
    ONGOING = "阶段性完成并长期坚持"
    CLOSED = "已销号"


FINISHED_MEASURE_STATES = frozenset({MeasureStatus.DONE, MeasureStatus.ONGOING})


class AttendanceScope(StrEnum):
    """Who is due (应到) at a meeting of a given kind."""

    BRANCH = "全体党员"
    COMMITTEE = "支委会委员"
    GROUP = "党小组党员"
