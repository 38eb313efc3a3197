"""Real rosters through the import dialog: a merged title row above the column names, 出生年月
given as a month, the preview showing what was understood, re-importing the same roster, and
the template offered by the dialog."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtWidgets import QFileDialog, QMessageBox, QSpinBox

from desktop.services.member_io import preview_import, read_table
from desktop.services.members import list_members
from desktop.ui.dialogs import member_import
from desktop.ui.dialogs.member_import import MemberImportDialog

HEADER = ["序号", "姓名", "性别", "出生年月", "所在支部", "人员类别", "入党日期", "转正日期", "身份证号"]
PEOPLE = [
    [1, "周强", "男", "1985.07", "第一党支部", "正式党员", "2010-07-01", "2011-07-01", ""],
    [2, "吴芳", "女", 1985.1, "第一党支部", "正式党员", "2012-05-04", "2013-05-04", ""],  # Excel's number for 1985.10
    [3, "郑伟", "男", "1979-03", "第二党支部", "正式党员", "2005-06-01", "2006-06-01", ""],
    [4, "冯雷", "男", 198211, "第二党支部", "正式党员", "2006-06-01", "2007-06-01", ""],
    [5, "孙丽", "女", "1990年2月", "第一党支部", "预备党员", "2026-01-10", "", ""],
]


def roster(path, title=True):
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append(["某某局第一、第二党支部党员名册（2026年）"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
        ws.append(["填报单位：机关党委", "", "", "", "", "", "", "填报日期：2026年11月"])
    for row in (HEADER, *PEOPLE):
        ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def dialog(qtbot, app_ctx, org_ledger):
    app_ctx.set_ledger(org_ledger)
    d = MemberImportDialog(app_ctx)
    qtbot.addWidget(d.dialog)
    return d


def test_title_rows_are_skipped_and_the_header_found(tmp_path):
    table = read_table(roster(tmp_path / "名册.xlsx"))
    assert table.header_row == 2 and table.headers[:3] == ["序号", "姓名", "性别"]
    assert len(table.rows) == 5 and table.line_of(0) == 4  # 周强 is on line 4 of the sheet
    assert read_table(roster(tmp_path / "plain.xlsx", title=False)).header_row == 0


def test_month_births_are_read_as_months_and_shown_as_understood(dialog, tmp_path):
    dialog.load(str(roster(tmp_path / "名册.xlsx")))
    assert dialog.w(QSpinBox, "headerRowSpin").value() == 3
    rows = dialog.preview.rows
    assert [r.errors for r in rows] == [[]] * 5, [r.errors for r in rows]
    assert [r.understood["birth_date"] for r in rows] == ["1985-07", "1985-10", "1979-03", "1982-11", "1990-02"]
    assert rows[0].line == 4
    col = [c.title for c in dialog.model.columns].index("出生日期")
    assert dialog.model.index(1, col).data() == "1985-10"  # the preview shows the understood value
    assert dialog.summary.text().startswith("共 5 行：5 行可以导入")


def test_the_user_can_pick_another_header_row(dialog, tmp_path):
    dialog.load(str(roster(tmp_path / "名册.xlsx")))
    spin = dialog.w(QSpinBox, "headerRowSpin")
    spin.setValue(1)  # the title row: nothing maps
    assert dialog.combos["name"].currentData() is None and not dialog.preview.good
    spin.setValue(3)
    assert dialog.combos["name"].currentData() == 1 and len(dialog.preview.good) == 5


def test_reimporting_the_same_roster_adds_nobody(dialog, app_ctx, org_ledger, tmp_path, qtbot, monkeypatch):
    path = roster(tmp_path / "名册.xlsx")
    dialog.load(str(path))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    dialog.ok.click()
    qtbot.waitUntil(lambda: not app_ctx.tasks._jobs, timeout=20000)
    members = {m.name: m for m in list_members(org_ledger)}
    assert len(members) == 10 and members["吴芳"].birth_date == date(1985, 10, 1)
    again = preview_import(org_ledger, read_table(path), dialog.mapping())
    assert [r.ok for r in again.rows] == [False] * 5 and not again.bad
    assert all(r.exists.startswith("已存在：台账中已有") for r in again.rows)
    second = MemberImportDialog(app_ctx)
    qtbot.addWidget(second.dialog)
    second.load(str(path))
    assert "5 行已存在" in second.summary.text() and not second.ok.isEnabled()
    assert len(list_members(org_ledger)) == 10


def test_same_person_twice_in_one_file_is_caught(org_ledger, tmp_path):
    wb = Workbook()
    for r in (HEADER, PEOPLE[0], [6, "周强", "男", "1985.07", "第一党支部", "正式党员", "2010-07-01", "2011-07-01", ""]):
        wb.active.append(r)
    wb.save(tmp_path / "dup.xlsx")
    table = read_table(tmp_path / "dup.xlsx")
    from desktop.services.member_io import guess_mapping

    preview = preview_import(org_ledger, table, guess_mapping(table.headers))
    assert preview.rows[0].ok and "与第2行是同一人" in preview.rows[1].errors[0]


def test_template_from_the_dialog_reads_back(dialog, tmp_path, monkeypatch):
    target = tmp_path / "模板"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    offered = []
    monkeypatch.setattr(member_import, "offer_open", lambda parent, title, text, paths: offered.append(paths))
    dialog.w(member_import.QPushButton, "templateButton").click()
    path = tmp_path / "模板.xlsx"
    assert offered == [[path]] and path.exists()
    wb = load_workbook(path)
    assert wb.sheetnames == ["党员名册", "填写说明"]
    dialog.default_branch.setCurrentIndex(1)
    dialog.load(str(path))
    mapping = dialog.mapping()
    assert all(mapping[k] is not None for k in ("name", "birth_date", "join_date", "full_date", "category"))
    row = dialog.preview.rows[0]
    assert row.ok, row.errors
    assert row.understood["birth_date"] == "1985-07" and row.understood["join_date"] == "2008-07-01"
