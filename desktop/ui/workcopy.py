"""The working copy in the window (desktop.store.workcopy): 「工作副本」 in the status bar, 文件 ›
保存到原位置 (Ctrl+S), a save point every few minutes of changes and before the ledger is closed,
and what to do when the original was changed elsewhere (save ours as a copy, or merge once a
merge handler is registered with :func:`set_merge_handler`).

Per-PC settings (QSettings, 设置 › 工作副本): ``workingCopy/mode`` auto / always / never and
``workingCopy/minutes`` between save points.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMenu, QMessageBox

from desktop import FILE_SUFFIX

from .pcsettings import settings_for

log = logging.getLogger(__name__)

MODE_KEY, MINUTES_KEY = "workingCopy/mode", "workingCopy/minutes"
DEFAULT_MODE, DEFAULT_MINUTES = "auto", 5
LABEL_OK = "工作副本"
LABEL_PENDING = "工作副本（有修改未写回）"

# merge(window, ledger, origin) -> True when the ledgers were merged and the original may be
# overwritten; registered by the merge feature (None: the button is not offered).
MergeHandler = Callable[[QMainWindow, object, Path], bool]
_merge_handler: MergeHandler | None = None


def set_merge_handler(handler: MergeHandler | None) -> None:
    global _merge_handler
    _merge_handler = handler


def mode(qsettings: QSettings | None = None) -> str:
    value = str((qsettings or settings_for()).value(MODE_KEY, DEFAULT_MODE) or DEFAULT_MODE)
    return value if value in ("auto", "always", "never") else DEFAULT_MODE


def minutes(qsettings: QSettings | None = None) -> int:
    try:
        return max(1, min(120, int((qsettings or settings_for()).value(MINUTES_KEY, DEFAULT_MINUTES))))
    except (TypeError, ValueError):
        return DEFAULT_MINUTES


class WorkingCopyUi(QObject):
    """Owned by the main window; follows ``ctx.ledger``."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.qsettings: QSettings = window.settings
        self.label = QLabel(LABEL_OK)
        self.label.setObjectName("workingCopyLabel")
        self.label.setStyleSheet("QLabel { color: #0d47a1; font-weight: bold; padding: 0 6px; }")
        self.label.setMinimumWidth(self.label.fontMetrics().horizontalAdvance(LABEL_PENDING) + 16)
        self.label.hide()
        window.statusBar().addPermanentWidget(self.label)
        self.action = QAction("保存到原位置(&S)", window)
        self.action.setObjectName("actionWriteBack")
        self.action.setShortcut(QKeySequence.StandardKey.Save)
        self.action.setStatusTip("把本机工作副本中的修改写回 U 盘或网络文件夹中的台账")
        self.action.triggered.connect(lambda: self.write_back(interactive=True))
        self._add_to_file_menu()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.save_point)
        self.ctx.ledgerChanged.connect(self.refresh)
        self.ctx.dataChanged.connect(lambda _models: self._show_state())
        self.refresh()

    def _add_to_file_menu(self) -> None:
        menu = next((m for m in self.window.menuBar().findChildren(QMenu) if m.objectName() == "menuFile"), None)
        if menu is None:
            self.window.addAction(self.action)
            return
        before = next((a for a in menu.actions() if a.objectName() == "actionSaveCopy"), None)
        menu.insertAction(before, self.action) if before else menu.addAction(self.action)

    # ------------------------------------------------------------------ state
    @property
    def working_copy(self):
        ledger = self.ctx.ledger
        return getattr(ledger, "working_copy", None) if ledger is not None else None

    def refresh(self) -> None:
        wc = self.working_copy
        self.action.setEnabled(wc is not None)
        self.action.setVisible(wc is not None)
        if wc is None:
            self.timer.stop()
            self.label.hide()
            return
        self.timer.start(minutes(self.qsettings) * 60_000)
        self._show_state()
        self.label.show()
        if wc.set_aside is not None:
            QMessageBox.information(
                self.window, "上次的修改未写回",
                f"上次在本机对这个台账所做的修改没有写回，而{wc.place}的台账此后已被别处修改过。\n\n"
                f"为了不覆盖任何一方，本机上次的修改已单独保存为：\n{wc.set_aside}\n\n"
                "现在打开的是最新的台账。需要时可以打开上面的文件，把修改另存或合并。")
            wc.set_aside = None
        elif wc.kept_unsaved:
            self.window.statusBar().showMessage("上次未写回的修改已保留在工作副本中，将在保存时写回原位置。", 15000)

    def _show_state(self) -> None:
        wc = self.working_copy
        if wc is None:
            return
        self.label.setText(LABEL_PENDING if wc.dirty else LABEL_OK)
        written = f"上次写回：{wc.last_written:%H:%M}。" if wc.last_written else ""
        self.label.setToolTip(
            f"台账位于{wc.medium.label}：{wc.origin}\n程序在本机的工作副本上工作（{wc.local}），"
            f"有修改时每 {minutes(self.qsettings)} 分钟、按 Ctrl+S 以及关闭时写回原位置（原文件先保存为 .prev）。{written}")

    # ------------------------------------------------------------------ writing back
    def save_point(self) -> None:
        wc = self.working_copy
        if wc is not None and wc.dirty:
            self.write_back(interactive=False)

    def write_back(self, interactive: bool = True) -> bool:
        """Write back now; True when nothing is left unwritten."""
        from desktop.store.copycheck import OriginChanged
        from desktop.store.errors import LedgerFileError

        wc = self.working_copy
        if wc is None:
            return True
        try:
            wrote = wc.write_back()
        except OriginChanged as exc:
            self.timer.stop()  # asking every few minutes would not help
            return self.resolve_conflict(exc)
        except LedgerFileError as exc:
            log.warning("write-back failed: %s", exc)
            self._show_state()
            if interactive:
                from .errors import show_file_error

                show_file_error(self.window, exc)
            else:
                self.window.statusBar().showMessage(f"没有写回原位置：{exc.message}", 15000)
            return False
        self._show_state()
        if wrote or interactive:
            self.window.statusBar().showMessage(
                f"已写回 {wc.origin}（{datetime.now():%H:%M}）" if wrote else "没有需要写回的修改。", 8000)
        return True

    def resolve_conflict(self, exc) -> bool:
        """The original changed elsewhere: never overwrite it; offer to save ours as a copy or merge."""
        wc = self.working_copy
        box = QMessageBox(QMessageBox.Icon.Warning, exc.title, exc.message, parent=self.window)
        box.setInformativeText("为了不覆盖别处的修改，本机的修改没有写回。\n\n"
                               "可以把本机的修改另存为一个副本（之后重新打开原来的台账查看别处的修改）。")
        copy_button = box.addButton("把本机的修改另存为副本…", QMessageBox.ButtonRole.AcceptRole)
        merge_button = box.addButton("合并…", QMessageBox.ButtonRole.ActionRole) if _merge_handler else None
        later = box.addButton("稍后处理", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(copy_button)
        box.exec()
        clicked = box.clickedButton()
        if merge_button is not None and clicked is merge_button:
            if _merge_handler(self.window, self.ctx.ledger, wc.origin):
                wc.baseline = type(wc.baseline).of(wc.origin)  # merged: the original is now ours to write
                return self.write_back(interactive=True)
            return False
        if clicked is copy_button:
            return self.save_ours_as_copy()
        _ = later
        return False

    def save_ours_as_copy(self, dest: Path | None = None) -> bool:
        """Save the working copy as a new file beside the original; the original stays theirs."""
        from desktop.services.files import save_copy
        from desktop.store.errors import LedgerFileError

        wc, ledger = self.working_copy, self.ctx.ledger
        if dest is None:
            default = wc.origin.with_name(f"{wc.origin.stem}-本机修改-{datetime.now():%Y%m%d-%H%M}{FILE_SUFFIX}")
            name, _ = QFileDialog.getSaveFileName(self.window, "把本机的修改另存为副本", str(default),
                                                  f"台账文件 (*{FILE_SUFFIX})")
            if not name:
                return False
            dest = Path(name)
            if dest.suffix.lower() != FILE_SUFFIX:
                dest = dest.with_name(dest.name + FILE_SUFFIX)
        try:
            out = save_copy(ledger, dest)
        except LedgerFileError as exc:
            from .errors import show_file_error

            show_file_error(self.window, exc)
            return False
        wc.discard_changes()  # ours is safe in the copy; the original stays as the other office left it
        self._show_state()
        QMessageBox.information(self.window, "已另存为副本",
                                f"本机的修改已保存为：\n{out}\n\n{wc.place}的台账没有被改动。"
                                "要查看别处的修改，请重新打开原来的台账。")
        return True

    def before_leaving(self) -> bool:
        """Before the ledger is closed or replaced: write back; if that fails, ask whether to
        leave anyway (the changes stay in the working copy and are written back next time)."""
        wc = self.working_copy
        if wc is None or not wc.dirty:
            return True
        if self.write_back(interactive=False):
            return True
        if wc.dirty is False:  # saved as a copy instead
            return True
        answer = QMessageBox.question(
            self.window, "修改尚未写回",
            f"本机的修改还没有写回{wc.place}的台账：\n{wc.origin}\n\n"
            f"仍然关闭吗？修改会保留在本机的工作副本中（{wc.local.parent}），下次打开这个台账时再写回。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes


def settings_box(parent=None):
    """设置 › 工作副本 (this PC): when to work on a local copy, and how often to write back.
    Saved at once; used the next time a ledger is opened."""
    from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QSpinBox

    from desktop.store.workcopy import MODES

    box = QGroupBox("工作副本（本机设置）", parent)
    box.setObjectName("workingCopyBox")
    form = QFormLayout(box)
    combo = QComboBox(box)
    combo.setObjectName("workingCopyModeCombo")
    for key, label in MODES.items():
        combo.addItem(label, key)
    combo.setCurrentIndex(max(0, combo.findData(mode(settings_for(parent)))))
    spin = QSpinBox(box)
    spin.setObjectName("workingCopyMinutesSpin")
    spin.setRange(1, 120)
    spin.setSuffix(" 分钟")
    spin.setValue(minutes(settings_for(parent)))
    note = QLabel("台账在 U 盘或网络共享文件夹中时，程序在本机的副本上工作，有修改时按上面的间隔、"
                  "按 Ctrl+S 以及关闭时写回原位置（原文件先保存为“文件名.prev”）；"
                  "原位置的台账若已被别处修改，绝不直接覆盖。更改在下次打开台账时生效。", box)
    note.setWordWrap(True)
    note.setProperty("role", "hint")
    form.addRow("使用工作副本：", combo)
    form.addRow("写回间隔：", spin)
    form.addRow(note)

    def store() -> None:
        s = settings_for(box)
        s.setValue(MODE_KEY, combo.currentData())
        s.setValue(MINUTES_KEY, spin.value())
        s.sync()

    combo.currentIndexChanged.connect(store)
    spin.valueChanged.connect(store)
    return box
