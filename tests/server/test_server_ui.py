"""The window on a server ledger: a save that would overwrite someone else's asks
「该记录已被 <谁> 于 <时间> 修改」 (重新载入 / 另存为新版本), and lists refresh when another
program changes records (the context polls the server's change counter)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox, QPlainTextEdit, QPushButton

from desktop.domain.enums import MeetingKind
from desktop.services import meetings as svc
from desktop.store.opening import open_ledger
from desktop.ui.context import AppContext

DAY = date(2026, 6, 20)
SHOTS = Path(os.environ.get("ZHIBU_SHOTS", "/tmp/zhibu-shots"))


@pytest.fixture
def page(qtbot, org_ledger):
    from desktop.ui.pages.meetings import MeetingsPage

    ctx = AppContext(org_ledger)
    p = MeetingsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1186, 678)
    p.reload()
    qtbot.waitUntil(lambda: not ctx.tasks._jobs, timeout=30000)
    yield p
    ctx.tasks.wait(30000)
    ctx._poll.stop()


@pytest.fixture
def other(org_ledger):
    """The same server ledger opened by a second program (another secretary's PC)."""
    led = open_ledger(org_ledger.location)
    led.ids = org_ledger.ids  # type: ignore[attr-defined]
    yield led
    led.close()


def _meeting(led, content="原稿") -> str:
    inp = svc.new_meeting(led, led.ids["branch1"], MeetingKind.COMMITTEE, DAY)
    inp.content = content
    return svc.save_meeting(led, inp)


def _their_edit(other, mid: str, text: str) -> None:
    inp = svc.get_meeting(other, mid).to_input()
    inp.content = text
    svc.save_meeting(other, inp)


def _answer(monkeypatch, choice: str, seen: dict):
    """Answer the real dialog (desktop.ui.conflicts.ask_conflict) by clicking ``choice``; screenshot it."""
    def exec_(box):
        seen["text"], seen["info"] = box.text(), box.informativeText()
        seen["buttons"] = [b.text() for b in box.buttons()]
        SHOTS.mkdir(parents=True, exist_ok=True)
        box.show()
        box.grab().save(str(SHOTS / "server_conflict.png"))
        next(b for b in box.buttons() if b.text() == choice).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)


def _opened_then_they_save(page, org_ledger, other, mine: str | None = None):
    """A meeting open in our editor (with ``mine`` typed into it), then saved by the other program."""
    mid = _meeting(org_ledger)
    assert page.open_record("meeting", mid)
    ed = page.editor
    if mine is not None:
        ed.form.w(QPlainTextEdit, "contentEdit").setPlainText(mine)
    _their_edit(other, mid, "王芳的修改")
    return mid, ed


def _save_over_theirs(page, org_ledger, other, monkeypatch, choice: str):
    """Our save after theirs, the conflict question answered with ``choice``: (id, editor, what it showed)."""
    mid, ed = _opened_then_they_save(page, org_ledger, other, "我的修改")
    seen: dict = {}
    _answer(monkeypatch, choice, seen)
    ed.form.w(QPushButton, "saveButton").click()
    return mid, ed, seen


def test_conflict_offers_reload(qtbot, page, org_ledger, other, monkeypatch):
    mid, ed, seen = _save_over_theirs(page, org_ledger, other, monkeypatch, "重新载入")
    assert seen["text"].startswith(f"该记录已被 {other.user} 于 ") and seen["text"].endswith(" 修改")
    assert sorted(seen["buttons"]) == sorted(["重新载入", "另存为新版本", "取消"]) and "修改历史" in seen["info"]
    assert ed.form.w(QPlainTextEdit, "contentEdit").toPlainText() == "王芳的修改"  # theirs shown
    assert svc.get_meeting(org_ledger, mid).content == "王芳的修改"  # nothing overwritten
    assert "重新载入" in ed.form.w(QLabel, "autosaveLabel").text()


def test_conflict_save_as_new_version(qtbot, page, org_ledger, other, monkeypatch):
    mid, ed, seen = _save_over_theirs(page, org_ledger, other, monkeypatch, "另存为新版本")
    assert seen
    stored = svc.get_meeting(org_ledger, mid)
    assert stored.content == "我的修改" and ed.version == stored.version
    from desktop.services.record_history import record_history

    olds = {h.old for h in record_history(org_ledger, mid)}
    assert "王芳的修改" in olds  # theirs kept in the history


def test_list_refreshes_when_another_program_adds_a_meeting(qtbot, page, org_ledger, other):
    before = page.model.rowCount()
    assert page.ctx._poll.isActive()
    _meeting(other, "另一台电脑新建的")
    qtbot.waitUntil(lambda: page.model.rowCount() == before + 1, timeout=15000)  # the poll timer, no click


