"""党内职务 entered once: the member form and 组织 › 任职 read and write the same post holdings;
a 党小组组长 is picked from the group's members (real widgets, real ledger)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QInputDialog

from desktop.domain.errors import DomainValidationError
from desktop.services.members import get_member, list_members
from desktop.services.organization import PostInput, list_posts, save_post
from desktop.ui.dialogs import branch_editor, member_editor

from .test_members_page import _page


def _posts(ledger, name):
    return [(p.post, p.current) for p in list_posts(ledger, ledger.ids["branch1"]) if p.member_name == name]


def test_member_form_shows_and_adds_posts_that_organization_page_lists(qtbot, main_window, org_ledger, monkeypatch):
    page = _page(main_window)
    page.select_member(org_ledger.ids["王磊"])
    assert page.selected().party_post == ""
    seen = {}

    def post_dialog(self):  # the 登记任职 dialog of 组织 › 任职, for this member only
        seen["members"] = [self.member.itemData(i) for i in range(self.member.count())]
        seen["enabled"] = self.member.isEnabled()
        self.post.setCurrentIndex(self.post.findData("宣传委员"))
        self.start.setText("2026-01-05")
        return int(self.save())

    def drive(self):
        seen["before"] = self.posts_label.text()
        assert self.add_post_button.isEnabled() and not self.end_post_button.isEnabled()
        self.add_post_button.click()
        seen["after"] = self.posts_label.text()
        assert self.end_post_button.isEnabled()
        return 0  # the post is saved by its own dialog, even when the member form is cancelled

    monkeypatch.setattr(branch_editor.PostEditor, "exec", post_dialog)
    monkeypatch.setattr(member_editor.MemberEditor, "exec", drive)
    page.edit()
    assert seen["members"] == [org_ledger.ids["王磊"]] and seen["enabled"] is False
    assert (seen["before"], seen["after"]) == ("无", "宣传委员，2026-01-05起")
    assert _posts(org_ledger, "王磊") == [("宣传委员", True)]
    qtbot.waitUntil(lambda: page.selected() is not None and page.selected().party_post == "宣传委员")
    main_window.show_page("organization")
    org = main_window.pages["organization"]
    org.select_branch(org_ledger.ids["branch1"])
    qtbot.waitUntil(lambda: any(org.post_proxy.row_at(i).member_name == "王磊" for i in range(org.post_proxy.rowCount())))
    rows = [org.post_proxy.row_at(i) for i in range(org.post_proxy.rowCount())]
    assert any(r.member_name == "王磊" and r.post == "宣传委员" for r in rows)


def test_post_ended_on_organization_page_leaves_member_form(qtbot, main_window, org_ledger, monkeypatch):
    main_window.show_page("organization")
    org = main_window.pages["organization"]
    org.select_branch(org_ledger.ids["branch1"])
    # the page loads its lists off the GUI thread: wait for the branch's posts
    qtbot.waitUntil(lambda: any(org.post_proxy.row_at(i).member_name == "李秀英" for i in range(org.post_proxy.rowCount())))
    row = next(i for i in range(org.post_proxy.rowCount()) if org.post_proxy.row_at(i).member_name == "李秀英")
    org.post_view.selectRow(row)
    assert get_member(org_ledger, org_ledger.ids["李秀英"]).row.party_post == "组织委员"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("2025-12-31", True))
    org.end_post()
    assert get_member(org_ledger, org_ledger.ids["李秀英"]).row.party_post == ""
    page = _page(main_window)
    qtbot.waitUntil(lambda: {r.name: r.party_post for r in list_members(org_ledger)}["李秀英"] == "")
    seen = []

    def drive(self):
        seen.append(self.posts_label.text())
        seen.append(self.end_post_button.isEnabled())
        return 0

    monkeypatch.setattr(member_editor.MemberEditor, "exec", drive)
    page.select_member(org_ledger.ids["李秀英"])
    page.edit()
    assert seen == ["无", False]


def test_member_form_ends_the_post_organization_page_shows(qtbot, main_window, org_ledger, monkeypatch):
    page = _page(main_window)
    page.select_member(org_ledger.ids["张建国"])
    assert page.selected().party_post == "支部书记"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("2026-02-01", True))

    def drive(self):
        self.end_post_button.click()
        return 0

    monkeypatch.setattr(member_editor.MemberEditor, "exec", drive)
    page.edit()
    held = [p for p in list_posts(org_ledger, org_ledger.ids["branch1"]) if p.member_name == "张建国"]
    assert [(p.post, p.end_date.isoformat()) for p in held] == [("书记", "2026-02-01")]


def test_new_member_form_offers_posts_after_saving(qtbot, main_window, org_ledger, monkeypatch):
    page = _page(main_window)
    seen = []

    def drive(self):
        seen.append((self.posts_label.text(), self.add_post_button.isEnabled()))
        return 0

    monkeypatch.setattr(member_editor.MemberEditor, "exec", drive)
    page.add()
    assert seen == [("保存党员后可在此登记党内职务", False)]


def test_group_leader_is_picked_from_the_group_members(qtbot, main_window, org_ledger, monkeypatch):
    main_window.show_page("organization")
    org = main_window.pages["organization"]
    org.select_branch(org_ledger.ids["branch1"])
    seen = {}

    def post_dialog(self):
        self.dialog.show()
        self.post.setCurrentIndex(self.post.findData("党小组组长"))
        self.group.setCurrentIndex(self.group.findText("第二党小组"))
        seen["g2"] = [self.member.itemText(i) for i in range(self.member.count())]
        self.group.setCurrentIndex(self.group.findText("第一党小组"))
        seen["g1"] = [self.member.itemText(i) for i in range(self.member.count())]
        assert self.member.isEditable() is False  # a pick, not free text
        self.member.setCurrentIndex(self.member.findText("李秀英（正式党员）"))
        self.start.setText("2026-01-01")
        return int(self.save())

    monkeypatch.setattr(branch_editor.PostEditor, "exec", post_dialog)
    org.add_post()
    assert seen["g2"] == ["王磊（正式党员）", "赵敏（预备党员）"]
    assert seen["g1"] == ["张建国（正式党员）", "李秀英（正式党员）"]
    assert get_member(org_ledger, org_ledger.ids["李秀英"]).row.party_post == "组织委员、党小组组长"


def test_leader_outside_the_group_is_refused_with_a_chinese_message(qtbot, main_window, org_ledger, monkeypatch):
    ids = org_ledger.ids
    with pytest.raises(DomainValidationError) as refused:  # the service: whatever calls it
        save_post(org_ledger, PostInput(ids["branch1"], ids["王磊"], "党小组组长", "2026-01-01", group_id=ids["group1"]))
    assert str(refused.value) == "党员：王磊不是第一党小组的党员，党小组组长须从本组党员中选择"
    main_window.show_page("organization")
    org = main_window.pages["organization"]
    org.select_branch(ids["branch1"])
    seen = {}

    def post_dialog(self):  # a group changed under a picked member: the dialog shows the refusal
        self.dialog.show()
        qtbot.waitExposed(self.dialog)
        self.post.setCurrentIndex(self.post.findData("党小组组长"))
        self.group.setCurrentIndex(self.group.findText("第二党小组"))
        self.member.setCurrentIndex(self.member.findData(ids["王磊"]))
        self.group.blockSignals(True)
        self.group.setCurrentIndex(self.group.findText("第一党小组"))
        self.group.blockSignals(False)
        seen["saved"] = self.save()
        seen["error"] = self.error_text("errorLabel")
        return 0

    monkeypatch.setattr(branch_editor.PostEditor, "exec", post_dialog)
    org.add_post()
    assert seen == {"saved": False, "error": "党员：王磊不是第一党小组的党员，党小组组长须从本组党员中选择"}
    assert not [p for p in list_posts(org_ledger, ids["branch1"]) if p.post == "党小组组长"]
