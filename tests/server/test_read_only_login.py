"""The 机关党委 office's read-only login sees every page with its writing buttons and actions disabled,
saying why (desktop.ui.rights), instead of learning it on save; viewing, searching, 修改历史, export,
print and 另存副本 stay enabled. A secretary who may write has their branch's enabled and the
committee-wide ones (机关党委, 整改清单, 设置, 议题模板, 寄语模板, 新增支部) disabled saying
「全委共用的记录…」, and sees another branch's member read-only; the owner has everything; a file
ledger opened after a server ledger has them back. Through the real main window on a PostgreSQL ledger."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QPushButton, QTableView, QWidget

from desktop.domain.enums import MeetingKind
from desktop.services import meetings as svc
from desktop.services import members as ms
from desktop.services import rectification as rect
from desktop.services.server_roles import setup_roles
from desktop.store.opening import open_ledger
from desktop.ui.rights import COMMITTEE_TIP, OTHER_BRANCH_TIP, READ_ONLY_TIP
from tests.conftest import wait_tasks

# the view/export/print buttons of each page that a read-only login keeps
VIEWS = {"meetings": ("openButton", "precheckButton", "printLedgerButton"),
         "members": ("exportButton",), "rectification": ("exportButton", "printButton", "trashButton"),
         "birthdays": ("trashButton",), "settings": ("refreshFontsButton", "revertButton")}
# what a login that may write finds enabled on each page (after selecting the first row)
WRITER_ENABLED = {"meetings": ("newButton", "templatesButton"),
                  "members": ("addButton", "editButton", "deleteButton", "importButton"),
                  "organization": ("saveCommitteeButton", "addBranchButton", "editBranchButton", "deleteBranchButton"),
                  "rectification": ("newCampaignButton", "editCampaignButton", "addButton", "importButton"),
                  "birthdays": ("newEventButton", "templateButton"),
                  "settings": ("generalBox", "saveButton")}
# the committee-wide ones among them: only the owner (the administrator) may use them
COMMITTEE_WIDE = {"meetings": ("templatesButton",), "organization": ("saveCommitteeButton", "addBranchButton"),
                  "rectification": ("newCampaignButton", "editCampaignButton", "addButton", "importButton"),
                  "birthdays": ("templateButton",), "settings": ("generalBox", "saveButton")}
MENU_VIEWS = ("actionSaveCopy", "actionHistory", "actionRecycleBin", "actionFind", "actionGlobalSearch", "actionCheck")


@pytest.fixture
def roles_ledger(org_ledger):
    """org_ledger with a meeting of each branch, a 整改 campaign and a deleted member; office
    read-only, wangfang writing 第一党支部. Returns (ledger, meeting of 第一党支部, of 第二党支部)."""
    mids = [svc.save_meeting(org_ledger, svc.new_meeting(org_ledger, org_ledger.ids[b], MeetingKind.THEME_DAY,
                                                         date(2026, 6, 10))) for b in ("branch1", "branch2")]
    rect.save_campaign(org_ledger, rect.CampaignInput("主题教育", 2026))
    ms.delete_member(org_ledger, org_ledger.ids["赵敏"])
    setup_roles(org_ledger, ["office"], [("wangfang", "第一党支部")])
    return org_ledger, *mids


@pytest.fixture
def window_as(qtbot, app_ctx, roles_ledger, tmp_path):
    """``window_as(user)``: the main window on the server ledger logged in as ``user``."""
    from desktop.ui.main_window import MainWindow

    led = roles_ledger[0]

    def make(user: str):
        app_ctx.set_ledger(open_ledger(led.location.replace("zhibu@", f"{user}@")))
        window = MainWindow(app_ctx, QSettings(str(tmp_path / f"{user}.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        wait_tasks(qtbot, app_ctx)
        return window

    yield make
    app_ctx._poll.stop()


def _show(qtbot, window, ctx, name: str):
    page = window.show_page(name)
    wait_tasks(qtbot, ctx)
    qtbot.waitUntil(lambda: not page.is_waiting(), timeout=30000)
    for view in page.form.findChildren(QTableView):  # a selection enables 编辑/删除 for a writer
        if view.model() is not None and view.model().rowCount() and view.isVisibleTo(page):
            view.selectRow(0)
    return page


def _button(page, name: str) -> QWidget:
    found = page.form.findChild(QWidget, name)
    assert found is not None, name
    return found


def test_office_finds_every_writing_action_disabled_and_the_views_enabled(qtbot, window_as, app_ctx, roles_ledger,
                                                                         tmp_path):
    window = window_as("office")
    assert app_ctx.read_only
    for name in WRITER_ENABLED:
        page = _show(qtbot, window, app_ctx, name)
        assert set(WRITER_ENABLED[name]) <= set(page.write_buttons)
        for button in page.write_buttons:
            w = _button(page, button)
            assert not w.isEnabled(), f"{name}.{button}"
            assert w.toolTip() == READ_ONLY_TIP, f"{name}.{button}"
        for button in VIEWS.get(name, ()):
            assert _button(page, button).isEnabled(), f"{name}.{button}"
        if name == "rectification":  # the tree's right-click menu: every entry a change
            assert page.context_actions() and not any(on for _t, _s, on in page.context_actions())
    window.page("settings").unit.setText("办公室想改")
    assert not window.page("settings").is_dirty()  # no 「设置尚未保存」 question for what cannot be saved
    merge = window._action("actionMerge")
    assert not merge.isEnabled() and merge.toolTip() == READ_ONLY_TIP
    for action in MENU_VIEWS:
        assert window._action(action).isEnabled(), action
    _show(qtbot, window, app_ctx, "members")
    window.grab().save(str(tmp_path / "office-members.png"))
    export = _show(qtbot, window, app_ctx, "export")
    assert export.export_button.isEnabled()

    # 三会一课: 打开 shows the meeting read-only, 打印 stays
    page = _show(qtbot, window, app_ctx, "meetings")
    assert page.open_record("meeting", roles_ledger[1])
    editor = page.editor
    ew = editor.form.w
    assert ew(QPlainTextEdit, "contentEdit").isReadOnly() and ew(QLineEdit, "titleEdit").isReadOnly()
    assert ew(QWidget, "readOnlyLabel").isVisibleTo(editor.widget)
    assert ew(QWidget, "readOnlyLabel").text() == READ_ONLY_TIP + "。"
    for button in ("saveButton", "deleteButton", "finalizeButton", "addSpeechButton", "allPresentButton"):
        assert not ew(QPushButton, button).isEnabled(), button
    assert ew(QPushButton, "printButton").isEnabled()
    window.grab().save(str(tmp_path / "office-meeting.png"))
    page.new_meeting()  # a 前置检查 finding's link: nothing happens (no dialog to answer here)
    assert page.editor is editor

    # 回收站: the deleted member is listed, 恢复 is disabled
    from desktop.ui.dialogs.trash import recycle_dialog

    trash = recycle_dialog(window, app_ctx.ledger)
    assert trash.model.rows
    trash.view.selectRow(0)
    restore = trash.w(QPushButton, "restoreButton")
    assert not restore.isEnabled() and restore.toolTip() == READ_ONLY_TIP

    # the same window on a file ledger: nothing is locked any more
    app_ctx.set_ledger(open_ledger(tmp_path / "f.zhibu", create=True))
    wait_tasks(qtbot, app_ctx)
    assert not app_ctx.read_only
    for name, button in (("meetings", "newButton"), ("members", "addButton"), ("organization", "addBranchButton"),
                         ("settings", "saveButton"), ("settings", "generalBox")):
        w = _button(_show(qtbot, window, app_ctx, name), button)
        assert w.isEnabled() and w.toolTip() != READ_ONLY_TIP, f"{name}.{button}"
    assert merge.isEnabled() and merge.toolTip() != READ_ONLY_TIP


def test_a_secretary_finds_the_writing_actions_enabled(qtbot, window_as, app_ctx, roles_ledger):
    window = window_as("wangfang")
    assert not app_ctx.read_only and app_ctx.ledger.access == "可修改：第一党支部"
    for name, buttons in WRITER_ENABLED.items():
        page = _show(qtbot, window, app_ctx, name)
        for button in set(buttons) - set(COMMITTEE_WIDE.get(name, ())):
            w = _button(page, button)
            assert w.isEnabled() and w.toolTip() != READ_ONLY_TIP, f"{name}.{button}"
    assert window._action("actionMerge").isEnabled()
    page = _show(qtbot, window, app_ctx, "meetings")
    assert page.open_record("meeting", roles_ledger[1])  # 第一党支部's own
    assert page.editor.form.w(QPushButton, "saveButton").isEnabled()
    assert not page.editor.form.w(QPlainTextEdit, "contentEdit").isReadOnly()
    from desktop.ui.dialogs.trash import recycle_dialog

    trash = recycle_dialog(window, app_ctx.ledger)
    trash.view.selectRow(0)
    assert trash.w(QPushButton, "restoreButton").isEnabled()


def test_a_secretary_cannot_start_changing_another_branchs_records(qtbot, window_as, app_ctx, roles_ledger,
                                                                   tmp_path):
    """wangfang writes 第一党支部: a 第二党支部 member, the branch itself and its meeting show with
    their editing buttons disabled (「其他党支部的记录…」); 第一党支部's are enabled."""
    led, _own_meeting, other_meeting = roles_ledger
    window = window_as("wangfang")
    assert app_ctx.ledger.writable_branches == {led.ids["branch1"]}
    members = _show(qtbot, window, app_ctx, "members")
    for who, mine in (("陈志强", False), ("张建国", True), ("陈志强", False)):
        assert members.select_member(led.ids[who])
        for button in ("editButton", "statusButton", "deleteButton"):
            w = _button(members, button)
            assert w.isEnabled() == mine and (w.toolTip() == OTHER_BRANCH_TIP) != mine, f"{who}.{button}"
    assert _button(members, "addButton").isEnabled()
    org = _show(qtbot, window, app_ctx, "organization")
    for branch, mine in (("branch2", False), ("branch1", True)):
        assert org.select_branch(led.ids[branch])
        for button in ("editBranchButton", "deleteBranchButton", "addGroupButton", "addPostButton"):
            w = _button(org, button)
            assert w.isEnabled() == mine and (w.toolTip() == OTHER_BRANCH_TIP) != mine, f"{branch}.{button}"
    page = _show(qtbot, window, app_ctx, "meetings")
    assert page.open_record("meeting", other_meeting)
    ew = page.editor.form.w
    assert ew(QPlainTextEdit, "contentEdit").isReadOnly()
    assert ew(QWidget, "readOnlyLabel").text() == OTHER_BRANCH_TIP + "。"
    assert not ew(QPushButton, "saveButton").isEnabled() and ew(QPushButton, "saveButton").toolTip() == OTHER_BRANCH_TIP
    assert ew(QPushButton, "printButton").isEnabled()
    window.grab().save(str(tmp_path / "wangfang-other-branch-meeting.png"))


