"""``zhibu demo FILE``: write a realistic sample ledger (机关党委, 3 branches, 42 members, a year
of meetings, a rectification list, political birthdays). Never overwrites: exit 2 if FILE exists."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli import CliError
from desktop.cli._common import ledger_error


def register(subparsers) -> None:
    p = subparsers.add_parser("demo", help="生成示例台账（不会覆盖已有文件）", description=__doc__.split("\n")[0])
    p.add_argument("file", metavar="FILE", help="要新建的台账文件（.zhibu，必须尚不存在），或空数据库的地址 postgresql://…")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from desktop.cli._common import ledger_target, shown_target
    from desktop.services.demo import build_demo
    from desktop.store.errors import LedgerFileError

    path = ledger_target(args.file)
    if isinstance(path, Path) and (path.exists() or path.is_symlink()):
        raise CliError(f"文件已存在：{path}。示例台账不会覆盖已有文件，请换一个文件名或先移走原文件。", 2)
    if isinstance(path, Path) and not path.parent.is_dir():
        raise CliError(f"文件夹不存在：{path.parent}。", 2)
    try:
        result = build_demo(path)
    except LedgerFileError as exc:
        raise ledger_error(path, exc) from None
    print(f"已生成示例台账：{shown_target(args.file) if isinstance(path, str) else result.path}")
    print(f"  {len(result.branch_ids)}个党支部，党员{result.members}名（另有转出{result.transferred_out}名），"
          f"会议记录{result.meetings}份，主题教育整改清单1份，集体政治生日1次。")
    print(f"  查看概况：zhibu summary {shown_target(args.file) if isinstance(path, str) else result.path}")
    return 0
