"""整改清单 in Excel: read a drafted .xlsx (merged cells, synonym headers), preview it row by row,
import it in one transaction; export a campaign back to .xlsx in the same layout.

Reading merged cells: every cell of a merged range takes the range's top-left value and
remembers the range, so the rows of one merged 问题表现 cell form one problem. A problem cell
left blank continues the problem above; identical text in consecutive unmerged rows is
also one problem (copy-pasted lists).

Modules: ``columns`` (fields, synonyms, mapping), ``sheet`` (reading), ``values`` (时限 and
进展 parsing), ``preview`` (preview and import), ``export``.
"""

from __future__ import annotations

from .columns import COLUMN_BY_KEY, COLUMNS, Column, guess_mapping
from .export import export_campaign_xlsx
from .preview import ImportPreview, PreviewRow, build_preview, import_preview
from .sheet import Cell, SheetData, read_sheet
from .values import parse_deadline, parse_progress

__all__ = [
    "COLUMNS", "COLUMN_BY_KEY", "Cell", "Column", "ImportPreview", "PreviewRow", "SheetData", "build_preview",
    "export_campaign_xlsx", "guess_mapping", "import_preview", "parse_deadline", "parse_progress", "read_sheet",
]
