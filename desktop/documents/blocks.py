"""The one description of a printed document: plain dataclasses, no Qt, no database.

A builder (``desktop.documents.kinds.*``) turns plain data into a :class:`Document`,
a list of blocks; ``pdf.render_pdf`` and ``docx.render_docx`` both render it. Every block
that carries user text has a ``location`` (Chinese, e.g. ``"会议内容"`` or
``"整改清单 第3行「问题表现」"``) used when a character cannot be printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Align = Literal["left", "center", "right", "justify"]
Orientation = Literal["portrait", "landscape"]


@dataclass
class Title:
    """The document title: 小标宋 22 pt, centred."""

    text: str
    location: str = "标题"
    toc: bool = False  # an entry of the bundle's contents (``TocPlaceholder``)
    toc_text: str = ""  # the entry's text when it differs from the title


@dataclass
class Subtitle:
    """A centred line under the title (e.g. ``（2026年第3次）``), 楷体."""

    text: str
    location: str = "副标题"


@dataclass
class KeyValueTable:
    """Header facts as a bordered table: ``pairs_per_row`` label/value pairs per row."""

    items: list[tuple[str, str]]
    pairs_per_row: int = 2
    location: str = "基本信息"


@dataclass
class Heading:
    """Level 1: ``一、…`` 黑体; level 2: ``（一）…`` 楷体. The text includes its number."""

    text: str
    level: int = 1
    location: str = "标题"


@dataclass
class Paragraph:
    """Body text, 仿宋 16 pt; ``\\n`` inside ``text`` starts a new paragraph."""

    text: str
    indent_first_line: bool = True
    align: Align = "justify"
    location: str = "正文"
    bold_prefix: str = ""  # e.g. a speaker's name ``"张三："`` printed 黑体 before the text


@dataclass
class Cell:
    """A table cell; ``rowspan`` > 1 merges it with the cells below (which are omitted)."""

    text: str
    rowspan: int = 1
    align: Align = "left"
    shaded: bool = False  # a light grey background (e.g. a missed obligation); prints in black and white


@dataclass
class Column:
    title: str
    weight: float = 1.0  # share of the table width
    align: Align = "left"


@dataclass
class Table:
    """A bordered table. ``rows`` hold ``str`` or :class:`Cell`; a row skips the columns
    covered by a rowspan from above. ``header_rows`` default to the column titles; they
    repeat on every page when ``repeat_header``. On continuation pages the ``caption``
    is printed with ``continuation_suffix`` appended (``整改清单（续）``)."""

    columns: list[Column]
    rows: list[list[str | Cell]]
    header_rows: list[list[str]] | None = None
    caption: str = ""
    repeat_header: bool = True
    continuation_suffix: str = "（续）"
    font_size: float = 12.0
    location: str = "表格"
    row_padding_pt: float = 2.0  # above and below the text of a body row (sign-in sheets: room to sign)

    def headers(self) -> list[list[str]]:
        return self.header_rows if self.header_rows is not None else [[c.title for c in self.columns]]

    def where(self) -> str:
        """Location prefix for warnings: the caption unless a location was given."""
        return self.caption if self.location == "表格" and self.caption else self.location

    def grid(self) -> list[list[Cell | None]]:
        """Rows with one entry per column; ``None`` where a cell above spans over."""
        out: list[list[Cell | None]] = []
        covered: set[tuple[int, int]] = set()
        for r, row in enumerate(self.rows):
            it = iter(row)
            cells: list[Cell | None] = []
            for c, col in enumerate(self.columns):
                if (r, c) in covered:
                    cells.append(None)
                    continue
                cell = next(it, "")
                cell = cell if isinstance(cell, Cell) else Cell("" if cell is None else str(cell), align=col.align)
                span = max(1, min(cell.rowspan, len(self.rows) - r))
                if span != cell.rowspan:
                    cell = Cell(cell.text, span, cell.align, cell.shaded)
                covered.update((r + k, c) for k in range(1, span))
                cells.append(cell)
            out.append(cells)
        return out


@dataclass
class SignatureLines:
    """``主持人（签字）：________`` lines, right half of the page."""

    labels: list[str]
    location: str = "签字栏"


@dataclass
class PageBreak:
    pass


@dataclass
class Note:
    """A short note under a table in the table's type (12 pt), kept on the page of the block
    before it: a sign-in sheet's closing note never stands alone on a page."""

    text: str
    location: str = "注"


@dataclass
class RunningHead:
    """Stands at the start of a page (after a :class:`PageBreak`): ``text`` heads every page
    after this one until the next ``RunningHead`` (``""`` ends it). A sign-in sheet bound into
    the year ledger carries its title on every page this way (PDF: drawn over the type area;
    Word: a section of its own whose header holds the title, the first page without it)."""

    text: str
    location: str = "页眉"


@dataclass
class Spacer:
    height_pt: float = 14.0


@dataclass
class Cover:
    """A cover page for a bound bundle: unit, big title, year; followed by a page break."""

    title: str
    unit: str = ""
    lines: list[str] = field(default_factory=list)  # e.g. ``["2026年度"]``
    footer: str = ""  # e.g. ``"中共××局机关委员会 制"``
    location: str = "封面"


@dataclass
class TocPlaceholder:
    """Contents with page numbers of every ``Title(toc=True)`` that follows; the caller
    passes how many entries there will be so the pages can be reserved in one pass."""

    entries: int
    title: str = "目　录"


@dataclass
class Card:
    """One greeting card on its own page: bordered, centred heading and free lines."""

    heading: str
    lines: list[Paragraph]
    location: str = "贺卡"


Block = (
    Title | Subtitle | KeyValueTable | Heading | Paragraph | Table | SignatureLines | PageBreak | Spacer
    | Cover | TocPlaceholder | Card | RunningHead | Note
)


@dataclass
class Document:
    """A whole document. ``file_stem`` is the readable file name without suffix."""

    title: str
    blocks: list[Block]
    file_stem: str
    orientation: Orientation = "portrait"
    page_numbers: bool = True
    meta: dict[str, str] = field(default_factory=dict)
    running_head: str = ""  # printed at the top of every page after the first (a sign-in sheet's title)
    notices: list[str] = field(default_factory=list)  # said to the user with the export's warnings (drafts …)


@dataclass(frozen=True)
class MissingGlyph:
    """A character no available font can print, and where it occurs."""

    char: str
    font_role: str
    location: str

    def __str__(self) -> str:
        return f"{self.location}：字符「{self.char}」(U+{ord(self.char):04X}) 在{self.font_role}字体及所有备用字体中都没有字形"
