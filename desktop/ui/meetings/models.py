"""The four grids of a meeting record and the read-only list/finding tables."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack

from desktop.domain.enums import ABSENCE_REASONS, EXCLUSION_REASONS, AttendanceStatus, GuestRole
from desktop.domain.errors import DomainValidationError
from desktop.domain.meeting_kinds import spec_or_other
from desktop.domain.meetings import AttendanceSummary, evaluate_vote
from desktop.services.meetings import AttendanceData, GuestData, MotionData, SpeechData

from ..models.highlight import marked, plain
from ..models.table import Column
from .grids import EditCol, EditModel

RED, AMBER, GREEN = "#b71c1c", "#9a6700", "#1b5e20"
STATUSES = [str(s) for s in AttendanceStatus]


def attendance_model(undo: QUndoStack, parent=None) -> EditModel:
    def reasons(row: dict) -> list[str]:
        return list(EXCLUSION_REASONS if row["status"] == AttendanceStatus.EXCLUDED else ABSENCE_REASONS)

    def reason_color(row: dict) -> str | None:
        return RED if row["status"] != AttendanceStatus.PRESENT and not row.get("reason") else None

    def status_color(row: dict) -> str | None:
        return {AttendanceStatus.ABSENT: RED, AttendanceStatus.EXCLUDED: AMBER}.get(row["status"])

    cols = [
        EditCol("name", "姓名", "computed", compute=lambda r: r["name"], width=110),
        EditCol("category", "类别", "computed", compute=lambda r: r["category"], width=90),
        EditCol("status", "出席情况", "choice", choices=lambda r: STATUSES, typed=False, color=status_color, width=110),
        EditCol("reason", "原因", "choice", choices=reasons, editable=lambda r: r["status"] != AttendanceStatus.PRESENT,
                color=reason_color, tip="缺席须写明原因；不计入应到须经上级批准并写明原因"),
    ]
    model = EditModel(cols, undo, "出席情况", parent)

    def follow(row: int, key: str, value) -> list[tuple[str, object]]:
        if key == "status" and value == AttendanceStatus.PRESENT:
            return [("reason", "")]
        return []

    model.on_set = follow
    return model


def attendance_rows(rows: list[AttendanceData]) -> list[dict]:
    return [dict(member_id=a.member_id, name=a.name, category=a.category, status=str(a.status), reason=a.reason)
            for a in rows]


def attendance_data(model: EditModel) -> list[AttendanceData]:
    return [AttendanceData(r["member_id"], r["name"], r["category"], r["status"], r.get("reason", ""))
            for r in model.rows]


def speeches_model(undo: QUndoStack, kind_getter, names_getter, parent=None) -> EditModel:
    def sections(_row: dict) -> list[str]:
        return list(spec_or_other(kind_getter()).speech_sections)

    cols = [
        EditCol("section", "环节", "choice", choices=sections, width=130),
        EditCol("speaker", "发言人", "choice", choices=lambda r: names_getter(), width=110,
                color=lambda r: RED if r.get("text") and not r.get("speaker") else None),
        EditCol("text", "发言要点"),
    ]
    return EditModel(cols, undo, "发言", parent)


def speech_rows(rows: list[SpeechData]) -> list[dict]:
    return [dict(section=s.section, speaker=s.speaker, text=s.text) for s in rows]


def speech_data(model: EditModel) -> list[SpeechData]:
    return [SpeechData(r.get("speaker", ""), r.get("text", ""), r.get("section", "")) for r in model.rows]


def motions_model(undo: QUndoStack, summary_getter, parent=None) -> EditModel:
    def verdict(row: dict) -> tuple[str, str | None]:
        summary: AttendanceSummary = summary_getter()
        try:
            v = evaluate_vote(int(row["yes"]), int(row["no"]), int(row["abstain"]), summary, bool(row["is_election"]))
        except DomainValidationError as e:
            return str(e), RED
        extra = "；".join((*v.errors, *v.warnings))
        color = RED if v.errors or not v.passed else (AMBER if v.warnings else GREEN)
        return v.text + (f"（{extra}）" if extra else ""), color

    cols = [
        EditCol("title", "表决事项", width=260),
        EditCol("is_election", "选举", "bool", width=50, tip="选举须超过应到人数五分之四到会"),
        EditCol("yes", "赞成", "int", width=60),
        EditCol("no", "反对", "int", width=60),
        EditCol("abstain", "弃权", "int", width=60),
        EditCol("result", "结果", "computed", compute=lambda r: verdict(r)[0], color=lambda r: verdict(r)[1]),
    ]
    return EditModel(cols, undo, "表决", parent)


def motion_rows(rows: list[MotionData]) -> list[dict]:
    return [dict(title=m.title, yes=m.yes, no=m.no, abstain=m.abstain, is_election=m.is_election) for m in rows]


def motion_data(model: EditModel) -> list[MotionData]:
    return [MotionData(r.get("title", ""), int(r.get("yes") or 0), int(r.get("no") or 0), int(r.get("abstain") or 0),
                       bool(r.get("is_election"))) for r in model.rows]


def guests_model(undo: QUndoStack, parent=None) -> EditModel:
    cols = [
        EditCol("name", "姓名", width=110),
        EditCol("title", "单位及职务", width=260),
        EditCol("role", "身份", "choice", choices=lambda r: [str(g) for g in GuestRole], typed=False),
    ]
    return EditModel(cols, undo, "列席人员", parent)


def guest_rows(rows: list[GuestData]) -> list[dict]:
    return [dict(name=g.name, title=g.title, role=g.role) for g in rows]


def guest_data(model: EditModel) -> list[GuestData]:
    return [GuestData(r.get("name", ""), r.get("title", ""), r.get("role") or "列席") for r in model.rows]


def _time_span(r) -> str:
    from desktop.domain.dates import format_cn_time

    if r.start_time is None:
        return "（未填时间）"
    return format_cn_time(r.start_time) + ("–" + format_cn_time(r.end_time) if r.end_time else "")


MEETING_COLUMNS = [
    Column("日期", lambda r: r.date, width=92),
    Column("时间", lambda r: r.start_time, text=_time_span, width=90,
           color=lambda r: RED if r.start_time is None or r.end_time is None else None),
    Column("支部", lambda r: r.branch_name, width=120),
    Column("类型", lambda r: r.kind, width=92),
    Column("次数", lambda r: r.number, text=lambda r: f"第{r.number}次", align="center", width=60),
    Column("会议名称", lambda r: r.title, width=250),
    Column("主持人", lambda r: r.host, width=70, color=lambda r: RED if not r.host else None),
    Column("记录人", lambda r: r.recorder, width=70, color=lambda r: RED if not r.recorder else None),
    Column("应到", lambda r: r.due, align="center", width=48),
    Column("实到", lambda r: r.present, align="center", width=48),
    Column("缺席", lambda r: r.absent_count, align="center", width=48),
    Column("状态", lambda r: r.state, width=56, color=lambda r: AMBER if r.state == "草稿" else GREEN),
    # shown only while searching: where the words occur (highlighted by models.highlight)
    Column("匹配内容", lambda r: marked(r.match), width=300, tooltip=lambda r: plain(marked(r.match))),
]
MATCH_COLUMN = len(MEETING_COLUMNS) - 1

FINDING_COLUMNS = [
    Column("级别", lambda f: f.severity, text=lambda f: "错误" if f.severity == "error" else "提醒", width=56,
           color=lambda f: RED if f.severity == "error" else AMBER),
    Column("日期", lambda f: f.date, width=92),
    Column("记录 / 应开会议", lambda f: f.subject, width=280),
    Column("项目", lambda f: f.finding.field, width=110),
    Column("问题", lambda f: f.message),
]
