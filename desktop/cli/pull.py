"""``zhibu pull URL FILE --branch B``: take one branch out of the server ledger as a new file to
carry (its members, meetings, posts, birthdays and their change history, with what all branches
share). Refuses an existing FILE."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli import CliError
from desktop.cli._common import ledger_error


def register(subparsers) -> None:
    p = subparsers.add_parser("pull", help="从服务器取出一个党支部的台账，存为文件",
                              description=__doc__.split("\n")[0],
                              epilog="取出的文件保留记录编号和修改历史：带到别处修改后，用 zhibu push 文件 服务器地址 "
                                     "（或在程序里 文件 › 合并另一份台账…）合并回服务器。")  # fmt: skip
    p.add_argument("url", metavar="URL", help="服务器台账地址 postgresql://…")
    p.add_argument("file", metavar="FILE", help="要新建的台账文件（.zhibu），必须尚不存在")
    p.add_argument("--branch", metavar="B", required=True, help="党支部名称或编号")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from desktop.domain.errors import DomainValidationError
    from desktop.services.server_transfer import pull
    from desktop.store.errors import LedgerFileError
    from desktop.store.target import is_server_url

    if not is_server_url(args.url):
        raise CliError(f"{args.url}：不是服务器台账地址（postgresql://…）。", 2)
    dest = Path(args.file).expanduser()
    if dest.exists() or dest.is_symlink():
        raise CliError(f"文件已存在：{dest}。不会覆盖已有文件，请换一个文件名。", 2)
    try:
        result = pull(args.url, dest, args.branch)
    except DomainValidationError as exc:
        raise CliError(str(exc), 2) from None
    except LedgerFileError as exc:
        raise ledger_error(args.url, exc) from None
    print(f"已取出 {args.branch}：{result.path}（{sum(result.counts.values())} 条记录）")
    return 0
