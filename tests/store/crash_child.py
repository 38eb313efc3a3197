"""Child process for the fault-injection tests (tests/store/test_crash_recovery.py).

Run as ``python tests/store/crash_child.py MODE FILE [BACKUP_DIR]`` with PYTHONPATH at the
repository root. The parent kills it (strace fault injection, SIGKILL) at a chosen write/sync.

- ``save``: open the ledger and add GROW_MEMBERS members with long notes in ONE transaction
  (the file grows by many pages), renaming the first member in the same transaction;
- ``upgrade``: open an old-schema ledger, which backs it up into BACKUP_DIR and upgrades it;
- ``copy``: 另存副本 of the ledger to DEST (``save_copy``).
"""

from __future__ import annotations

import sys
from pathlib import Path

GROW_MEMBERS = 40
NEW_NAME = "改名后的党员"


def save(path: Path) -> None:
    from sqlalchemy import select

    from desktop.store.ledger import Ledger
    from desktop.store.models import Member

    with Ledger.open(path) as ledger, ledger.write() as s:
        first = s.scalars(select(Member).order_by(Member.id).limit(1)).one()
        first.name = NEW_NAME
        for i in range(GROW_MEMBERS):
            s.add(Member(name=f"新党员{i:03d}", notes="民主评议党员情况记录。" * 120))


def upgrade(path: Path, backups: Path) -> None:
    from desktop.store.ledger import Ledger

    Ledger.open(path, backup_dir=backups).close()


def copy(path: Path, dest: Path) -> None:
    from desktop.services.files import save_copy
    from desktop.store.ledger import Ledger

    with Ledger.open(path) as ledger:
        save_copy(ledger, dest)


if __name__ == "__main__":
    mode, file = sys.argv[1], Path(sys.argv[2])
    if mode == "save":
        save(file)
    elif mode == "upgrade":
        upgrade(file, Path(sys.argv[3]))
    elif mode == "copy":
        copy(file, Path(sys.argv[3]))
    else:
        raise SystemExit(f"unknown mode {mode}")
