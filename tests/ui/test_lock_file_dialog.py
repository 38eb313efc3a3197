"""The defect of issue 9: Qt's file dialog (文件 › 打开…, even cancelled, or a folder chooser on
the ledger's folder) reads the ledger file, which released the POSIX lock; a second program then
opened the same ledger. Now a second program must still be refused, naming the holder."""

from __future__ import annotations

import platform
import time

from PySide6.QtWidgets import QApplication, QFileDialog

from desktop.store.ledger import Ledger
from desktop.store.models import Committee
from desktop.ui.filedialogs import FILE_FILTER
from tests.store.util import open_elsewhere


def _show_and_cancel(dialog: QFileDialog, qtbot) -> None:
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.show()
    end = time.monotonic() + 1.5  # let the file system model list and probe the folder
    while time.monotonic() < end:
        QApplication.processEvents()
        qtbot.wait(20)
    dialog.reject()
    dialog.deleteLater()


def test_cancelled_file_dialogs_keep_the_lock(qtbot, tmp_path):
    path = tmp_path / "台账.zhibu"
    with Ledger.open(path, create=True) as led:
        with led.write() as s:
            s.add(Committee(name="机关党委"))
        assert open_elsewhere(path)[0] == "INUSE"
        _show_and_cancel(QFileDialog(None, "打开台账", str(tmp_path), FILE_FILTER), qtbot)
        folder = QFileDialog(None, "选择文件夹", str(tmp_path))
        folder.setFileMode(QFileDialog.FileMode.Directory)
        _show_and_cancel(folder, qtbot)
        started = time.perf_counter()
        verdict, seconds, message = open_elsewhere(path)
        assert verdict == "INUSE", message  # before the fix: OPENED, and both programs wrote
        assert seconds < 2.0 and time.perf_counter() - started < 20
        assert message.startswith(f"台账正在被 {platform.node()}（") and "使用，自 " in message
        with led.write() as s:
            s.add(Committee(name="对话框之后"))
    assert open_elsewhere(path)[0] == "OPENED"
