"""``zhibu merge MINE THEIRS --out MERGED``: merge two diverged copies of a ledger into a new file.

Both inputs are backed up first and never modified; MERGED must not exist. Changes made on one
side only are taken; every conflict is listed with its default. With conflicts the merge is only
written when each is decided: ``--accept-defaults`` or ``--choose N=OPTION`` (N as listed).
``--combine`` merges two branches' separate ledgers into one committee ledger. ``--report FILE``
also writes the report as PDF or Word (by the extension). Exit 0 merged; 1 conflicts to decide
(nothing written) or the result has ``zhibu check`` problems; 2 cannot merge.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli import CliError
from desktop.cli._common import local_path


def register(subparsers) -> None:
    p = subparsers.add_parser("merge", help="合并同一台账的两个副本（结果写入新文件）",
                              description=__doc__.split("\n")[0])  # fmt: skip
    p.add_argument("mine", metavar="MINE", type=local_path, help="本方台账文件（把文件合并到服务器请用 zhibu push FILE URL）")
    p.add_argument("theirs", metavar="THEIRS", type=local_path, help="对方台账文件（另一个副本）")
    p.add_argument("--out", required=True, metavar="MERGED", type=local_path, help="合并结果（新文件，不能已存在）")
    p.add_argument("--accept-defaults", action="store_true", help="冲突全部采用默认选择")
    p.add_argument("--choose", action="append", default=[], metavar="N=OPTION", help="冲突 N 的选择（可多次）")
    p.add_argument("--combine", action="store_true", help="两个支部各自的台账合成一个党委台账")
    p.add_argument("--report", metavar="FILE", help="把合并报告另存为 PDF 或 Word（.pdf / .docx）")
    p.add_argument("--backup-dir", metavar="DIR", help="合并前备份的文件夹（默认：台账数据文件夹下的 backups）")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from desktop.services.merge import MergeRefused, prepare

    check_report(args)
    try:
        session = prepare(args.mine, args.theirs, args.out, combine=args.combine,
                          backup_dir=Path(args.backup_dir) if args.backup_dir else None)  # fmt: skip
    except MergeRefused as exc:
        raise refused(exc) from None
    return finish(session, args, sides=("本方", "对方"), ask="", untouched=f"没有写入 {args.out}。")


def check_report(args: argparse.Namespace) -> None:
    """``--report FILE`` must name a .pdf or .docx (checked before anything is merged)."""
    if args.report and Path(args.report).suffix.lower() not in (".pdf", ".docx"):
        raise CliError(f"报告文件应以 .pdf 或 .docx 结尾：{args.report}", 2)


def refused(exc) -> CliError:
    """A merge that cannot start (``MergeRefused``), saying how an unrelated ledger is combined."""
    return CliError(exc.message + ("（命令行：加 --combine）" if exc.unrelated else ""), 2)


def finish(session, args: argparse.Namespace, *, sides: tuple[str, str], ask: str, untouched: str,
           refused: str = "") -> int:
    """The conflicts decided by ``--choose`` / ``--accept-defaults`` and the merge written (a file
    merge or a push onto a server: ``sides`` name MINE and THEIRS); with conflicts left undecided
    they are listed, nothing is written (``untouched`` says so) and the exit code is 1; a refusal
    while writing is exit 2 with ``refused`` after its message."""
    from desktop.services.merge import MergeRefused
    from desktop.services.merge.report import conflict_lines

    try:
        conflicts = session.conflicts
        choose(session, args.choose)
        if hasattr(session, "accept_defaults"):  # a push re-plans when the server changed meanwhile
            session.accept_defaults = args.accept_defaults
        undecided = [c for c in conflicts if c.choice is None]
        if undecided and not args.accept_defaults:
            print("\n".join(conflict_lines(conflicts, sides=sides)))
            print(f"有 {len(undecided)} 处冲突需要决定{ask}：用 --choose 编号=选项 逐个指定，"
                  f"或 --accept-defaults 全部采用默认。{untouched}")  # fmt: skip
            session.cancel()
            return 1
        result = session.finish()
    except MergeRefused as exc:
        session.cancel()
        raise CliError(exc.message + refused, 2) from None
    except BaseException:
        session.cancel()
        raise
    return print_result(result, args.report)


def choose(session, specs: list[str]) -> None:
    """``--choose N=OPTION`` (N as listed) decided in ``session`` (a file merge or a push onto a server)."""
    conflicts = session.conflicts
    for spec in specs:
        number, _, option = spec.partition("=")
        if not number.isdigit() or not 1 <= int(number) <= len(conflicts):
            raise CliError(f"--choose {spec}：没有第 {number} 处冲突（共 {len(conflicts)} 处）。", 2)
        conflict = conflicts[int(number) - 1]
        if option not in {c for c, _ in conflict.options}:
            codes = "、".join(c for c, _ in conflict.options)
            raise CliError(f"--choose {spec}：第 {number} 处冲突的选项是 {codes}。", 2)
        session.decide(conflict.key, option)


def print_result(result, report: str | None) -> int:
    """The merge report's lines, and the report as PDF/Word with ``--report``; the exit code."""
    from desktop.services.merge.report import report_lines

    print("\n".join(report_lines(result)))
    if report:
        from desktop.services.merge.printing import write_report

        print(f"报告：{write_report(result, Path(report))}")
    return 0 if result.check.ok else 1
