"""After an export: say what was written and offer to open the file or its folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget


def offer_open(parent: QWidget | None, title: str, text: str, paths: list[Path]) -> None:
    """An information box with 打开文件 / 打开文件夹 / 关闭; opens the first file or its folder."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Close, parent)
    open_file = box.addButton("打开文件", QMessageBox.ButtonRole.AcceptRole)
    open_dir = box.addButton("打开文件夹", QMessageBox.ButtonRole.ActionRole)
    box.exec()
    clicked = box.clickedButton()
    if clicked is open_file:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths[0])))
    elif clicked is open_dir:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths[0].parent)))
