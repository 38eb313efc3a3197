"""``zhibu export FILE KIND --out DIR [--format pdf|docx|both] [filters]``: printable documents.

KIND: one of the registered document kinds (``desktop.services.document_kinds``: minutes
（会议记录）, signin（签到表）, ledger（三会一课台账）, compliance（落实情况统计表）, …).
Prints one line per file written, then any character that no installed font can print, with
where it occurs. Exit 2 for a wrong option or file, 3 when no usable Chinese font is installed,
4 when writing failed (disk full: 「磁盘已满」 and the files already complete).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli import CliError
from desktop.cli._common import open_ledger, parse_date_option
from desktop.services.document_kinds import document_kind_names, document_kinds


def register(subparsers) -> None:
    p = subparsers.add_parser("export", help="导出会议记录、台账、整改清单等 Word/PDF 文档",
                              description=__doc__.split("\n")[0])
    p.add_argument("file", metavar="FILE", help="台账文件（.zhibu）或服务器台账地址 postgresql://…")
    p.add_argument("kind", metavar="KIND", choices=document_kind_names(),
                   help="文档类型：" + "、".join(f"{k.name}（{k.label}）" for k in document_kinds()))
    p.add_argument("--out", metavar="DIR", required=True, help="输出文件夹（不存在时新建）")
    p.add_argument("--format", dest="fmt", choices=("pdf", "docx", "both"), default="pdf", help="格式（默认 pdf）")
    p.add_argument("--branch", metavar="NAME", help="党支部名称或编号")
    p.add_argument("--year", type=int, metavar="Y", help="年度（默认：今年）")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="起始日期，如 2026-01-01")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="截止日期")
    p.add_argument("--meeting", metavar="ID", help="一次会议的编号（不填则导出范围内的每次会议）")
    p.add_argument("--campaign", metavar="ID", help="整改清单（主题教育）的编号或名称")
    p.add_argument("--month", type=int, metavar="M", help="月份（政治生日，默认本月）")
    p.add_argument("--quarter", type=int, metavar="Q", help="季度 1—4（政治生日、统计表）")
    p.add_argument("--unmask", action="store_true", help="党员名册显示完整身份证号码")
    p.add_argument("--date", metavar="DATE", help="以该日期为“今天”（统计截至日、逾期判断）")
    p.add_argument("--with-signin", action="store_true", help="台账（ledger）：每份记录列出出席人员，并附签到表")
    p.add_argument("--no-drafts", action="store_true",
                   help="台账（ledger）：不收入尚未定稿的记录（默认收入，并在目录和标题下标注“草稿”）")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from desktop.services.export import (
        DocumentFontError,
        ExportError,
        ExportFilters,
        ExportWriteError,
        export,
    )

    filters = ExportFilters(branch=args.branch, year=args.year, date_from=parse_date_option(args.date_from, "起始日期"),
                            date_to=parse_date_option(args.date_to, "截止日期"), meeting=args.meeting, campaign=args.campaign,
                            month=args.month, quarter=args.quarter, unmask=args.unmask, today=parse_date_option(args.date, "日期"),
                            with_signin=args.with_signin, drafts=not args.no_drafts)
    with open_ledger(args.file) as ledger:
        try:
            result = export(ledger, args.kind, Path(args.out), args.fmt, filters)
        except DocumentFontError as exc:
            raise CliError(str(exc), 3) from None
        except ExportWriteError as exc:
            raise CliError(str(exc), 4) from None
        except (ExportError, LookupError) as exc:
            raise CliError(str(exc), 2) from None
        except OSError as exc:
            raise CliError(f"无法写入 {args.out}：{exc.strerror or exc}", 2) from None
    for path in result.paths:
        print(path)
    for w in [*result.notices, *result.warnings]:
        print(f"警告：{w}", file=sys.stderr)
    return 0
