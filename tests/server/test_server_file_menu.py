"""文件 menu on a server ledger, through the real menus: 另存副本 writes one branch (or the whole
ledger) as a file; 合并另一份台账… merges a carried file back into the server with the merge
dialog and its report; 从备份恢复 stays disabled and says why and what to do."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
)

from desktop.domain.enums import MeetingKind
from desktop.services import meetings as svc
from desktop.services.members import list_members
from desktop.services.server_transfer import pull
from desktop.store import models as M
from desktop.store.opening import open_ledger
from tests.conftest import wait_tasks

SHOTS = Path(os.environ.get("ZHIBU_SHOTS", "/tmp/zhibu-shots"))


def _answer_scope(monkeypatch, choice: str, seen: dict) -> None:
    def exec_(dialog):
        seen["items"] = dialog.comboBoxItems()
        dialog.show()
        SHOTS.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(SHOTS / "server_save_copy.png"))
        dialog.setTextValue(choice)
        return 1

    monkeypatch.setattr(QInputDialog, "exec", exec_)


def test_save_copy_of_one_branch(qtbot, main_window, app_ctx, org_ledger, tmp_path, monkeypatch):
    ids = org_ledger.ids
    action = main_window._action("actionSaveCopy")
    assert action.isEnabled()
    seen: dict = {}
    _answer_scope(monkeypatch, "第一党支部", seen)
    dest = tmp_path / "一支部"  # the suffix is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(dest), ""))
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *a: told.append(text))
    action.trigger()
    wait_tasks(qtbot, app_ctx, timeout=60000)
    assert seen["items"] == ["整个台账（所有党支部）", "第一党支部", "第二党支部"]
    out = dest.with_suffix(".zhibu")
    assert told and str(out) in told[0] and "合并回服务器" in told[0]
    branch1 = {m.id for m in list_members(org_ledger) if m.branch_id == ids["branch1"]}
    with open_ledger(out) as led:
        assert {m.id for m in list_members(led)} == branch1 and ids["陈志强"] not in branch1


def test_save_copy_of_the_whole_ledger(qtbot, main_window, app_ctx, org_ledger, tmp_path, monkeypatch):
    _answer_scope(monkeypatch, "整个台账（所有党支部）", {})
    dest = tmp_path / "全部.zhibu"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(dest), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    main_window._action("actionSaveCopy").trigger()
    wait_tasks(qtbot, app_ctx, timeout=60000)
    import json

    from desktop.services.dumpload import dump_ledger

    copy, server = (json.loads(dump_ledger(x))["tables"] for x in (dest, org_ledger))
    copies, server_copies = copy.pop("ledger_copy"), server.pop("ledger_copy")
    assert copy == server  # every record and the history
    assert [c for c in copies if c in server_copies] == server_copies  # every copy, one of them current
    assert sum(c["current"] for c in copies) == 1


def test_merge_carried_file_into_server(qtbot, main_window, app_ctx, org_ledger, tmp_path, monkeypatch):
    """A branch taken out as a file and edited offline comes back through 合并另一份台账…: a
    conflict (both changed 张建国's phone) decided in the dialog for the file, the rest taken."""
    ids = org_ledger.ids
    zhang = ids["张建国"]
    carry = tmp_path / "带走.zhibu"
    pull(org_ledger, carry, "第一党支部")
    with open_ledger(carry) as led:
        with led.write() as s:
            s.get(M.Member, zhang).phone = "13800000009"
        inp = svc.new_meeting(led, ids["branch1"], MeetingKind.COMMITTEE, date(2026, 5, 12))
        inp.content = "在外地开的支委会"
        new_mid = svc.save_meeting(led, inp)
    with org_ledger.write() as s:
        s.get(M.Member, zhang).phone = "13700000007"
        s.get(M.Member, ids["陈志强"]).education = "大学本科"  # another branch, meanwhile
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(carry), ""))
    seen: dict = {}
    SHOTS.mkdir(parents=True, exist_ok=True)

    def decide():
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "MergeDialog":
            QTimer.singleShot(100, decide)
            return
        dialog.resize(1000, 420)
        table = dialog._controller.table
        seen["header"] = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
        seen["rows"] = [[table.item(r, c).text() for c in range(5)] for r in range(table.rowCount())]
        seen["summary"] = dialog._controller.w(QLabel, "summaryLabel").text()
        combo = table.cellWidget(0, 5)
        assert isinstance(combo, QComboBox)
        seen["options"] = [combo.itemText(i) for i in range(combo.count())]
        combo.setCurrentIndex(combo.findData("theirs"))
        dialog.grab().save(str(SHOTS / "server_merge_dialog.png"))
        dialog.findChild(QDialogButtonBox, "buttonBox").button(QDialogButtonBox.StandardButton.Ok).click()
        QTimer.singleShot(100, report)

    def report():
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "MergeReportDialog":
            QTimer.singleShot(100, report)
            return
        dialog.resize(900, 560)
        seen["report"] = dialog.findChild(QPlainTextEdit, "reportText").toPlainText()
        seen["open_visible"] = dialog._controller.w(QPushButton, "openButton").isVisible()
        dialog.grab().save(str(SHOTS / "server_merge_report.png"))
        dialog.reject()

    QTimer.singleShot(100, decide)
    assert main_window._action("actionMerge").isEnabled()
    main_window._action("actionMerge").trigger()
    qtbot.waitUntil(lambda: "report" in seen, timeout=60000)
    wait_tasks(qtbot, app_ctx, timeout=60000)
    assert seen["header"][3:5] == ["服务器", "文件"]
    assert seen["rows"][0][0] == "同一字段两边都修改了" and "张建国" in seen["rows"][0][1]
    assert "13700000007" in seen["rows"][0][3] and "13800000009" in seen["rows"][0][4]
    assert "服务器上的台账" in seen["summary"] and seen["options"] == ["保留服务器（建议）", "采用文件"]
    assert "本方台账：服务器上的台账" in seen["report"] and "选择：采用文件" in seen["report"] and "【新增的记录（来自文件）】" in seen["report"]
    assert "pg_dump" in seen["report"] and not seen["open_visible"]
    assert app_ctx.ledger is org_ledger  # still the server
    with org_ledger.read() as s:
        assert s.get(M.Member, zhang).phone == "13800000009"
        assert s.get(M.Member, ids["陈志强"]).education == "大学本科"
    assert svc.get_meeting(org_ledger, new_mid).content == "在外地开的支委会"
    from desktop.services.record_history import record_history
    from desktop.ui.dialogs.record_history import RecordHistoryDialog

    rows = record_history(org_ledger, zhang)
    history = RecordHistoryDialog("党员“张建国”", rows, main_window)
    history.dialog.resize(1100, 360)
    history.dialog.show()
    history.dialog.grab().save(str(SHOTS / "server_history_after_merge.png"))
    history.dialog.close()
    phones = [(r.old, r.new, r.copy, r.version) for r in rows if r.what == "电话"]
    assert [p[1] for p in phones] == ["13800000009", "13700000007", "13800000009"]  # laptop, server, the merge
    assert "：带走.zhibu）" in phones[0][2] and phones[1][2] == f"服务器用户 {org_ledger.user}"
    assert phones[2][0] == "13700000007" and f"（{org_ledger.user} 合并到服务器）" in phones[2][2]
    with org_ledger.read() as s:
        assert s.get(M.Member, zhang).version == 3 == phones[2][3]  # past the version editors had open (2)


