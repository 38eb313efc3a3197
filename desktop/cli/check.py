"""``zhibu check [FILE]``: check a ledger file without modifying it.

Checks the header, schema version, SQLite integrity and foreign keys, the tables and columns this
program expects, and the domain problems an inspector or a merge would trip on; prints a summary
with record counts. Exit 0: fine; 1: problems found (listed); 2: not a usable ledger (says why).
The file is opened read-only; a ledger open in the program is reported as in use (exit 2).
"""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "check", help="检查台账（文件或服务器，只读，不作修改）", description=__doc__.split("\n")[0],
        epilog="退出码：0 正常；1 发现问题（已列出）；2 不是可用的台账文件（说明原因）。",
    )  # fmt: skip
    p.add_argument("file", metavar="FILE", nargs="?", help="台账文件或 postgresql:// 服务器地址（默认：--db 或默认台账）")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from desktop.cli._common import ledger_target
    from desktop.services.files import check_ledger
    from desktop.store.paths import default_ledger_path

    path = ledger_target(args.file or args.db or default_ledger_path())
    report = check_ledger(path)
    print("\n".join(report.summary_lines()))
    return report.exit_code
