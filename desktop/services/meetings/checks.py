"""迎检自查: what an inspector would fault, for one record and for a branch-year; finalizing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from desktop.domain.dates import format_cn_date, parse_date, parse_time
from desktop.domain.enums import MeetingState
from desktop.domain.errors import DomainValidationError
from desktop.domain.ledger_start import parse_start_numbers
from desktop.domain.meeting_kinds import spec_or_other
from desktop.domain.precheck import Finding, MeetingFacts, MotionFacts, precheck_record
from desktop.store.models import Branch, Meeting

from ..conflicts import check_version
from .data import FinalizeResult, MeetingDetail, MeetingInput, RecordFinding
from .editing import mark_final
from .listing import _meeting, detail_from


def _facts(d: MeetingDetail | MeetingInput) -> MeetingFacts:
    def t(v, label):
        if v is None or (isinstance(v, str) and not v.strip()):
            return None
        try:
            return parse_time(v, label)
        except DomainValidationError:
            return None

    try:
        day = parse_date(d.date, "会议日期") if d.date else None
    except DomainValidationError:
        day = None
    return MeetingFacts(
        kind=d.kind, number=d.number or None, date=day,
        start_time=t(d.start_time, "开始时间"), end_time=t(d.end_time, "结束时间"),
        place=d.place, host=d.host, recorder=d.recorder,
        attendees=[a.attendee() for a in d.attendance],
        agenda=list(d.agenda), speeches=[(s.speaker, s.text) for s in d.speeches],
        content=d.content,
        motions=[MotionFacts(m.title, m.yes, m.no, m.abstain, m.is_election) for m in d.motions],
        resolution=d.resolution, lecturer=d.lecturer, lecture_title=d.lecture_title, theme=d.theme,
        summary=d.summary, required_actions=d.required_actions, speech_sections=[s.section for s in d.speeches],
    )


def check_record(d: MeetingDetail | MeetingInput) -> list[Finding]:
    """Findings for a record as it stands (saved, or still in the editor): errors first."""
    return precheck_record(_facts(d))


def precheck_meeting(ledger, meeting_id: str) -> list[Finding]:
    """迎检自查 of one saved record."""
    with ledger.read() as s:
        return check_record(detail_from(s, _meeting(s, meeting_id)))


class _Refused(Exception):
    def __init__(self, result: FinalizeResult):
        self.result = result


def finalize_meeting(ledger, meeting_id: str, *, accept_warnings: bool = False,
                     version: int | None = None) -> FinalizeResult:
    """Run the pre-check and make the record 定稿 (read-only until reopened).
    Errors always block; warnings block unless ``accept_warnings`` (the user said 仍然定稿).
    ``version``: the one the editor shows; a record someone else saved since is not made 定稿
    unseen (RecordConflict)."""
    try:
        with ledger.write() as s:
            check_version(s, Meeting, meeting_id, version, "会议记录")
            m = _meeting(s, meeting_id)
            if m.state == MeetingState.FINAL:
                raise DomainValidationError("会议记录", "该记录已经定稿")
            findings = tuple(check_record(detail_from(s, m)))
            result = FinalizeResult(False, findings)
            if result.errors or (result.warnings and not accept_warnings):
                raise _Refused(result)
            mark_final(s, m)
            return FinalizeResult(True, findings)
    except _Refused as r:
        return r.result


def subject_of(kind: str, day: date, number: int | None) -> str:
    return f"{format_cn_date(day)} {kind}" + (f"（第{number}次）" if number else "")


def _numbering(s, branch_id: str, year: int, ids: list[str]) -> list[RecordFinding]:
    """第N次 must run 1, 2, 3 … in date order per kind (and per 党小组): gaps and repeats are faulted.
    In the year of the 台账启用日期 a series continues the paper record: from the branch's start
    number for the kind, or (none set) from the first entered record's number."""
    branch = s.get(Branch, branch_id)
    start_year = branch is not None and branch.ledger_start is not None and branch.ledger_start.year == year
    starts = parse_start_numbers(branch.start_numbers) if start_year else {}
    rows = s.execute(
        select(Meeting.id, Meeting.kind, Meeting.group_id, Meeting.number, Meeting.date)
        .where(Meeting.id.in_(ids)).order_by(Meeting.date, Meeting.start_time, Meeting.number)
    ).all() if ids else []
    series: dict[tuple[str, str | None], list] = {}
    for r in rows:
        spec = spec_or_other(r.kind)
        if not spec.numbered_series:
            continue
        series.setdefault((r.kind, r.group_id if spec.per_group else None), []).append(r)
    out: list[RecordFinding] = []
    for (kind, group_id), items in series.items():
        first = 1
        if start_year:
            set_start = starts.get(kind) if group_id is None else None
            first = set_start or items[0].number or 1
        for expected, r in enumerate(items, first):
            if r.number != expected:
                out.append(RecordFinding("meeting", r.id, r.date, subject_of(kind, r.date, r.number), Finding(
                    "number_out_of_sequence", "warning", "会议次数",
                    f"按日期应为{year}年第{expected}次{kind}，记录为第{r.number}次，请核对编号是否连续、有无重复"),
                    kind, group_id))
                break  # one finding per series: renumbering the first fixes the rest
    return out


def precheck_branch_year(ledger, branch_id: str, year: int, today: date | None = None) -> list[RecordFinding]:
    """Everything to fix before inspection for one branch and year: each record's findings,
    drafts not yet finalized, and required meetings missing in a month, quarter or year."""
    from desktop.services.compliance import branch_year_compliance

    out: list[RecordFinding] = []
    with ledger.read() as s:
        branch = s.get(Branch, branch_id)
        if branch is None or branch.deleted_at is not None:
            raise DomainValidationError("支部", "该支部不存在或已删除")
        ids = s.execute(
            select(Meeting.id).where(
                Meeting.deleted_at.is_(None), Meeting.branch_id == branch_id,
                Meeting.date >= date(year, 1, 1), Meeting.date <= date(year, 12, 31),
            ).order_by(Meeting.date, Meeting.start_time)
        ).scalars().all()
        for mid in ids:
            d = detail_from(s, _meeting(s, mid))
            subject = subject_of(d.kind, d.date, d.number)
            for f in check_record(d):
                out.append(RecordFinding("meeting", d.id, d.date, subject, f, d.kind, d.group_id))
            if d.state == MeetingState.DRAFT:
                out.append(RecordFinding("meeting", d.id, d.date, subject, Finding(
                    "not_finalized", "warning", "状态", "记录仍是草稿，检查无误后请“定稿”"), d.kind, d.group_id))
        out.extend(_numbering(s, branch_id, year, ids))
    report = branch_year_compliance(ledger, branch_id, year, today=today)
    for item in report.missing():  # periods before the 台账启用日期 are 未录入, not missing
        req = item.requirement
        who = f"{req.group_name}" if req.group_name else ""
        out.append(RecordFinding("branch", branch_id, req.end, f"{req.period_label} {who}{req.kind}", Finding(
            "required_meeting_missing", "error", "应开会议",
            f"{req.period_label}{who}应召开{req.kind}{req.required_count}次，已召开{item.held}次"),
            str(req.kind), req.group_id))
    out.sort(key=lambda r: (0 if r.severity == "error" else 1, r.date or date.min, r.subject))
    return out
