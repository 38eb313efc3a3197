"""``zhibu push FILE URL``: put a branch file's ledger onto the committee's PostgreSQL server.

An empty database gets the whole ledger (records, deleted ones, change history), one transaction.
A database that holds a ledger gets FILE merged into it, as ``zhibu merge`` merges two copies (the
server is 本方, the file 对方): a file pulled from this server (``zhibu pull``) or a branch file
pushed here before merges record by record with its history; an unrelated ledger is refused unless
``--combine``. Conflicts are listed by record name and nothing is written until each is decided
(``--accept-defaults`` or ``--choose N=OPTION``). The result is checked like a merge's, the server
is backed up with pg_dump first, and the merge is written in one transaction. Exit 0 pushed;
1 conflicts to decide (nothing written) or the result has ``zhibu check`` problems; 2 cannot push.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli import CliError
from desktop.cli._common import ledger_error, shown_target
from desktop.cli.merge import check_report, finish, refused

EPILOG = """说明：
  空数据库：放入整个台账（全部记录、已删除的记录和修改历史），一个事务。
  已有台账的数据库：把文件合并进去，做法与 zhibu merge 相同（服务器是“本方”，文件是“对方”）：
    从这个服务器取出的文件（zhibu pull）或以前放上来的文件逐条合并，保留双方的修改历史；
    来源不同的台账不合并，除非加 --combine（支部台账并入服务器上的党委台账）。
  冲突按记录名称列出；每处冲突都决定之前（--choose 编号=选项 或 --accept-defaults）服务器不会被修改。
  合并结果像 zhibu merge 一样检查；写入前用 pg_dump 备份服务器上的数据库；然后在一个事务中写入。
退出码：0 已放入或已合并；1 有冲突待决定（没有写入）或结果检查发现问题；2 无法放入。"""


def register(subparsers) -> None:
    p = subparsers.add_parser("push", help="把台账文件放到服务器上（空数据库直接放入；已有台账则合并进去）",
                              description=__doc__.split("\n")[0], epilog=EPILOG,
                              formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("file", metavar="FILE", help="台账文件（.zhibu），例如用 zhibu pull 取出、带出去修改过的支部台账")
    p.add_argument("url", metavar="URL", help="服务器台账地址 postgresql://…（空数据库或已有台账）")
    p.add_argument("--accept-defaults", action="store_true", help="冲突全部采用默认选择")
    p.add_argument("--choose", action="append", default=[], metavar="N=OPTION", help="冲突 N 的选择（可多次）")
    p.add_argument("--combine", action="store_true", help="另一个来源的支部台账并入服务器上的党委台账")
    p.add_argument("--report", metavar="FILE", help="把合并报告另存为 PDF 或 Word（.pdf / .docx）")
    p.add_argument("--backup-dir", metavar="DIR", help="合并前 pg_dump 备份的文件夹（默认：数据文件夹下的 backups/server）")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from desktop.store.errors import LedgerFileError, NoLedgerOnServer
    from desktop.store.opening import open_ledger
    from desktop.store.target import is_server_url

    if not is_server_url(args.url):
        raise CliError(f"{args.url}：不是服务器台账地址（postgresql://…）。", 2)
    check_report(args)
    file = Path(args.file).expanduser()
    try:
        ledger = open_ledger(args.url)
    except NoLedgerOnServer:
        return _into_empty(args, file)
    except LedgerFileError as exc:
        raise ledger_error(args.url, exc) from None
    try:
        return _merge(args, file, ledger)
    except LedgerFileError as exc:
        raise ledger_error(_blamed(args, exc), exc) from None
    finally:
        ledger.close()


def _blamed(args, exc) -> str:
    """What a LedgerFileError is about: the server (connection, permission, backup) or the file."""
    from desktop.store.errors import NoLedgerOnServer, PermissionDenied, ServerUnavailable

    server = isinstance(exc, ServerUnavailable | PermissionDenied | NoLedgerOnServer) or exc.path is None
    return args.url if server else args.file


def _into_empty(args, file: Path) -> int:
    from desktop.services.server_transfer import push
    from desktop.store.errors import LedgerFileError

    try:
        result = push(file, args.url)
    except LedgerFileError as exc:
        raise ledger_error(_blamed(args, exc), exc) from None
    print(f"已把 {args.file} 放到服务器：{shown_target(args.url)}（{sum(result.counts.values())} 条记录）")
    return 0


def _merge(args, file: Path, ledger) -> int:
    from desktop.services.merge import MergeRefused
    from desktop.services.merge.onserver import prepare_push
    from desktop.services.merge.report import SERVER_SIDES

    try:
        session = prepare_push(file, ledger, combine=args.combine,
                               backup_dir=Path(args.backup_dir) if args.backup_dir else None)  # fmt: skip
    except MergeRefused as exc:
        raise refused(exc) from None
    untouched = "服务器上的台账没有改动。"
    return finish(session, args, sides=SERVER_SIDES, ask="（服务器＝本方，文件＝对方）", untouched=untouched,
                  refused=untouched)