def _committee_wide_state(qtbot, window, ctx) -> dict[str, tuple[bool, str]]:
    """(enabled, tooltip) of each committee-wide button, page by page."""
    return {f"{name}.{button}": (_button(page, button).isEnabled(), _button(page, button).toolTip())
            for name, buttons in COMMITTEE_WIDE.items() for page in [_show(qtbot, window, ctx, name)]
            for button in buttons}


def test_a_secretary_finds_the_committee_wide_actions_disabled_the_owner_enabled(
        qtbot, window_as, app_ctx, roles_ledger, tmp_path, monkeypatch):
    from desktop.ui.meetings.dialogs import TemplatesDialog

    led = roles_ledger[0]
    window = window_as("wangfang")
    for name, buttons in COMMITTEE_WIDE.items():
        assert set(buttons) <= set(window.page(name).committee_buttons), name
    state = _committee_wide_state(qtbot, window, app_ctx)
    assert state == {key: (False, COMMITTEE_TIP) for key in state}
    for name, button in (("meetings", "newButton"), ("members", "addButton"), ("birthdays", "newEventButton")):
        w = _button(_show(qtbot, window, app_ctx, name), button)  # their own branch's: enabled
        assert w.isEnabled() and w.toolTip() not in (COMMITTEE_TIP, READ_ONLY_TIP), f"{name}.{button}"
    org = _show(qtbot, window, app_ctx, "organization")
    assert org.select_branch(led.ids["branch1"])
    assert _button(org, "editBranchButton").isEnabled() and not _button(org, "addBranchButton").isEnabled()
    window.grab().save(str(tmp_path / "wangfang-organization.png"))
    rect_page = _show(qtbot, window, app_ctx, "rectification")
    assert rect_page.context_actions() and not any(on for _t, _s, on in rect_page.context_actions())
    settings = _show(qtbot, window, app_ctx, "settings")
    settings.unit.setText("王芳想改")
    assert not settings.is_dirty()  # no 「设置尚未保存」 question for what cannot be saved
    opened = []
    monkeypatch.setattr(TemplatesDialog, "exec", lambda self: opened.append(self) or 0)
    window.page("meetings").edit_templates()  # reached another way than its button: nothing opens
    assert not opened

    # the owner (no limits) on the same server ledger: every one enabled, no such tooltip
    window = window_as("zhibu")
    state = _committee_wide_state(qtbot, window, app_ctx)
    assert all(on and tip != COMMITTEE_TIP for on, tip in state.values()), state
    window.page("meetings").edit_templates()
    assert len(opened) == 1

    # a file ledger after the secretary's server ledger: nothing locked any more
    window = window_as("wangfang")
    app_ctx.set_ledger(open_ledger(tmp_path / "f.zhibu", create=True))
    wait_tasks(qtbot, app_ctx)
    for name, button in (("meetings", "templatesButton"), ("organization", "saveCommitteeButton"),
                         ("organization", "addBranchButton"), ("rectification", "newCampaignButton"),
                         ("birthdays", "templateButton"), ("settings", "saveButton"), ("settings", "generalBox")):
        w = _button(_show(qtbot, window, app_ctx, name), button)
        assert w.isEnabled() and w.toolTip() != COMMITTEE_TIP, f"{name}.{button}"


