"""``zhibu backups FILE``: list the automatic backups of a ledger, newest first.

Each line: the backup's time (local), why it was made, its size, its record counts (党员 / 会议 /
整改措施) and its path, ready for ``zhibu restore BACKUP FILE``. Backups live in the local data
folder, one folder per ledger (see docs/file-format.md). Reads only; exit 2 when FILE cannot be read.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli._common import ledger_error


def register(subparsers) -> None:
    p = subparsers.add_parser("backups", help="列出台账的自动备份", description=__doc__.split("\n")[0],
                              epilog="退出码：0 正常（包括没有备份）；2 无法读取台账文件。")
    p.add_argument("file", metavar="FILE", nargs="?", help="台账文件或服务器台账地址 postgresql://…（默认：--db 或默认台账）")
    p.set_defaults(func=handler)


def entry_line(e) -> str:
    from desktop.services.backups import COUNTED
    from desktop.services.files import _human_size

    when = e.made_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    if e.counts is None:
        counts = "无法读取"
    else:
        counts = "，".join(f"{label}{e.counts[t]}" for t, label in COUNTED)
    return f"{when}  {e.reason_label:<6}  {_human_size(e.size):>9}  {counts}  {e.path}"


def handler(args: argparse.Namespace) -> int:
    from desktop.services.backups import backup_folder, list_backups
    from desktop.store.errors import LedgerFileError
    from desktop.store.paths import default_ledger_path
    from desktop.store.target import is_server_url

    target = args.file or args.db
    if is_server_url(target):
        return server_backups(target)
    path = Path(target or default_ledger_path()).expanduser()
    try:
        entries = list_backups(path)
        folder = backup_folder(path)
    except LedgerFileError as exc:
        raise ledger_error(path, exc) from None
    print(f"台账文件：{path}")
    print(f"备份文件夹：{folder}")
    if not entries:
        print("还没有备份。")
        return 0
    print(f"共 {len(entries)} 份备份（最新的在前）：")
    for e in entries:
        print(entry_line(e))
    return 0


def server_backups(url: str) -> int:
    """A server ledger has no automatic backups of this program (its administrator backs the
    database up); what this PC holds are the ``pg_dump`` files made before a push, merge or upgrade."""
    from desktop.services.files import _human_size
    from desktop.store.backups import backup_root
    from desktop.store.target import parts_of, without_password

    folder = backup_root() / "server"
    name = parts_of(url)["dbname"]
    files = sorted(folder.glob(f"{name}.*.pgdump"), key=lambda p: p.stat().st_mtime, reverse=True)
    print(f"服务器台账：{without_password(url)}")
    print("服务器台账没有本程序的自动备份，由系统管理员在服务器上备份（pg_dump）。")
    print(f"本机在导入、合并和升级服务器台账之前所做的 pg_dump 备份（文件夹：{folder}）：")
    if not files:
        print("  没有。")
    for f in files:
        print(f"  {_human_size(f.stat().st_size):>9}  {f}")
    if files:
        print("恢复这些备份请交给系统管理员（pg_restore）；zhibu restore 只恢复台账文件。")
    return 0
