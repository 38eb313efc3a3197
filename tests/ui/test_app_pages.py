"""组织 and 设置 pages, and ``zhibu screenshots``, driven through real widgets."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QInputDialog, QMessageBox

from desktop.services.organization import list_branches, list_posts
from desktop.services.settings import get_settings
from desktop.ui.dialogs import branch_editor


def _wait(qtbot, ctx):
    qtbot.waitUntil(lambda: not ctx.tasks._jobs, timeout=30000)


def test_branch_editor_errors_then_new_branch(qtbot, main_window, org_ledger, monkeypatch):
    main_window.show_page("organization")
    page = main_window.pages["organization"]
    assert page.branch_model.rowCount() == 2
    assert "书记：张建国" in page.profile.text()

    def drive(self):
        self.name.setText("第一党支部")  # taken
        self.lecture.setCurrentIndex(self.lecture.findData("自定义"))
        self.lecture_spin.setValue(6)
        self.established.setText("2019-02-30")
        self.button_box().button(QDialogButtonBox.StandardButton.Save).click()
        assert "已有名为" in self.error_text("err_name")
        assert "不是有效日期" in self.error_text("err_established")
        self.name.setText("第三党支部")
        self.established.setText("2019-03-01")
        self.theme_day.setValue(15)
        assert self.save()
        return 1

    monkeypatch.setattr(branch_editor.BranchEditor, "exec", drive)
    page.add_branch()
    row = next(b for b in list_branches(org_ledger) if b.name == "第三党支部")
    assert (row.lecture_label, row.theme_day_label) == ("每年6次", "每月15日")
    assert page.current_branch().name == "第三党支部"
    assert "党课：每年6次" in page.profile.text()


def test_groups_and_posts(qtbot, main_window, org_ledger, monkeypatch):
    main_window.show_page("organization")
    page = main_window.pages["organization"]
    page.select_branch(org_ledger.ids["branch1"])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("第三党小组", True))
    page.add_group()
    assert page.groups.count() == 3

    def post(self):
        self.post.setCurrentIndex(self.post.findData("党小组组长"))
        self.group.setCurrentIndex(self.group.findText("第一党小组"))
        self.member.setCurrentIndex(self.member.findData(org_ledger.ids["李秀英"]))
        self.start.setText("2026-01-01")
        return int(self.save())

    monkeypatch.setattr(branch_editor.PostEditor, "exec", post)
    page.add_post()
    posts = list_posts(org_ledger, org_ledger.ids["branch1"])
    assert any(p.post == "党小组组长" and p.member_name == "李秀英" and p.group_name == "第一党小组" for p in posts)
    assert any("组长 李秀英" in page.groups.item(i).text() for i in range(page.groups.count()))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.groups.setCurrentRow(0)  # 第一党小组 still has members
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    page.delete_group()
    assert shown and "还有" in shown[0]


def test_settings_page_saves_to_the_ledger_and_shows_fonts(qtbot, main_window, app_ctx, org_ledger):
    main_window.show_page("settings")
    page = main_window.pages["settings"]
    _wait(qtbot, app_ctx)
    used = page.fonts.item(1, 2).text()
    assert used and used != "正在检测 …"  # the body font found on this machine
    page.unit.setText("某某市自然资源和规划局")
    page.reminder_days.setValue(21)
    page.font_combos["body"].setCurrentText("不存在的字体XYZ")
    assert page.is_dirty()
    assert page.save()
    _wait(qtbot, app_ctx)
    got = get_settings(org_ledger)
    assert (got.unit_name, got.reminder_days, got.fonts) == ("某某市自然资源和规划局", 21, {"body": "不存在的字体XYZ"})
    assert "未找到“不存在的字体XYZ”" in page.fonts.item(1, 2).text()
    assert not page.is_dirty() and page.maybe_close()


def test_screenshots_cover_every_page(qapp, org_ledger, tmp_path):
    from desktop.cli.screenshots import render_all
    from desktop.ui.navigation import available_pages

    path = org_ledger.path
    org_ledger.close()  # the command opens the file itself
    written = render_all(path, tmp_path, None, settings_dir=tmp_path)
    assert [p.name.split("-", 1)[1] for p in written] == [f"{n}.png" for n in available_pages()]
    assert all(p.stat().st_size > 10_000 for p in written)


def test_screenshots_at_a_small_size_and_a_bad_size(qapp, org_ledger, tmp_path):
    import subprocess
    import sys

    from PySide6.QtGui import QImage

    from desktop.cli.screenshots import render_all

    path = org_ledger.path
    org_ledger.close()
    written = render_all(path, tmp_path, None, settings_dir=tmp_path, size=(1280, 720))
    image = QImage(str(written[0]))
    assert (image.width(), image.height()) == (1280, 720)
    bad = subprocess.run([sys.executable, "-m", "desktop", "screenshots", str(tmp_path / "x"), "--size", "1280*720"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "--size 应为 宽x高（如 1280x720），收到的是“1280*720”" in bad.stderr


def test_row_table_model_sorts_filters_and_keeps_selection(qtbot):
    from dataclasses import dataclass
    from datetime import date

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTableView

    from desktop.ui.models import Column, RowFilterProxy, RowTableModel, make_view_sortable

    @dataclass(frozen=True)
    class Row:
        name: str
        day: date | None
        n: int

    rows = [Row("张三", date(2026, 3, 1), 3), Row("李四", None, 10), Row("王五", date(2025, 1, 1), 2)]
    model = RowTableModel([Column("姓名", lambda r: r.name), Column("日期", lambda r: r.day),
                           Column("数", lambda r: r.n, align="right")])
    proxy = RowFilterProxy()
    view = QTableView()
    qtbot.addWidget(view)
    make_view_sortable(view, model, proxy)
    model.set_rows(rows)
    view.selectRow(0)  # 张三
    view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert [proxy.row_at(i).name for i in range(3)] == ["王五", "张三", "李四"]  # blank dates last
    assert proxy.row_at(view.currentIndex().row()).name == "张三"  # selection follows the row
    view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert [proxy.row_at(i).n for i in range(3)] == [10, 3, 2]  # numbers, not text
    assert proxy.index(0, 1).data() == "" and proxy.index(1, 1).data() == "2026-03-01"
    proxy.set_text("2026 张")
    assert [proxy.row_at(i).name for i in range(proxy.rowCount())] == ["张三"]
    proxy.set_text("")
    proxy.set_predicate(lambda r: r.n > 2)
    assert proxy.rowCount() == 2
    model.set_rows(rows)
    proxy.reapply_sort()
    assert [proxy.row_at(i).n for i in range(proxy.rowCount())] == [10, 3]
