"""The meeting kinds: one spec per kind, in one registry.

Everything the program knows about a kind of meeting lives in its :class:`MeetingKindSpec`:
who is due (应到), what a branch owes (frequency, and where the kind is offered at all), the
default agenda, the extra checks of the inspector's pre-check, the speech sections, what the
printed record is called and which parts the editor shows and the record prints. The services,
the documents, the editor, the pre-check, the compliance rules and the demo read the spec; none
of them branches on a kind's name.

Adding a kind: ``register(MeetingKindSpec(name=…, …))`` (the built-in kinds are registered
below, in 三会一课 order; the order is the order of lists, menus and the compliance table).
The name is what the ledger stores (at most 20 characters).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from .enums import AttendanceScope, LectureFrequency, MeetingKind
from .errors import DomainValidationError

Scope = Literal["month", "quarter", "half", "year"]
Severity = Literal["error", "warning"]
Quorum = Literal["assembly", "committee"]
Part = Literal["lecture", "theme"]
COMMITTEE_MIN_FULL_MEMBERS = 7
MAX_KIND_LENGTH = 20  # the ledger's column
DEFAULT_SPEECH_SECTIONS = ("", "传达学习", "研究讨论", "交流发言")
ORG_LIFE_SECTIONS = ("对照检查", "批评与自我批评", "整改措施")


@dataclass(frozen=True)
class KindCheck:
    """One check of the pre-check that only a kind has: ``failed(facts)`` on a ``MeetingFacts``
    (required fields are checks too: ``failed=lambda m: not m.lecturer.strip()``)."""

    code: str  # stable English snake_case
    severity: Severity
    field: str  # Chinese field label
    message: str  # Chinese
    failed: Callable[[Any], bool]


@dataclass(frozen=True)
class MeetingKindSpec:
    """What one kind of meeting is.

    ``due(profile)``: the (period, count) a branch with ``profile`` (a ``BranchProfile``) owes,
    or None when it owes none; a kind without ``due`` is never required.
    ``requires``: offered for 新建会议 only where the branch has a 支部委员会 / a 党小组
    (``not_offered`` says why it is missing).
    ``quorum``: 'assembly' — more than half of the voting members due (election 4/5), and a
    motion passes with 赞成 over half of voting 应到; 'committee' — more than half of the
    committee members; None — no quorum rule.
    ``parts``: 'lecture' (授课人, 题目, 内容摘要) and/or 'theme' (活动主题, 规定动作, 上次议定事项落实情况):
    shown in the editor and printed in the record.
    """

    name: str
    record_name: str = ""  # the printed title; "" → the record's own title + 记录
    attendance: AttendanceScope = AttendanceScope.BRANCH
    due: Callable[[Any], tuple[Scope, int] | None] | None = None
    requires: Literal["committee", "groups"] | None = None
    not_offered: str = ""
    default_agenda: tuple[str, ...] = ()
    default_required_actions: tuple[str, ...] = ()
    number_required: bool = False  # the pre-check warns when 第N次 is missing
    numbered_series: bool = True  # 第N次 runs 1, 2, 3 … in date order (pre-check of a year)
    quorum: Quorum | None = None
    decides_membership: bool = False  # 转正 / 延长预备期 / 取消预备党员资格 are decided at such a meeting
    speakers_named: bool = True  # the content must name who spoke
    required: tuple[KindCheck, ...] = ()  # fields the record must have (errors of ``precheck_meeting``)
    extra_checks: tuple[KindCheck, ...] = ()  # further 迎检 points (``precheck_record``)
    parts: frozenset[str] = frozenset()
    speech_sections: tuple[str, ...] = DEFAULT_SPEECH_SECTIONS
    new_speech_section: str = ""
    speech_title: str = "发言记录（发言人须写姓名）"
    content_heading: str = "会议内容"
    resolution_heading: str = "会议决议"

    @property
    def per_group(self) -> bool:
        """A meeting of one 党小组: its members are due, it numbers its own series, its 组长 hosts."""
        return self.attendance == AttendanceScope.GROUP

    @property
    def votes_judged(self) -> bool:
        """Motions are judged against the voting members due (党员大会 rule)."""
        return self.quorum == "assembly"

    @property
    def votes_title(self) -> str:
        return "表决与决议" if self.quorum else "决议"

    def offered(self, has_committee: bool, group_count: int) -> bool:
        if self.requires == "committee":
            return has_committee
        if self.requires == "groups":
            return group_count > 0
        return True

    def printed_name(self, title: str = "") -> str:
        """``支部委员会会议记录``; a kind without a record name prints ``<title>记录``."""
        return self.record_name or (title or "会议") + "记录"


_REGISTRY: dict[str, MeetingKindSpec] = {}


def register(spec: MeetingKindSpec) -> MeetingKindSpec:
    """Add a kind (after the ones registered so far). Raises ValueError for a taken or bad name."""
    name = spec.name
    if not name or not name.strip() or name != name.strip() or len(name) > MAX_KIND_LENGTH:
        raise ValueError(f"meeting kind name {name!r}: 1–{MAX_KIND_LENGTH} characters, no outer spaces")
    if name in _REGISTRY:
        raise ValueError(f"meeting kind {name!r} is already registered")
    checks = tuple(spec.required) + tuple(spec.extra_checks)
    if not all(isinstance(c, KindCheck) for c in checks):
        raise TypeError(f"meeting kind {name!r}: required and extra_checks are tuples of KindCheck")
    _REGISTRY[name] = spec
    return spec


def unregister(name: str) -> None:
    """Remove a kind (tests); records of that kind stay in the ledger and print as 其他."""
    _REGISTRY.pop(name, None)


def kind_specs() -> list[MeetingKindSpec]:
    """Every registered kind, in order."""
    return list(_REGISTRY.values())


def kind_names() -> list[str]:
    return list(_REGISTRY)


def is_kind(name: object) -> bool:
    return isinstance(name, str) and name in _REGISTRY


def find_spec(name: str) -> MeetingKindSpec | None:
    return _REGISTRY.get(str(name)) if name is not None else None


def kind_spec(name: str) -> MeetingKindSpec:
    """The spec of ``name``; DomainValidationError(field="会议类型") for a kind not registered."""
    spec = find_spec(name)
    if spec is None:
        raise DomainValidationError("会议类型", f"“{name}”不是可选的会议类型")
    return spec


def spec_or_other(name: str) -> MeetingKindSpec:
    """The spec of ``name``, or 其他's for a kind no longer registered (printing, listing)."""
    return find_spec(name) or _REGISTRY.get(MeetingKind.OTHER) or MeetingKindSpec(MeetingKind.OTHER.value)


