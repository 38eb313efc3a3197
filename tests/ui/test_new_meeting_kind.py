"""A meeting kind added only by registering its spec (desktop/domain/meeting_kinds.py) shows up
everywhere a kind matters: the new-meeting dialog (offered where the branch has a committee),
the editor's parts, the pre-check, the compliance rules and both printed formats."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from desktop.domain import meeting_kinds as mk
from desktop.domain.compliance import requirements_for_period
from desktop.domain.enums import AttendanceScope
from desktop.services import meetings as svc
from desktop.services.compliance import branch_profile, branch_year_compliance
from desktop.services.export import ExportFilters, export
from desktop.ui.context import AppContext
from desktop.ui.meetings import dialogs as mdialogs
from tests.documents.readback import body, docx_text, pdf_text

DAY = date(2026, 6, 20)
KIND = "党费收缴会"


@pytest.fixture
def dues_kind():
    """A throwaway kind: owed monthly, only by a branch with a 支部委员会, with a theme part,
    one required point and one further point of its own, its own speech sections and headings."""
    spec = mk.register(mk.MeetingKindSpec(
        KIND, "党费收缴会议记录", AttendanceScope.BRANCH, due=lambda p: ("month", 1),
        requires="committee", not_offered="未设支部委员会，不开党费收缴会",
        default_agenda=("通报党费收缴情况", "核对党费缴纳基数"),
        default_required_actions=("核对缴费基数",),
        parts=frozenset({"theme"}),
        required=(mk.KindCheck("dues_not_reported", "error", "会议内容", "未通报党费收缴情况",
                               lambda m: "党费" not in m.content),),
        extra_checks=(mk.KindCheck("dues_no_followup", "warning", "上次议定事项落实情况", "未写上月欠缴补缴情况",
                                   lambda m: not m.theme.strip()),),
        speech_sections=("收缴情况", "意见建议"), new_speech_section="收缴情况",
        speech_title="党费收缴发言记录", content_heading="收缴情况", resolution_heading="收缴决定"))
    yield spec
    mk.unregister(KIND)
    assert KIND not in mk.kind_names()


@pytest.fixture
def page(qtbot, org_ledger, monkeypatch):
    from desktop.ui.pages.meetings import MeetingsPage

    def boom(*args, **kwargs):
        raise AssertionError(f"unexpected message box: {args[1:3]}")

    for name in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, name, boom)
    p = MeetingsPage(AppContext(org_ledger))
    qtbot.addWidget(p)
    p.reload()
    p.ids = org_ledger.ids
    return p


def test_registry_rejects_a_taken_or_bad_name(dues_kind):
    with pytest.raises(ValueError):
        mk.register(replace(dues_kind))
    with pytest.raises(ValueError):
        mk.register(mk.MeetingKindSpec("一个名字超过二十个字的会议类型一个名字超过二十个字"))
    with pytest.raises(TypeError):
        mk.register(mk.MeetingKindSpec("坏检查", required=("不是检查",)))  # type: ignore[arg-type]
    assert mk.kind_names()[-1] == KIND and "坏检查" not in mk.kind_names()


def test_a_registered_kind_appears_in_editor_precheck_compliance_and_documents(dues_kind, page, monkeypatch, tmp_path):
    ledger = page.ctx.ledger
    ids = page.ids
    # the new-meeting dialog offers it where the branch has a committee, and says why not elsewhere
    dlg = mdialogs.NewMeetingDialog(ledger, page, branch_id=ids["branch2"])
    offered = [dlg.kind.itemText(i) for i in range(dlg.kind.count())]
    assert KIND not in offered and "不开党费收缴会" in dlg.kind.toolTip()
    dlg.branch.setCurrentIndex(dlg.branch.findData(ids["branch1"]))
    assert KIND in [dlg.kind.itemText(i) for i in range(dlg.kind.count())]
    dlg.dialog.deleteLater()
    # the meetings page filters by it
    assert page.kind.findData(KIND) >= 0

    def run(self):
        self.branch.setCurrentIndex(self.branch.findData(ids["branch1"]))
        self.kind.setCurrentText(KIND)
        self.date.setDate(QDate(DAY.year, DAY.month, DAY.day))
        self._accept()
        return self.dialog.result()

    monkeypatch.setattr(mdialogs.NewMeetingDialog, "exec", run)
    page.findChild(QPushButton, "newButton").click()
    ed = page.editor
    assert ed is not None and ed.kind == KIND
    w = ed.form.w
    # the editor: its parts, default agenda and actions, speech sections, votes tab title
    assert w(QComboBox, "kindCombo").currentText() == KIND
    assert w(QWidget, "themeBox").isVisibleTo(ed.widget) and not w(QWidget, "lectureBox").isVisibleTo(ed.widget)
    assert w(QGroupBox, "themeBox").title() == KIND
    assert not w(QComboBox, "groupCombo").isVisibleTo(ed.widget)
    assert w(QPlainTextEdit, "agendaEdit").toPlainText() == "通报党费收缴情况\n核对党费缴纳基数"
    assert w(QPlainTextEdit, "requiredActionsEdit").toPlainText() == "核对缴费基数"
    assert ed.tabs.tabText(ed.tabs.indexOf(w(QWidget, "votesTab"))) == "决议"
    headlines = [lb.text() for lb in w(QWidget, "speechPane").findChildren(QLabel) if lb.property("role") == "headline"]
    assert headlines == ["党费收缴发言记录"]
    assert w(QLabel, "quorumLabel").isHidden()  # no quorum rule
    assert [r["name"] for r in ed.attendance.rows] == ["张建国", "李秀英", "王磊", "赵敏"]  # the whole branch is due
    w(QPushButton, "addSpeechButton").click()
    assert ed.speeches.rows[0]["section"] == "收缴情况"
    col = next(i for i, c in enumerate(ed.speeches.columns) if c.key == "section")
    assert ed.speeches.columns[col].choices(ed.speeches.rows[0]) == ["收缴情况", "意见建议"]

    # the pre-check: its required point is an error, its further point a warning
    w(QLineEdit, "startEdit").setText("9:00")
    w(QLineEdit, "endEdit").setText("10:00")
    w(QLineEdit, "placeEdit").setText("三楼会议室")
    w(QPlainTextEdit, "contentEdit").setPlainText("张建国通报了上半年工作。")
    keys = [c.key for c in ed.speeches.columns]
    assert ed.speeches.setData(ed.speeches.index(0, keys.index("speaker")), "李秀英", Qt.ItemDataRole.EditRole)
    assert ed.speeches.setData(ed.speeches.index(0, keys.index("text")), "建议按月收缴。", Qt.ItemDataRole.EditRole)
    assert ed.save()
    codes = {f.code: f.severity for f in svc.precheck_meeting(ledger, ed.meeting_id)}
    assert codes.get("dues_not_reported") == "error" and codes.get("dues_no_followup") == "warning"
    ed.run_check()  # the editor's 检查 lists them too
    listed = [w(QListWidget, "findingsList").item(i).text() for i in range(w(QListWidget, "findingsList").count())]
    assert any("未通报党费收缴情况" in t for t in listed) and any("未写上月欠缴补缴情况" in t for t in listed)
    w(QPlainTextEdit, "contentEdit").setPlainText("张建国通报了上半年党费收缴情况，全部按时足额缴纳。")
    w(QLineEdit, "themeEdit").setText("五月欠缴一人已补缴")
    w(QPlainTextEdit, "resolutionEdit").setPlainText("下月起按新基数收缴。")
    assert ed.save()
    codes = {f.code for f in svc.precheck_meeting(ledger, ed.meeting_id)}
    assert not codes & {"dues_not_reported", "dues_no_followup"}

    # the compliance rules: owed every month by 第一党支部 (committee), held in June
    profile = branch_profile(ledger, ids["branch1"], DAY)
    reqs = [r for r in requirements_for_period(profile, 2026, range(1, 13)) if r.kind == KIND]
    assert [r.period_label for r in reqs] == [f"2026年{m}月" for m in range(1, 13)]
    report = branch_year_compliance(ledger, ids["branch1"], 2026, today=date(2026, 7, 15), months=[5, 6, 7])
    status = {i.requirement.period_label: i.status for i in report.items if i.requirement.kind == KIND}
    assert status == {"2026年5月": "missing", "2026年6月": "held", "2026年7月": "pending"}
    assert KIND in report.grid().kinds
    found = svc.precheck_branch_year(ledger, ids["branch1"], 2026, today=date(2026, 7, 15))
    assert any(f.kind == KIND and "2026年5月应召开党费收缴会1次" in f.message for f in found)

    # both printed formats: the record name, its headings and its theme part
    result = export(ledger, "minutes", tmp_path, "both", ExportFilters(meeting=ed.meeting_id))
    by_suffix = {p.suffix: p for p in result.paths}
    assert set(by_suffix) == {".pdf", ".docx"}
    for text in (body(pdf_text(by_suffix[".pdf"])), body(docx_text(by_suffix[".docx"]))):
        assert "党费收缴会议记录" in text
        assert "活动主题" in text and "五月欠缴一人已补缴" in text
        assert "规定动作" in text and "核对缴费基数" in text
        assert "收缴情况" in text and "【收缴情况】" in text and "李秀英：建议按月收缴。" in text
        assert "收缴决定" in text and "下月起按新基数收缴。" in text
        assert "会议决议" not in text and "会议内容" not in text
    ed.dispose()
