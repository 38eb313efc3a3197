"""Command line: ``zhibu [--db FILE] [SUBCOMMAND ...]``.

Each subcommand lives in its own module in this package and exposes
``register(subparsers) -> None``; the parser it adds sets ``func=handler`` where
``handler(args) -> int`` returns the exit code. Modules are discovered automatically,
so adding a command never edits a shared list.

Without a subcommand the desktop window opens (``desktop.ui.app.run``).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from desktop import APP_NAME, __version__


class CliError(Exception):
    """A problem the user can fix; printed without a traceback. ``code`` is the exit code."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zhibu", description=f"{APP_NAME}：三会一课、整改清单、政治生日台账")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--db", metavar="FILE|URL",
                        help="台账文件，或服务器台账地址 postgresql://用户名@服务器/数据库（默认：用户数据目录中的默认台账）")
    parser.add_argument("--self-check", action="store_true", help="加载全部界面、写一份 PDF 和 DOCX 后退出")
    sub = parser.add_subparsers(dest="command", metavar="SUBCOMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    # each command's page (`zhibu CMD -h`) opens with its one-line Chinese summary
    for action in sub._choices_actions:
        sub.choices[action.dest].description = action.help
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from desktop.ui.app import run  # Qt only when the window is wanted

            return run(db=args.db, self_check=args.self_check)
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"zhibu: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
