"""Export printed documents: gather plain data per kind from the ledger, build, render.

``export(ledger, kind, out_dir, fmt, filters, progress, cancel)`` is what both the command line
(``zhibu export``) and the GUI (from a worker thread) call. Fonts are resolved first, so a
machine without a usable font gets :class:`DocumentFontError` before any file is written;
every file is written to a temp file and renamed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from desktop.documents import blocks as b
from desktop.documents.fonts import DocumentFontError, resolve_fonts
from desktop.documents.render import RenderResult, render
from desktop.domain.dates import quarter_months

from .document_kinds import document_kind_names, find_document_kind

FORMATS = {"pdf": ("pdf",), "docx": ("docx",), "both": ("pdf", "docx")}

__all__ = ["DocumentFontError", "ExportCancelled", "ExportError", "ExportFilters", "ExportResult", "ExportWriteError",
           "export", "is_disk_full"]


class ExportError(ValueError):
    """A problem the user can act on (a filter that selects nothing usable; with
    :class:`ExportWriteError` a full disk); the message is Chinese and names the value."""


class ExportWriteError(ExportError):
    """Writing failed (disk full, folder gone, no permission) after ``written`` were complete.
    The file being written was removed; the message says what happened and lists ``written``."""

    def __init__(self, exc: OSError, out_dir: Path, written: list[Path]):
        self.written, self.disk_full = list(written), is_disk_full(exc)
        if self.disk_full:
            head = f"磁盘已满：{out_dir} 所在的磁盘没有剩余空间，导出已中止，未写完的文件已删除。"
        else:
            head = f"无法写入 {exc.filename or out_dir}：{exc.strerror or exc}。导出已中止，未写完的文件已删除。"
        if self.written:
            listed = "\n".join(f"  {p}" for p in self.written[:20])
            more = f"\n  ……共{len(self.written)}个" if len(self.written) > 20 else ""
            tail = f"\n此前已完整写入{len(self.written)}个文件：\n{listed}{more}"
        else:
            tail = "\n没有写入任何文件。"
        super().__init__(head + tail)


def is_disk_full(exc: OSError) -> bool:
    """ENOSPC / EDQUOT, or Windows' ERROR_HANDLE_DISK_FULL (39) / ERROR_DISK_FULL (112)."""
    import errno

    return exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)) or getattr(exc, "winerror", None) in (39, 112)


class ExportCancelled(Exception):
    pass


@dataclass
class ExportFilters:
    branch: str | None = None  # id or name
    year: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    meeting: str | None = None  # id (or a unique prefix of it)
    campaign: str | None = None  # id or name
    month: int | None = None
    quarter: int | None = None
    unmask: bool = False
    today: date | None = None
    event: str | None = None  # BirthdayEvent id: ``cards`` for its celebrants with their own 寄语
    with_signin: bool = False  # ``ledger``: each record names its attendees and is followed by its sign-in sheet
    drafts: bool = True  # ``ledger``: drafts bound and marked 「草稿」 (True) or left out (False); a notice either way


@dataclass
class ExportResult:
    paths: list[Path] = field(default_factory=list)
    warnings: list[b.MissingGlyph] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # said with the warnings: drafts bound in a ledger …


Progress = Callable[[int, int, str], None]


def export(ledger, kind: str, out_dir: Path | str, fmt: str = "pdf", filters: ExportFilters | None = None,
           progress: Progress | None = None, cancel: Callable[[], bool] | None = None) -> ExportResult:
    from desktop.services.settings import get_settings

    spec = find_document_kind(kind)
    if spec is None:
        raise ExportError(f"文档类型“{kind}”不存在，可选：{'、'.join(document_kind_names())}")
    if fmt not in FORMATS:
        raise ExportError(f"格式“{fmt}”不正确，可选：pdf、docx、both")
    f = filters or ExportFilters()
    overrides = get_settings(ledger).fonts
    resolve_fonts(overrides)  # DocumentFontError before anything is gathered or written
    docs = spec.build(ledger, f, cancel)
    unit = get_settings(ledger).unit_name or _committee_name(ledger)
    for doc in docs:  # the files' author property: the unit that keeps the records
        doc.meta.setdefault("author", unit)
    result = ExportResult()
    taken: set[Path] = set()
    total = len(docs)
    for i, doc in enumerate(docs):
        if cancel is not None and cancel():
            raise ExportCancelled(f"已取消：已生成{len(result.paths)}个文件")
        if progress is not None:
            progress(i, total, doc.title)
        try:
            one: RenderResult = render(doc, Path(out_dir), FORMATS[fmt], overrides, taken, written=result.paths)
        except OSError as exc:
            raise ExportWriteError(exc, Path(out_dir), result.paths) from exc
        result.warnings += [w for w in one.warnings if w not in result.warnings]
        result.notices += doc.notices
    if progress is not None:
        progress(total, total, "完成")
    return result


