"""A secretary's flows through the real widgets: the 台账启用日期 in the branch dialog and on 首页,
预备期满 on 首页 and 转正 recorded from the 党员 page with the 党员大会 that voted it."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialogButtonBox

from desktop.services import meetings as svc
from desktop.services.members import get_member, probation_info
from desktop.services.organization import get_branch
from desktop.ui.dialogs import branch_editor, member_probation


def _texts(tree):
    return [" ".join(tree.topLevelItem(i).text(c) for c in range(tree.columnCount()))
            for i in range(tree.topLevelItemCount())]


def _home(main_window, today, qtbot):
    main_window.show_page("home")
    page = main_window.pages["home"]
    page._today = today
    with qtbot.waitSignal(page.loaded, timeout=20000):
        page.reload()
    return page


def test_ledger_start_set_in_branch_dialog_turns_missing_into_not_entered(qtbot, main_window, org_ledger,
                                                                          monkeypatch):
    page = _home(main_window, date(2026, 6, 15), qtbot)
    assert any("第二党支部 主题党日 2026年5月 缺 0/1" in r for r in _texts(page.trees["meetings"]))
    main_window.show_page("organization")
    org = main_window.pages["organization"]
    org.select_branch(org_ledger.ids["branch2"])

    def drive(self):
        self.ledger_start.setText("2026-06-31")
        self.start_spins["支部党员大会"].setValue(3)
        self.button_box().button(QDialogButtonBox.StandardButton.Save).click()
        assert self.dialog.result() == 0 and self.error_text("err_start")
        self.ledger_start.setText("20260601")  # typed without separators
        assert self.save()
        return 1

    monkeypatch.setattr(branch_editor.BranchEditor, "exec", drive)
    org.edit_branch()
    row = get_branch(org_ledger, org_ledger.ids["branch2"])
    assert row.ledger_start == date(2026, 6, 1) and row.start_numbers == {"支部党员大会": 3}
    assert "台账启用：2026年6月1日" in org.profile.text()
    page = _home(main_window, date(2026, 6, 15), qtbot)
    rows = _texts(page.trees["meetings"])
    assert not any(r.startswith("第二党支部") and " 缺 " in r for r in rows), rows
    assert any("第二党支部 支部党员大会 2026年第2季度 未录入 0/1（台账启用前）" in r for r in rows), rows
    assert svc.new_meeting(org_ledger, org_ledger.ids["branch2"], "支部党员大会", date(2026, 6, 20)).number == 3


def test_probation_reminder_then_confirm_through_the_dialog(qtbot, main_window, org_ledger, monkeypatch):
    ids = org_ledger.ids
    meeting = svc.save_meeting(org_ledger, svc.new_meeting(org_ledger, ids["branch1"], "支部党员大会",
                                                           date(2026, 11, 28)))
    home = _home(main_window, date(2026, 11, 25), qtbot)  # 赵敏 入党 2025-12-01
    tree = home.trees["birthdays"]
    rows = _texts(tree)
    assert rows[0].startswith("赵敏（第一党支部）预备期还有6天期满（2026年12月1日）"), rows
    with qtbot.waitSignal(home.openRequested):
        tree.itemActivated.emit(tree.topLevelItem(0), 0)
    page = main_window.pages["members"]
    assert main_window.current_page() is page and page.selected().name == "赵敏"
    assert page.buttons["probationButton"].isEnabled()
    seen = []

    def drive(self):
        seen.append(self)
        self.dialog.show()
        qtbot.waitExposed(self.dialog)
        assert self.date.text() == "2026-12-01"  # proposed: the end of the 预备期
        assert self.meeting.currentData() == meeting
        assert "尚无" in self.w(member_probation.QListWidget, "historyList").item(0).text()
        self.date.setText("2026-11-20")
        self.button_box().button(QDialogButtonBox.StandardButton.Ok).click()
        assert self.dialog.result() == 0 and "预备期满" in self.error_text("err_date")
        self.step.setCurrentIndex(self.step.findData("延长预备期"))
        assert self.new_end.isVisibleTo(self.dialog)
        self.step.setCurrentIndex(self.step.findData("转正"))
        assert not self.new_end.isVisibleTo(self.dialog)
        self.date.setText("2026年12月1日")
        self.button_box().button(QDialogButtonBox.StandardButton.Ok).click()
        return self.dialog.result()

    monkeypatch.setattr(member_probation.ProbationDialog, "exec", drive)
    page.probation()
    assert seen and seen[0].saved_id
    row = get_member(org_ledger, ids["赵敏"]).row
    assert (row.category, row.full_date) == ("正式党员", date(2026, 12, 1))
    assert [e.meeting_id for e in probation_info(org_ledger, ids["赵敏"]).events] == [meeting]
    assert page.selected().name == "赵敏" and not page.buttons["probationButton"].isEnabled()
    history = _texts(page.history)
    assert any("转正" in r and "2026年11月28日 支部党员大会" in r for r in history), history


def test_new_meeting_offers_only_the_kinds_the_branch_has(qtbot, main_window, org_ledger):
    from desktop.domain.compliance import offered_kinds
    from desktop.domain.enums import MeetingKind
    from desktop.services.organization import BranchInput, save_branch
    from desktop.ui.meetings.dialogs import NewMeetingDialog

    ids = org_ledger.ids
    assert MeetingKind.COMMITTEE not in offered_kinds(False, 2) and MeetingKind.GROUP not in offered_kinds(True, 0)
    dialog = NewMeetingDialog(org_ledger, main_window, branch_id=ids["branch1"], kind="党小组会")
    qtbot.addWidget(dialog.dialog)
    kinds = [dialog.kind.itemText(i) for i in range(dialog.kind.count())]
    assert "支部委员会" in kinds and "党小组会" in kinds and dialog.kind.currentText() == "党小组会"
    dialog.branch.setCurrentIndex(dialog.branch.findData(ids["branch2"]))  # no 支委会, no groups
    kinds = [dialog.kind.itemText(i) for i in range(dialog.kind.count())]
    assert "支部委员会" not in kinds and "党小组会" not in kinds and "支部党员大会" in kinds
    assert "未设支部委员会" in dialog.kind.toolTip() and "未设党小组" in dialog.kind.toolTip()
    assert not dialog.group.isVisibleTo(dialog.dialog)
    # a branch set to 设党小组 but without any group entered has no 党小组会 to hold
    save_branch(org_ledger, BranchInput("第三党支部", has_committee=True, has_groups=True))
    dialog = NewMeetingDialog(org_ledger, main_window, branch_id=None)
    qtbot.addWidget(dialog.dialog)
    dialog.branch.setCurrentIndex(dialog.branch.findText("第三党支部"))
    kinds = [dialog.kind.itemText(i) for i in range(dialog.kind.count())]
    assert "支部委员会" in kinds and "党小组会" not in kinds
    dialog.dialog.setParent(None)


def test_ctrl_f_and_global_search_show_where_they_matched(qtbot, main_window, org_ledger, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from desktop.services import rectification as rect
    from desktop.ui.dialogs import global_search
    from desktop.ui.meetings.models import MATCH_COLUMN
    from desktop.ui.models.highlight import MARK_CLOSE, MARK_OPEN

    ids = org_ledger.ids
    inp = svc.new_meeting(org_ledger, ids["branch1"], "支部党员大会", date(2026, 3, 10))
    inp.guests = [svc.GuestData("周志远", "机关党委组织部", "上级指导")]
    inp.content = "会议学习了党章，周志远同志到会指导。"
    svc.save_meeting(org_ledger, inp)
    cid = rect.save_campaign(org_ledger, rect.CampaignInput("党纪学习教育", 2026))
    cat = rect.save_category(org_ledger, cid, "工作作风")
    pid = rect.save_problem(org_ledger, rect.ProblemInput(cat, "联系群众不够，周末走访少", "群众反映"))
    mid = rect.save_measure(org_ledger, rect.MeasureInput(pid, "每月走访联系点一次", owner="周志远",
                                                          deadline=date(2026, 12, 31)))
    # Ctrl+F on the 三会一课 page focuses its search box; the list then shows where it matched
    page = main_window.show_page("meetings")
    qtbot.waitUntil(lambda: page.search.isEnabled(), timeout=30000)  # the index may build in the background

    def not_here(self):
        raise AssertionError("Ctrl+F on 三会一课 opened the global search instead of the page's box")

    monkeypatch.setattr(global_search.GlobalSearchDialog, "exec", not_here)
    main_window.activateWindow()
    qtbot.keyClick(main_window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is page.search
    page.search.setText("周志远")
    page.refresh()
    # a background task (the opening backup, the index) may hold the ledger: the page then
    # refreshes when it lets go (Page.when_free), so wait for the result instead of assuming it
    qtbot.waitUntil(lambda: not page.is_waiting() and page.model.rowCount() == 1
                    and not page.view.isColumnHidden(MATCH_COLUMN), timeout=30000)  # fmt: skip
    cell = page.model.index(0, MATCH_COLUMN).data()
    assert f"{MARK_OPEN}周志远{MARK_CLOSE}" in cell
    page.search.setText("")
    page.refresh()
    qtbot.waitUntil(lambda: not page.is_waiting() and page.view.isColumnHidden(MATCH_COLUMN), timeout=30000)
    # on 首页 (no search box) Ctrl+F opens the global search: meetings, members and 整改 items
    main_window.show_page("home")
    seen = []

    def drive(self):
        seen.append(self)
        self.query.setText("周志远")
        self.run()
        rows = [(self.tree.topLevelItem(i).text(0), self.tree.topLevelItem(i).text(2))
                for i in range(self.tree.topLevelItemCount())]
        assert [k for k, _t in rows] == ["会议记录", "整改措施"], rows  # the guest and the 责任人
        assert all(f"{MARK_OPEN}周志远{MARK_CLOSE}" in t for _k, t in rows), rows
        self.query.setText("张建国")
        self.run()
        kinds = [self.tree.topLevelItem(i).text(0) for i in range(self.tree.topLevelItemCount())]
        assert "党员" in kinds and "找到" in self.summary.text()
        self.query.setText("每月走访")
        self.run()
        item = self.tree.topLevelItem(0)
        assert item.text(0) == "整改措施"
        self.tree.itemActivated.emit(item, 0)
        return self.dialog.result()

    monkeypatch.setattr(global_search.GlobalSearchDialog, "exec", drive)
    qtbot.keyClick(main_window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert seen and seen[0].chosen == ("measure", mid)
    assert main_window.current_page() is main_window.pages["rectification"]
    assert main_window.pages["rectification"].selected_node().id == mid


def test_user_guide_from_the_help_menu_and_once_on_first_start(qtbot, main_window, monkeypatch, tmp_path):
    from PySide6.QtCore import QSettings, Qt

    from desktop.ui.dialogs import user_guide

    shown = []

    def drive(self):
        shown.append(self)
        text = self.text.toPlainText()
        for heading in ("第一次使用：先做什么", "每月例行工作", "迎检之前", "带着文件换电脑", "台账启用日期", "预备期"):
            assert heading in text, heading
        return 0

    monkeypatch.setattr(user_guide.UserGuideDialog, "exec", drive)
    main_window.activateWindow()
    qtbot.keyClick(main_window, Qt.Key.Key_F1)
    assert len(shown) == 1
    settings = QSettings(str(tmp_path / "first.ini"), QSettings.Format.IniFormat)
    assert user_guide.show_on_first_start(main_window, settings) is True
    assert user_guide.show_on_first_start(main_window, settings) is False  # once per PC
    assert len(shown) == 2


def test_home_status_column_readable_at_1280x720(qtbot, main_window):
    main_window.resize(1280, 720)
    page = _home(main_window, date(2026, 6, 15), qtbot)
    tree = page.trees["meetings"]
    qtbot.waitUntil(lambda: tree.viewport().width() < 560)
    qtbot.wait(20)  # the header lays out its sections (会议 stretches, the rest fit their text)
    used = sum(tree.columnWidth(i) for i in range(3))
    assert tree.viewport().width() - used >= tree.sizeHintForColumn(3), "情况 is cut at 1280×720"
