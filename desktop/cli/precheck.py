"""``zhibu precheck FILE [--branch B] [--year Y]``: 迎检自查 from the command line.

Lists every problem an inspector would fault in the meeting records of one branch (name or id)
or of every branch, for one year (default: this year). Exit 0 when clean, 1 with the list
otherwise, 2 when the file or the branch cannot be used.
"""

from __future__ import annotations

import argparse
from datetime import date

from desktop.cli import CliError
from desktop.cli._common import check_year, open_ledger

SEVERITY = {"error": "错误", "warning": "提醒"}


def register(subparsers) -> None:
    p = subparsers.add_parser("precheck", help="迎检自查：检查三会一课记录与应开会议", description=__doc__.split("\n")[0])
    p.add_argument("file", metavar="FILE", help="台账文件（.zhibu）或服务器台账地址 postgresql://…")
    p.add_argument("--branch", metavar="B", help="支部名称或编号（默认：全部支部）")
    p.add_argument("--year", metavar="Y", type=int, default=None, help="年度（默认：今年）")
    p.set_defaults(func=handler)


def _branches(ledger, wanted: str | None):
    from desktop.services.organization import list_branches

    rows = list_branches(ledger)
    if not wanted:
        if not rows:
            raise CliError("台账中还没有支部。", 2)
        return rows
    hit = [b for b in rows if b.id == wanted or b.name == wanted.strip()]
    if not hit:
        names = "、".join(b.name for b in rows) or "（无）"
        raise CliError(f"找不到支部“{wanted}”。台账中的支部：{names}", 2)
    return hit


def handler(args: argparse.Namespace) -> int:
    from desktop.services.meetings import precheck_branch_year

    year = check_year(args.year or date.today().year)
    with open_ledger(args.file) as ledger:
        total = errors = 0
        for branch in _branches(ledger, args.branch):
            found = precheck_branch_year(ledger, branch.id, year)
            print(f"{branch.name} {year}年：" + ("未发现问题" if not found else f"发现 {len(found)} 个问题"))
            if branch.ledger_start and branch.ledger_start.year >= year:
                print(f"  （台账自{branch.ledger_start_label}起启用，此前开始的期间为“未录入”，不计为缺）")
            for f in found:
                print(f"  [{SEVERITY[f.severity]}] {f.subject}｜{f.finding.field}：{f.message}")
            total += len(found)
            errors += sum(1 for f in found if f.severity == "error")
        if total:
            print(f"共 {total} 个问题（错误 {errors} 个，提醒 {total - errors} 个）。")
        return 1 if total else 0
