"""The working copy in the window: 「工作副本」 in the status bar, 保存到原位置, write-back before the
ledger is closed, and the conflict dialog (save ours as a copy, never overwrite theirs)."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox, QFileDialog, QMessageBox, QSpinBox

from desktop.store.ledger import Ledger
from desktop.store.models import Committee
from desktop.ui import workcopy as wc_ui

SHOTS = os.environ.get("ZHIBU_SHOTS")  # set to a folder to keep the screenshots (docs)


def _wait(qtbot, ctx):
    qtbot.waitUntil(lambda: not ctx.tasks._jobs, timeout=30000)


def _count(path: Path) -> int:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
        return db.execute("SELECT count(*) FROM committee").fetchone()[0]


@pytest.fixture
def stick_ledger(tmp_path):
    stick = tmp_path / "KINGSTON"
    stick.mkdir()
    path = stick / "第一党支部台账.zhibu"
    with Ledger.open(path, create=True) as led, led.write() as s:
        s.add(Committee(name="某某局机关党委", unit_name="某某局"))
    return path


def _open_as_working_copy(qtbot, main_window, app_ctx, path):
    main_window.settings.setValue(wc_ui.MODE_KEY, "always")
    main_window.open_path(path)
    _wait(qtbot, app_ctx)
    qtbot.waitUntil(lambda: app_ctx.ledger is not None and app_ctx.ledger.working_copy is not None)
    return app_ctx.ledger


def _shot(widget, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def test_status_bar_and_save_to_original(qtbot, main_window, app_ctx, stick_ledger):
    ui = main_window.working_copy
    assert ui.label.isHidden() and not ui.action.isEnabled()  # a local ledger: no working copy
    led = _open_as_working_copy(qtbot, main_window, app_ctx, stick_ledger)
    assert led.path != stick_ledger and led.shown_path == stick_ledger
    assert ui.label.isVisible() and ui.label.text() == "工作副本"
    assert str(stick_ledger) in ui.label.toolTip() and "Ctrl+S" in ui.label.toolTip()
    assert main_window.windowTitle().startswith("第一党支部台账.zhibu")
    assert str(stick_ledger) in main_window.file_label.text()
    assert main_window.recent_files()[0] == str(stick_ledger)
    assert ui.action.isEnabled() and ui.timer.isActive() and ui.timer.interval() == 5 * 60_000
    with led.write() as s:
        s.add(Committee(name="本机新增"))
    qtbot.waitUntil(lambda: ui.label.text() == "工作副本（有修改未写回）")
    _shot(main_window, "working_copy")
    assert _count(stick_ledger) == 1
    ui.action.trigger()  # 文件 › 保存到原位置 (Ctrl+S)
    assert _count(stick_ledger) == 2 and ui.label.text() == "工作副本"
    assert "已写回" in main_window.statusBar().currentMessage()
    with led.write() as s:
        s.add(Committee(name="关闭前的修改"))
    assert main_window.maybe_close_pages()  # closing or opening another file writes back first
    assert _count(stick_ledger) == 3


def test_changed_original_offers_saving_ours_as_a_copy(qtbot, main_window, app_ctx, stick_ledger,
                                                      tmp_path, monkeypatch):
    led = _open_as_working_copy(qtbot, main_window, app_ctx, stick_ledger)
    with led.write() as s:
        s.add(Committee(name="本机的修改"))
    with closing(sqlite3.connect(stick_ledger)) as db:  # another office wrote the stick meanwhile
        db.execute("DELETE FROM committee")
        db.commit()
    theirs = stick_ledger.read_bytes()
    seen = {}

    def answer(box):
        seen["title"], seen["text"] = box.windowTitle(), box.text()
        seen["buttons"] = [b.text() for b in box.buttons()]
        _shot(box, "working_copy_conflict")
        next(b for b in box.buttons() if b.text().startswith("把本机的修改另存为副本")).click()
        return 0

    dest = tmp_path / "本机修改.zhibu"
    monkeypatch.setattr(QMessageBox, "exec", answer)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(dest), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    assert main_window.working_copy.write_back(interactive=True)
    assert seen["title"] == "台账已在别处被修改" and "被别处修改过" in seen["text"]
    assert "合并…" in seen["buttons"] and "稍后处理" in seen["buttons"]
    assert stick_ledger.read_bytes() == theirs  # never overwritten
    assert _count(dest) == 2 and not led.working_copy.dirty
    assert main_window.maybe_close_pages() and stick_ledger.read_bytes() == theirs


def test_merge_hook_is_offered_when_registered(qtbot, main_window, app_ctx, stick_ledger, monkeypatch):
    led = _open_as_working_copy(qtbot, main_window, app_ctx, stick_ledger)
    with led.write() as s:
        s.add(Committee(name="本机的修改"))
    with closing(sqlite3.connect(stick_ledger)) as db:
        db.execute("UPDATE committee SET unit_name = '别处改的'")
        db.commit()
    calls = []

    def merge(window, ledger, origin):
        calls.append(origin)
        return True  # a real merge would bring their changes into ours here

    wc_ui.set_merge_handler(merge)
    try:
        monkeypatch.setattr(QMessageBox, "exec", lambda box: next(
            b for b in box.buttons() if b.text() == "合并…").click() or 0)
        assert main_window.working_copy.write_back(interactive=True)
    finally:
        wc_ui.set_merge_handler(None)
    assert calls == [stick_ledger] and _count(stick_ledger) == 2


def test_merge_from_the_conflict_box_writes_a_new_file_and_keeps_theirs(qtbot, main_window, app_ctx,
                                                                        stick_ledger, monkeypatch):  # noqa: E501
    """合并… in the conflict box runs the real merge (local working copy + the changed original)
    into a new file beside the original; the original on the stick is not touched."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton

    led = _open_as_working_copy(qtbot, main_window, app_ctx, stick_ledger)
    with led.write() as s:
        s.add(Committee(name="本机的修改"))
    with closing(sqlite3.connect(stick_ledger)) as db:  # another office wrote the stick meanwhile
        db.execute("UPDATE committee SET unit_name = '别处改的'")
        db.commit()
    theirs = stick_ledger.read_bytes()
    seen: dict[str, str] = {}

    def decide():
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() not in ("MergeDialog", "MergeReportDialog"):
            QTimer.singleShot(100, decide)
            return
        if dialog.objectName() == "MergeDialog":
            dialog.findChild(QDialogButtonBox, "buttonBox").button(QDialogButtonBox.StandardButton.Ok).click()
            QTimer.singleShot(100, decide)
            return
        seen["report"] = "shown"
        dialog.findChild(QPushButton, "closeButton").click()

    monkeypatch.setattr(QMessageBox, "exec", lambda box: next(
        b for b in box.buttons() if b.text() == "合并…").click() or 0)
    QTimer.singleShot(100, decide)
    assert not main_window.working_copy.write_back(interactive=True)  # nothing overwritten
    qtbot.waitUntil(lambda: "report" in seen, timeout=60000)
    _wait(qtbot, app_ctx)
    merged = [p for p in stick_ledger.parent.glob("第一党支部台账-合并-*.zhibu")]
    assert len(merged) == 1 and stick_ledger.read_bytes() == theirs
    with closing(sqlite3.connect(f"{merged[0].as_uri()}?mode=ro", uri=True)) as db:
        names = {r[0] for r in db.execute("SELECT name FROM committee WHERE deleted_at IS NULL")}
    assert "本机的修改" in names
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    assert main_window.working_copy.save_ours_as_copy(stick_ledger.parent / "本机修改.zhibu")
    assert not led.working_copy.dirty  # nothing left to write back when the window closes