def kind_order(name: str) -> int:
    """Position in the registry (unknown kinds last)."""
    names = kind_names()
    return names.index(name) if name in names else len(names)


def offered_kinds(has_committee: bool, group_count: int) -> list[str]:
    """The kinds of meeting a branch can hold, for 新建会议: no 支委会 without a 支部委员会, no
    党小组会 without a 党小组 (a branch set to 设党小组 with none entered yet has none to meet)."""
    return [s.name for s in kind_specs() if s.offered(has_committee, group_count)]


def not_offered_reasons(has_committee: bool, group_count: int) -> list[str]:
    """Why the kinds left out by ``offered_kinds`` are missing (``未设支部委员会，不开支委会``)."""
    return [s.not_offered for s in kind_specs() if not s.offered(has_committee, group_count) and s.not_offered]


def membership_kinds() -> list[str]:
    """The kinds whose meetings decide 转正 / 延长预备期 / 取消预备党员资格 (the 支部党员大会)."""
    return [s.name for s in kind_specs() if s.decides_membership]


def iter_due(profile: Any) -> Iterator[tuple[MeetingKindSpec, Scope, int]]:
    """(spec, period, count) of every kind ``profile`` owes, in registry order."""
    for spec in kind_specs():
        plan = spec.due(profile) if spec.due else None
        if plan:
            yield spec, plan[0], plan[1]


# ------------------------------------------------------------------ the rules the built-in kinds use
def committee_meetings_owed(has_committee: bool, full_members: int) -> bool:
    """THE rule: 支委会 meetings are owed only by a branch with a 支部委员会 and at least 7 正式党员
    (a smaller branch has only a 书记); the 组织 page and the branch form say so with it."""
    return bool(has_committee) and full_members >= COMMITTEE_MIN_FULL_MEMBERS


def committee_required(profile: Any) -> bool:
    """A 支委会 obligation exists only with a committee and at least 7 正式党员."""
    return committee_meetings_owed(profile.has_committee, profile.full_member_count)


