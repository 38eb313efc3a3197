"""Reading one worksheet: merged cells carry their range, the header row is found in the first
15 rows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop.domain.errors import DomainValidationError
from desktop.domain.text import clean_line

from ..xlsx import open_workbook
from .columns import COLUMNS, norm_header


@dataclass(frozen=True)
class Cell:
    value: object
    merge: str | None = None  # "A3:A5" when the cell belongs to a merged range


@dataclass(frozen=True)
class SheetData:
    sheet_name: str
    sheet_names: tuple[str, ...]
    header_row: int  # 1-based
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]  # (excel row number, cells)


def _header_score(values: list[object]) -> int:
    names = {s for c in COLUMNS for s in c.synonyms}
    return sum(1 for v in values if norm_header(v) in names)


def read_sheet(path: Path | str, sheet: str | None = None) -> SheetData:
    """Read one worksheet (the first by default), finding the header row in the first 15 rows."""
    path = Path(path)

    def unreadable(exc: Exception) -> DomainValidationError:
        return DomainValidationError("文件", f"无法读取“{path.name}”：不是有效的 .xlsx 文件（{exc.__class__.__name__}）")

    with open_workbook(path, unreadable, data_only=True) as wb:
        ws = wb[sheet] if sheet else wb.worksheets[0]
        merged: dict[tuple[int, int], Cell] = {}
        for rng in ws.merged_cells.ranges:
            top = ws.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    merged[(r, c)] = Cell(top, rng.coord)
        width = ws.max_column
        grid: list[tuple[int, tuple[Cell, ...]]] = []
        for r, row in enumerate(ws.iter_rows(values_only=True), 1):
            cells = tuple(merged.get((r, c + 1)) or Cell(row[c] if c < len(row) else None) for c in range(width))
            grid.append((r, cells))
        best, header_at = 0, 0
        for i, (_r, cells) in enumerate(grid[:15]):
            score = _header_score([c.value for c in cells])
            if score > best:
                best, header_at = score, i
        if best < 2:
            raise DomainValidationError("文件", f"在“{ws.title}”前15行中找不到表头（应有“问题表现”“整改措施”等列名）")
        headers = tuple(clean_line(str(c.value or "")) for c in grid[header_at][1])
        body = tuple((r, cells) for r, cells in grid[header_at + 1:]
                     if any(clean_line(str(c.value or "")) for c in cells))
        return SheetData(ws.title, tuple(wb.sheetnames), grid[header_at][0], headers, body)
