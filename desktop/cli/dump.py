"""``zhibu dump [FILE]``: write every record of a ledger (deleted ones included) as JSON to stdout.

The format is described in docs/file-format.md; the same ledger always gives the same output.
The file is opened read-only and never modified. Exit 2 if FILE is not a usable ledger.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from desktop.cli._common import ledger_error, local_path


def register(subparsers) -> None:
    p = subparsers.add_parser("dump", help="把台账的全部记录导出为 JSON（输出到标准输出）",
                              description=__doc__.split("\n")[0])  # fmt: skip
    p.add_argument("file", metavar="FILE", nargs="?", help="台账文件或 postgresql:// 服务器地址（默认：--db 或默认台账）")
    p.add_argument("-o", "--output", metavar="JSON", type=local_path, help="写入文件而不是标准输出（先写临时文件，完成后改名）")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from desktop.cli._common import ledger_target
    from desktop.services.files import dump_ledger
    from desktop.store.errors import LedgerFileError
    from desktop.store.paths import default_ledger_path

    path = ledger_target(args.file or args.db or default_ledger_path())
    try:
        if args.output:
            _dump_to_file(dump_ledger, path, Path(args.output).expanduser())
        else:
            out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n", write_through=False)
            try:
                dump_ledger(path, out)
            finally:
                out.flush()
                out.detach()
    except LedgerFileError as exc:
        raise ledger_error(path, exc) from None
    return 0


def _dump_to_file(dump_ledger, path: Path, dest: Path) -> None:
    import os

    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            dump_ledger(path, fh)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