# ------------------------------------------------------------------ selection helpers
def _today(f: ExportFilters) -> date:
    return f.today or date.today()


def _branches(ledger, f: ExportFilters):
    from desktop.services.organization import list_branches

    rows = list_branches(ledger)
    if not f.branch:
        return rows
    hit = [r for r in rows if f.branch in (r.id, r.name)]
    if not hit:
        raise ExportError(f"党支部“{f.branch}”不存在，现有：{'、'.join(r.name for r in rows) or '（无）'}")
    return hit


def _months(f: ExportFilters) -> list[int]:
    if f.quarter:
        if not 1 <= f.quarter <= 4:
            raise ExportError(f"季度应为1—4，填写的是{f.quarter}")
        return list(quarter_months(f.quarter))
    month = f.month or _today(f).month
    if not 1 <= month <= 12:
        raise ExportError(f"月份应为1—12，填写的是{month}")
    return [month]


def _meeting_ids_by_prefix(ledger, prefix: str) -> list[str]:
    """Live meeting ids equal to ``prefix``, else starting with it (an index lookup, no listing)."""
    from sqlalchemy import select

    from desktop.store.models import Meeting

    with ledger.read() as s:
        live = Meeting.deleted_at.is_(None)
        exact = s.scalars(select(Meeting.id).where(live, Meeting.id == prefix)).all()
        if exact:
            return list(exact)
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return list(s.scalars(select(Meeting.id).where(live, Meeting.id.like(pattern, escape="\\")).limit(2)))


def _meeting_ids(ledger, f: ExportFilters) -> list[str]:
    from desktop.services.meetings import list_meetings

    if f.meeting:
        hit = _meeting_ids_by_prefix(ledger, f.meeting)
        if len(hit) != 1:
            raise ExportError(f"会议记录“{f.meeting}”" + ("不存在或已删除" if not hit else "对应多条记录，请写完整编号"))
        return hit
    branch_ids = [r.id for r in _branches(ledger, f)] if f.branch else [None]
    year = f.year if (f.year or f.date_from or f.date_to) else _today(f).year
    ids: list[str] = []
    for bid in branch_ids:
        rows = list_meetings(ledger, branch_id=bid, year=year if not (f.date_from or f.date_to) else f.year,
                             date_from=f.date_from, date_to=f.date_to)
        ids += [r.id for r in sorted(rows, key=lambda r: (r.date, r.number))]
    if not ids:
        raise ExportError("所选范围内没有会议记录")
    return ids


def _details(ledger, ids: list[str], cancel) -> list:
    from desktop.services.meetings import get_meeting

    out = []
    with ledger.read() as s:
        for mid in ids:
            if cancel is not None and cancel():
                raise ExportCancelled("已取消")
            out.append(get_meeting(s, mid))
    return out


def _committee_name(ledger) -> str:
    from desktop.services.organization import get_committee

    c = get_committee(ledger)
    return c.name if c else ""


# ------------------------------------------------------------------ one builder per kind (see document_kinds)
def _minutes(ledger, f, cancel):
    from desktop.documents.kinds.minutes import build_minutes
    from desktop.services.settings import get_settings

    note = get_settings(ledger).print_reopen_note
    return [build_minutes(m, reopen_note=note) for m in _details(ledger, _meeting_ids(ledger, f), cancel)]


def _signin(ledger, f, cancel):
    from desktop.documents.kinds.signin import build_signin
    from desktop.services.meetings import roster_for

    out = []
    for m in _details(ledger, _meeting_ids(ledger, f), cancel):
        roster = list(m.attendance) or roster_for(ledger, m.branch_id, m.kind, m.date, m.group_id)
        out.append(build_signin(m, roster))
    return out


