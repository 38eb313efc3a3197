"""三会一课 page driven through its real widgets; dialogs' exec replaced by scripted input."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QWidget,
)

from desktop.domain.enums import AttendanceStatus, MeetingKind, MeetingState
from desktop.services import meetings as svc
from desktop.ui.context import AppContext
from desktop.ui.datefield import DateField
from desktop.ui.forms import load_form
from desktop.ui.meetings import dialogs as mdialogs
from desktop.ui.meetings import editor_actions

DAY = date(2026, 6, 20)


@pytest.fixture
def page(qtbot, org_ledger):
    from desktop.ui.pages.meetings import MeetingsPage

    ctx = AppContext(org_ledger)
    p = MeetingsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1186, 678)
    p.reload()
    p.ids = org_ledger.ids
    return p


@pytest.fixture(autouse=True)
def no_modal(monkeypatch):
    """Any unexpected message box fails the test instead of blocking it."""
    def boom(*args, **kwargs):
        raise AssertionError(f"unexpected message box: {args[1:3]}")

    for name in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, name, boom)


def create(page, monkeypatch, kind: str, *, group: str | None = None, branch: str = "branch1"):
    def run(self):
        self.branch.setCurrentIndex(self.branch.findData(page.ids[branch]))
        self.kind.setCurrentText(kind)
        if group:
            self.group.setCurrentIndex(self.group.findData(page.ids[group]))
        self.date.setDate(QDate(DAY.year, DAY.month, DAY.day))
        self._accept()
        return self.dialog.result()

    monkeypatch.setattr(mdialogs.NewMeetingDialog, "exec", run)
    page.findChild(QPushButton, "newButton").click()
    assert page.editor is not None
    return page.editor


def fill_basics(ed, content: str = "张建国传达了上级精神，李秀英就落实工作作了发言。") -> None:
    w = ed.form.w
    w(QLineEdit, "startEdit").setText("9:00")
    w(QLineEdit, "endEdit").setText("11点半")
    w(QLineEdit, "placeEdit").setText("三楼会议室")
    w(QPlainTextEdit, "contentEdit").setPlainText(content)
    w(QPlainTextEdit, "resolutionEdit").setPlainText("会议同意上述事项。")


def set_cell(model, row: int, key: str, value) -> None:
    col = next(i for i, c in enumerate(model.columns) if c.key == key)
    role = Qt.ItemDataRole.CheckStateRole if model.columns[col].kind == "bool" else Qt.ItemDataRole.EditRole
    assert model.setData(model.index(row, col), value, role)


def accept_warnings(monkeypatch):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    return asked


def reopen(page, monkeypatch, reason: str):
    def run(self):
        self.w(QPlainTextEdit, "reasonEdit").setPlainText(reason)
        self._accept()
        return self.dialog.result()

    monkeypatch.setattr(mdialogs.ReopenDialog, "exec", run)
    page.editor.form.w(QPushButton, "reopenButton").click()


def test_general_assembly_absence_vote_check_finalize_reopen(page, monkeypatch):
    ed = create(page, monkeypatch, MeetingKind.GENERAL_ASSEMBLY)
    w = ed.form.w
    assert w(QComboBox, "hostCombo").currentText() == "张建国" and w(QComboBox, "recorderCombo").currentText() == "李秀英"
    assert "应到4人（正式党员3人、预备党员1人）" in w(QLabel, "summaryLabel").text()
    fill_basics(ed)
    # 王磊 absent, first without a reason: the pre-check names him
    row = next(i for i, r in enumerate(ed.attendance.rows) if r["name"] == "王磊")
    set_cell(ed.attendance, row, "status", AttendanceStatus.ABSENT)
    assert "实到3人（正式党员2人、预备党员1人）" in w(QLabel, "summaryLabel").text()
    ed.form.w(QPushButton, "checkButton").click()
    texts = [w(QListWidget, "findingsList").item(i).text() for i in range(w(QListWidget, "findingsList").count())]
    assert any("王磊 缺席，未注明缺席原因" in t for t in texts)
    set_cell(ed.attendance, row, "reason", "因公出差")
    # a vote: 2 of 3 voting members present, 赞成2 > 3/2 → passes; quorum shows beside the votes
    w(QPushButton, "addMotionButton").click()
    set_cell(ed.motions, 0, "title", "接收赵敏同志为预备党员")
    set_cell(ed.motions, 0, "yes", 2)
    result = ed.motions.data(ed.motions.index(0, 5))
    assert "通过" in result and "未通过" not in result
    assert "有表决权党员应到3人，实到2人" in w(QLabel, "voteQuorumLabel").text()
    set_cell(ed.motions, 0, "no", 5)
    assert "超过有表决权实到人数" in ed.motions.data(ed.motions.index(0, 5))
    ed.undo.undo()  # grid edits are undoable
    assert ed.motions.rows[0]["no"] == 0
    # finalize: save, check, no warnings left → final, read-only
    ed.form.w(QPushButton, "finalizeButton").click()
    assert ed.is_final and ed.meeting_id
    assert w(QLineEdit, "placeEdit").isReadOnly() and ed.attendance.read_only
    assert not w(QLabel, "readOnlyLabel").isHidden()
    d = svc.get_meeting(page.ctx.ledger, ed.meeting_id)
    assert d.state == MeetingState.FINAL and d.attendance_summary.absent_text() == "王磊（因公出差）"
    assert d.end_time.hour == 11 and d.end_time.minute == 30
    reopen(page, monkeypatch, "补记列席人员")
    assert not ed.is_final
    assert [r.reason for r in svc.get_meeting(page.ctx.ledger, ed.meeting_id).reopenings] == ["补记列席人员"]
    # back to the list: the row is there with its counts
    ed.form.w(QPushButton, "backButton").click()
    assert page.editor is None
    rows = page.model.rows
    assert [(r.kind, r.due, r.present, r.absent_count) for r in rows] == [(MeetingKind.GENERAL_ASSEMBLY, 4, 3, 1)]


def test_errors_block_finalizing_and_show_at_the_field(page, monkeypatch):
    ed = create(page, monkeypatch, MeetingKind.COMMITTEE)
    w = ed.form.w
    assert [r["name"] for r in ed.attendance.rows] == ["张建国", "李秀英"]
    w(QLineEdit, "startEdit").setText("10:00")
    w(QLineEdit, "endEdit").setText("9:00")
    assert not ed.save()
    assert "应晚于开始时间" in w(QLabel, "err_time").text() and not w(QLabel, "err_time").isHidden()
    w(QLineEdit, "endEdit").setText("11:00")
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    w(QPushButton, "finalizeButton").click()  # no place → error blocks
    assert warned and "未填写会议地点" in warned[0]
    assert not ed.is_final and ed.meeting_id is not None


def mark(ed, monkeypatch, name: str, reason: str, excluded: bool = False) -> None:
    """Select ``name`` in the attendance grid and mark them through the real dialog."""
    def run(self):
        self.w(QComboBox, "reasonCombo").setEditText(reason)
        self._accept()
        return self.dialog.result()

    monkeypatch.setattr(mdialogs.MarkDialog, "exec", run)
    row = next(i for i, r in enumerate(ed.attendance.rows) if r["name"] == name)
    ed.form.w(QTableView, "attendanceView").selectRow(row)
    ed.form.w(QPushButton, "excludeButton" if excluded else "absentButton").click()


@pytest.mark.parametrize("kind", [MeetingKind.COMMITTEE, MeetingKind.GROUP, MeetingKind.LECTURE, MeetingKind.THEME_DAY,
                                  MeetingKind.ORG_LIFE, MeetingKind.EVALUATION])
def test_each_kind_create_absence_check_finalize_reopen_export(page, monkeypatch, qtbot, tmp_path, kind):
    ed = create(page, monkeypatch, kind, group="group2" if kind == MeetingKind.GROUP else None)
    w = ed.form.w
    assert w(QWidget, "lectureBox").isVisibleTo(ed.widget) == (kind == MeetingKind.LECTURE)
    assert w(QWidget, "themeBox").isVisibleTo(ed.widget) == (kind == MeetingKind.THEME_DAY)
    assert w(QComboBox, "groupCombo").isVisibleTo(ed.widget) == (kind == MeetingKind.GROUP)
    fill_basics(ed)
    if kind == MeetingKind.LECTURE:
        w(QLineEdit, "lecturerEdit").setText("张建国")
        w(QLineEdit, "lecturerTitleEdit").setText("支部书记")
        w(QLineEdit, "lectureTitleEdit").setText("学习党章 做合格党员")
        w(QPlainTextEdit, "summaryEdit").setPlainText("讲了三点。")
    if kind == MeetingKind.THEME_DAY:
        assert "交纳党费" in w(QPlainTextEdit, "requiredActionsEdit").toPlainText()
        w(QLineEdit, "themeEdit").setText("重温入党誓词")
    if kind == MeetingKind.GROUP:
        assert [r["name"] for r in ed.attendance.rows] == ["王磊", "赵敏"]
        w(QComboBox, "hostCombo").setEditText("王磊")
        w(QComboBox, "recorderCombo").setEditText("赵敏")
    if kind == MeetingKind.COMMITTEE:
        assert [r["name"] for r in ed.attendance.rows] == ["张建国", "李秀英"]
    if kind == MeetingKind.ORG_LIFE:
        w(QPushButton, "addSpeechButton").click()
        assert ed.speeches.rows[0]["section"] == "批评与自我批评"
        set_cell(ed.speeches, 0, "speaker", "张建国")
        set_cell(ed.speeches, 0, "text", "对照检查，本人理论学习不够深入。")
    absentee = ed.attendance.rows[-1]["name"]
    if kind != MeetingKind.COMMITTEE:  # 1 of 2 present would break the 支委会 quorum
        mark(ed, monkeypatch, absentee, "病假")
        assert f"{absentee}（病假）" in w(QLabel, "summaryLabel").text()
        ed.undo.undo()
        assert "缺席：无" in w(QLabel, "summaryLabel").text()
        ed.undo.redo()
    ed.run_check()
    assert w(QListWidget, "findingsList").count() == 0 or all(
        "错误" not in w(QListWidget, "findingsList").item(i).text() for i in range(w(QListWidget, "findingsList").count()))
    asked = accept_warnings(monkeypatch)
    w(QPushButton, "finalizeButton").click()
    assert ed.is_final, asked
    d = svc.get_meeting(page.ctx.ledger, ed.meeting_id)
    assert d.kind == kind and d.state == MeetingState.FINAL
    if kind != MeetingKind.COMMITTEE:
        assert d.attendance_summary.absent_text() == f"{absentee}（病假）"
    if kind == MeetingKind.GROUP:
        assert d.group_id == page.ids["group2"] and d.host == "王磊"
    if kind == MeetingKind.LECTURE:
        assert (d.lecturer, d.lecture_title) == ("张建国", "学习党章 做合格党员")
    if kind == MeetingKind.ORG_LIFE:
        assert d.speeches[0].section == "批评与自我批评"
    reopen(page, monkeypatch, f"补充{kind}记录")
    assert not ed.is_final and not w(QLineEdit, "placeEdit").isReadOnly()
    # print the minutes (PDF) from the record
    from PySide6.QtWidgets import QFileDialog

    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(out))
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    ed.print_record("minutes", "pdf")
    qtbot.waitUntil(lambda: bool(shown), timeout=60000)
    assert [p.suffix for p in out.iterdir()] == [".pdf"], shown


def test_search_box_and_filters(page, monkeypatch, qtbot):
    ledger = page.ctx.ledger
    for content, kind in (("研究耕地保护专项整治工作。", MeetingKind.COMMITTEE), ("学习不动产登记条例。", MeetingKind.LECTURE)):
        inp = svc.new_meeting(ledger, page.ids["branch1"], kind, DAY)
        inp.content = content
        svc.save_meeting(ledger, inp)
    page.refresh()
    assert len(page.model.rows) == 2
    page.findChild(QLineEdit, "searchEdit").setText("耕地保护")
    qtbot.waitUntil(lambda: len(page.model.rows) == 1, timeout=3000)
    assert page.model.rows[0].kind == MeetingKind.COMMITTEE
    assert "找到 1 条" in page.findChild(QLabel, "countLabel").text()
    page.findChild(QLineEdit, "searchEdit").setText("")
    qtbot.waitUntil(lambda: len(page.model.rows) == 2, timeout=3000)
    kind_box = page.findChild(QComboBox, "kindFilter")
    kind_box.setCurrentIndex(kind_box.findData(str(MeetingKind.LECTURE)))
    assert [r.kind for r in page.model.rows] == [MeetingKind.LECTURE]


def test_closing_with_unsaved_edits_asks_and_autosave_recovers_after_crash(page, monkeypatch, qtbot):
    ed = create(page, monkeypatch, MeetingKind.COMMITTEE)
    long_text = "张建国：" + "认真落实全面从严治党主体责任。" * 7000  # ~100,000 characters
    ed.form.w(QPlainTextEdit, "contentEdit").setPlainText(long_text)
    monkeypatch.setattr(editor_actions, "ask_unsaved", lambda parent: "cancel")
    assert page.maybe_close() is False
    qtbot.waitUntil(lambda: ed.draft_id is not None, timeout=AUTOSAVE_WAIT)
    ledger = page.ctx.ledger
    path = ledger.path
    # the program dies: nothing saved, nothing discarded
    ed._timer.stop()
    page.ctx.set_ledger(None)
    from desktop.store.ledger import Ledger
    from desktop.ui.meetings import editor_host

    led = Ledger.open(path)
    offered = []
    monkeypatch.setattr(editor_host, "ask_recover", lambda parent, drafts: offered.append(drafts) or "recover")
    page.ctx.set_ledger(led)
    qtbot.waitUntil(lambda: page.editor is not None, timeout=3000)
    assert offered and "支部委员会" in offered[0][0].label
    recovered = page.editor.form.w(QPlainTextEdit, "contentEdit").toPlainText()
    assert recovered == long_text and page.editor.dirty
    monkeypatch.setattr(editor_actions, "ask_unsaved", lambda parent: "discard")
    assert page.maybe_close() is True
    assert svc.list_drafts(led) == []
    led.close()


AUTOSAVE_WAIT = 8000


def test_branch_year_precheck_opens_the_record(page, monkeypatch):
    ledger = page.ctx.ledger
    inp = svc.new_meeting(ledger, page.ids["branch2"], MeetingKind.THEME_DAY, date(2026, 3, 10))
    mid = svc.save_meeting(ledger, inp)
    from desktop.ui.meetings.precheck import PrecheckDialog

    opened = []
    dlg = PrecheckDialog(ledger, opened.append, page, branch_id=page.ids["branch2"], year=2026,
                         today=date(2026, 12, 31))
    kinds = {(f.record_kind, f.finding.code) for f in dlg.found}
    assert ("meeting", "missing_place") in kinds and ("branch", "required_meeting_missing") in kinds
    row = next(i for i in range(dlg.proxy.rowCount()) if dlg.proxy.row_at(i).record_kind == "meeting")
    dlg.view.setCurrentIndex(dlg.proxy.index(row, 0))
    dlg.open_current()
    assert opened[0].record_id == mid
    page._open_finding(opened[0])
    assert page.editor is not None and page.editor.meeting_id == mid
    assert page.editor.findings.list.count() > 0


def test_templates_dialog_stores_agenda(page, monkeypatch):
    dlg = mdialogs.TemplatesDialog(page.ctx.ledger, page, MeetingKind.COMMITTEE)
    dlg.items.setPlainText("研究发展党员工作\n听取党小组工作汇报")
    dlg._accept()
    ed = create(page, monkeypatch, MeetingKind.COMMITTEE)
    assert ed.form.w(QPlainTextEdit, "agendaEdit").toPlainText() == "研究发展党员工作\n听取党小组工作汇报"


def test_export_minutes_and_signin(page, monkeypatch, qtbot, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    ed = create(page, monkeypatch, MeetingKind.COMMITTEE)
    fill_basics(ed)
    assert ed.save()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    ed.print_record("minutes", "pdf")
    qtbot.waitUntil(lambda: bool(shown), timeout=60000)
    ed.print_record("signin", "docx")
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=60000)
    assert any(p.suffix == ".pdf" for p in tmp_path.iterdir()) and any(p.suffix == ".docx" for p in tmp_path.iterdir())
    assert "已生成 1 个文件" in shown[0]


def test_forms_have_their_widgets_and_fit_a_small_screen(qapp):
    names = {
        "meetings_page": ("branchFilter", "kindFilter", "yearFilter", "stateFilter", "searchEdit", "meetingsView",
                          "stack", "newButton", "precheckButton", "printLedgerButton", "templatesButton"),
        "meeting_editor": ("tabs", "saveButton", "finalizeButton", "reopenButton", "attendanceView", "motionsView",
                           "speechesView", "guestsView", "attachmentsView", "findingsList", "contentEdit"),
        "meeting_new": ("branchCombo", "kindCombo", "groupCombo", "dateEdit", "buttonBox"),
        "meeting_reopen": ("reasonEdit", "buttonBox"),
        "meeting_mark": ("reasonCombo", "buttonBox"),
        "meeting_precheck": ("branchCombo", "yearSpin", "findingsView"),
        "meeting_templates": ("kindCombo", "itemsEdit", "buttonBox"),
    }
    for name, required in names.items():
        widget = load_form(name, require=required)
        hint = widget.minimumSizeHint()
        assert hint.width() <= 1366 - 180 and hint.height() <= 768 - 90, (name, hint)
        widget.deleteLater()


def test_mark_dialog_requires_a_reason(qapp):
    dlg = mdialogs.MarkDialog(["王磊", "赵敏"], excluded=False)
    dlg._accept()
    assert dlg.reason == "" and "请选择或填写原因" in dlg.w(QLabel, "errorLabel").text()
    dlg.w(QComboBox, "reasonCombo").setEditText("病假")
    dlg._accept()
    assert dlg.reason == "病假"


def test_large_file_without_index_is_indexed_in_the_background(page, monkeypatch, qtbot):
    from sqlalchemy import text

    from desktop.store.ledger import Ledger

    ledger = page.ctx.ledger
    inp = svc.new_meeting(ledger, page.ids["branch1"], MeetingKind.COMMITTEE, DAY)
    inp.content = "研究湿地保护修复方案。"
    svc.save_meeting(ledger, inp)
    with ledger.write() as s:  # a file written by a build without the index
        s.execute(text("DROP TABLE IF EXISTS meeting_fts"))
        s.execute(text("DROP TABLE IF EXISTS meeting_search"))
    path = ledger.path
    page.ctx.set_ledger(None)
    led = Ledger.open(path)
    page.ctx.set_ledger(led)
    search = page.findChild(QLineEdit, "searchEdit")
    assert not search.isEnabled() and "正在建立检索索引" in search.placeholderText()
    qtbot.waitUntil(lambda: not page.ctx.tasks._jobs and search.isEnabled(), timeout=30000)
    search.setText("湿地保护")
    qtbot.waitUntil(lambda: len(page.model.rows) == 1, timeout=3000)
    page.ctx.set_ledger(None)


def test_changing_the_date_follows_the_roster_of_that_day(page, monkeypatch):
    ledger = page.ctx.ledger
    svc.save_meeting(ledger, svc.new_meeting(ledger, page.ids["branch1"], MeetingKind.GENERAL_ASSEMBLY, DAY))
    ed = create(page, monkeypatch, MeetingKind.GENERAL_ASSEMBLY)
    w = ed.form.w
    assert w(QSpinBox, "numberSpin").value() == 2
    mark(ed, monkeypatch, "王磊", "事假")
    w(DateField, "dateEdit").setDate(QDate(2025, 6, 1))  # before 赵敏 was admitted
    assert [r["name"] for r in ed.attendance.rows] == ["张建国", "李秀英", "王磊"]
    assert ed.attendance.rows[2]["reason"] == "事假"  # marks kept for members still due
    assert w(QSpinBox, "numberSpin").value() == 1  # first 党员大会 of 2025
    ed.undo.undo()
    assert "赵敏" in [r["name"] for r in ed.attendance.rows]


def test_a_finding_opens_the_place_to_fix_it_and_text_undo_uses_the_field(page, monkeypatch):
    ed = create(page, monkeypatch, MeetingKind.GENERAL_ASSEMBLY)
    w = ed.form.w
    row = next(i for i, r in enumerate(ed.attendance.rows) if r["name"] == "王磊")
    set_cell(ed.attendance, row, "status", AttendanceStatus.ABSENT)
    ed.run_check()
    findings = w(QListWidget, "findingsList")
    item = next(findings.item(i) for i in range(findings.count()) if "王磊 缺席" in findings.item(i).text())
    ed.findings._jump(item)
    assert ed.tabs.currentWidget() is w(QWidget, "attendanceTab")
    view = w(QTableView, "attendanceView")
    assert [i.row() for i in view.selectionModel().selectedRows()] == [row]
    place = next(findings.item(i) for i in range(findings.count()) if "会议地点" in findings.item(i).text())
    ed.findings._jump(place)
    assert ed.tabs.currentWidget() is w(QWidget, "basicTab")
    # 撤销 acts on the focused text field first, then on the grids
    edit = w(QLineEdit, "placeEdit")
    edit.setFocus()
    edit.insert("三楼会议室")
    monkeypatch.setattr("desktop.ui.meetings.editor_undo.QApplication.focusWidget", lambda: edit)
    ed.do_undo()
    assert edit.text() == ""
    monkeypatch.setattr("desktop.ui.meetings.editor_undo.QApplication.focusWidget", lambda: None)
    ed.do_undo()
    assert ed.attendance.rows[row]["status"] == AttendanceStatus.PRESENT
    ed.do_redo()
    assert ed.attendance.rows[row]["status"] == AttendanceStatus.ABSENT
