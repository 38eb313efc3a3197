"""The import template and the roster export (.xlsx): the same column labels, so an exported roster
imports again. Written to a temp file beside the target and renamed."""

from __future__ import annotations

from pathlib import Path

from ..members import MemberRow
from ..xlsx import DATE_FORMAT, save_workbook, set_column_widths
from .table import FIELDS

TEMPLATE_EXAMPLE = ("张三", "男", "汉族", "1985.07", "大学本科", "", "13800000000", "", "", "", "科员", "正式党员", "在职",
                    "2008-07-01", "2009-07-01", "")
TEMPLATE_NOTES = (
    "第一行是列名，请勿改动；从第二行起每行一名党员，示例行可以删除或改写。",
    "必填：姓名、入党日期。其余可空。",
    "日期可写 2008-07-01、2008/7/1、2008.7.1、20080701 或 2008年7月1日；出生年月可只写到月（1985.07）。",
    "所在支部、党小组须与“组织”中的名称一致；不填所在支部时，导入到对话框中选择的支部。",
    "人员类别填“正式党员”或“预备党员”；预备党员不填转正日期。",
    "没有身份证号的党员按“姓名 + 入党日期（或出生日期）”识别：同一名册再次导入时不会重复添加。",
)


def write_import_template(target: str | Path) -> Path:
    """The roster template offered by the import dialog: the column names import recognises, an
    example row and a sheet of instructions (written via a temp file + rename)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "党员名册"
    ws.append([label for _k, label, _a in FIELDS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    ws.append(list(TEMPLATE_EXAMPLE))
    for row in ws.iter_rows(min_row=2, max_row=200):
        for c in row:
            c.number_format = "@"  # text: 1985.07 stays 1985.07, ID numbers keep their digits
    set_column_widths(ws, (10, 6, 8, 12, 10, 21, 14, 16, 12, 12, 12, 10, 8, 12, 12, 20))
    ws.freeze_panes = "B2"
    notes = wb.create_sheet("填写说明")
    notes.column_dimensions["A"].width = 100
    for line in TEMPLATE_NOTES:
        notes.append([line])
    return save_workbook(wb, Path(target))


EXPORT_COLUMNS = ("序号", "姓名", "性别", "民族", "出生日期", "学历", "身份证号", "联系电话", "所在支部", "党小组",
                  "党内职务", "行政职务", "人员类别", "状态", "入党日期", "转正日期", "党龄")


def export_members_xlsx(rows: list[MemberRow], target: str | Path, *, reveal_ids: bool = False,
                        title: str = "党员名册") -> Path:
    """Write the roster to ``target`` (.xlsx) via a temp file + rename. ID numbers are masked
    unless ``reveal_ids``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    target = Path(target)
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(list(EXPORT_COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for n, r in enumerate(rows, 1):
        ws.append([
            n, r.name, r.gender, r.ethnicity, r.birth_date, r.education,
            r.id_number if reveal_ids else r.id_masked, r.phone, r.branch_name, r.group_name, r.party_post,
            r.job_title, r.category, r.status, r.join_date, r.full_date,
            "" if r.party_age is None else r.party_age,
        ])
    for col in (5, 15, 16):
        for cell in ws.iter_cols(min_col=col, max_col=col, min_row=2):
            for c in cell:
                c.number_format = DATE_FORMAT
    set_column_widths(ws, (6, 10, 6, 8, 12, 10, 21, 14, 16, 12, 12, 14, 10, 8, 12, 12, 6))
    ws.freeze_panes = "C2"
    return save_workbook(wb, target)
