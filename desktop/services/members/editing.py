"""Validating and saving a member (all problems at once, by form label), and deleting one."""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.domain.dates import format_cn_date, parse_optional_date
from desktop.domain.enums import Gender, MemberCategory, MembershipChange, MemberStatus
from desktop.domain.errors import DomainValidationError, ErrorCollector
from desktop.domain.members import (
    check_id_number,
    check_phone,
    id_birth_date,
    member_date_problems,
)
from desktop.domain.text import clean_line, clean_text
from desktop.store.models import Branch, Member, Membership, PartyGroup, PostHolding, utcnow
from desktop.store.queries import live

from ..conflicts import check_version
from .changes import _move_group
from .records import ENDING, MemberInput, _live_member


def _validate(s, data: MemberInput, today: date) -> dict[str, Any]:
    errs = ErrorCollector()
    out: dict[str, Any] = {"name": clean_line(data.name)}
    if not out["name"]:
        errs.add("姓名", "不能为空")
    out["gender"] = clean_line(data.gender)
    if out["gender"] and out["gender"] not in {g.value for g in Gender}:
        errs.add("性别", f"“{out['gender']}”应为 男 或 女")
    try:
        out["category"] = MemberCategory(data.category)
    except ValueError:
        errs.add("类别", f"“{data.category}”应为 正式党员 或 预备党员")
        out["category"] = MemberCategory.FULL
    try:
        out["status"] = MemberStatus(data.status)
    except ValueError:
        errs.add("状态", f"“{data.status}”不是可选的状态")
    for key, label in (("birth_date", "出生日期"), ("join_date", "入党日期"), ("full_date", "转正日期"),
                       ("since", "转入本支部日期")):
        out[key] = None
        with errs.check():
            out[key] = parse_optional_date(getattr(data, key), label)
    if out["join_date"] is None:
        errs.add("入党日期", "不能为空：入党日期就是政治生日，请按入党志愿书或组织关系介绍信填写")
    with errs.check():
        out["id_number"] = ""
        out["id_number"] = check_id_number(data.id_number, today)
    with errs.check():
        out["phone"] = ""
        out["phone"] = check_phone(data.phone)
    if out["id_number"] and out["birth_date"] and id_birth_date(out["id_number"]) != out["birth_date"]:
        errs.add("出生日期", f"{format_cn_date(out['birth_date'])} 与身份证号中的出生日期 "
                             f"{format_cn_date(id_birth_date(out['id_number']))} 不一致")
    if out["id_number"] and out["birth_date"] is None:
        out["birth_date"] = id_birth_date(out["id_number"])
    if out["category"] == MemberCategory.FULL and out["full_date"] is None and out["join_date"] is not None:
        pass  # legacy records: 党龄 counts from 入党日期 + 1 year (domain rule)
    for problem in member_date_problems(out["birth_date"], out["join_date"], out["full_date"], out["category"], today):
        errs.errors.append(problem)
    if not data.branch_id:
        errs.add("所在支部", "请选择所在支部")
    elif s.get(Branch, data.branch_id) is None:
        errs.add("所在支部", "所选支部不存在")
    if data.group_id:
        g = s.get(PartyGroup, data.group_id)
        if g is None or g.branch_id != data.branch_id:
            errs.add("党小组", "所选党小组不属于所在支部")
    if out["id_number"]:
        dup = s.scalars(live(Member).where(Member.id_number == out["id_number"], Member.id != (data.id or ""))).first()
        if dup is not None:
            errs.add("身份证号", f"与党员“{dup.name}”的身份证号相同，请核对是否重复录入")
    errs.raise_if_any()
    return out


def validate_member(session, data: MemberInput, today: date | None = None) -> None:
    """Raise ValidationErrors listing every problem of ``data`` (nothing is written)."""
    _validate(session, data, today or date.today())


def save_member(ledger, data: MemberInput, today: date | None = None) -> str:
    """Create or update a member in one transaction. A new member starts a Membership period
    (from ``since``, else 入党日期); an existing member's branch is changed only by
    :func:`transfer_member` (a different ``branch_id`` here is refused)."""
    with ledger.write() as s:
        return save_member_in(s, data, today or date.today())


def save_member_in(s, data: MemberInput, today: date) -> str:
    """``save_member`` inside the caller's transaction (the roster import adds many at once)."""
    check_version(s, Member, data.id, data.version, "党员")  # row locked: one of two saves wins
    v = _validate(s, data, today)
    if data.id:
        m = _live_member(s, data.id)
        if m.branch_id != data.branch_id:
            raise DomainValidationError("所在支部", "调整支部请用“调动”，以保留组织关系的历史")
        if m.group_id != data.group_id:
            _move_group(s, m, data.group_id, today)
    else:
        m = Member(name=v["name"], branch_id=data.branch_id, group_id=data.group_id)
    m.name = v["name"]
    m.gender = v["gender"]
    m.ethnicity = clean_line(data.ethnicity) or "汉族"
    m.birth_date = v["birth_date"]
    m.education = clean_line(data.education)
    m.id_number = v["id_number"]
    m.phone = v["phone"]
    m.job_title = clean_line(data.job_title)
    m.category = v["category"]
    m.join_date = v["join_date"]
    m.full_date = v["full_date"]
    m.notes = clean_text(data.notes)
    if data.id is None:
        if v["status"] in ENDING:
            raise DomainValidationError("状态", "新录入的党员不能是转出或去世；请先录入，再办理转出")
        m.status = v["status"]
        s.add(m)
        s.flush()
        s.add(Membership(member_id=m.id, branch_id=data.branch_id, group_id=data.group_id,
                         start_date=v["since"] or v["join_date"] or today, start_reason=MembershipChange.INITIAL))
    s.flush()
    return m.id


def delete_member(ledger, member_id: str, version: int | None = None) -> None:
    """Tombstone a member entered by mistake, with their posts (restored together from the
    回收站). Their branch periods stay, as children of a deleted record do: meetings they attended
    keep a consistent roster (``zhibu check``). Members who leave should be marked 转出/去世
    instead, so history stays correct. ``version``: the one shown; a member changed since is
    not deleted (RecordConflict)."""
    with ledger.write() as s:
        check_version(s, Member, member_id, version, "党员")
        m = s.get(Member, member_id)
        if m is None or m.deleted_at is not None:
            return
        at = utcnow()
        for p in s.scalars(live(PostHolding).where(PostHolding.member_id == member_id)):
            p.tombstone(at)
        m.tombstone(at)
