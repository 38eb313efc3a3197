"""``zhibu roles URL [--committee ROLE …] [--secretary ROLE=支部 …]``: who may change what on a
server ledger, enforced by the database (roles, row-level security): the committee's office reads
all and writes nothing; each branch's secretary writes their own branch. Run as the database owner.
Missing login roles are created without a password (set it with ALTER ROLE … PASSWORD)."""

from __future__ import annotations

import argparse

from desktop.cli import CliError
from desktop.cli._common import open_ledger


def register(subparsers) -> None:
    p = subparsers.add_parser("roles", help="设置服务器台账的角色：机关党委只读，各支部书记只能修改本支部",
                              description=__doc__.split("\n")[0])  # fmt: skip
    p.add_argument("url", metavar="URL", help="服务器台账地址 postgresql://…（以数据库所有者身份）")
    p.add_argument("--committee", metavar="ROLE", action="append", default=[], help="机关党委办公室的登录名（只读）")
    p.add_argument("--secretary", metavar="ROLE=支部", action="append", default=[],
                   help="支部书记的登录名和所在党支部（名称或编号），可重复")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from desktop.domain.errors import DomainValidationError
    from desktop.services.server_roles import setup_roles
    from desktop.store.target import is_server_url

    if not is_server_url(args.url):
        raise CliError(f"{args.url}：不是服务器台账地址（postgresql://…）。", 2)
    pairs = []
    for item in args.secretary:
        role, sep, branch = item.partition("=")
        if not sep or not role or not branch:
            raise CliError(f"--secretary {item}：应写成 登录名=党支部。", 2)
        pairs.append((role.strip(), branch.strip()))
    from desktop.cli._common import ledger_error
    from desktop.store.errors import LedgerFileError

    with open_ledger(args.url) as ledger:
        try:
            result = setup_roles(ledger, args.committee, pairs)
        except DomainValidationError as exc:
            raise CliError(str(exc), 2) from None
        except LedgerFileError as exc:
            raise ledger_error(args.url, exc) from None
    print("已设置服务器台账的权限（由数据库强制执行）：")
    for role in result.committee:
        print(f"  {role}：机关党委，查看全部，不能修改")
    for role, branch in result.secretaries:
        print(f"  {role}：{branch}书记，可修改本支部的记录")
    return 0
