"""The application shell: pages, File menu, file problems, crash dialog, logging, start-up."""

from __future__ import annotations

import logging
import logging.handlers
import platform
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.store.errors import InUse
from desktop.store.ledger import Ledger
from desktop.ui import errors as ui_errors
from desktop.ui import file_actions, navigation
from desktop.ui import main_window as mw
from desktop.ui.pages import PAGE_MODULES


def _wait(qtbot, ctx):
    qtbot.waitUntil(lambda: not ctx.tasks._jobs, timeout=30000)


def test_window_shows_pages_title_and_file(main_window, org_ledger):
    names = [n for n, _ in main_window.page_specs]
    assert names == [n for n in PAGE_MODULES if n in names]
    for required in ("home", "members", "organization", "export", "settings"):
        assert required in names
    titles = [main_window.nav.item(i).text() for i in range(main_window.nav.count())]
    assert "首页" in titles and "党员" in titles and "导出打印" in titles
    assert main_window.windowTitle() == f"{org_ledger.path.name} — 支部台账"
    assert str(org_ledger.path) in main_window.file_label.text()
    for name in names:  # every page builds and reloads on the sample ledger
        main_window.show_page(name)
        assert main_window.current_page() is main_window.pages[name]


def test_missing_page_module_is_skipped_but_broken_one_raises(monkeypatch, tmp_path):
    monkeypatch.setattr(navigation, "PAGE_MODULES", ("home", "no_such_page_xyz"))
    assert [n for n, _ in navigation.discover_pages()] == ["home"]
    pkg = Path(navigation.__file__).parent / "pages"
    broken = pkg / "zz_broken_probe.py"
    broken.write_text("import no_such_dependency_xyz\n", encoding="utf-8")
    try:
        monkeypatch.setattr(navigation, "PAGE_MODULES", ("zz_broken_probe",))
        with pytest.raises(ModuleNotFoundError):
            navigation.discover_pages()
    finally:
        broken.unlink()
        sys.modules.pop("desktop.ui.pages.zz_broken_probe", None)


def test_open_new_and_recent(qtbot, main_window, app_ctx, tmp_path, monkeypatch):
    new_path = tmp_path / "另一个台账"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(new_path), ""))
    main_window.new_ledger()
    _wait(qtbot, app_ctx)
    assert app_ctx.ledger.path == new_path.with_name("另一个台账.zhibu").absolute()
    assert main_window.windowTitle().startswith("另一个台账.zhibu")
    assert main_window.recent_files()[0] == str(app_ctx.ledger.path)
    main_window._fill_recent()
    assert "另一个台账.zhibu" in main_window.recent_menu.actions()[0].text()


HOLDER = """
import sys
from desktop.store.ledger import Ledger
led = Ledger.open(sys.argv[1], create=True)
print("ready", flush=True)
sys.stdin.read()
led.close()
"""


def test_file_in_use_gets_plain_message(qtbot, main_window, app_ctx, tmp_path, monkeypatch):
    path = tmp_path / "占用.zhibu"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=Path(mw.__file__).parents[2])
    try:
        assert holder.stdout.readline().strip() == "ready"  # another program holds the file
        shown = []
        monkeypatch.setattr(file_actions, "show_error", lambda parent, exc, tb="", action="": shown.append(exc))
        before = app_ctx.ledger
        main_window.open_path(path)
        _wait(qtbot, app_ctx)
    finally:
        holder.communicate("", timeout=30)
    assert len(shown) == 1 and isinstance(shown[0], InUse), shown
    assert f"台账正在被 {platform.node()}（" in shown[0].message and "关闭" in shown[0].advice
    assert app_ctx.ledger is before  # the open ledger stays open


def test_opening_the_open_file_again_is_harmless(qtbot, main_window, app_ctx, org_ledger):
    main_window.open_path(org_ledger.path)
    _wait(qtbot, app_ctx)
    assert app_ctx.ledger is org_ledger
    assert "已经打开" in main_window.statusBar().currentMessage()


def test_file_error_dialog_text(qapp, monkeypatch):
    seen = {}

    def fake_exec(box):
        seen.update(title=box.windowTitle(), text=box.text(), info=box.informativeText())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    ui_errors.show_file_error(None, InUse(Path("/x/台账.zhibu"), "台账正在被另一个程序或另一台电脑使用。"))
    assert seen["title"] == "台账正在使用中"
    assert "另一台电脑" in seen["text"] and "关闭它" in seen["info"] and "台账.zhibu" in seen["info"]


