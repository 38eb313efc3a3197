"""文件 › 从备份恢复… and automatic backups through the real window and dialog."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from desktop.services import backups as bk
from desktop.services.members import MemberInput, save_member
from desktop.ui.dialogs.restore_backup import RestoreBackupDialog


def _wait(qtbot, ctx):
    qtbot.waitUntil(lambda: not ctx.tasks._jobs and ctx.ledger is not None, timeout=30000)


def names(path):
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
        return {r[0] for r in db.execute("SELECT name FROM member WHERE deleted_at IS NULL")}


def live_names(ledger):  # never open the open ledger's file a second time (POSIX drops the lock)
    from desktop.store.models import Member
    from desktop.store.queries import live

    with ledger.read() as s:
        return {m.name for m in s.scalars(live(Member))}


def add(ledger, name):
    save_member(ledger, MemberInput(name=name, branch_id=ledger.ids["branch2"], gender="女", birth_date="1990-01-01",
                                    join_date="2015-07-01", full_date="2016-07-01"))


def test_restore_from_backup_menu(qtbot, main_window, app_ctx, org_ledger, monkeypatch):
    _wait(qtbot, app_ctx)  # the opening backup runs in the background
    opened = bk.list_backups(org_ledger)
    assert [e.reason for e in opened] == ["open"]  # made when the window's ledger was opened
    add(org_ledger, "误加的人")
    path = org_ledger.path
    seen = {}

    def pick_oldest(self):
        seen["rows"] = [(e.reason_label, e.counts["member"]) for e in self.model.rows]
        self.view.selectRow(0)
        assert self.proxy.row_at(0).path == opened[0].path
        assert self.dialog.findChild(QPushButton, "restoreButton").isEnabled()
        self.restore_selected()
        return self.dialog.result()

    monkeypatch.setattr(RestoreBackupDialog, "exec", pick_oldest)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    main_window._action("actionRestoreBackup").trigger()
    _wait(qtbot, app_ctx)
    assert seen["rows"] == [("打开时", 5)]
    assert app_ctx.ledger is not org_ledger and app_ctx.ledger.path == path
    assert "误加的人" not in live_names(app_ctx.ledger) and len(live_names(app_ctx.ledger)) == 5
    after = bk.list_backups(app_ctx.ledger)
    assert [e.reason for e in after] == ["restore", "open"]  # the replaced file was backed up first
    assert after[0].counts["member"] == 6 and "误加的人" in names(after[0].path)
    assert after[1].path == opened[0].path  # the restored backup itself stays
    assert "已从" in main_window.statusBar().currentMessage()


def test_opening_a_backup_copies_it_first(qtbot, main_window, app_ctx, org_ledger, monkeypatch, tmp_path):
    _wait(qtbot, app_ctx)
    backup = bk.list_backups(org_ledger)[0].path
    before = backup.read_bytes()
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]) or QMessageBox.StandardButton.Ok)
    dest = tmp_path / "从备份打开"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(dest), ""))
    main_window.open_path(backup)
    _wait(qtbot, app_ctx)
    qtbot.waitUntil(lambda: app_ctx.ledger.path.name == "从备份打开.zhibu", timeout=30000)
    assert "不会直接打开或升级它" in told[0]
    assert backup.read_bytes() == before
    assert live_names(app_ctx.ledger) == names(backup)


def test_settings_page_sets_backup_retention(qtbot, main_window, app_ctx, org_ledger, tmp_path):
    from desktop.services.settings import get_settings

    main_window.show_page("settings")
    page = main_window.pages["settings"]
    _wait(qtbot, app_ctx)
    assert page.backup_spins["backup_keep_last"].value() == 10
    assert str(bk.backup_folder(org_ledger)) == page.form.findChild(type(page.status), "backupDirLabel").text()
    page.backup_spins["backup_interval_minutes"].setValue(30)
    page.backup_spins["backup_keep_last"].setValue(3)
    assert page.is_dirty() and page.save()
    got = get_settings(org_ledger)
    assert (got.backup_interval_minutes, got.backup_keep_last, got.backup_keep_daily) == (30, 3, 14)
    page.grab().save(str(tmp_path / "settings.png"))


def test_recycle_bin_from_the_file_menu(qtbot, main_window, app_ctx, org_ledger, monkeypatch, tmp_path):
    from desktop.services.members import delete_member, list_members
    from desktop.services.organization import delete_branch
    from desktop.ui.dialogs.trash import TrashDialog

    ids = org_ledger.ids
    delete_member(org_ledger, ids["陈志强"])
    delete_branch(org_ledger, ids["branch2"])
    seen = {}

    def use(self):
        rows = [(r.label, r.where) for r in self.model.rows]
        seen["rows"] = rows
        member_row = next(i for i in range(self.proxy.rowCount()) if self.proxy.row_at(i).label == "党员：陈志强")
        self.view.selectRow(member_row)
        warned = []
        monkeypatch.setattr("desktop.ui.dialogs.trash.QMessageBox.warning", lambda *a: warned.append(a[2]))
        self.restore_selected()  # its branch is still deleted: says so, nothing restored
        seen["warning"] = warned[0]
        self.dialog.grab().save(str(tmp_path / "recycle.png"))
        branch_row = next(i for i in range(self.proxy.rowCount()) if self.proxy.row_at(i).label == "党支部：第二党支部")
        self.view.selectRow(branch_row)
        self.dialog.findChild(QPushButton, "restoreButton").click()
        member_row = next(i for i in range(self.proxy.rowCount()) if self.proxy.row_at(i).label == "党员：陈志强")
        self.view.selectRow(member_row)
        self.restore_selected()
        seen["left"] = [r.label for r in self.model.rows]
        return 0

    monkeypatch.setattr(TrashDialog, "exec", use)
    main_window._action("actionRecycleBin").trigger()
    assert ("党员：陈志强", "第二党支部") in seen["rows"] and ("党支部：第二党支部", "") in seen["rows"]
    assert "所在的党支部“第二党支部”已删除" in seen["warning"]
    assert seen["left"] == []
    assert "陈志强" in {m.name for m in list_members(org_ledger)}


def test_restore_over_a_working_copy_replaces_the_original(qtbot, main_window, app_ctx, tmp_path, monkeypatch):
    """A ledger on a stick is worked on as a local copy: restoring puts the backup on the stick."""
    from desktop.store.ledger import Ledger
    from desktop.store.models import Committee
    from desktop.ui import workcopy as wc_ui

    stick = tmp_path / "KINGSTON"
    stick.mkdir()
    path = stick / "支部台账.zhibu"
    with Ledger.open(path, create=True) as led, led.write() as s:
        s.add(Committee(name="某某局机关党委", unit_name="某某局"))
    main_window.settings.setValue(wc_ui.MODE_KEY, "always")
    main_window.open_path(path)
    qtbot.waitUntil(lambda: app_ctx.ledger is not None and app_ctx.ledger.shown_path == path, timeout=30000)
    _wait(qtbot, app_ctx)
    led = app_ctx.ledger
    assert led.path != path
    [opened] = bk.list_backups(led)
    with led.write() as s:
        s.add(Committee(name="后来加的"))

    def restore_first(self):
        self.view.selectRow(0)
        self.restore_selected()
        return 0

    monkeypatch.setattr(RestoreBackupDialog, "exec", restore_first)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    main_window._action("actionRestoreBackup").trigger()
    qtbot.waitUntil(lambda: app_ctx.ledger is not None and app_ctx.ledger is not led, timeout=30000)
    _wait(qtbot, app_ctx)
    assert app_ctx.ledger.shown_path == path
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:  # the stick file
        assert {r[0] for r in db.execute("SELECT name FROM committee")} == {"某某局机关党委"}
    assert opened.path.exists()
