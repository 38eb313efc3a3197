"""Qt's own texts in Chinese: the standard buttons (是/否, 确定/取消, 关闭, 显示详细信息…), the
QLineEdit/QTextEdit context menu (撤销/剪切/粘贴 …) and the file dialogs.

PySide6 ships ``qtbase_zh_CN.qm`` (and the ``qt_zh_CN.qm`` umbrella) in its translations
folder; QLibraryInfo finds it in a source install, build.spec copies it into the bundle, and
``resources/translations`` is a last resort for installs that dropped it. Installed once per
application; the translators are parented to the app so they live as long as it does.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from .resources import resource_path

log = logging.getLogger(__name__)
LOCALE = "zh_CN"
# qtbase has every text of QtWidgets/QtGui/QtCore; qt_zh_CN is an umbrella that also needs the
# catalogs of modules we do not ship (it fails to load without them), so it is only a fallback.
CATALOGS = ("qtbase", "qt")
_PROPERTY = "zhibuTranslations"


def translation_dirs() -> list[Path]:
    """Where the .qm files may be, best first (Qt's own path, the bundle's PySide6 folder, ours)."""
    dirs = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        dirs.append(Path(bundle) / "PySide6" / "Qt" / "translations")
        dirs.append(Path(bundle) / "PySide6" / "translations")
    dirs.append(resource_path("translations"))
    return dirs


def find_catalog(name: str) -> Path | None:
    for folder in translation_dirs():
        path = folder / f"{name}_{LOCALE}.qm"
        if path.is_file():
            return path
    return None


def install_qt_translations(app: QApplication) -> list[Path]:
    """Install the Chinese Qt translations into ``app`` (once). Returns the files loaded."""
    if app.property(_PROPERTY):
        return [Path(p) for p in app.property(_PROPERTY).split("|") if p]
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    loaded: list[Path] = []
    for name in CATALOGS:
        path = find_catalog(name)
        if path is None:
            continue
        translator = QTranslator(app)
        if translator.load(str(path)) and app.installTranslator(translator):
            loaded.append(path)
            break
        log.warning("Qt translation %s could not be loaded", path)
        translator.deleteLater()
    if not loaded:
        log.warning("no Qt translation for %s found in %s", LOCALE, translation_dirs())
    app.setProperty(_PROPERTY, "|".join(str(p) for p in loaded))
    return loaded
