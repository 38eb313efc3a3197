"""The real dialogs on a server ledger while another secretary (database user wangfang, a second
connection) saves the same 党员 / 整改措施 / 党支部: saving asks 「该记录已被 wangfang 于 <时间> 修改」;
重新载入 shows their content and says so; 另存为新版本 writes ours on top and 修改历史 has both;
取消 keeps the dialog open with our edits; 销号 and a delete of a changed record are not silent."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QLineEdit, QMessageBox, QPlainTextEdit

from desktop.services import members as ms
from desktop.services import organization as org
from desktop.services import rectification as rect
from desktop.services.record_history import record_history

SHOTS = Path(os.environ.get("ZHIBU_SHOTS", "/tmp/zhibu-shots"))


def _click(dlg, which=QDialogButtonBox.StandardButton.Save) -> None:
    dlg.button_box().button(which).click()


def _general(dlg) -> str:
    return dlg.error_text("err_general") or dlg.error_text("errorLabel")


def _asked_about_wang(asked) -> None:
    assert len(asked["calls"]) == 1
    exc = asked["calls"][0]
    assert exc.who == "wangfang" and exc.message.startswith("该记录已被 wangfang 于 ") and exc.message.endswith(" 修改")


# ------------------------------------------------------------------ 党员
def _their_member_edit(wang, mid, notes="王芳补充的备注", phone="13700000000"):
    d = ms.get_member(wang, mid)
    r = d.row
    ms.save_member(wang, ms.MemberInput(
        id=mid, name=r.name, branch_id=r.branch_id, gender=r.gender, birth_date=r.birth_date, phone=phone,
        group_id=r.group_id, category=r.category, join_date=r.join_date, full_date=r.full_date, notes=notes))


def _member_editor(qtbot, led, mid):
    from desktop.ui.dialogs.member_editor import MemberEditor

    dlg = MemberEditor(led, detail=ms.get_member(led, mid))
    qtbot.addWidget(dlg.dialog)
    return dlg


def test_member_reload_shows_their_content(qtbot, org_ledger, wang, asked):
    mid = org_ledger.ids["李秀英"]
    dlg = _member_editor(qtbot, org_ledger, mid)
    dlg.job_title.setText("我填的职务")
    _their_member_edit(wang, mid)
    asked["choice"] = "reload"
    _click(dlg)
    _asked_about_wang(asked)
    assert dlg.dialog.result() == 0  # still open
    assert dlg.notes.toPlainText() == "王芳补充的备注" and dlg.phone.text() == "13700000000"
    assert dlg.job_title.text() == ""  # ours dropped, as the user chose
    note = _general(dlg)
    assert note.startswith("已重新载入 wangfang 于 ") and "您的修改未保存" in note
    stored = ms.get_member(org_ledger, mid)
    assert stored.notes == "王芳补充的备注" and stored.row.job_title == ""
    dlg.dialog.show()
    SHOTS.mkdir(parents=True, exist_ok=True)
    dlg.dialog.grab().save(str(SHOTS / "conflict_member_reloaded.png"))
    dlg.job_title.setText("重新载入后再改")  # the reloaded dialog saves normally now
    _click(dlg)
    assert dlg.dialog.result() == 1 and len(asked["calls"]) == 1
    assert ms.get_member(org_ledger, mid).row.job_title == "重新载入后再改"
    assert ms.get_member(org_ledger, mid).notes == "王芳补充的备注"


def test_member_save_as_new_version_keeps_theirs_in_the_history(qtbot, org_ledger, wang, asked):
    mid = org_ledger.ids["李秀英"]
    dlg = _member_editor(qtbot, org_ledger, mid)
    dlg.notes.setPlainText("我的备注")
    _their_member_edit(wang, mid)
    asked["choice"] = "save_new"
    _click(dlg)
    _asked_about_wang(asked)
    assert dlg.dialog.result() == 1
    stored = ms.get_member(org_ledger, mid)
    assert stored.notes == "我的备注" and stored.row.phone == "13812345678"  # the whole form is ours
    notes = [(h.old, h.new) for h in record_history(org_ledger, mid) if "备注" in (h.new or "") + (h.old or "")]
    assert ("（空）", "王芳补充的备注") in notes and ("王芳补充的备注", "我的备注") in notes


def test_member_cancel_keeps_the_dialog_and_our_edits(qtbot, org_ledger, wang, asked):
    mid = org_ledger.ids["李秀英"]
    dlg = _member_editor(qtbot, org_ledger, mid)
    dlg.notes.setPlainText("我的备注")
    _their_member_edit(wang, mid)
    _click(dlg)  # asked["choice"] is 取消
    _asked_about_wang(asked)
    assert dlg.dialog.result() == 0 and dlg.notes.toPlainText() == "我的备注"
    assert ms.get_member(org_ledger, mid).notes == "王芳补充的备注"


def test_member_status_change_of_a_changed_member_is_asked_about(qtbot, org_ledger, wang, asked):
    from desktop.ui.dialogs.member_change import StatusDialog

    mid = org_ledger.ids["陈志强"]
    row = ms.member_rows(org_ledger, {mid})[mid]
    dlg = StatusDialog(org_ledger, row)
    qtbot.addWidget(dlg.dialog)
    dlg.status.setCurrentIndex(dlg.status.findData("退休"))
    _their_member_edit(wang, mid)
    _click(dlg, QDialogButtonBox.StandardButton.Ok)
    _asked_about_wang(asked)
    assert ms.get_member(org_ledger, mid).row.status == "在职"
    asked["choice"] = "save_new"
    _click(dlg, QDialogButtonBox.StandardButton.Ok)
    assert dlg.dialog.result() == 1 and ms.get_member(org_ledger, mid).row.status == "退休"


# ------------------------------------------------------------------ 整改措施
def _measure(led) -> tuple[str, str]:
    cid = rect.save_campaign(led, rect.CampaignInput("主题教育", 2026))
    pid = rect.save_problem(led, rect.ProblemInput(rect.save_category(led, cid, "理论学习"), "学习不深入"))
    return cid, rect.save_measure(led, rect.MeasureInput(pid, "每月集中学习", owner="办公室",
                                                         deadline=date(2026, 12, 31)))


def _measure_dialog(qtbot, led, cid, mid):
    from desktop.ui.rectification.measures import MeasureDialog

    dlg = MeasureDialog(led, rect.get_campaign_tree(led, cid), None, mid)
    qtbot.addWidget(dlg.dialog)
    return dlg


def _their_measure_edit(wang, mid):
    rect.save_measure(wang, replace(rect.get_measure(wang, mid), content="王芳改写的措施", owner="组织部", version=None))


def test_measure_reload_and_save_as_new_version(qtbot, org_ledger, wang, asked):
    cid, mid = _measure(org_ledger)
    dlg = _measure_dialog(qtbot, org_ledger, cid, mid)
    content = dlg.w(QPlainTextEdit, "contentEdit")
    content.setPlainText("我改写的措施")
    _their_measure_edit(wang, mid)
    asked["choice"] = "reload"
    _click(dlg, QDialogButtonBox.StandardButton.Ok)
    _asked_about_wang(asked)
    assert dlg.dialog.result() == 0 and content.toPlainText() == "王芳改写的措施"
    assert dlg.w(QLineEdit, "ownerEdit").text() == "组织部" and _general(dlg).startswith("已重新载入 wangfang")
    # they save again while we look at the reloaded content; this time we keep ours
    content.setPlainText("我在他们的基础上改的")
    rect.save_measure(wang, replace(rect.get_measure(wang, mid), leader="王局长", version=None))
    asked["choice"] = "save_new"
    _click(dlg, QDialogButtonBox.StandardButton.Ok)
    assert dlg.dialog.result() == 1 and len(asked["calls"]) == 2
    stored = rect.get_measure(org_ledger, mid)
    assert stored.content == "我在他们的基础上改的" and stored.owner == "组织部"
    contents = [(h.old, h.new) for h in record_history(org_ledger, mid)]
    assert ("每月集中学习", "王芳改写的措施") in contents and ("王芳改写的措施", "我在他们的基础上改的") in contents


def test_close_of_a_measure_changed_meanwhile_is_asked_about(qtbot, org_ledger, wang, asked):
    from desktop.ui.datefield import DateField
    from desktop.ui.rectification.measures import CloseDialog

    cid, mid = _measure(org_ledger)
    node = next(m for _c, _p, m in rect.get_campaign_tree(org_ledger, cid).measures() if m.id == mid)
    dlg = CloseDialog(org_ledger, node)
    qtbot.addWidget(dlg.dialog)
    dlg.w(DateField, "dateEdit").setDate(date.today())
    dlg.w(QPlainTextEdit, "resultEdit").setPlainText("已建立学习制度")
    _their_measure_edit(wang, mid)
    asked["choice"] = "reload"
    _click(dlg, QDialogButtonBox.StandardButton.Ok)
    _asked_about_wang(asked)
    assert rect.get_measure(org_ledger, mid).status != "已销号"  # nothing closed behind our back
    assert "王芳改写的措施" in dlg.w(QLabel, "measureLabel").text()  # what is closed now is on screen
    _click(dlg, QDialogButtonBox.StandardButton.Ok)  # seen it: close it
    assert dlg.dialog.result() == 1 and rect.get_measure(org_ledger, mid).status == "已销号"


def test_delete_of_a_measure_changed_since_listed_is_refused(qtbot, org_ledger, wang, monkeypatch):
    from desktop.ui.context import AppContext
    from desktop.ui.pages.rectification import RectificationPage

    cid, mid = _measure(org_ledger)
    ctx = AppContext(org_ledger)
    page = RectificationPage(ctx)
    qtbot.addWidget(page)
    page.reload()
    assert page.select(mid)
    _their_measure_edit(wang, mid)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warned.append(text))
    page.delete_selected()
    assert len(warned) == 1 and warned[0].startswith("该记录已被 wangfang 于 ") and "未删除" in warned[0]
    assert rect.get_measure(org_ledger, mid).content == "王芳改写的措施"  # not deleted
    assert page.selected_node().content == "王芳改写的措施"  # the page shows theirs now
    page.delete_selected()  # now the page shows theirs: deleting it is the user's informed choice
    with pytest.raises(rect.NotFound):
        rect.get_measure(org_ledger, mid)
    ctx.tasks.wait(30000)
    ctx._poll.stop()


# ------------------------------------------------------------------ 党支部
def test_branch_reload_and_save_as_new_version(qtbot, org_ledger, wang, asked):
    from desktop.ui.dialogs.branch_editor import BranchEditor

    bid = org_ledger.ids["branch1"]
    dlg = BranchEditor(org_ledger, branch=org.get_branch(org_ledger, bid))
    qtbot.addWidget(dlg.dialog)
    dlg.notes.setPlainText("我写的支部备注")
    b = org.get_branch(wang, bid)
    org.save_branch(wang, org.BranchInput(b.name, bid, b.has_committee, b.has_groups, b.lecture_frequency,
                                          theme_day_of_month=15, notes="王芳写的支部备注"))
    asked["choice"] = "reload"
    _click(dlg)
    _asked_about_wang(asked)
    assert dlg.dialog.result() == 0 and dlg.notes.toPlainText() == "王芳写的支部备注"
    assert dlg.theme_day.value() == 15 and _general(dlg).startswith("已重新载入 wangfang")
    dlg.notes.setPlainText("看过之后我写的")
    _click(dlg)
    assert dlg.dialog.result() == 1 and len(asked["calls"]) == 1
    stored = org.get_branch(org_ledger, bid)
    assert stored.notes == "看过之后我写的" and stored.theme_day_of_month == 15


def test_the_question_itself(qtbot, org_ledger, wang, monkeypatch):
    """The real QMessageBox: its text, its three buttons, a screenshot; 另存为新版本 clicked."""
    mid = org_ledger.ids["李秀英"]
    dlg = _member_editor(qtbot, org_ledger, mid)
    dlg.notes.setPlainText("我的备注")
    _their_member_edit(wang, mid)
    seen: dict = {}

    def exec_(box):
        seen["text"], seen["info"] = box.text(), box.informativeText()
        seen["buttons"] = [b.text() for b in box.buttons()]
        box.show()
        SHOTS.mkdir(parents=True, exist_ok=True)
        box.grab().save(str(SHOTS / "conflict_question_member.png"))
        next(b for b in box.buttons() if b.text() == "另存为新版本").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    _click(dlg)
    assert seen["text"].startswith("该记录已被 wangfang 于 ") and seen["text"].endswith(" 修改")
    assert sorted(seen["buttons"]) == sorted(["重新载入", "另存为新版本", "取消"]) and "修改历史" in seen["info"]
    assert ms.get_member(org_ledger, mid).notes == "我的备注"