def _ledger(ledger, f, cancel):
    from desktop.documents.kinds.ledger import build_ledger
    from desktop.services.meetings import list_meetings
    from desktop.services.settings import get_settings

    year = f.year or _today(f).year
    unit = get_settings(ledger).unit_name
    committee = _committee_name(ledger)
    out = []
    for br in _branches(ledger, f):
        ids = [r.id for r in list_meetings(ledger, branch_id=br.id, year=year)]
        if not ids and not f.branch:
            continue
        details = _details(ledger, ids, cancel)
        signin = None
        if f.with_signin:
            from desktop.services.meetings import roster_for

            signin = {m.id: list(m.attendance) or roster_for(ledger, m.branch_id, m.kind, m.date, m.group_id)
                      for m in details}
        out.append(build_ledger(details, year=year, branch_name=br.name, unit_name=unit,
                                committee_name=committee, signin=signin,
                                reopen_note=get_settings(ledger).print_reopen_note, drafts=f.drafts))
    if not out:
        raise ExportError(f"{year}年没有会议记录")
    return out


def compliance_span(f) -> tuple[date, int, list[int]]:
    """(today, year, months) of a 统计表 or 汇总表: the filter's quarter, month or whole year."""
    today = _today(f)
    months = list(quarter_months(f.quarter)) if f.quarter else ([f.month] if f.month else list(range(1, 13)))
    return today, f.year or today.year, months


def _compliance(ledger, f, cancel):
    from desktop.documents.kinds.compliance import build_compliance
    from desktop.services.compliance import branch_year_compliance

    today, year, months = compliance_span(f)
    return [build_compliance(branch_year_compliance(ledger, br.id, year, today, months), branch_name=br.name,
                             today=min(today, date(year, 12, 31)))
            for br in _branches(ledger, f)]


def _rectification(ledger, f, cancel):
    from desktop.documents.kinds.rectification import build_rectification
    from desktop.services.rectification import get_campaign_tree, list_campaigns

    campaigns = list_campaigns(ledger)
    if f.campaign:
        campaigns = [c for c in campaigns if f.campaign in (c.id, c.name)] or \
            [c for c in campaigns if c.id.startswith(f.campaign)]
        if not campaigns:
            raise ExportError(f"整改清单“{f.campaign}”不存在或已删除")
    elif f.year:
        campaigns = [c for c in campaigns if c.year == f.year]
    if not campaigns:
        raise ExportError("没有主题教育整改清单")
    return [build_rectification(get_campaign_tree(ledger, c.id, today=_today(f))) for c in campaigns]


def _birthday_rows(ledger, f):
    from desktop.services.birthdays import birthdays_for

    year = f.year or _today(f).year
    months = _months(f)
    branches = _branches(ledger, f) if f.branch else [None]
    return year, months, branches, [(br, birthdays_for(ledger, year, months, br.id if br else None)) for br in branches]


def _birthdays(ledger, f, cancel):
    from desktop.documents.kinds.birthdays import build_birthdays

    year, months, _b, groups = _birthday_rows(ledger, f)
    return [build_birthdays(rows, year=year, months=months, branch_name=br.name if br else "") for br, rows in groups]


def _cards(ledger, f, cancel):
    from desktop.documents.kinds.cards import build_cards
    from desktop.services.birthdays import get_message_template, render_message

    committee = _committee_name(ledger)
    if f.event:  # a recorded celebration: each celebrant's own 寄语 (added by the rectification engineer)
        from desktop.services.birthdays import event_cards

        ev, rows, msgs = event_cards(ledger, f.event)
        months = sorted({r.join_date.month for r in rows}) or [ev.date.month]
        return [build_cards(rows, msgs, [f"{committee}{r.branch_name}" for r in rows], year=ev.date.year, months=months)]
    year, months, _b, groups = _birthday_rows(ledger, f)
    template = get_message_template(ledger)
    out = []
    for _br, rows in groups:
        msgs = [render_message(template, r.name, r.anniversary_number) for r in rows]
        out.append(build_cards(rows, msgs, [f"{committee}{r.branch_name}" for r in rows], year=year, months=months))
    return out


def _roster(ledger, f, cancel):
    from desktop.documents.kinds.roster import build_roster
    from desktop.services.members import list_members

    today = _today(f)
    out = []
    for br in _branches(ledger, f) if f.branch else [None]:
        members = list_members(ledger, branch_id=br.id if br else None, status="在册", today=today)
        prefix = f"{br.name}" if br else (_committee_name(ledger) or "")
        out.append(build_roster(members, title_prefix=prefix, as_of=today, unmask=f.unmask, one_branch=br is not None))
    return out