def test_settings_page_stores_the_mode(qtbot, main_window):
    main_window.show_page("settings")
    page = main_window.page("settings")
    combo = page.findChild(QComboBox, "workingCopyModeCombo")
    spin = page.findChild(QSpinBox, "workingCopyMinutesSpin")
    assert combo is not None and combo.currentData() == "auto"
    combo.setCurrentIndex(combo.findData("never"))
    spin.setValue(10)
    assert wc_ui.mode(main_window.settings) == "never" and wc_ui.minutes(main_window.settings) == 10
    _shot(page, "settings_working_copy")


def test_restore_from_backup_replaces_the_original_not_the_local_copy(qtbot, main_window, app_ctx,
                                                                        stick_ledger, monkeypatch):
    from desktop.services import backups as bk
    from desktop.ui.backup_actions import restore_entry

    led = _open_as_working_copy(qtbot, main_window, app_ctx, stick_ledger)
    made = bk.backup_before(led, "manual")
    with led.write() as s:
        s.add(Committee(name="误加的党委"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    entry = next(e for e in bk.list_backups(led) if e.path == made.path)
    assert restore_entry(main_window, entry)
    _wait(qtbot, app_ctx)
    qtbot.waitUntil(lambda: app_ctx.ledger is not None and app_ctx.ledger is not led, timeout=30000)
    again = app_ctx.ledger
    assert again.working_copy is not None and again.shown_path == stick_ledger
    assert _count(stick_ledger) == 1  # the backup's content is on the stick
    with again.read() as s:
        assert s.query(Committee).count() == 1
