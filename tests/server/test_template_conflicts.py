"""三会一课 › 议题模板 on a server while wangfang saves the templates too: the real dialog asks
「该记录已被 wangfang 于 … 修改」 — 取消 keeps the dialog and the user's text, 重新载入 shows theirs,
另存为新版本 puts ours on top (a kind the user left alone keeps theirs) — and two first saves of a
kind not stored yet wait for each other (the second asks, never a duplicate key)."""

from __future__ import annotations

import threading
import time

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QPlainTextEdit

from desktop.domain.enums import MeetingKind
from desktop.domain.errors import RecordConflict
from desktop.services import meetings as svc
from desktop.store.models import AgendaTemplate, Committee

DAY, LECTURE = MeetingKind.THEME_DAY, MeetingKind.LECTURE


def _dialog(qtbot, led, kind=DAY):
    from desktop.ui.meetings.dialogs import TemplatesDialog

    dlg = TemplatesDialog(led, kind=kind)
    qtbot.addWidget(dlg.dialog)
    return dlg


def _ok(dlg) -> None:
    dlg.button_box().button(QDialogButtonBox.StandardButton.Ok).click()


def test_templates_dialog_cancel_then_reload(qtbot, org_ledger, wang, asked, tmp_path):
    dlg = _dialog(qtbot, org_ledger)
    items = dlg.w(QPlainTextEdit, "itemsEdit")
    default = items.toPlainText()
    items.setPlainText("我的议题")
    svc.save_agenda_template(wang, DAY, ["王芳的议题"], shown=default.split("\n"))  # theirs, meanwhile
    _ok(dlg)  # 取消 (the fixture's default answer)
    assert [e.who for e in asked["calls"]] == ["wangfang"]
    assert dlg.dialog.result() == 0
    assert items.toPlainText() == "我的议题" and svc.get_agenda_template(org_ledger, DAY) == ["王芳的议题"]
    asked["choice"] = "reload"
    _ok(dlg)
    assert len(asked["calls"]) == 2 and dlg.dialog.result() == 0
    assert items.toPlainText() == "王芳的议题"
    assert dlg.error_text("errorLabel").startswith("已重新载入 wangfang")
    dlg.dialog.show()
    dlg.dialog.grab().save(str(tmp_path / "templates-reloaded.png"))
    items.setPlainText("王芳的议题\n我补充的议题")
    _ok(dlg)  # from what is shown now: no question
    assert len(asked["calls"]) == 2 and dlg.dialog.result() == 1
    assert svc.get_agenda_template(org_ledger, DAY) == ["王芳的议题", "我补充的议题"]


def test_templates_dialog_save_as_new_version_keeps_their_other_kind(qtbot, org_ledger, wang, asked):
    dlg = _dialog(qtbot, org_ledger)
    kind = dlg.w(QComboBox, "kindCombo")
    items = dlg.w(QPlainTextEdit, "itemsEdit")
    items.setPlainText("我的主题党日")
    kind.setCurrentText(LECTURE)  # looked at 党课, left it alone
    lecture_shown = items.toPlainText().split("\n")
    kind.setCurrentText(DAY)
    svc.save_agenda_templates(wang, {DAY: ["王芳的主题党日"], LECTURE: ["王芳的党课"]},
                              shown={DAY: svc.get_agenda_template(wang, DAY), LECTURE: lecture_shown})
    asked["choice"] = "save_new"
    _ok(dlg)
    assert [e.who for e in asked["calls"]] == ["wangfang"] and dlg.dialog.result() == 1
    assert svc.get_agenda_template(org_ledger, DAY) == ["我的主题党日"]
    assert svc.get_agenda_template(org_ledger, LECTURE) == ["王芳的党课"]  # not overwritten by what we showed


def test_two_first_saves_of_a_kind_wait_for_each_other(org_ledger, wang):
    shown = svc.get_agenda_template(org_ledger, DAY)
    outcome: dict = {}

    def ours() -> None:
        try:
            svc.save_agenda_template(org_ledger, DAY, ["我们的"], shown=shown)
            outcome["result"] = "saved"
        except RecordConflict as exc:
            outcome["result"] = exc

    with wang.write() as s:  # theirs, as the service does it, not committed yet
        from sqlalchemy import select

        s.execute(select(Committee.id).with_for_update())
        s.add(AgendaTemplate(kind=DAY, items="他们的"))
        s.flush()
        worker = threading.Thread(target=ours)
        worker.start()
        time.sleep(1.0)
        assert worker.is_alive() and not outcome, "our save must wait for theirs, not read the default"
    worker.join(30)
    assert isinstance(outcome.get("result"), RecordConflict) and outcome["result"].who == "wangfang"
    assert svc.get_agenda_template(org_ledger, DAY) == ["他们的"]
