"""One store of per-PC settings (desktop/ui/pcsettings.py): an INI file; keys earlier versions kept
in Qt's default store are copied in once; widgets inside a main window use the window's store."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog

from desktop.ui import pcsettings


@pytest.fixture
def config_dir(qapp, tmp_path):
    scope = QSettings.Scope.UserScope
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, scope, str(tmp_path))
    yield tmp_path
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, scope, os.environ["XDG_CONFIG_HOME"])


def test_old_values_are_migrated_once(config_dir):
    old = pcsettings.legacy_settings()
    old.setValue("export/outDir", "/media/u盘/导出")
    old.setValue("print/printer", "HP LaserJet")
    old.setValue("window/geometry", "old-geometry")
    old.sync()
    ini = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, pcsettings.ORGANIZATION,
                    pcsettings.INI_NAME)
    ini.setValue("window/geometry", "current-geometry")  # already in the new store: kept
    ini.sync()

    store = pcsettings.pc_settings()
    assert store.format() == QSettings.Format.IniFormat and store.fileName().startswith(str(config_dir))
    assert store.value("export/outDir") == "/media/u盘/导出" and store.value("print/printer") == "HP LaserJet"
    assert store.value("window/geometry") == "current-geometry"

    store.setValue("export/outDir", "/home/secretary/文档")
    store.sync()
    old.setValue("export/outDir", "/elsewhere")  # an old version still running on this PC
    old.setValue("export/format", "docx")
    old.sync()
    again = pcsettings.pc_settings()
    assert again.value("export/outDir") == "/home/secretary/文档"  # copied once, never again
    assert not again.contains("export/format")
    assert pcsettings.legacy_settings().value("print/printer") == "HP LaserJet"  # the old store is left alone


def test_nothing_to_migrate_marks_the_store(config_dir):
    assert pcsettings.migrate(pcsettings.pc_settings(), pcsettings.legacy_settings()) == 0
    assert pcsettings.pc_settings().value(pcsettings.MIGRATED_KEY, False, type=bool)


def test_widgets_in_the_window_use_the_windows_store(main_window):
    page = main_window.page("export")
    assert pcsettings.settings_for(page) is main_window.settings
    dialog = QDialog(page)  # a dialog is a window of its own, still inside the main window
    assert pcsettings.settings_for(dialog) is main_window.settings
    assert pcsettings.settings_for(QDialog()).fileName() == pcsettings.pc_settings().fileName()


def test_export_page_remembers_its_folder_in_the_one_store(main_window, tmp_path):
    page = main_window.page("export")
    main_window.settings.setValue("export/outDir", str(tmp_path / "上次"))
    main_window.show_page("export")
    assert page.out_dir.text() == str(tmp_path / "上次")


def test_no_widget_opens_a_settings_store_of_its_own():
    """``QSettings()`` (Qt's default store) was the second file: every per-PC value goes through
    desktop/ui/pcsettings.py (a window built on an explicit INI file for tests/screenshots is fine)."""
    import re
    from pathlib import Path

    ui = Path(pcsettings.__file__).parent
    found = [f"{p.relative_to(ui)}:{n}" for p in ui.rglob("*.py") if p.name != "pcsettings.py"
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"QSettings\(\s*\)", line)]
    assert not found
