"""More editors and the pages' quick actions on a server while wangfang saves the same record:
政治生日 celebration, 整改 campaign / problem, 组织 (党小组改名, 离任, 党组织名称), and deleting a
党员 someone changed since it was listed."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
)

from desktop.services import birthdays as bd
from desktop.services import members as ms
from desktop.services import organization as org
from desktop.services import rectification as rect
from desktop.ui.context import AppContext


@pytest.fixture
def ctx(org_ledger):
    c = AppContext(org_ledger)
    yield c
    c.tasks.wait(30000)
    c._poll.stop()


def _by_wang(asked, n=1) -> None:
    assert len(asked["calls"]) == n and all(e.who == "wangfang" for e in asked["calls"])


def _ok(dlg) -> None:
    dlg.button_box().button(QDialogButtonBox.StandardButton.Ok).click()


def test_birthday_event_reload_then_save_as_new_version(qtbot, org_ledger, wang, asked):
    from desktop.ui.birthdays.dialogs import EventDialog

    eid = bd.save_event(org_ledger, bd.EventInput(date(2026, 7, 1), (bd.CelebrantInput(org_ledger.ids["张建国"], "原寄语"),),
                                                  org_ledger.ids["branch1"], place="原地点"))
    dlg = EventDialog(org_ledger, [(b.id, b.name) for b in org.list_branches(org_ledger)], eid)
    qtbot.addWidget(dlg.dialog)
    place = dlg.w(QLineEdit, "placeEdit")
    place.setText("我定的会议室")
    d = bd.get_event(wang, eid)  # they change only the 寄语: still a change of the celebration
    bd.save_event(wang, bd.EventInput(d.event.date, (bd.CelebrantInput(org_ledger.ids["张建国"], "王芳写的寄语"),),
                                      d.event.branch_id, d.event.title, d.event.place, d.event.activities, d.notes, eid))
    asked["choice"] = "reload"
    _ok(dlg)
    _by_wang(asked)
    assert dlg.dialog.result() == 0 and place.text() == "原地点"
    assert [c.message for c in dlg.model.rows if c.checked] == ["王芳写的寄语"]
    assert dlg.error_text("errorLabel").startswith("已重新载入 wangfang")
    place.setText("我定的会议室")
    _ok(dlg)  # from the reloaded version: saves without asking
    assert dlg.dialog.result() == 1 and len(asked["calls"]) == 1
    stored = bd.get_event(org_ledger, eid)
    assert stored.event.place == "我定的会议室" and [c.message for c in stored.celebrants] == ["王芳写的寄语"]


def test_campaign_and_problem_dialogs_ask_and_reload(qtbot, org_ledger, wang, asked):
    from desktop.ui.rectification.editors import CampaignDialog, ProblemDialog

    cid = rect.save_campaign(org_ledger, rect.CampaignInput("主题教育", 2026, description="原说明"))
    pid = rect.save_problem(org_ledger, rect.ProblemInput(rect.save_category(org_ledger, cid, "理论学习"), "原问题"))
    camp = CampaignDialog(org_ledger, [], rect.get_campaign(org_ledger, cid))
    tree = rect.get_campaign_tree(org_ledger, cid)
    prob = ProblemDialog(org_ledger, tree, None, tree.categories[0].problems[0])
    for d in (camp, prob):
        qtbot.addWidget(d.dialog)
    camp.w(QPlainTextEdit, "descriptionEdit").setPlainText("我的说明")
    prob.w(QPlainTextEdit, "descriptionEdit").setPlainText("我的问题")
    c = rect.get_campaign(wang, cid)
    rect.save_campaign(wang, rect.CampaignInput(c.name, c.year, description="王芳的说明", id=cid))
    rect.save_problem(wang, rect.ProblemInput(tree.categories[0].id, "王芳的问题", id=pid))
    asked["choice"] = "reload"
    _ok(camp)
    _ok(prob)
    _by_wang(asked, 2)
    assert camp.w(QPlainTextEdit, "descriptionEdit").toPlainText() == "王芳的说明"
    assert prob.w(QPlainTextEdit, "descriptionEdit").toPlainText() == "王芳的问题"
    asked["choice"] = "save_new"  # not asked again: both dialogs now hold the stored versions
    prob.w(QPlainTextEdit, "descriptionEdit").setPlainText("我的问题")
    _ok(prob)
    assert prob.dialog.result() == 1 and rect.get_problem(org_ledger, pid).description == "我的问题"
    assert len(asked["calls"]) == 2


def test_organization_page_actions_ask_before_overwriting(qtbot, org_ledger, wang, asked, ctx, monkeypatch):
    from desktop.ui.pages.organization import OrganizationPage

    page = OrganizationPage(ctx)
    qtbot.addWidget(page)
    page.reload()
    b1, g1 = org_ledger.ids["branch1"], org_ledger.ids["group1"]
    assert page.select_branch(b1)
    page.groups.setCurrentRow(next(i for i in range(page.groups.count())
                                   if page.groups.item(i).data(0x0100) == g1))
    org.save_group(wang, b1, "王芳改的小组名", g1)
    org.save_committee(wang, "王芳改的机关党委", "某某局")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("我改的小组名", True))
    asked["choice"] = "reload"
    page.rename_group()
    _by_wang(asked)
    assert {g.name for g in org.list_groups(org_ledger, b1)} >= {"王芳改的小组名"}  # theirs kept
    assert page.committee_name.text() == "王芳改的机关党委"  # the page shows what is stored now
    page.committee_name.setText("我改的机关党委")
    page.save_committee()  # from the reloaded version: no question
    assert len(asked["calls"]) == 1 and org.get_committee(org_ledger).name == "我改的机关党委"
    post = next(p for p in org.list_posts(org_ledger, b1) if p.post == "组织委员")
    page.post_view.selectRow(page.post_model.find_row(lambda p: p.id == post.id))
    org.save_post(wang, org.PostInput(b1, post.member_id, post.post, "2021-02-01", id=post.id))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("2026-06-30", True))
    asked["choice"] = "save_new"
    page.end_post()
    _by_wang(asked, 2)
    stored = next(p for p in org.list_posts(org_ledger, b1) if p.id == post.id)
    assert (stored.start_date, stored.end_date) == (date(2021, 2, 1), date(2026, 6, 30))  # theirs and ours


def test_deleting_a_member_changed_since_listed_is_refused(qtbot, org_ledger, wang, ctx, monkeypatch):
    from desktop.ui.pages.members import MembersPage

    page = MembersPage(ctx)
    qtbot.addWidget(page)
    page.reload()
    mid = org_ledger.ids["王磊"]
    assert page.select_member(mid)
    d = ms.get_member(wang, mid)
    r = d.row
    ms.save_member(wang, ms.MemberInput(id=mid, name=r.name, branch_id=r.branch_id, gender=r.gender,
                                        birth_date=r.birth_date, phone="13700000000", group_id=r.group_id,
                                        category=r.category, join_date=r.join_date, full_date=r.full_date))
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warned.append(text))
    page.delete()
    assert len(warned) == 1 and warned[0].startswith("该记录已被 wangfang 于 ") and "未删除" in warned[0]
    assert ms.get_member(org_ledger, mid).row.phone == "13700000000"  # still there
    assert page.select_member(mid) and page.selected().phone == "13700000000"  # the list shows theirs
    page.delete()
    with pytest.raises(KeyError):
        ms.get_member(org_ledger, mid)


def _their_phone(wang, mid, phone="13700000000"):
    r = ms.get_member(wang, mid).row
    ms.save_member(wang, ms.MemberInput(id=mid, name=r.name, branch_id=r.branch_id, gender=r.gender,
                                        birth_date=r.birth_date, phone=phone, group_id=r.group_id,
                                        category=r.category, join_date=r.join_date, full_date=r.full_date))


def test_transfer_and_probation_of_a_changed_member_ask(qtbot, org_ledger, wang, asked):
    from desktop.ui.dialogs.member_change import TransferDialog
    from desktop.ui.dialogs.member_probation import ProbationDialog

    wl, zm = org_ledger.ids["王磊"], org_ledger.ids["赵敏"]
    rows = ms.member_rows(org_ledger, {wl, zm})
    transfer, probation = TransferDialog(org_ledger, rows[wl]), ProbationDialog(org_ledger, rows[zm])
    for d in (transfer, probation):
        qtbot.addWidget(d.dialog)
    transfer.branch.setCurrentIndex(transfer.branch.findData(org_ledger.ids["branch2"]))
    transfer.date.setText("2026-06-01")
    probation.date.setText("2026-12-01")
    _their_phone(wang, wl)
    ms.record_probation_step(wang, zm, "延长预备期", "2026-12-01", new_end="2027-06-01", reason="王芳登记的延长")
    asked["choice"] = "reload"
    _ok(transfer)
    probation.button_box().button(QDialogButtonBox.StandardButton.Ok).click()
    _by_wang(asked, 2)
    assert ms.get_member(org_ledger, wl).row.branch_id == org_ledger.ids["branch1"]  # not moved
    assert ms.get_member(org_ledger, zm).row.category == "预备党员"  # not confirmed
    assert any("王芳登记的延长" in probation.w(QListWidget, "historyList").item(i).text()
               for i in range(probation.w(QListWidget, "historyList").count()))  # theirs on screen
    assert "已延长" in probation.w(QLabel, "memberLabel").text()
    _ok(transfer)  # seen the member as stored: the transfer goes through
    assert transfer.dialog.result() == 1 and ms.get_member(org_ledger, wl).row.branch_id == org_ledger.ids["branch2"]


def test_category_dialog_reload(qtbot, org_ledger, wang, asked):
    from desktop.ui.rectification.editors import CategoryDialog

    cid = rect.save_campaign(org_ledger, rect.CampaignInput("主题教育", 2026))
    cat = rect.save_category(org_ledger, cid, "理论学习")
    dlg = CategoryDialog(org_ledger, cid, rect.get_campaign_tree(org_ledger, cid).categories[0])
    qtbot.addWidget(dlg.dialog)
    name = dlg.w(QLineEdit, "nameEdit")
    name.setText("我的类别")
    rect.save_category(wang, cid, "王芳的类别", cat)
    asked["choice"] = "reload"
    _ok(dlg)
    _by_wang(asked)
    assert name.text() == "王芳的类别" and dlg.dialog.result() == 0


def test_organization_quick_edit_of_a_record_wangfang_deleted_is_refused(qtbot, org_ledger, wang, asked, ctx,
                                                                         monkeypatch):
    """离任 and 党小组改名 of what wangfang deleted while the page showed it: said plainly (not a crash
    report, not written onto the deleted record), the page then shows it gone."""
    from desktop.ui.pages.organization import OrganizationPage

    b1 = org_ledger.ids["branch1"]
    gid = org.save_group(org_ledger, b1, "临时党小组")
    page = OrganizationPage(ctx)
    qtbot.addWidget(page)
    page.reload()
    assert page.select_branch(b1)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warned.append(text))
    post = org.list_posts(org_ledger, b1)[0]
    page.post_view.selectRow(page.post_model.find_row(lambda p: p.id == post.id))
    org.delete_post(wang, post.id)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("2026-06-30", True))
    page.end_post()
    assert len(warned) == 1 and warned[0].startswith("任职记录不存在或已删除")
    assert page.post_model.find_row(lambda p: p.id == post.id) == -1  # shown gone
    page.groups.setCurrentRow(next(i for i in range(page.groups.count()) if page.groups.item(i).data(0x0100) == gid))
    org.delete_group(wang, gid)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("我改的小组名", True))
    page.rename_group()
    assert len(warned) == 2 and warned[1].startswith("党小组不存在或已删除") and not asked["calls"]
    assert gid not in {page.groups.item(i).data(0x0100) for i in range(page.groups.count())}  # shown gone


def test_message_template_dialog_asks_before_overwriting_theirs(qtbot, org_ledger, wang, asked):
    """政治生日 寄语模板 (a setting): was saved over wangfang's without a question."""
    from desktop.ui.birthdays.dialogs import TemplateDialog

    dlg = TemplateDialog(org_ledger)
    qtbot.addWidget(dlg.dialog)
    dlg.edit.setPlainText("我的寄语：{姓名}同志")
    bd.save_message_template(wang, "王芳的寄语：{姓名}同志，入党{周年}周年")
    asked["choice"] = "cancel"
    _ok(dlg)
    _by_wang(asked)
    assert dlg.dialog.result() == 0 and dlg.edit.toPlainText() == "我的寄语：{姓名}同志"
    assert bd.get_message_template(org_ledger).startswith("王芳的寄语")
    asked["choice"] = "reload"
    _ok(dlg)
    assert dlg.edit.toPlainText().startswith("王芳的寄语") and dlg.dialog.result() == 0
    dlg.edit.setPlainText("我的寄语：{姓名}同志")
    bd.save_message_template(wang, "王芳又改的寄语：{姓名}")
    asked["choice"] = "save_new"
    _ok(dlg)
    _by_wang(asked, 3)
    assert dlg.dialog.result() == 1 and bd.get_message_template(org_ledger) == "我的寄语：{姓名}同志"