@pytest.mark.qt_log_ignore(r"^This plugin does not support (raise\(\)|grabbing the keyboard|propagateSizeHints\(\))$")  # a popup, offscreen
def test_restore_backup_disabled_on_a_server_says_why(main_window):
    action = main_window._action("actionRestoreBackup")
    assert not action.isEnabled()
    assert "pg_restore" in action.toolTip() and "系统管理员" in action.toolTip()
    menu = next(m for m in main_window.menuBar().findChildren(type(main_window.recent_menu)) if m.objectName() == "menuFile")
    assert menu.toolTipsVisible()
    menu.popup(main_window.mapToGlobal(main_window.rect().topLeft()))
    QApplication.processEvents()
    SHOTS.mkdir(parents=True, exist_ok=True)
    menu.grab().save(str(SHOTS / "server_file_menu.png"))
    menu.close()


def test_merge_of_an_unrelated_file_asks_to_combine(qtbot, main_window, app_ctx, org_ledger, tmp_path, monkeypatch):
    from desktop.services.organization import BranchInput, save_branch, save_committee

    own = tmp_path / "第三党支部.zhibu"
    with open_ledger(own, create=True) as led:
        save_committee(led, "自建的党委", "某某局")
        save_branch(led, BranchInput("第三党支部"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(own), ""))
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _p, _t, text, *a: asked.append(text) or QMessageBox.StandardButton.No)  # fmt: skip
    from desktop.services.dumpload import dump_ledger

    before = dump_ledger(org_ledger)
    main_window._action("actionMerge").trigger()
    qtbot.waitUntil(lambda: bool(asked), timeout=60000)
    wait_tasks(qtbot, app_ctx, timeout=60000)
    assert "与服务器上的台账不是同一份台账的副本" in asked[0] and "并入服务器上的党委台账" in asked[0]
    assert dump_ledger(org_ledger) == before  # answered No: nothing written
