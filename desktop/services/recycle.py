"""回收站: one mechanism over the tombstone (``deleted_at``) every record has.

:func:`list_deleted` lists deleted meetings, members, branches, 党小组, posts, 政治生日活动 and
整改 campaigns / categories / problems / measures / progress entries (newest first, each with
where it was); :func:`restore` brings one back in one transaction, consistently:

- what was deleted *with* it (same ``deleted_at``: a member's posts, a branch's groups and
  posts) comes back with it; what was deleted on its own earlier stays deleted;
- children are never tombstoned by a delete (a meeting's attendance, agenda, …; a member's branch
  periods), so they are simply visible again;
- a 整改 node comes back with its deleted ancestors (category › problem › measure › progress);
- a record whose parent is still deleted (a member's branch or 党小组, a meeting's branch, a
  post's member) is refused with a message naming the parent: restore that first;
- a meeting whose number was taken meanwhile in the same branch, kind and year is refused too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from desktop.domain.errors import DomainValidationError
from desktop.domain.text import clean_line
from desktop.store.models import (
    BirthdayEvent,
    Branch,
    Campaign,
    Measure,
    Meeting,
    Member,
    Membership,
    PartyGroup,
    PostHolding,
    Problem,
    ProgressEntry,
    RectCategory,
)
from desktop.store.queries import live

# Older versions tombstoned a member's branch periods one by one just before the member.
LEGACY_TOGETHER = timedelta(seconds=2)


@dataclass(frozen=True)
class DeletedRecord:
    kind: str  # a key of KINDS
    id: str
    kind_label: str  # 会议, 党员 …
    label: str  # what it is: "2026-03-10 主题党日"
    where: str  # where it was: the branch, the campaign › category …
    deleted_at: datetime | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.id)


class NotDeleted(LookupError):
    """The record does not exist or is not in the 回收站."""


def _short(text: str, n: int = 30) -> str:
    one = clean_line(text or "")
    return one if len(one) <= n else one[: n - 1] + "…"


@dataclass(frozen=True)
class Kind:
    model: type
    label: str
    describe: Callable[[Session, object], tuple[str, str]]  # (label, where)
    parents: Callable[[Session, object], list[tuple[str, object]]]  # must be live: (kind label, record)
    # (model, fk to this record, tolerance): deleted by the same action (same stamp, or within the
    # tolerance before it), restored with it
    with_it: tuple[tuple[type, str, timedelta], ...] = ()
    ancestors: Callable[[Session, object], list] | None = None  # restored with it (整改 tree)


def _branch_name(s: Session, branch_id: str | None) -> str:
    b = s.get(Branch, branch_id) if branch_id else None
    return b.name if b is not None else ""


def _rect_path(s: Session, obj) -> list:
    """[measure, problem, category] above a progress entry / measure / problem / category."""
    chain = []
    if isinstance(obj, ProgressEntry):
        obj = s.get(Measure, obj.measure_id)
        chain.append(obj)
    if isinstance(obj, Measure):
        obj = s.get(Problem, obj.problem_id)
        chain.append(obj)
    if isinstance(obj, Problem):
        chain.append(s.get(RectCategory, obj.category_id))
    return chain


def _rect_where(s: Session, obj) -> str:
    chain = _rect_path(s, obj)
    cat = chain[-1] if chain else obj
    camp = s.get(Campaign, cat.campaign_id)
    names = [f"{camp.year}年 {camp.name}"] if camp is not None else []
    for node in reversed(chain):
        names.append(_short(getattr(node, "name", "") or getattr(node, "description", "")
                            or getattr(node, "content", ""), 16))
    return " › ".join(names)


def _meeting_label(s: Session, m: Meeting) -> tuple[str, str]:
    title = m.title or f"{m.date.year}年第{m.number}次{m.kind}"
    group = s.get(PartyGroup, m.group_id) if m.group_id else None
    return f"{m.date.isoformat()} {title}", _branch_name(s, m.branch_id) + (f" › {group.name}" if group else "")


def _post_label(s: Session, p: PostHolding) -> tuple[str, str]:
    member = s.get(Member, p.member_id)
    return f"{p.post}：{member.name if member else '?'}（{p.start_date.isoformat()} 起）", _branch_name(s, p.branch_id)


def _opt(s: Session, model, rid, label):
    obj = s.get(model, rid) if rid else None
    return [(label, obj)] if obj is not None else []


KINDS: dict[str, Kind] = {
    "meeting": Kind(Meeting, "会议", _meeting_label,
                    lambda s, m: _opt(s, Branch, m.branch_id, "党支部") + _opt(s, PartyGroup, m.group_id, "党小组")),
    "member": Kind(Member, "党员", lambda s, m: (m.name, _branch_name(s, m.branch_id)),
                   lambda s, m: _opt(s, Branch, m.branch_id, "党支部") + _opt(s, PartyGroup, m.group_id, "党小组"),
                   with_it=((PostHolding, "member_id", timedelta(0)), (Membership, "member_id", LEGACY_TOGETHER))),
    "branch": Kind(Branch, "党支部", lambda s, b: (b.name, ""), lambda s, b: [],
                   with_it=((PartyGroup, "branch_id", timedelta(0)), (PostHolding, "branch_id", timedelta(0)))),
    "group": Kind(PartyGroup, "党小组", lambda s, g: (g.name, _branch_name(s, g.branch_id)),
                  lambda s, g: _opt(s, Branch, g.branch_id, "党支部")),
    "post": Kind(PostHolding, "支委职务", _post_label,
                 lambda s, p: _opt(s, Branch, p.branch_id, "党支部") + _opt(s, Member, p.member_id, "党员")
                 + _opt(s, PartyGroup, p.group_id, "党小组")),
    "birthday_event": Kind(BirthdayEvent, "政治生日活动",
                           lambda s, e: (f"{e.date.isoformat()} {e.title}（{sum(1 for c in e.celebrants if c.deleted_at is None)}人）",
                                         _branch_name(s, e.branch_id)),
                           lambda s, e: _opt(s, Branch, e.branch_id, "党支部")),
    "campaign": Kind(Campaign, "主题教育活动", lambda s, c: (f"{c.year}年 {c.name}", _branch_name(s, c.branch_id)),
                     lambda s, c: []),
    "category": Kind(RectCategory, "整改类别", lambda s, c: (c.name, _rect_where(s, c)),
                     lambda s, c: _opt(s, Campaign, c.campaign_id, "主题教育活动"), ancestors=_rect_path),
    "problem": Kind(Problem, "问题", lambda s, p: (_short(p.description), _rect_where(s, p)),
                    lambda s, p: [], ancestors=_rect_path),
    "measure": Kind(Measure, "整改措施", lambda s, m: (_short(m.content), _rect_where(s, m)),
                    lambda s, m: [], ancestors=_rect_path),
    "progress": Kind(ProgressEntry, "整改进展", lambda s, e: (f"{e.date.isoformat()} {_short(e.text)}", _rect_where(s, e)),
                     lambda s, e: [], ancestors=_rect_path),
}  # fmt: skip
RECT_KINDS = ("category", "problem", "measure", "progress")


def _campaign_of(s: Session, obj) -> str | None:
    if isinstance(obj, Campaign):
        return obj.id
    chain = [obj, *_rect_path(s, obj)]
    return getattr(chain[-1], "campaign_id", None)


def list_deleted(ledger, kinds: Iterable[str] | None = None, campaign_id: str | None = None) -> list[DeletedRecord]:
    """Deleted records of ``kinds`` (default: all), newest first; ``campaign_id`` limits the 整改
    tree kinds (category … progress) to one campaign."""
    out: list[DeletedRecord] = []
    with ledger.read() as s:
        for name in kinds or KINDS:
            kind = KINDS[name]
            for obj in s.scalars(select(kind.model).where(kind.model.deleted_at.is_not(None))):
                if campaign_id is not None and name in RECT_KINDS and _campaign_of(s, obj) != campaign_id:
                    continue
                label, where = kind.describe(s, obj)
                out.append(DeletedRecord(name, obj.id, kind.label, label, where, obj.deleted_at))
    out.sort(key=lambda d: d.deleted_at, reverse=True)
    return out


def _refuse(message: str) -> DomainValidationError:
    return DomainValidationError("回收站", message)


def _check_meeting_number(s: Session, m: Meeting) -> None:
    year = m.date.year
    clash = s.scalars(live(Meeting).where(
        Meeting.branch_id == m.branch_id, Meeting.kind == m.kind, Meeting.number == m.number,
        (Meeting.group_id == m.group_id) if m.group_id else Meeting.group_id.is_(None),
        and_(Meeting.date >= date(year, 1, 1), Meeting.date <= date(year, 12, 31)), Meeting.id != m.id,
    )).first()  # fmt: skip
    if clash is not None:
        raise _refuse(f"{year}年{m.kind}第{m.number}次已有记录（{clash.date.isoformat()}），不能恢复成重复编号。"
                      "请先修改那条记录的编号。")


def restore(ledger, kind: str, record_id: str) -> None:
    """Bring a deleted record back (see module docstring); DomainValidationError says why not."""
    spec = KINDS[kind]
    with ledger.write() as s:
        obj = s.get(spec.model, record_id)
        if obj is None:
            raise NotDeleted(f"{spec.label}不存在")
        stamp = obj.deleted_at
        ancestors = spec.ancestors(s, obj) if spec.ancestors else []
        label, _where = spec.describe(s, obj)
        for parent_label, parent in spec.parents(s, obj):
            if parent.deleted_at is not None:
                pname = getattr(parent, "name", "") or getattr(parent, "title", "")
                raise _refuse(f"{spec.label}“{label}”所在的{parent_label}“{pname}”已删除。"
                              f"请先在回收站中恢复{parent_label}“{pname}”，再恢复这条记录。")
        if isinstance(obj, Meeting) and stamp is not None:
            _check_meeting_number(s, obj)
        for node in (obj, *ancestors):
            if node is not None and node.deleted_at is not None:
                node.restore()
        if stamp is None:
            return
        for model, fk, tolerance in spec.with_it:
            rows = s.scalars(select(model).where(getattr(model, fk) == record_id, model.deleted_at.is_not(None)))
            for row in rows:
                if stamp - tolerance <= row.deleted_at <= stamp and _parents_live(s, row):
                    row.restore()


def _parents_live(s: Session, row) -> bool:
    """A row restored along with its owner: only if nothing else it hangs on is deleted."""
    kind = next((k for k, spec in KINDS.items() if spec.model is type(row)), None)
    return kind is None or all(parent.deleted_at is None for _label, parent in KINDS[kind].parents(s, row))
