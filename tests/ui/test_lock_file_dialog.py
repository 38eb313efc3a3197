"""The defect of issue 9: Qt's file dialog (文件 › 打开…, even cancelled, or a folder chooser on
the ledger's folder) reads the ledger file, which released the POSIX lock; a second program then
opened the same ledger. Now a second program must still be refused, naming the holder."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication, QFileDialog

from desktop.store.ledger import Ledger
from desktop.store.models import Committee
from desktop.ui.filedialogs import FILE_FILTER

ROOT = Path(__file__).resolve().parents[2]
OPENER = textwrap.dedent(
    """
    import sys, time
    from desktop.store.ledger import Ledger
    from desktop.store import errors
    t = time.perf_counter()
    try:
        Ledger.open(sys.argv[1]).close()
        print("OPENED", time.perf_counter() - t)
    except errors.InUse as exc:
        print("INUSE", time.perf_counter() - t, exc.message)
    """
)


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _second_program(path) -> str:
    proc = subprocess.run([sys.executable, "-c", OPENER, str(path)], capture_output=True, text=True,
                          timeout=60, cwd=ROOT, env=_env())
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


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
        assert _second_program(path).startswith("INUSE")
        _show_and_cancel(QFileDialog(None, "打开台账", str(tmp_path), FILE_FILTER), qtbot)
        folder = QFileDialog(None, "选择文件夹", str(tmp_path))
        folder.setFileMode(QFileDialog.FileMode.Directory)
        _show_and_cancel(folder, qtbot)
        started = time.perf_counter()
        out = _second_program(path)
        assert out.startswith("INUSE"), out  # before the fix: OPENED, and both programs wrote
        verdict, seconds, message = out.split(maxsplit=2)
        assert float(seconds) < 2.0 and time.perf_counter() - started < 20
        assert message.startswith(f"台账正在被 {platform.node()}（") and "使用，自 " in message
        with led.write() as s:
            s.add(Committee(name="对话框之后"))
    assert _second_program(path).startswith("OPENED")