def test_uncaught_exception_shows_copyable_details_and_logs(qapp, tmp_path, monkeypatch):
    log_path = ui_errors.setup_logging()
    shown = []
    monkeypatch.setattr(ui_errors.CrashDialog, "exec", lambda self: shown.append(self) or 0)
    try:
        raise RuntimeError("测试用的意外错误")
    except RuntimeError:
        ui_errors._excepthook(*sys.exc_info())
    assert len(shown) == 1
    dialog = shown[0]
    assert "测试用的意外错误" in dialog.details and "Traceback" in dialog.details
    assert str(log_path) in dialog.details
    dialog.copy()
    assert "测试用的意外错误" in qapp.clipboard().text()
    for h in logging.getLogger().handlers:
        h.flush()
    assert "测试用的意外错误" in log_path.read_text(encoding="utf-8")
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, logging.handlers.RotatingFileHandler))
    assert handler.maxBytes > 0 and handler.backupCount >= 3
    assert Path(handler.baseFilename).parent == tmp_path / "logs"


def test_close_asks_pages(qtbot, main_window, monkeypatch):
    page = main_window.page("settings")
    qtbot.waitUntil(lambda: page.loaded is not None, timeout=10000)  # its load waits for the backup on open
    page.unit.setText("改过的单位名称")  # unsaved edit
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    assert main_window.close() is False and main_window.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert main_window.close() is True


def test_window_state_is_remembered_and_start_is_home(qtbot, main_window, app_ctx, tmp_path):
    main_window.resize(1200, 700)
    main_window.show_page("members")
    main_window.close()
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    assert settings.value("window/geometry") is not None
    again = mw.MainWindow(app_ctx, settings)
    qtbot.addWidget(again)
    assert again.height() == 700  # (the offscreen screen is narrower than 1200: Qt clamps the width)
    assert again.page_names[again.nav.currentRow()] == "home"


def test_self_check_steps(qapp, tmp_path):
    from desktop.ui.app import self_check_steps

    lines = self_check_steps(tmp_path)
    assert lines[0].startswith("forms:")
    assert (tmp_path / "自检.pdf").stat().st_size > 0 and (tmp_path / "自检.docx").stat().st_size > 0


def test_start_shows_window_then_opens_default_ledger_and_offers_sample(qtbot, qapp, monkeypatch):
    from desktop.store.paths import default_ledger_path
    from desktop.ui import app as app_module
    from desktop.ui.dialogs import user_guide

    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[1]) or QMessageBox.StandardButton.No)
    guides = []  # the user guide opens at 「先做什么」 after the sample offer, once per PC
    monkeypatch.setattr(user_guide.UserGuideDialog, "exec", lambda self: guides.append(self.text.toPlainText()) or 0)
    _app, window, ctx = app_module.start()
    qtbot.addWidget(window)
    assert window.isVisible()  # the window is up before the ledger is open
    qtbot.waitUntil(lambda: ctx.ledger is not None and not ctx.tasks._jobs, timeout=30000)
    assert ctx.ledger.path == default_ledger_path().absolute()
    assert asked == ["欢迎使用支部台账"]
    assert len(guides) == 1 and "第一次使用：先做什么" in guides[0]
    ctx.set_ledger(None)
    window.close()
    asked.clear()
    _app, window, ctx = app_module.start()  # second start: not new any more, no offer
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: ctx.ledger is not None and not ctx.tasks._jobs, timeout=30000)
    assert asked == [] and len(guides) == 1
    ctx.set_ledger(None)


def test_run_returns_the_exit_code(qapp, monkeypatch):
    from desktop.ui import app as app_module

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    monkeypatch.setattr(app_module, "install_excepthook", lambda: None)
    monkeypatch.setattr(type(qapp), "exec", lambda self: 0)
    assert app_module.run() == 0


def test_missing_db_file_can_be_created_or_refused(qtbot, qapp, tmp_path, monkeypatch):
    from desktop.ui import app as app_module

    missing = tmp_path / "新台账.zhibu"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    refused = []
    monkeypatch.setattr(app_module, "show_file_error", lambda parent, exc, action="": refused.append(exc))
    assert app_module.startup_path(str(missing)) == (None, False)
    assert "找不到台账文件" in refused[0].message
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert app_module.startup_path(str(missing)) == (missing, True)


def test_sample_data_replaces_empty_default(qtbot, app_ctx, tmp_path):
    from desktop.services.members import list_members
    from desktop.ui.app import ledger_is_empty, load_sample_into

    app_ctx.set_ledger(Ledger.open(tmp_path / "默认.zhibu", create=True))
    load_sample_into(None, app_ctx)
    qtbot.waitUntil(lambda: app_ctx.ledger is not None and not app_ctx.tasks._jobs, timeout=60000)
    assert not ledger_is_empty(app_ctx.ledger)
    assert len(list_members(app_ctx.ledger, status="在册")) >= 40


