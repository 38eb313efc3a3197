"""A campaign back to .xlsx in the import layout."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from desktop.domain.enums import MeasureType
from desktop.domain.rectification import MeasureFlag

from ..rectification import get_campaign_tree
from ..xlsx import DATE_FORMAT, save_workbook
from .columns import COLUMNS

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
_CENTERED_KEYS = {"seq", "category", "source", "is_key", "leader", "deadline", "type", "status", "closed_on"}


def export_campaign_xlsx(ledger, campaign_id: str, dest: Path | str, today: date | None = None) -> Path:
    """Write the campaign's list to ``dest`` (temp file + rename): title, counts sentence, header,
    one row per measure, category / problem cells merged across their rows."""
    tree = get_campaign_tree(ledger, campaign_id, today=today)
    dest = Path(dest)
    wb = Workbook()
    ws = wb.active
    ws.title = "整改清单"
    ncol = len(COLUMNS)
    last = get_column_letter(ncol)
    ws["A1"] = f"{tree.campaign.name}整改清单"
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    ws["A1"].alignment = _CENTER
    ws.merge_cells(f"A1:{last}1")
    ws["A2"] = f"共{tree.sentence}。"
    ws["A2"].alignment = Alignment(horizontal="left", vertical="center")
    ws.merge_cells(f"A2:{last}2")
    ws.row_dimensions[1].height = 30
    header_fill = PatternFill("solid", fgColor="D9D9D9")
    for j, col in enumerate(COLUMNS, 1):
        c = ws.cell(3, j, col.label)
        c.font, c.fill, c.alignment, c.border = Font(bold=True), header_fill, _CENTER, _BORDER
        ws.column_dimensions[get_column_letter(j)].width = col.width
    r = 4
    for cat in tree.categories:
        cat_start = r
        for prob in cat.problems:
            p_start = r
            for m in prob.measures or (None,):
                values = {"seq": prob.number, "category": cat.name, "problem": prob.description,
                          "source": str(prob.source), "is_key": "是" if prob.is_key else ""}
                if m is not None:
                    values.update(
                        measure=m.content, target=m.target, leader=m.leader, owner=m.owner,
                        deadline=m.deadline or (str(m.type) if m.type != MeasureType.DEADLINE else None),
                        type=str(m.type), status=str(m.status), evidence=m.evidence, closed_on=m.closed_on,
                        progress="\n".join(f"{e.date.isoformat()} {e.text}" for e in m.progress),
                    )  # fmt: skip
                for j, col in enumerate(COLUMNS, 1):
                    c = ws.cell(r, j, values.get(col.key))
                    c.border = _BORDER
                    c.alignment = _CENTER if col.key in _CENTERED_KEYS else _WRAP
                    if isinstance(c.value, date):
                        c.number_format = DATE_FORMAT
                    if col.key == "deadline" and m is not None and m.flag == MeasureFlag.OVERDUE:
                        c.font = Font(color="C00000", bold=True)
                r += 1
            for key in ("seq", "problem", "source", "is_key"):
                j = [c.key for c in COLUMNS].index(key) + 1
                if r - p_start > 1:
                    ws.merge_cells(start_row=p_start, start_column=j, end_row=r - 1, end_column=j)
        if r - cat_start > 1:
            ws.merge_cells(start_row=cat_start, start_column=2, end_row=r - 1, end_column=2)
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return save_workbook(wb, dest)
