"""Open a ledger wherever it lives: a ``.zhibu`` file or a ``postgresql://`` server URL.

Both give the same API (desktop.store.ledger.Ledger; desktop.store.server.ServerLedger is one).
The server module is imported only when a URL is opened: the file path never loads it.
"""

from __future__ import annotations

from pathlib import Path

from .ledger import Ledger
from .target import is_server_url


def open_ledger(target: Path | str, *, create: bool = False, backup_dir: Path | None = None) -> Ledger:
    if is_server_url(target):
        from .server import ServerLedger

        return ServerLedger.open(str(target), create=create, backup_dir=backup_dir)
    return Ledger.open(target, create=create, backup_dir=backup_dir)