def test_a_secretary_opens_another_branchs_member_read_only(qtbot, window_as, app_ctx, roles_ledger, tmp_path,
                                                            monkeypatch):
    """Double click (or Enter) on a 第二党支部 member: the editor shows them with every field and 保存
    disabled and a banner saying why; on their own branch's member it edits as before."""
    from PySide6.QtWidgets import QComboBox, QDialogButtonBox

    from desktop.ui.dialogs.member_editor import MemberEditor

    led = roles_ledger[0]
    window = window_as("wangfang")
    members = _show(qtbot, window, app_ctx, "members")
    opened = []

    def exec_(self):
        self.dialog.show()
        opened.append(self)
        return 0

    monkeypatch.setattr(MemberEditor, "exec", exec_)
    for who, mine in (("陈志强", False), ("张建国", True)):
        assert members.select_member(led.ids[who])
        members.table.doubleClicked.emit(members.table.currentIndex())
        editor = opened[-1]
        assert editor.name.text() == who
        save = editor.button_box().button(QDialogButtonBox.StandardButton.Save)
        banner = editor.w(QWidget, "readOnlyLabel")
        fields = [f for cls in (QLineEdit, QComboBox, QPlainTextEdit) for f in editor.dialog.findChildren(cls)]
        if mine:
            assert save.isEnabled() and not banner.isVisible() and editor.name.isEnabled()
        else:
            assert not save.isEnabled() and save.toolTip() == OTHER_BRANCH_TIP
            assert banner.isVisible() and banner.text() == OTHER_BRANCH_TIP + "。"
            assert fields and not any(f.isEnabled() for f in fields)
            assert not editor.add_post_button.isEnabled()
            editor.dialog.grab().save(str(tmp_path / "wangfang-other-member.png"))
            assert editor.save() is False  # Enter in the dialog: nothing sent
        editor.dialog.close()
    assert len(opened) == 2
