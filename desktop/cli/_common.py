"""Helpers shared by the subcommands (not a subcommand itself: the leading underscore keeps
it out of discovery): opening a ledger with its errors mapped to exit codes, and checking
the usual ``--year`` / ``--date`` options."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from desktop.cli import CliError


def ledger_target(value: str | Path) -> str | Path:
    """A ledger argument: a ``postgresql://`` URL stays a string, anything else is a file path."""
    from desktop.store.target import is_server_url

    return value if is_server_url(value) else Path(value).expanduser()


def local_path(value: str) -> str:
    """An argparse ``type`` for an argument that must be a file on this PC: a server URL there is
    refused with its password hidden (never taken for a folder named ``postgresql:``)."""
    import argparse

    from desktop.store.target import is_server_url, without_password

    if is_server_url(value):
        raise argparse.ArgumentTypeError(f"这里应是本机上的文件，不能是服务器台账地址：{without_password(value)}"
                                         "（文件与服务器台账之间请用 zhibu push / zhibu pull）")
    return value


def shown_target(value: str | Path) -> str:
    """How a ledger argument is named in messages (a server URL without its password)."""
    from desktop.store.target import without_password

    return without_password(str(value))


def ledger_error(path: str | Path, exc) -> CliError:
    """A ``LedgerFileError`` as the CLI reports it: ``FILE：message`` with its exit code (a refused
    server login also says how a command gets its password)."""
    hint = ("\n命令行的密码可以写在地址里（postgresql://用户名:密码@服务器/数据库），或放在环境变量 PGPASSWORD"
            "或 ~/.pgpass 中。") if getattr(exc, "login_refused", False) else ""
    return CliError(f"{shown_target(path)}：{exc.full_message()}{hint}", exc.exit_code)


def opened_notices(ledger) -> list[str]:
    """What opening changed in the file (an upgrade, a crash recovery), as the user must hear it."""
    from desktop.store.header import SCHEMA_VERSION

    notes = []
    if getattr(ledger, "recovered", False):
        notes.append(f"{ledger.path}：上次保存没有完成（程序异常退出或断电），未完成的修改已撤销，台账已恢复到上次保存的状态。")
    if ledger.upgraded_from is not None:
        notes.append(f"{ledger.path}：台账已从第 {ledger.upgraded_from} 版数据格式升级到第 {SCHEMA_VERSION} 版，"
                     f"升级前的原文件已备份到：{ledger.backup_path}")
    return notes


def report_opened(ledger) -> None:
    """Print :func:`opened_notices` on stderr (stdout stays the command's own output)."""
    for note in opened_notices(ledger):
        print(f"zhibu: {note}", file=sys.stderr)


@contextmanager
def open_ledger(file: str | Path) -> Iterator:
    """Open an existing ledger for one command and close it afterwards; a file that cannot be
    used becomes a ``CliError`` (only errors while opening are mapped)."""
    from desktop.store.errors import LedgerFileError
    from desktop.store.opening import open_ledger as open_target

    try:
        ledger = open_target(ledger_target(file))
    except LedgerFileError as exc:
        raise ledger_error(file, exc) from None
    report_opened(ledger)
    try:
        yield ledger
    finally:
        ledger.close()


def check_year(year: int) -> int:
    if not 1900 < year < 2200:
        raise CliError(f"年度 {year} 不正确。", 2)
    return year


def parse_date_option(text: str | None, label: str) -> date | None:
    """A date option (``--date``, ``--from`` …); None when not given, exit 2 when malformed."""
    if not text:
        return None
    from desktop.domain.dates import parse_date
    from desktop.domain.errors import DomainValidationError

    try:
        return parse_date(text, label)
    except DomainValidationError as exc:
        raise CliError(str(exc), 2) from None
