"""导出打印: choose a document, range and format; files are written in the background and can be
opened from the page."""

from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices


def _export(main_window, qtbot, app_ctx, kind: str, out_dir, fmt: str = "pdf"):
    main_window.show_page("export")
    page = main_window.pages["export"]
    row = next(i for i in range(page.kinds.count()) if page.kinds.item(i).data(0x0100) == kind)
    page.kinds.setCurrentRow(row)
    page.fmt.setCurrentIndex(page.fmt.findData(fmt))
    page.out_dir.setText(str(out_dir))
    page.export_button.click()
    qtbot.waitUntil(lambda: not app_ctx.tasks._jobs and page.export_button.isEnabled(), timeout=60000)
    return page


def test_export_roster_pdf_and_open_it(qtbot, main_window, app_ctx, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    page = _export(main_window, qtbot, app_ctx, "roster", tmp_path / "导出")
    assert page.results.count() == 1, page.result_label.text()
    path = tmp_path / "导出" / page.results.item(0).text()
    assert path.suffix == ".pdf" and path.stat().st_size > 0
    text = "".join(p.extract_text() for p in PdfReader(path).pages)
    flat = "".join(text.split())
    assert "张建国" in flat and "110105196803121237" not in flat and "已部分隐藏" in flat  # masked by default
    page.open_file.click()
    page.open_folder.click()
    assert opened == [str(path), str(path.parent)]


def test_export_word_for_one_branch_and_quarter(qtbot, main_window, app_ctx, tmp_path):
    main_window.show_page("export")
    page = main_window.pages["export"]
    # the page reads the branches once the ledger is free (a background read may hold it)
    qtbot.waitUntil(lambda: page.branch.findText("第一党支部") >= 0, timeout=30000)
    page.branch.setCurrentIndex(page.branch.findText("第一党支部"))
    page.year.setValue(2026)
    page.period.setCurrentIndex(page.period.findText("第二季度"))
    page = _export(main_window, qtbot, app_ctx, "compliance", tmp_path, fmt="both")
    names = sorted(page.results.item(i).text() for i in range(page.results.count()))
    assert [n.rsplit(".", 1)[1] for n in names] == ["docx", "pdf"], page.result_label.text()
    assert "已生成 2 个文件" in page.result_label.text()


def test_export_problem_is_shown_on_the_page(qtbot, main_window, app_ctx, tmp_path):
    page = _export(main_window, qtbot, app_ctx, "rectification", tmp_path)  # no campaign in this ledger
    assert page.results.count() == 0
    assert "整改清单" in page.result_label.text()


def test_disk_full_is_a_plain_message_not_a_crash(qtbot, main_window, app_ctx, small_disk, monkeypatch):
    from desktop.ui import errors as ui_errors

    crashes = []
    monkeypatch.setattr(ui_errors.CrashDialog, "exec", lambda self: crashes.append(self.details) or 0)
    out = small_disk(4096)
    page = _export(main_window, qtbot, app_ctx, "roster", out, fmt="both")
    assert crashes == []
    assert "磁盘已满" in page.result_label.text() and "没有写入任何文件" in page.result_label.text()
    assert sorted(p.name for p in out.iterdir()) == ["filler.bin"]  # no partial file


def test_the_page_lists_the_registered_kinds_and_keeps_or_defaults_the_period(main_window):
    """The list, descriptions and option rows come from desktop.services.document_kinds; the period
    chosen is kept when the kind changes, and 政治生日 (no 全年) starts at this month (the lookup
    used to compare the period tuples by identity and fell back to 第一季度)."""
    from datetime import date

    from PySide6.QtWidgets import QWidget

    from desktop.services.document_kinds import document_kinds

    main_window.show_page("export")
    page = main_window.pages["export"]
    kinds = document_kinds()
    assert [page.kinds.item(i).text() for i in range(page.kinds.count())] == [k.label for k in kinds]
    page.kinds.setCurrentRow([k.name for k in kinds].index("roster"))
    assert page.description.text() == next(k.description for k in kinds if k.name == "roster")
    assert page.options.isRowVisible(page.form.findChild(QWidget, "revealIdsCheck"))
    assert not page.options.isRowVisible(page.form.findChild(QWidget, "periodCombo"))
    page.kinds.setCurrentRow([k.name for k in kinds].index("birthdays"))
    assert page.period.currentData() == ("month", date.today().month)
    assert page.period.findText("全年") < 0
    page.period.setCurrentIndex(page.period.findText("第三季度"))
    page.kinds.setCurrentRow([k.name for k in kinds].index("compliance"))
    assert page.period.currentText() == "第三季度" and page.filters().quarter == 3


def _two_meetings(ledger):
    """A finalized 主题党日 and a draft 支委会 of 第一党支部 in 2026."""
    from datetime import date, time

    from desktop.domain.enums import MeetingKind
    from desktop.services import meetings as svc

    ids = ledger.ids
    done = svc.new_meeting(ledger, ids["branch1"], MeetingKind.THEME_DAY, date(2026, 3, 10))
    done.start_time, done.end_time, done.place = time(9, 0), time(10, 30), "党员活动室"
    done.content, done.theme = f"{done.host}主持会议并讲话。", "重温入党誓词"
    done.speeches = [svc.SpeechData(done.host, "结合岗位谈了认识和打算。", "交流发言")]
    mid = svc.save_meeting(ledger, done)
    assert svc.finalize_meeting(ledger, mid, accept_warnings=True).finalized, svc.precheck_meeting(ledger, mid)
    draft = svc.new_meeting(ledger, ids["branch1"], MeetingKind.COMMITTEE, date(2026, 4, 8))
    draft.content = "研究发展党员工作。"
    svc.save_meeting(ledger, draft)


def test_ledger_options_sign_in_sheets_and_drafts(qtbot, main_window, app_ctx, org_ledger, tmp_path):
    """The ledger's 附签到表 and 草稿 options, through the page's own check boxes: shown for the
    ledger only, passed to the export (sign-in sheets bound; drafts left out or marked)."""
    from documents.readback import squash

    _two_meetings(org_ledger)
    main_window.show_page("export")
    page = main_window.pages["export"]
    qtbot.waitUntil(lambda: page.branch.findText("第一党支部") >= 0, timeout=30000)
    page.branch.setCurrentIndex(page.branch.findText("第一党支部"))
    page.year.setValue(2026)
    page.kinds.setCurrentRow(next(i for i in range(page.kinds.count()) if page.kinds.item(i).data(0x0100) == "roster"))
    assert not page.with_signin.isVisible() and not page.include_drafts.isVisible()
    page.kinds.setCurrentRow(next(i for i in range(page.kinds.count()) if page.kinds.item(i).data(0x0100) == "ledger"))
    assert page.with_signin.isVisible() and page.include_drafts.isVisible()
    assert not page.with_signin.isChecked() and page.include_drafts.isChecked()  # defaults: as the command line

    qtbot.mouseClick(page.with_signin, Qt.MouseButton.LeftButton, pos=_box(page.with_signin))
    qtbot.mouseClick(page.include_drafts, Qt.MouseButton.LeftButton, pos=_box(page.include_drafts))
    assert page.with_signin.isChecked() and not page.include_drafts.isChecked()
    page = _export(main_window, qtbot, app_ctx, "ledger", tmp_path / "a")
    assert page.results.count() == 1, page.result_label.text()
    text = squash("".join(p.extract_text() for p in PdfReader(tmp_path / "a" / page.results.item(0).text()).pages))
    assert "第1次主题党日活动签到表" in text and "出席人员" in text and "本人签名" in text
    assert "支部委员会会议记录" not in text and "草稿" not in text  # the draft left out
    assert "未收入1份尚未定稿的记录" in page.warnings.toPlainText()

    qtbot.mouseClick(page.with_signin, Qt.MouseButton.LeftButton, pos=_box(page.with_signin))
    qtbot.mouseClick(page.include_drafts, Qt.MouseButton.LeftButton, pos=_box(page.include_drafts))
    page = _export(main_window, qtbot, app_ctx, "ledger", tmp_path / "b")
    text = squash("".join(p.extract_text() for p in PdfReader(tmp_path / "b" / page.results.item(0).text()).pages))
    assert "签到表" not in text and "本人签名" not in text
    assert "支部委员会会议记录" in text and "（草稿）" in text  # bound and marked
    assert "1份记录尚未定稿" in page.warnings.toPlainText()


def _box(check):
    """Where the check box's indicator is (a click there toggles it)."""
    from PySide6.QtCore import QPoint

    return QPoint(8, check.height() // 2)
