"""``zhibu push FILE URL``: put a branch file's whole ledger (records, deleted ones, change history)
into an empty database on the committee's PostgreSQL server. A database that already holds a
ledger is refused untouched (bring two ledgers together with ``zhibu merge`` first)."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli import CliError
from desktop.cli._common import ledger_error, shown_target


def register(subparsers) -> None:
    p = subparsers.add_parser("push", help="把台账文件放到服务器上（空数据库，含修改历史）",
                              description=__doc__.split("\n")[0])  # fmt: skip
    p.add_argument("file", metavar="FILE", help="台账文件（.zhibu）")
    p.add_argument("url", metavar="URL", help="服务器上的空数据库 postgresql://…")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from desktop.services.server_transfer import push
    from desktop.store.errors import LedgerFileError
    from desktop.store.target import is_server_url

    if not is_server_url(args.url):
        raise CliError(f"{args.url}：不是服务器台账地址（postgresql://…）。", 2)
    try:
        result = push(Path(args.file).expanduser(), args.url)
    except LedgerFileError as exc:
        raise ledger_error(args.url if exc.path is None or "://" in str(exc.path) else args.file, exc) from None
    total = sum(result.counts.values())
    print(f"已把 {args.file} 放到服务器：{shown_target(args.url)}（{total} 条记录）")
    return 0
