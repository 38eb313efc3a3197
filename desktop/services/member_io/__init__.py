"""党员名册 import (.xlsx / .csv) and export (.xlsx).

Import is three steps, nothing written before the last:
1. ``read_table(path)`` → RawTable (header row + text cells; Excel dates kept as dates). The
   header row is found among the first rows by its column names (a merged title row such as
   "某某支部党员名册" above it is skipped); ``table.with_header(i)`` takes another row as header
   (the dialog lets the user pick it);
2. ``preview_import(ledger, table, mapping, default_branch_id)`` → one ImportRow per line with
   its errors (every field checked with the same rules as the editor, duplicates in the file
   and in the ledger found);
3. ``commit_import(ledger, preview)`` adds the rows without errors in ONE transaction: either
   all of them are written or none.

Export writes a temp file beside the target and renames it (never a half-written file).
"""

from __future__ import annotations

from .preview import ImportPreview, ImportRow, commit_import, preview_import
from .roster_xlsx import EXPORT_COLUMNS, export_members_xlsx, write_import_template
from .table import (
    FIELDS,
    LABELS,
    MAX_ROWS,
    REQUIRED,
    ImportFileError,
    RawTable,
    detect_header_row,
    guess_mapping,
    read_table,
)

__all__ = [
    "EXPORT_COLUMNS", "FIELDS", "LABELS", "MAX_ROWS", "REQUIRED", "ImportFileError", "ImportPreview", "ImportRow",
    "RawTable", "commit_import", "detect_header_row", "export_members_xlsx", "guess_mapping", "preview_import",
    "read_table", "write_import_template",
]