def test_save_copy_and_check(qtbot, main_window, app_ctx, org_ledger, tmp_path, monkeypatch):
    from desktop.services.files import check_ledger
    from desktop.ui.dialogs import check_report

    dest = tmp_path / "U盘" / "副本"
    dest.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(dest), ""))
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    main_window.save_copy()
    _wait(qtbot, app_ctx)
    copy = dest.with_name("副本.zhibu")
    assert told and str(copy) in told[0] and "校验无误" in told[0]
    report = check_ledger(copy)
    assert report.ok and report.counts["member"] == 5
    shown = []
    monkeypatch.setattr(check_report.CheckReportDialog, "exec", lambda self: shown.append(self) or 0)
    main_window.check_ledger()
    _wait(qtbot, app_ctx)
    dialog = shown[0]
    assert dialog.w(check_report.QLabel, "summaryLabel").text().startswith("✔ 检查通过")
    assert "党员" in dialog.w(check_report.QPlainTextEdit, "detailsText").toPlainText()
    assert app_ctx.ledger is org_ledger  # checking never closes or reopens the file


def test_copy_onto_the_open_file_is_refused_once(qtbot, main_window, org_ledger, monkeypatch):
    """The refusal says what and what to do, each once (it used to say 请换一个文件名 twice)."""
    from desktop.services.files import save_copy
    from desktop.store import errors

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(org_ledger.path), ""))
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append((self.text(), self.informativeText())) or 0)
    main_window.save_copy()
    assert len(shown) == 1
    text, info = shown[0]
    assert text == "副本不能保存到正在使用的台账文件上。" and info.startswith("请换一个文件名或位置。")
    with pytest.raises(errors.CopyOntoOpenLedger) as refused:
        save_copy(org_ledger, org_ledger.path)
    assert str(refused.value).count("换一个文件名") == 1


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_slot_reaches_the_crash_dialog(qtbot, monkeypatch):
    from PySide6.QtWidgets import QPushButton

    shown = []
    monkeypatch.setattr(ui_errors.CrashDialog, "exec", lambda self: shown.append(self.details) or 0)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored afterwards
    ui_errors.install_excepthook()
    button = QPushButton()
    qtbot.addWidget(button)

    def broken_slot():
        raise ValueError("槽函数里的错误")

    button.clicked.connect(broken_slot)
    button.click()
    assert len(shown) == 1 and "槽函数里的错误" in shown[0] and "broken_slot" in shown[0]


def test_file_problem_from_a_task_is_not_a_crash(qapp, monkeypatch):
    from desktop.store.errors import ReadOnlyFile

    crashes, files = [], []
    monkeypatch.setattr(ui_errors, "show_bug", lambda *a, **k: crashes.append(a))
    monkeypatch.setattr(ui_errors, "show_file_error", lambda parent, exc, action="": files.append(exc))
    ui_errors.show_error(None, ReadOnlyFile(Path("/x.zhibu"), "台账文件或所在文件夹是只读的，无法保存修改。"))
    assert files and not crashes
    assert "可写的位置" in files[0].advice


def test_dropping_a_ledger_file_opens_it(qtbot, main_window, app_ctx, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    other = Ledger.open(tmp_path / "拖进来的.zhibu", create=True)
    other.close()
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(other.path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    main_window.dropEvent(event)
    _wait(qtbot, app_ctx)
    assert app_ctx.ledger.path == other.path


def test_settings_page_takes_no_typing_before_its_values_are_shown(qtbot, main_window, app_ctx, monkeypatch):
    """Was (seen as a flaky test_close_asks_pages under load): while background work held the
    ledger (the backup on open), the page's load waited, the fields could be typed into, and the
    load then replaced the typing with the stored values — and closing did not ask. Now the
    form is disabled until the values are shown."""
    from desktop.services.settings import get_settings

    monkeypatch.setattr(app_ctx, "ledger_busy", lambda: True)
    page = main_window.page("settings")
    assert page.loaded is None and not page.form.isEnabled()
    page.reload()  # shown
    assert page.form.isEnabled()
    page.request_reload()  # another ledger, while busy: waits, and takes no typing meanwhile
    assert not page.form.isEnabled()
    monkeypatch.undo()
    qtbot.waitUntil(lambda: page.form.isEnabled(), timeout=5000)
    assert page.unit.text() == get_settings(app_ctx.ledger).unit_name and not page.is_dirty()
