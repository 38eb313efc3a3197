"""``zhibu restore BACKUP FILE [--force]``: restore a ledger file from a backup.

The backup is checked (header, ``integrity_check``) before anything is touched. An existing FILE
is only replaced with ``--force``, after a backup of it is made (listed by ``zhibu backups``), and
never while another program has it open. The new file is written beside FILE, verified, synced and
renamed over it, so FILE is always either the old or the restored ledger.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli import CliError
from desktop.cli._common import ledger_error, local_path


def register(subparsers) -> None:
    p = subparsers.add_parser("restore", help="从备份恢复台账文件", description=__doc__.split("\n")[0],
                              epilog="退出码：0 已恢复；2 没有恢复（说明原因，文件未作修改）。")
    p.add_argument("backup", metavar="BACKUP", help="备份文件（见 zhibu backups FILE）")
    p.add_argument("file", metavar="FILE", type=local_path,
                   help="要恢复成的台账文件（服务器台账由系统管理员用 pg_restore 恢复）")
    p.add_argument("--force", action="store_true", help="FILE 已存在时覆盖它（覆盖前先备份）")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from desktop.services.backups import restore_backup
    from desktop.store import errors

    backup, target = Path(args.backup).expanduser(), Path(args.file).expanduser()
    try:
        result = restore_backup(backup, target, force=args.force)
    except errors.FileExists as exc:
        if not target.exists() or args.force:
            raise ledger_error(target, exc) from None
        raise CliError(f"{target}：文件已存在，没有覆盖。要用备份替换它，请加 --force（替换前会先备份当前文件）。",
                       exc.exit_code) from None
    except errors.LedgerFileError as exc:
        raise ledger_error(exc.path or target, exc) from None
    print(f"已从备份恢复：{result.target}")
    print(f"所用备份：{result.restored_from}")
    if result.previous_backup is not None:
        print(f"原文件已先备份到：{result.previous_backup}")
    return 0
