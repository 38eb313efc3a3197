"""What the file dialogs offer for ledger files (open, save a copy, restore, merge, check)."""

from __future__ import annotations

from desktop import FILE_SUFFIX

FILE_FILTER = f"台账文件 (*{FILE_SUFFIX});;所有文件 (*)"