def lecture_plan(profile: Any) -> tuple[Scope, int] | None:
    """(scope, count per period) for 党课, or None when none is required."""
    if profile.lecture_frequency == LectureFrequency.QUARTER:
        return "quarter", 1
    if profile.lecture_frequency == LectureFrequency.HALF_YEAR:
        return "half", 1
    n = profile.lecture_custom_per_year or 0
    if n <= 0:
        return None
    for scope, periods in (("month", 12), ("quarter", 4), ("half", 2), ("year", 1)):
        if n % periods == 0:
            return scope, n // periods  # type: ignore[return-value]
    return "year", n  # unreachable


def _every(scope: Scope) -> Callable[[Any], tuple[Scope, int]]:
    return lambda _profile: (scope, 1)


def _blank(attr: str) -> Callable[[Any], bool]:
    return lambda m: not (getattr(m, attr, "") or "").strip()


K = MeetingKind
register(MeetingKindSpec(
    K.GENERAL_ASSEMBLY.value, "支部党员大会会议记录", due=_every("quarter"),
    default_agenda=("传达学习上级有关文件和会议精神", "通报支部近期工作情况", "研究讨论并表决有关事项"),
    number_required=True, quorum="assembly", decides_membership=True))
register(MeetingKindSpec(
    K.COMMITTEE.value, "支部委员会会议记录", AttendanceScope.COMMITTEE,
    due=lambda p: ("month", 1) if committee_required(p) else None,
    requires="committee", not_offered="未设支部委员会，不开支委会",
    default_agenda=("传达学习上级有关精神", "研究支部近期重点工作", "研究党员教育管理有关事项"),
    number_required=True, quorum="committee"))
register(MeetingKindSpec(
    K.GROUP.value, "党小组会会议记录", AttendanceScope.GROUP,
    due=lambda p: ("month", 1) if p.has_groups else None,
    requires="groups", not_offered="未设党小组，不开党小组会",
    default_agenda=("学习上级有关文件精神", "党员交流学习体会", "通报党小组近期工作"), number_required=True))
register(MeetingKindSpec(
    K.LECTURE.value, "党课记录", due=lecture_plan, default_agenda=("讲授专题党课", "交流学习体会"),
    speakers_named=False, parts=frozenset({"lecture"}), content_heading="交流发言",
    required=(KindCheck("lecture_missing_lecturer", "error", "授课人", "党课未填写授课人", _blank("lecturer")),
              KindCheck("lecture_missing_title", "error", "党课题目", "党课未填写题目", _blank("lecture_title"))),
    extra_checks=(KindCheck("lecture_no_summary", "warning", "内容摘要", "党课未填写内容摘要", _blank("summary")),)))
register(MeetingKindSpec(
    K.THEME_DAY.value, "主题党日活动记录", due=_every("month"),
    default_agenda=("重温入党誓词", "集中学习", "交纳党费", "通报上次议定事项落实情况"),
    default_required_actions=("重温入党誓词", "交纳党费", "集中学习"),
    parts=frozenset({"theme"}), resolution_heading="议定事项",
    required=(KindCheck("theme_day_missing_theme", "error", "活动主题", "主题党日未填写主题", _blank("theme")),),
    extra_checks=(KindCheck("theme_day_no_actions", "warning", "规定动作", "主题党日未填写规定动作（如重温入党誓词、交纳党费）",
                      _blank("required_actions")),)))
register(MeetingKindSpec(
    K.ORG_LIFE.value, "组织生活会会议记录", due=_every("year"),
    default_agenda=("通报上年度组织生活会整改落实情况", "支部书记代表支委会作对照检查", "开展批评与自我批评", "明确整改方向"),
    speech_sections=ORG_LIFE_SECTIONS, new_speech_section="批评与自我批评",
    speech_title="批评与自我批评（按环节记录每人发言）",
    extra_checks=(KindCheck("org_life_no_criticism", "warning", "批评与自我批评", "组织生活会未记录“批评与自我批评”环节的发言",
                      lambda m: not any("批评" in (s or "") for s in m.speech_sections)),)))
register(MeetingKindSpec(
    K.EVALUATION.value, "民主评议党员会议记录", due=_every("year"),
    default_agenda=("党员个人述职", "开展民主评议", "确定评议等次"), quorum="assembly"))
register(MeetingKindSpec(K.OTHER.value, default_agenda=("会议议题",), numbered_series=False))
