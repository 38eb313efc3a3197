"""Set up who may change what on a server ledger (desktop.store.serverroles): the committee's
office reads all, each branch's secretary writes their own branch. Run by the administrator
(the database owner) with ``zhibu roles URL --committee ROLE --secretary ROLE=支部``."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from desktop.domain.errors import DomainValidationError
from desktop.store import serverroles
from desktop.store.errors import PermissionDenied
from desktop.store.models import Branch

from .meetings import ensure_search_index


@dataclass
class RolesResult:
    committee: list[str] = field(default_factory=list)
    secretaries: list[tuple[str, str]] = field(default_factory=list)  # (role, branch name)


def _branch_id(session, text: str) -> tuple[str, str]:
    rows = session.execute(select(Branch.id, Branch.name).where(Branch.deleted_at.is_(None))).all()
    for bid, name in rows:
        if text in (bid, name):
            return bid, name
    raise DomainValidationError("党支部", f"没有名为“{text}”的党支部（现有：{'、'.join(n for _, n in rows)}）")


def setup_roles(ledger, committee: list[str], secretaries: list[tuple[str, str]]) -> RolesResult:
    """Install the roles and policies (idempotent) and give the named login roles their rights."""
    if not ledger.is_server:
        raise DomainValidationError("台账", "只有服务器上的台账才能设置角色（文件台账只有一位使用者）")
    try:
        return _setup(ledger, committee, secretaries)
    except DBAPIError as exc:
        orig = getattr(exc, "orig", exc)
        if getattr(orig, "sqlstate", "") != "42501":
            raise
        first = str(orig).strip().splitlines()[0]
        err = PermissionDenied(
            ledger.url, f"数据库用户 {ledger.user} 不能设置角色（服务器：{first}）。设置角色要以数据库所有者身份运行，"
            "并且该用户能创建和授予角色（CREATEROLE，或由超级用户运行）。什么都没有改变。", str(orig))
        err.advice = ""  # not a secretary's refused write
        raise err from exc


def _setup(ledger, committee: list[str], secretaries: list[tuple[str, str]]) -> RolesResult:
    ensure_search_index(ledger)  # the derived tables exist before their grants
    result = RolesResult()
    with ledger._lock, ledger.engine.begin() as conn:
        serverroles.install(conn)
        from sqlalchemy.orm import Session

        with Session(bind=conn) as s:
            resolved = [(role, *_branch_id(s, branch)) for role, branch in secretaries]
        for role in committee:
            serverroles.make_committee(conn, role)
            result.committee.append(role)
        for role, bid, name in resolved:
            serverroles.make_secretary(conn, role, bid)
            result.secretaries.append((role, name))
    return result
