"""After an export: say what was written and offer to open the file or its folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from .pcsettings import settings_for


def open_with_system(parent: QWidget | None, path: Path, folder: bool = False) -> bool:
    """Open ``path`` (or its folder) with the program the system has for it; when there is none
    (no PDF reader or Word installed), say so and where the file is instead of doing nothing."""
    target = path.parent if folder else path
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
        return True
    what = "文件夹" if folder else f"{path.suffix.lstrip('.').upper() or '这种'} 文件"
    QMessageBox.warning(parent, "无法打开", f"这台电脑上没有可以打开{what}的程序。\n\n文件保存在：\n{path}\n\n"
                        "可以把它复制到装有 WPS 或 Office 的电脑上打开；PDF 也可以在本程序的“预览”中查看和打印。")
    return False


def choose_output_folder(parent: QWidget | None, title: str = "选择保存位置") -> Path | None:
    """Ask where printed documents go, starting where the last ones went (every print action and
    the 导出打印 page share the remembered folder)."""
    from PySide6.QtCore import QStandardPaths
    from PySide6.QtWidgets import QFileDialog

    settings = settings_for(parent)
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    start = str(settings.value("export/outDir", "") or docs)
    folder = QFileDialog.getExistingDirectory(parent, title, start)
    if not folder:
        return None
    settings.setValue("export/outDir", folder)
    return Path(folder)


def offer_open(parent: QWidget | None, title: str, text: str, paths: list[Path]) -> None:
    """An information box with 打开文件 / 打开文件夹 / 关闭; opens the first file or its folder."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Close, parent)
    pdf = next((p for p in paths if p.suffix.lower() == ".pdf"), None)
    preview = box.addButton("预览打印", QMessageBox.ButtonRole.AcceptRole) if pdf is not None else None
    open_file = box.addButton("打开文件", QMessageBox.ButtonRole.AcceptRole)
    open_dir = box.addButton("打开文件夹", QMessageBox.ButtonRole.ActionRole)
    box.exec()
    clicked = box.clickedButton()
    if preview is not None and clicked is preview:
        from .preview import show_preview

        show_preview(parent, pdf)
    elif clicked is open_file:
        open_with_system(parent, paths[0])
    elif clicked is open_dir:
        open_with_system(parent, paths[0], folder=True)
