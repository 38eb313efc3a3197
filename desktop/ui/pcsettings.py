"""The one store of per-PC settings (window geometry, recent files, working-copy mode, the last
export folder and format, the printer, first-start notes): an INI file in the user's config folder
(``ZhibuLedger/zhibu.ini``). Settings that travel with the ledger live in the file instead
(desktop.services.settings).

Every widget asks :func:`settings_for` (the main window's store when the widget sits inside it,
so a window built on its own INI file, as tests and screenshots do, keeps everything there).

Earlier versions also wrote some keys (export folder and format, printer, last 导出名册 folder)
into Qt's default store (the registry on Windows, ``支部台账.conf`` elsewhere). The first
:func:`pc_settings` of a process copies any such key the INI file does not have yet, once per PC
(``pcSettings/migrated``); the old store is left as it was.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from desktop import APP_NAME

ORGANIZATION = "ZhibuLedger"
INI_NAME = "zhibu"
MIGRATED_KEY = "pcSettings/migrated"


def legacy_settings() -> QSettings:
    """Qt's default store as earlier versions used it (``QSettings()`` with our names)."""
    return QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, ORGANIZATION, APP_NAME)


def migrate(target: QSettings, old: QSettings) -> int:
    """Copy the keys of ``old`` that ``target`` lacks, once (marked in ``target``); returns how many."""
    if target.value(MIGRATED_KEY, False, type=bool):
        return 0
    copied = 0
    for key in old.allKeys():
        if not target.contains(key):
            target.setValue(key, old.value(key))
            copied += 1
    target.setValue(MIGRATED_KEY, True)
    target.sync()
    return copied


def pc_settings() -> QSettings:
    """The per-PC settings file (old values migrated in on first use)."""
    store = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, INI_NAME)
    migrate(store, legacy_settings())
    return store


def settings_for(widget: QWidget | None = None) -> QSettings:
    """The store ``widget`` belongs to: the nearest parent holding one (the main window's
    ``settings``), else :func:`pc_settings`."""
    w = widget
    while w is not None:
        found = getattr(w, "settings", None)
        if isinstance(found, QSettings):
            return found
        w = w.parentWidget()
    return pc_settings()
