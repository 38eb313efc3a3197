"""``zhibu load JSON FILE``: build a new ledger FILE from a dump made by ``zhibu dump``.

Refuses to overwrite an existing FILE. The dump is validated completely first; if anything is
wrong, EVERY problem is printed with its JSON path and nothing is written (exit 1). Text values
pass through the same cleaning as typed input (docs/file-format.md). JSON ``-`` reads stdin.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli import CliError
from desktop.cli._common import ledger_error


def register(subparsers) -> None:
    p = subparsers.add_parser("load", help="从 JSON 导出数据新建台账（不会覆盖已有文件）",
                              description=__doc__.split("\n")[0])  # fmt: skip
    p.add_argument("json", metavar="JSON", help="zhibu dump 导出的 JSON 文件（- 表示标准输入）")
    p.add_argument("file", metavar="FILE", help="要新建的台账文件（.zhibu，必须尚不存在），或空数据库的地址 postgresql://…")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from desktop.cli._common import ledger_target
    from desktop.services.files import DumpInvalid, load_ledger
    from desktop.store.errors import LedgerFileError

    dest = ledger_target(args.file)
    if isinstance(dest, Path) and (dest.exists() or dest.is_symlink()):
        raise CliError(f"文件已存在：{dest}。不会覆盖已有文件，请换一个文件名。", 2)
    if args.json == "-":
        data = sys.stdin.buffer.read()
    else:
        source = Path(args.json).expanduser()
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise CliError(f"无法读取 {source}：{exc.strerror}。", 2) from None
    try:
        result = load_ledger(data, dest)
    except DumpInvalid as exc:
        for line in exc.errors:
            print(line, file=sys.stderr)
        raise CliError(f"导出数据有 {len(exc.errors)} 处错误，没有创建 {dest}。", 1) from None
    except LedgerFileError as exc:
        raise ledger_error(dest, exc) from None
    total = sum(result.counts.values())
    print(f"已新建台账：{result.path}（共 {total} 条记录）")
    return 0
