"""党员 page driven through real widgets: add with a validation error, edit, transfer, reveal IDs,
import a roster with bad rows, export to Excel."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox

from desktop.services.members import list_members
from desktop.ui.dialogs import member_change, member_editor, member_import


def _page(main_window):
    from PySide6.QtTest import QTest

    main_window.show_page("members")
    page = main_window.pages["members"]
    for _ in range(250):  # the page reads once the 首页 background task lets go of the ledger
        if not page.is_waiting():
            break
        QTest.qWait(20)
    return page


def _names(page):
    return [page.proxy.row_at(i).name for i in range(page.proxy.rowCount())]


def test_add_member_shows_errors_at_the_field_then_saves(qtbot, main_window, org_ledger, monkeypatch):
    page = _page(main_window)
    assert len(_names(page)) == 5
    editors = []

    def drive(self):
        editors.append(self)
        self.dialog.show()
        qtbot.waitExposed(self.dialog)
        self.name.setText("孙丽")
        self.gender.setCurrentText("女")
        self.id_edit.setText("110105198503120021")  # wrong check digit
        self.phone.setText("12345")
        self.join.setText("2010年7月1日")
        self.full.setText("2009-07-01")  # before 入党日期
        self.button_box().button(QDialogButtonBox.StandardButton.Save).click()
        assert self.dialog.result() == 0  # still open
        assert "校验位" in self.error_text("err_id")
        assert "联系电话" not in self.error_text("err_phone") and self.error_text("err_phone")
        assert "早于入党日期" in self.error_text("err_full")
        assert self.id_edit.property("invalid") is True
        self.id_edit.setText("110105198503120020")
        self.phone.setText("0579-82345678")
        self.full.setText("2011-07-01")
        qtbot.keyClick(self.phone, Qt.Key.Key_Return)  # Enter saves like the button
        return self.dialog.result()

    monkeypatch.setattr(member_editor.MemberEditor, "exec", drive)
    page.add()
    editor = editors[0]
    assert editor.saved_id
    assert not editor.error_text("err_id")
    assert "孙丽" in _names(page)
    assert page.selected().name == "孙丽"
    row = next(r for r in list_members(org_ledger) if r.name == "孙丽")
    assert row.birth_date == date(1985, 3, 12)  # filled from the ID number
    assert row.phone == "0579-82345678" and row.join_date == date(2010, 7, 1)


def test_duplicate_id_number_is_refused(qtbot, main_window, monkeypatch):
    page = _page(main_window)
    seen = []

    def drive(self):
        self.name.setText("重复")
        self.id_edit.setText("110105196803121237")  # 张建国's
        self.join.setText("2010-07-01")
        seen.append(self.save())
        seen.append(self.error_text("err_id"))
        return 0

    monkeypatch.setattr(member_editor.MemberEditor, "exec", drive)
    page.add()
    assert seen[0] is False and "张建国" in seen[1]


def test_edit_filter_search_and_reveal(qtbot, main_window, org_ledger, monkeypatch):
    page = _page(main_window)
    page.search.setText("张")
    assert _names(page) == ["张建国"]
    page.table.selectRow(0)
    assert "110105********1237" in page.model.search_text(page.proxy.mapToSource(page.proxy.index(0, 0)).row())

    def drive(self):
        assert self.branch.isEnabled() is False  # branch changes go through 调动
        self.job_title.setText("科长")
        assert self.save()
        return 1

    monkeypatch.setattr(member_editor.MemberEditor, "exec", drive)
    page.edit()
    assert page.selected().job_title == "科长"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    page.reveal_check.setChecked(True)
    assert not page.reveal_check.isChecked()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.reveal_check.setChecked(True)
    col = [c.title for c in page.model.columns].index("身份证号")
    assert page.proxy.index(0, col).data() == "110105196803121237"
    page.search.clear()
    page.category_combo.setCurrentIndex(page.category_combo.findData("预备党员"))
    assert _names(page) == ["赵敏"]


def test_transfer_and_status_from_the_page(qtbot, main_window, org_ledger, monkeypatch):
    page = _page(main_window)
    page.select_member(org_ledger.ids["王磊"])

    def transfer(self):
        self.branch.setCurrentIndex(self.branch.findData(org_ledger.ids["branch2"]))
        self.date.setText("2026-13-01")
        assert not self.save() and "调动日期" in self.error_text("errorLabel")
        self.date.setText("2026-03-01")
        return int(self.save())

    monkeypatch.setattr(member_change.TransferDialog, "exec", transfer)
    page.transfer()
    assert page.selected().branch_name == "第二党支部"
    assert page.history.topLevelItemCount() == 2

    def status(self):
        self.status.setCurrentIndex(self.status.findData("去世"))
        assert not self.save()  # date required
        self.date.setText("2026-05-01")
        return int(self.save())

    monkeypatch.setattr(member_change.StatusDialog, "exec", status)
    page.change_status()
    assert "王磊" not in _names(page)  # default filter: 在册
    page.status_combo.setCurrentIndex(page.status_combo.findData("去世"))
    assert _names(page) == ["王磊"]


def test_import_roster_with_bad_rows(qtbot, main_window, app_ctx, org_ledger, tmp_path, monkeypatch):
    path = tmp_path / "名册.xlsx"
    wb = Workbook()
    for r in (["姓名", "性别", "所在支部", "人员类别", "入党日期", "转正日期", "身份证号"],
              ["周强", "男", "第一党支部", "正式党员", "2010-07-01", "2011-07-01", ""],
              ["吴芳", "女", "第二党支部", "预备党员", "2026-01-10", "", ""],
              ["郑伟", "男", "第九党支部", "正式党员", "2005-06-01", "2006-06-01", ""],
              ["冯雷", "男", "第一党支部", "正式党员", "2005-06-01", "", "110105196803121234"]):
        wb.active.append(r)
    wb.save(path)
    page = _page(main_window)
    dialogs = []

    def drive(self):
        dialogs.append(self)
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
        self.browse()
        assert self.summary.text().startswith("共 4 行：2 行可以导入，2 行有错误")
        self.errors_only.setChecked(True)
        assert self.proxy.rowCount() == 2
        problems = " ".join(self.proxy.row_at(i).errors[0] for i in range(2))
        assert "第九党支部" in problems and "校验位" in problems
        assert len(list_members(org_ledger)) == 5  # nothing written yet
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
        monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
        self.ok.click()
        qtbot.waitUntil(lambda: not app_ctx.tasks._jobs, timeout=20000)
        return self.dialog.result()

    monkeypatch.setattr(member_import.MemberImportDialog, "exec", drive)
    page.import_roster()
    assert dialogs[0].imported == 2
    qtbot.waitUntil(lambda: "周强" in _names(page))
    assert "吴芳" in _names(page) and "郑伟" not in _names(page)


def test_export_to_excel(qtbot, main_window, app_ctx, tmp_path, monkeypatch):
    page = _page(main_window)
    page.branch_combo.setCurrentIndex(page.branch_combo.findText("第一党支部"))
    target = tmp_path / "名册导出"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    messages = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: messages.append(a[2]))
    page.export_xlsx()
    qtbot.waitUntil(lambda: bool(messages), timeout=20000)
    out = tmp_path / "名册导出.xlsx"
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("序号", "姓名") and len(rows) == 5
    assert "110105********1237" in [c for r in rows for c in r]
    assert "已打码" in messages[0]
