"""文件 › 合并另一份台账…: pick the other copy, decide a conflict side by side, see the report,
save it as Word, open the merged file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QPlainTextEdit,
    QTableWidget,
)

from desktop.services.files import save_copy
from desktop.store import models as M
from desktop.store.ledger import Ledger
from tests.conftest import wait_tasks

SHOTS = Path("/tmp/zhibu-merge-shots")


def _edit_home(path: Path, member_id: str) -> None:
    with Ledger.open(path) as led, led.write() as s:
        s.get(M.Member, member_id).phone = "13900000002"  # conflict with the office
        s.get(M.Member, member_id).education = "大学本科"  # one-sided
        s.add(M.Member(name="孙在家", branch_id=s.get(M.Member, member_id).branch_id))


def test_merge_dialog_with_a_conflict_decided(qtbot, main_window, app_ctx, org_ledger, tmp_path, monkeypatch):
    wang = org_ledger.ids["王磊"]
    home = save_copy(org_ledger, tmp_path / "家里.zhibu")
    _edit_home(home, wang)
    with org_ledger.write() as s:
        s.get(M.Member, wang).phone = "13900000001"
    out = tmp_path / "合并结果.zhibu"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(home), ""))
    saves = iter([(str(out), ""), (str(tmp_path / "报告.docx"), "")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: next(saves))
    seen: dict[str, object] = {}
    SHOTS.mkdir(exist_ok=True)

    def decide():
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "MergeDialog":
            QTimer.singleShot(100, decide)
            return
        table = dialog.findChild(QTableWidget, "conflictTable")
        seen["rows"] = [[table.item(r, c).text() for c in range(5)] for r in range(table.rowCount())]
        combo = table.cellWidget(0, 5)
        assert isinstance(combo, QComboBox)
        seen["default"] = combo.currentData()
        combo.setCurrentIndex(combo.findData("theirs"))
        dialog.grab().save(str(SHOTS / "merge_dialog.png"))
        dialog.findChild(QDialogButtonBox, "buttonBox").button(QDialogButtonBox.StandardButton.Ok).click()
        QTimer.singleShot(100, report)

    def report():
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "MergeReportDialog":
            QTimer.singleShot(100, report)
            return
        seen["report"] = dialog.findChild(QPlainTextEdit, "reportText").toPlainText()
        dialog.grab().save(str(SHOTS / "merge_report.png"))
        dialog._controller.save_report(".docx")  # the QMessageBox after it is closed below
        from PySide6.QtWidgets import QPushButton

        dialog.findChild(QPushButton, "openButton").click()

    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.information", lambda *a, **k: None)
    QTimer.singleShot(100, decide)
    main_window._action("actionMerge").trigger()
    qtbot.waitUntil(lambda: "report" in seen, timeout=60000)
    wait_tasks(qtbot, app_ctx, timeout=60000)
    qtbot.waitUntil(lambda: app_ctx.ledger is not None and app_ctx.ledger.path == out.absolute(), timeout=30000)
    assert seen["rows"][0][0] == "同一字段两边都修改了" and "13900000001" in seen["rows"][0][3]
    assert "13900000002" in seen["rows"][0][4] and seen["default"] == "mine"  # the later change: the office edit
    assert "选择：采用对方" in seen["report"] and "孙在家" in seen["report"]
    assert (tmp_path / "报告.docx").exists()
    with app_ctx.ledger.read() as s:  # the merged file is open now
        wang_row = s.get(M.Member, wang)
        assert (wang_row.phone, wang_row.education) == ("13900000002", "大学本科")
        assert s.query(M.Member).filter(M.Member.name == "孙在家").count() == 1


def test_record_history_of_a_reopened_meeting(qtbot, main_window, app_ctx, org_ledger, monkeypatch):
    from datetime import date

    from desktop.domain.enums import MeetingKind
    from desktop.services import meetings as svc
    from desktop.ui.dialogs.record_history import RecordHistoryDialog
    from tests.services.test_meetings_service import complete

    mid = svc.save_meeting(org_ledger, svc.new_meeting(org_ledger, org_ledger.ids["branch1"], MeetingKind.COMMITTEE,
                                                       date(2026, 3, 5)))  # fmt: skip
    svc.save_meeting(org_ledger, complete(svc.get_meeting(org_ledger, mid).to_input()))
    assert svc.finalize_meeting(org_ledger, mid, accept_warnings=True).finalized
    svc.reopen_meeting(org_ledger, mid, "补记缺席原因")
    d = svc.get_meeting(org_ledger, mid).to_input()
    d.place = "五楼党员活动室"
    svc.save_meeting(org_ledger, d)
    assert svc.finalize_meeting(org_ledger, mid, accept_warnings=True).finalized
    main_window.show_page("meetings")
    page = main_window.current_page()
    monkeypatch.setattr(page, "selected_row", lambda: svc.get_meeting(org_ledger, mid))
    shown = {}

    def fake_exec(self):
        table = self.table
        shown["rows"] = [[table.item(r, c).text() for c in range(7)] for r in range(table.rowCount())]
        self.dialog.resize(980, 560)
        self.dialog.grab().save(str(SHOTS / "record_history.png"))
        return 1

    monkeypatch.setattr(RecordHistoryDialog, "exec", fake_exec)
    SHOTS.mkdir(exist_ok=True)
    main_window._action("actionHistory").trigger()
    events = [r[1] for r in shown["rows"]]
    assert events[0] == "创建" and events.count("定稿") == 2 and "重新编辑" in events
    reopen = next(r for r in shown["rows"] if r[1] == "重新编辑" and r[2] == "原因")
    assert reopen[4] == "补记缺席原因"
    place = [r for r in shown["rows"] if r[2] == "地点"][-1]
    assert place[4] == "五楼党员活动室" and "（本副本）" in place[5] and place[6].isdigit()


def test_conflict_table_names_referenced_records(qtbot, org_ledger, tmp_path):
    """The conflict table shows 党小组 by name — also one that only the other copy has — never ids."""
    import re

    from desktop.services.merge import prepare
    from desktop.services.organization import save_group
    from desktop.ui.dialogs.merge import MergeDialog

    wang = org_ledger.ids["王磊"]
    home = save_copy(org_ledger, tmp_path / "家里.zhibu")
    with Ledger.open(home) as led:
        g3 = save_group(led, org_ledger.ids["branch1"], "第三党小组")
        with led.write() as s:
            s.get(M.Member, wang).group_id = g3
    with org_ledger.write() as s:
        s.get(M.Member, wang).group_id = org_ledger.ids["group1"]
    session = prepare(org_ledger.path, home, tmp_path / "out.zhibu", backup_dir=tmp_path / "b")
    try:
        dialog = MergeDialog(session)
        table = dialog.table
        cells = [[table.item(r, c).text() for c in range(5)] for r in range(table.rowCount())]
        row = next(r for r in cells if r[2] == "党小组")
        assert (row[3], row[4]) == ("第一党小组", "第三党小组"), cells
        assert not any(re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", text) for r in cells for text in r), cells
        SHOTS.mkdir(exist_ok=True)
        dialog.dialog.resize(1100, 320)
        dialog.dialog.grab().save(str(SHOTS / "merge_dialog_names.png"))
        dialog.dialog.close()
    finally:
        session.cancel()
