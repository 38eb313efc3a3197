"""Qt's own texts are Chinese: standard buttons, the line-edit context menu, the file dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLineEdit, QMessageBox, QPushButton

from desktop.ui.app import create_app
from desktop.ui.translations import find_catalog


def test_the_qtbase_catalog_ships_and_is_installed(qapp):
    catalog = find_catalog("qtbase")
    assert catalog is not None and catalog.name == "qtbase_zh_CN.qm"
    create_app()
    assert str(catalog) in qapp.property("zhibuTranslations")


def test_message_box_buttons_are_chinese(qapp, qtbot):
    create_app()
    box = QMessageBox(QMessageBox.Icon.Question, "支部台账", "删除这条记录吗？",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDetailedText("细节")
    qtbot.addWidget(box)
    texts = {box.button(b).text().split("(")[0] for b in (QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No)}
    assert texts == {"是", "否"}
    assert any(b.text().startswith("显示详情") for b in box.buttons())
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                               | QDialogButtonBox.StandardButton.Close)
    qtbot.addWidget(buttons)
    assert [b.text().split("(")[0] for b in buttons.buttons()] and all(
        b.text().split("(")[0] in {"确定", "取消", "关闭"} for b in buttons.buttons())


def test_line_edit_context_menu_is_chinese(qapp, qtbot):
    create_app()
    edit = QLineEdit()
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    texts = [a.text().split("(")[0] for a in menu.actions() if a.text()]
    assert {"剪切", "复制", "粘贴", "撤消"} <= set(texts)
    assert not any("Paste" in t or "Undo" in t for t in texts)
    menu.deleteLater()


def test_file_dialog_buttons_are_chinese(qapp, qtbot, tmp_path):
    create_app()
    dialog = QFileDialog(None, "选择文件", str(tmp_path))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    texts = {b.text().split("(")[0] for b in dialog.findChildren(QPushButton)}
    assert {"打开", "取消"} <= texts
