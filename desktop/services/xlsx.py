"""Excel (.xlsx) plumbing shared by the roster and 整改清单 imports/exports: opening a workbook
with one clear error for a damaged file, bold centred header cells, and saving atomically.
openpyxl is imported when first needed (the desktop program starts without it)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

DATE_FORMAT = "yyyy-mm-dd"


@contextmanager
def open_workbook(path: Path, error: Callable[[Exception], Exception], **options: Any) -> Iterator[Any]:
    """``load_workbook(path, **options)``, closed afterwards. Whatever openpyxl raises while
    opening (zip/xml errors of a damaged or encrypted file, a missing file) becomes
    ``error(exc)``, chained to the original."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, **options)
    except Exception as exc:  # noqa: BLE001 - anything openpyxl raises means "not a readable xlsx"
        raise error(exc) from exc
    try:
        yield wb
    finally:
        wb.close()


def set_column_widths(ws: Any, widths: Iterable[float]) -> None:
    from openpyxl.utils import get_column_letter

    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w


def save_workbook(wb: Any, dest: Path | str) -> Path:
    """Save to ``dest`` via a fresh temp name beside it and ``os.replace`` (no half-written
    file; not mkstemp, whose 0600 mode would survive the rename)."""
    dest = Path(dest)
    tmp = dest.with_name(f".~{dest.stem}.{uuid.uuid4().hex[:8]}.xlsx")
    try:
        wb.save(tmp)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest
