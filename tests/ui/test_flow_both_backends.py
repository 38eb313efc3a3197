"""A secretary's first afternoon, through the real main window, on a file and on a server
(``[file]`` / ``[server]``, tests/backends.py): open the ledger, 组织 add a branch and a 党小组,
党员 add two members, 三会一课 a new 支部党员大会 with attendance (one absent), save, pre-check,
首页 shows it held, 导出打印 writes its minutes as PDF and Word (the Chinese text read back),
修改历史 shows the changes, and the search finds it by a 2-character word. Nothing mocked but
the dialogs' exec (filled in through their real widgets)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from backends import backend  # noqa: F401
from docx import Document
from pypdf import PdfReader
from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
)

from desktop.domain.enums import AttendanceStatus, MeetingKind
from desktop.services import meetings as svc
from desktop.ui.dialogs import branch_editor, member_editor
from desktop.ui.dialogs.record_history import RecordHistoryDialog
from desktop.ui.meetings import dialogs as mdialogs

DAY = date(2026, 6, 20)
CONTENT = "研究耕地保护专项整治工作，张建国传达了上级精神。"
SHOTS = Path(os.environ.get("ZHIBU_SHOTS", "/tmp/zhibu-shots"))


@pytest.fixture(autouse=True)
def no_modal(monkeypatch):
    """An unexpected message box fails the test instead of waiting for a click."""
    from PySide6.QtWidgets import QMessageBox

    def boom(*args, **kwargs):
        raise AssertionError(f"unexpected message box: {args[1:3]}")

    for name in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, name, boom)
    monkeypatch.setattr(QMessageBox, "exec", lambda self: boom(self, self.windowTitle(), self.text()))


@pytest.fixture
def target(request, backend, tmp_path):  # noqa: F811
    """A new, empty ledger on this back end, closed: the window opens it."""
    if backend == "server":
        return request.getfixturevalue("pg_url")
    from desktop.store.ledger import Ledger

    path = tmp_path / "支部台账.zhibu"
    Ledger.open(path, create=True).close()
    return path


@pytest.fixture
def window(qtbot, app_ctx, tmp_path):
    from desktop.ui.main_window import MainWindow

    win = MainWindow(app_ctx, QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    yield win
    app_ctx.tasks.wait(30000)


def _settle(qtbot, ctx) -> None:
    """Every background read and write of the window has delivered its result."""
    qtbot.waitUntil(lambda: not ctx.tasks._jobs, timeout=30000)


def _open(qtbot, window, target) -> None:
    if isinstance(target, Path):
        window.open_path(target)
    else:
        from desktop.ui.dialogs.server_connect import open_server

        open_server(window, target)
    qtbot.waitUntil(lambda: window.ctx.ledger is not None, timeout=30000)
    _settle(qtbot, window.ctx)


def _add_branch_and_group(qtbot, window, monkeypatch) -> None:
    page = window.show_page("organization")
    _settle(qtbot, window.ctx)

    def fill(self):
        self.name.setText("第一党支部")
        self.established.setText("2019-03-01")
        assert self.save()
        return 1

    monkeypatch.setattr(branch_editor.BranchEditor, "exec", fill)
    page.add_branch()
    qtbot.waitUntil(lambda: page.current_branch() is not None and page.current_branch().name == "第一党支部",
                    timeout=30000)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("第一党小组", True))
    page.add_group()
    qtbot.waitUntil(lambda: page.groups.count() == 1, timeout=30000)
    assert "第一党小组" in page.groups.item(0).text()


def _add_member(qtbot, window, monkeypatch, name: str, gender: str, joined: str, full: str) -> None:
    page = window.show_page("members")
    qtbot.waitUntil(lambda: not page.is_waiting(), timeout=30000)

    def fill(self):
        self.name.setText(name)
        self.gender.setCurrentText(gender)
        self.join.setText(joined)
        self.full.setText(full)
        self.button_box().button(QDialogButtonBox.StandardButton.Save).click()
        return self.dialog.result()

    monkeypatch.setattr(member_editor.MemberEditor, "exec", fill)
    page.add()
    qtbot.waitUntil(lambda: any(page.proxy.row_at(i).name == name for i in range(page.proxy.rowCount())),
                    timeout=30000)


def _new_meeting(qtbot, window, monkeypatch):
    page = window.show_page("meetings")
    _settle(qtbot, window.ctx)

    def fill(self):
        self.kind.setCurrentText(MeetingKind.GENERAL_ASSEMBLY)
        self.date.setDate(QDate(DAY.year, DAY.month, DAY.day))
        self._accept()
        return self.dialog.result()

    monkeypatch.setattr(mdialogs.NewMeetingDialog, "exec", fill)
    page.findChild(QPushButton, "newButton").click()
    ed = page.editor
    w = ed.form.w
    w(QLineEdit, "startEdit").setText("9:00")
    w(QLineEdit, "endEdit").setText("11:00")
    w(QLineEdit, "placeEdit").setText("三楼会议室")
    w(QPlainTextEdit, "contentEdit").setPlainText(CONTENT)
    w(QPlainTextEdit, "resolutionEdit").setPlainText("会议同意上述事项。")
    assert [r["name"] for r in ed.attendance.rows] == ["张建国", "李秀英"]
    return page, ed


def _set_cell(model, row: int, key: str, value) -> None:
    col = next(i for i, c in enumerate(model.columns) if c.key == key)
    assert model.setData(model.index(row, col), value, Qt.ItemDataRole.EditRole)


def _findings(ed) -> list[str]:
    found = ed.form.w(QListWidget, "findingsList")
    return [found.item(i).text() for i in range(found.count())]


def _home_rows(qtbot, window) -> tuple[list[str], list[str]]:
    page = window.show_page("home")
    page._today = date(2026, 6, 25)
    with qtbot.waitSignal(page.loaded, timeout=30000):
        page.reload()
    return tuple([" ".join(tree.topLevelItem(i).text(c) for c in range(tree.columnCount()))
                  for i in range(tree.topLevelItemCount())] for tree in (page.trees["meetings"], page.trees["drafts"]))


def _export_minutes(qtbot, window, out: Path) -> list[Path]:
    page = window.show_page("export")
    qtbot.waitUntil(lambda: page.branch.findText("第一党支部") >= 0, timeout=30000)
    page.branch.setCurrentIndex(page.branch.findText("第一党支部"))
    page.year.setValue(DAY.year)
    row = next(i for i in range(page.kinds.count()) if page.kinds.item(i).data(0x0100) == "minutes")
    page.kinds.setCurrentRow(row)
    page.fmt.setCurrentIndex(page.fmt.findData("both"))
    page.out_dir.setText(str(out))
    page.export_button.click()
    qtbot.waitUntil(lambda: not window.ctx.tasks._jobs and page.export_button.isEnabled(), timeout=60000)
    return sorted(out / page.results.item(i).text() for i in range(page.results.count()))


def _history_rows(window, monkeypatch) -> tuple[str, list[list[str]]]:
    seen: list = []
    real_init = RecordHistoryDialog.__init__

    def init(self, title, rows, parent=None):
        real_init(self, title, rows, parent)
        self.shown_title = title

    def exec_(self):
        t = self.table
        seen.append((self.shown_title, [[t.item(r, c).text() for c in range(t.columnCount())]
                                        for r in range(t.rowCount())]))
        return 1

    monkeypatch.setattr(RecordHistoryDialog, "__init__", init)
    monkeypatch.setattr(RecordHistoryDialog, "exec", exec_)
    window._action("actionHistory").trigger()
    assert len(seen) == 1, "修改历史 did not open"
    return seen[0]


def test_a_first_afternoon_on_both_back_ends(qtbot, window, target, backend, tmp_path, monkeypatch):  # noqa: F811
    _open(qtbot, window, target)
    assert window.ctx.ledger.is_server == (backend == "server")
    _add_branch_and_group(qtbot, window, monkeypatch)
    _add_member(qtbot, window, monkeypatch, "张建国", "男", "1990-07-01", "1991-07-01")
    _add_member(qtbot, window, monkeypatch, "李秀英", "女", "2001-06-28", "2002-06-28")

    # 三会一课: a 支部党员大会, 李秀英 absent; the pre-check asks for her reason, then is content
    page, ed = _new_meeting(qtbot, window, monkeypatch)
    _set_cell(ed.attendance, 1, "status", AttendanceStatus.ABSENT)
    ed.form.w(QPushButton, "checkButton").click()
    assert any("李秀英 缺席，未注明缺席原因" in f for f in _findings(ed)), _findings(ed)
    _set_cell(ed.attendance, 1, "reason", "因公出差")
    ed.form.w(QPushButton, "saveButton").click()
    assert ed.meeting_id and not ed.dirty
    ed.form.w(QPushButton, "checkButton").click()
    assert not any("缺席" in f for f in _findings(ed)), _findings(ed)
    ed.form.w(QLineEdit, "placeEdit").setText("党员活动室")
    ed.form.w(QPushButton, "saveButton").click()
    mid = ed.meeting_id
    stored = svc.get_meeting(window.ctx.ledger, mid)
    assert stored.place == "党员活动室" and stored.attendance_summary.absent_text() == "李秀英（因公出差）"
    window.grab().save(str(SHOTS / f"flow_meeting_{backend}.png"))

    # 修改历史 of the open record: created, then the place changed
    title, rows = _history_rows(window, monkeypatch)
    assert "支部党员大会" in title, title
    assert rows[-1][1] == "创建" or rows[0][1] == "创建", rows
    assert any(r[1] == "修改" and r[2] == "地点" and r[3] == "三楼会议室" and r[4] == "党员活动室" for r in rows), rows
    ed.form.w(QPushButton, "backButton").click()
    _settle(qtbot, window.ctx)

    # search: a 2-character word finds it, another does not
    search = page.findChild(QLineEdit, "searchEdit")
    search.setText("耕地")
    qtbot.waitUntil(lambda: len(page.model.rows) == 1 and "找到 1 条" in page.findChild(QLabel, "countLabel").text(),
                    timeout=30000)
    assert page.model.rows[0].id == mid
    search.setText("海洋")
    qtbot.waitUntil(lambda: len(page.model.rows) == 0, timeout=30000)
    search.setText("")
    _settle(qtbot, window.ctx)

    # 首页: the quarter's 支部党员大会 is held
    home, drafts = _home_rows(qtbot, window)
    assert any(r.startswith("第一党支部 支部党员大会 2026年第2季度 已开展 1/1") for r in home), home
    assert any("2026年第1次支部党员大会 仍是草稿" in r for r in drafts), drafts
    window.grab().save(str(SHOTS / f"flow_home_{backend}.png"))

    # 导出打印: the minutes as PDF and Word, the Chinese text in both
    files = _export_minutes(qtbot, window, tmp_path / "导出")
    assert [p.suffix for p in files] == [".docx", ".pdf"], files
    pdf = "".join("".join(p.extract_text().split()) for p in PdfReader(files[1]).pages)
    docx = "".join("".join(par.text.split()) for par in Document(str(files[0])).paragraphs)
    docx += "".join("".join(c.text.split()) for t in Document(str(files[0])).tables for r in t.rows for c in r.cells)
    for text in ("耕地保护专项整治工作", "党员活动室", "李秀英", "因公出差"):
        assert text in pdf, (text, pdf[:400])
        assert text in docx, (text, docx[:400])