def test_connect_dialog_opens_the_server_and_never_stores_the_password(qtbot, main_window, app_ctx, org_ledger,
                                                                        pg_cluster, monkeypatch):
    from PySide6.QtWidgets import QCheckBox, QLineEdit, QSpinBox

    from desktop.ui.dialogs import server_connect as sc

    app_ctx.set_ledger(None)
    dbname = org_ledger.location.split("/")[3].split("?")[0]

    def fill(self):
        self.w(QLineEdit, "hostEdit").setText(str(pg_cluster.root))
        self.w(QSpinBox, "portSpin").setValue(pg_cluster.port)
        self.w(QLineEdit, "databaseEdit").setText(dbname)
        self.w(QLineEdit, "userEdit").setText("zhibu")
        self.w(QLineEdit, "passwordEdit").setText("秘密pw")
        assert self.w(QCheckBox, "rememberCheck").isChecked()
        self.dialog.show()
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.dialog.grab().save(str(SHOTS / "server_connect.png"))
        self._accept()
        return self.dialog.result()

    monkeypatch.setattr(sc.ServerConnectDialog, "exec", fill)
    main_window._action("actionConnectServer").trigger()
    qtbot.waitUntil(lambda: app_ctx.ledger is not None and app_ctx.ledger.is_server, timeout=30000)
    assert "（服务器 本机，用户 zhibu）" in main_window.windowTitle()
    assert "秘密pw" not in main_window.file_label.text() and "服务器台账" in main_window.file_label.text()
    saved = main_window.settings.value(sc.SETTINGS_KEY)
    assert saved and "秘密" not in saved and "pw" not in saved.split("@")[0]
    assert sc.saved_connection(main_window.settings) == {"host": str(pg_cluster.root), "port": pg_cluster.port,
                                                         "database": dbname, "user": "zhibu"}
    assert main_window._action("actionSaveCopy").isEnabled()  # one branch or the whole ledger as a file
    assert not main_window._action("actionRestoreBackup").isEnabled()  # pg_restore is the administrator's
    main_window.grab().save(str(SHOTS / "server_window.png"))
    # the next time the dialog opens with the saved connection and an empty password
    dialog = sc.ServerConnectDialog(main_window.settings, main_window)
    assert dialog.w(QLineEdit, "databaseEdit").text() == dbname and dialog.w(QLineEdit, "passwordEdit").text() == ""
    dialog.dialog.close()


def test_delete_of_a_meeting_changed_meanwhile_is_refused(qtbot, page, org_ledger, other, monkeypatch):
    mid, ed = _opened_then_they_save(page, org_ledger, other)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warned.append(text))
    ed.delete()
    assert len(warned) == 1 and warned[0].startswith(f"该记录已被 {other.user} 于 ") and "未删除" in warned[0]
    assert svc.get_meeting(org_ledger, mid).content == "王芳的修改"  # not deleted
    assert ed.form.w(QPlainTextEdit, "contentEdit").toPlainText() == "王芳的修改"  # theirs on screen
    ed.delete()  # seen: deleting it now is the user's informed choice
    with pytest.raises(Exception, match="不存在或已删除"):
        svc.get_meeting(org_ledger, mid)


def test_finalize_does_not_make_final_what_another_saved_while_the_warnings_were_asked(
        qtbot, page, org_ledger, other, monkeypatch):
    """定稿 with warnings asks 「仍然定稿吗？」; a save by another program while that question is open
    is not made 定稿 unseen: refused with 「该记录已被 <谁> … 修改」, theirs shown, still a draft."""
    from datetime import time

    inp = svc.new_meeting(org_ledger, org_ledger.ids["branch1"], MeetingKind.COMMITTEE, DAY)
    inp.content, inp.place, inp.start_time, inp.end_time = "原稿", "会议室", time(9, 0), time(11, 0)
    mid = svc.save_meeting(org_ledger, inp)
    assert page.open_record("meeting", mid)
    ed = page.editor

    def question(*_a, **_k):
        _their_edit(other, mid, "王芳的修改")  # saved while our question is open
        return QMessageBox.StandardButton.Yes

    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warned.append(text))
    assert ed.finalize() is False
    stored = svc.get_meeting(org_ledger, mid)
    assert stored.state != "定稿" and stored.content == "王芳的修改"
    assert len(warned) == 1 and warned[0].startswith(f"该记录已被 {other.user} 于 ") and "未定稿" in warned[0]
    assert ed.form.w(QPlainTextEdit, "contentEdit").toPlainText() == "王芳的修改"  # theirs on screen
