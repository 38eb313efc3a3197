"""Changes that keep history: 调动 (a new Membership period) and 状态变动 (转出/去世 end the open period)."""

from __future__ import annotations

from datetime import date, timedelta

from desktop.domain.dates import format_cn_date, parse_date, parse_optional_date
from desktop.domain.enums import MembershipChange, MemberStatus
from desktop.domain.errors import ErrorCollector
from desktop.domain.text import clean_text
from desktop.store.models import Member, Membership, PartyGroup
from desktop.store.queries import live

from ..conflicts import check_version
from .records import ENDING, _live_member


def _open_period(s, member_id: str) -> Membership | None:
    return s.scalars(
        live(Membership).where(Membership.member_id == member_id, Membership.end_date.is_(None))
        .order_by(Membership.start_date.desc())
    ).first()


def _move_group(s, m: Member, group_id: str | None, on: date) -> None:
    period = _open_period(s, m.id)
    if period is not None and period.start_date < on:
        period.end_date = on - timedelta(days=1)
        period.end_reason = MembershipChange.MOVED
        s.add(Membership(member_id=m.id, branch_id=period.branch_id, group_id=group_id, start_date=on,
                         start_reason=MembershipChange.MOVED))
    elif period is not None:
        period.group_id = group_id
    m.group_id = group_id


def transfer_member(ledger, member_id: str, *, to_branch_id: str, to_group_id: str | None, on: date | str,
                    reason: str = MembershipChange.MOVED, notes: str = "", version: int | None = None) -> None:
    """Move a member to another branch/group from ``on``: the open period ends the day before.
    A member who had been 转出 comes back (转入) as 在职. ``version``: the member as shown."""
    errs = ErrorCollector()
    day = None
    with errs.check():
        day = parse_date(on, "调动日期")
    if not to_branch_id:
        errs.add("调入支部", "请选择调入的支部")
    errs.raise_if_any()
    with ledger.write() as s:
        check_version(s, Member, member_id, version, "党员")
        m = _live_member(s, member_id)
        if to_group_id:
            g = s.get(PartyGroup, to_group_id)
            if g is None or g.branch_id != to_branch_id:
                errs.add("调入党小组", "所选党小组不属于调入支部")
        period = _open_period(s, member_id)
        if period is not None and day <= period.start_date:
            errs.add("调动日期", f"应晚于本段组织关系的开始日期 {format_cn_date(period.start_date)}")
        if period is not None and period.branch_id == to_branch_id and period.group_id == to_group_id:
            errs.add("调入支部", "与当前所在支部、党小组相同")
        if m.status == MemberStatus.DECEASED:
            errs.add("状态", "已去世的党员不能调动")
        errs.raise_if_any()
        if period is not None:
            period.end_date = day - timedelta(days=1)
            period.end_reason = reason
        s.add(Membership(member_id=member_id, branch_id=to_branch_id, group_id=to_group_id, start_date=day,
                         start_reason=MembershipChange.TRANSFER_IN if m.status == MemberStatus.TRANSFERRED_OUT
                         else reason, notes=clean_text(notes)))
        m.branch_id = to_branch_id
        m.group_id = to_group_id
        if m.status == MemberStatus.TRANSFERRED_OUT:
            m.status = MemberStatus.ACTIVE


def change_status(ledger, member_id: str, status: str, on: date | str | None = None, notes: str = "",
                  version: int | None = None) -> None:
    """Set 在职/退休/流动/转出/去世. 转出 and 去世 end the open period on ``on`` (the last day in
    the branch), so the member still counts for meetings before that day and not after."""
    errs = ErrorCollector()
    try:
        new = MemberStatus(status)
    except ValueError:
        errs.add("状态", f"“{status}”不是可选的状态")
        errs.raise_if_any()
    day = None
    with errs.check():
        day = parse_optional_date(on, "变动日期")
    if new in ENDING and day is None and not errs.errors:
        errs.add("变动日期", "转出或去世须填写日期")
    errs.raise_if_any()
    if new == MemberStatus.CANCELLED:
        errs.add("状态", "取消预备党员资格须经支部党员大会讨论，请用“预备期”中的“取消预备党员资格”登记")
        errs.raise_if_any()
    with ledger.write() as s:
        check_version(s, Member, member_id, version, "党员")
        m = _live_member(s, member_id)
        old = MemberStatus(m.status)
        if old in ENDING and new not in ENDING:
            errs.add("状态", f"该党员已{old.value}；恢复组织关系请用“调动”（转入）")
            errs.raise_if_any()
        if new in ENDING:
            period = _open_period(s, member_id)
            if period is not None:
                if day < period.start_date:
                    errs.add("变动日期", f"早于本段组织关系的开始日期 {format_cn_date(period.start_date)}")
                    errs.raise_if_any()
                period.end_date = day
                period.end_reason = ENDING[new]
                if notes:
                    period.notes = clean_text(notes)
        m.status = new
