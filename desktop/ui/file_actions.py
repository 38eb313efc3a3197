"""The main window's file actions (desktop.ui.main_window): 新建, 打开, the recent files, opening
a file in the background (a working copy on sticks and shares), 另存副本, 合并 and 检查台账.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop import FILE_SUFFIX
from desktop.store import paths

from . import backup_actions
from .errors import show_error, show_file_error
from .filedialogs import FILE_FILTER
from .navigation import warm_up_services

MAX_RECENT = 8


class FileActions:
    """The 文件 menu's actions of MainWindow (mixed in; uses its ctx, settings and status bar)."""

    def recent_files(self) -> list[str]:
        value = self.settings.value("recentFiles", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or []) if v]

    def add_recent(self, path: Path) -> None:
        text = str(path)
        items = [text] + [p for p in self.recent_files() if p != text]
        self.settings.setValue("recentFiles", items[:MAX_RECENT])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for i, text in enumerate(files):
            action = self.recent_menu.addAction(f"&{i + 1} {Path(text).name}  —  {Path(text).parent}")
            action.setEnabled(Path(text).exists())
            action.triggered.connect(lambda _=False, p=text: self.open_path(Path(p)))
        if not files:
            self.recent_menu.addAction("（没有最近打开的文件）").setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("清除列表", lambda: self.settings.setValue("recentFiles", []))

    def _start_dir(self) -> str:
        if self.ctx.ledger is not None and not getattr(self.ctx.ledger, "is_server", False):
            return str(self.ctx.ledger.shown_path.parent)
        return str(paths.data_dir())

    def new_ledger(self) -> None:
        if not self.maybe_close_pages():
            return
        name, _ = QFileDialog.getSaveFileName(self, "新建台账", str(Path(self._start_dir()) / f"新台账{FILE_SUFFIX}"),
                                              FILE_FILTER)
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() != FILE_SUFFIX:
            path = path.with_name(path.name + FILE_SUFFIX)
        self.open_path(path, create=True)

    def open_ledger_dialog(self) -> None:
        if not self.maybe_close_pages():
            return
        name, _ = QFileDialog.getOpenFileName(self, "打开台账", self._start_dir(), FILE_FILTER)
        if name:
            self.open_path(Path(name))

    def open_path(self, path: Path, create: bool = False,
                  after: Callable[[object], None] | None = None, warm_up: bool = False) -> None:
        """Open (or create) ``path`` in the background; the current file stays open until the
        new one is ready, and is closed only then. ``after(ledger)`` runs once it is set.
        ``warm_up``: afterwards import the service and document modules in the background, so
        the first visit of each page does not stall (first start: the window showed first)."""
        current = self.ctx.ledger
        if (current is not None and not getattr(current, "is_server", False)  # a server has no file to compare
                and current.shown_path.resolve() == path.resolve() and not create):
            self.statusBar().showMessage("这个台账已经打开。", 5000)
            return
        if not self.maybe_close_pages():
            return
        from desktop.store.backups import is_backup_file

        if not create and is_backup_file(path):  # a backup is copied first, never opened itself
            backup_actions.open_backup_file(self, path)
            return
        backup = paths.backup_dir()
        from .workcopy import mode

        working_copy_mode = mode(self.settings)

        def work(progress):
            progress(0, 0, f"正在打开 {path.name} …")
            from desktop.store.workcopy import open_ledger

            return open_ledger(path, create=create, backup_dir=backup, mode=working_copy_mode)

        def done(ledger) -> None:
            self._opened(ledger)
            if after is not None:
                after(ledger)
            if warm_up:  # after the pages have started reading the new ledger
                QTimer.singleShot(300, lambda: self.ctx.tasks.run(lambda progress: warm_up_services()))

        if warm_up:  # start-up: the window stays usable; the status bar says what is happening
            self.statusBar().showMessage(f"正在打开 {path} …")
            self.ctx.setProperty("opening", str(path))
        self.ctx.tasks.run(work, on_done=done, title="" if warm_up else "正在打开台账", parent=self,
                           cancellable=False, on_error=lambda exc, tb: self._open_failed(exc, tb))

    def _open_failed(self, exc: BaseException, tb: str, quiet: bool = False) -> None:
        """``quiet``: the caller tells the user itself (the connection dialog asks again)."""
        self.statusBar().clearMessage()
        self.ctx.setProperty("opening", "")
        self.ctx.ledgerChanged.emit()  # pages stop saying "opening"
        if not quiet:
            show_error(self, exc, tb, action="opening")

    def _opened(self, ledger) -> None:
        self.ctx.setProperty("opening", "")
        self.ctx.set_ledger(ledger)
        if not getattr(ledger, "is_server", False):
            self.add_recent(ledger.shown_path)
        self.statusBar().showMessage(f"已打开 {ledger.path.name}", 5000)
        if getattr(ledger, "recovered", False):  # a hot journal was rolled back (desktop.store.recovery)
            self.statusBar().showMessage(
                f"已打开 {ledger.path.name}：上次保存没有完成（程序异常退出或断电），未完成的修改已撤销。", 15000)
        if ledger.upgraded_from is not None:
            QMessageBox.information(
                self, "台账已升级",
                f"这个台账由旧版本程序创建，已升级到当前版本。\n升级前的原文件已备份到：\n{ledger.backup_path}")

    def save_copy(self) -> None:
        ledger = self.ctx.ledger
        if ledger is None:
            return
        if getattr(ledger, "is_server", False):  # the whole ledger or one branch as a file
            from .dialogs.server_copy import save_server_copy

            save_server_copy(self, self.ctx)
            return
        shown = ledger.shown_path
        default = shown.with_name(f"{shown.stem}-副本-{date.today():%Y%m%d}{FILE_SUFFIX}")
        name, _ = QFileDialog.getSaveFileName(self, "另存副本", str(default), FILE_FILTER)
        if not name:
            return
        dest = Path(name)
        if dest.suffix.lower() != FILE_SUFFIX:
            dest = dest.with_name(dest.name + FILE_SUFFIX)
        if dest.resolve() in (ledger.path.resolve(), shown.resolve()):
            from desktop.store.errors import CopyOntoOpenLedger

            show_file_error(self, CopyOntoOpenLedger(dest))  # the service's own refusal, said once
            return
        from desktop.services.files import save_copy

        def work(progress):
            progress(0, 0, f"正在复制到 {dest} …")
            return save_copy(ledger, dest)

        self.ctx.tasks.run(work, title="正在另存副本", parent=self, cancellable=False,
                           on_done=lambda out: QMessageBox.information(
                               self, "另存副本", f"副本已保存并校验无误：\n{out}"),
                           on_error=lambda exc, tb: show_error(self, exc, tb, action="saving a copy"))

    def merge_ledger(self) -> None:
        """文件 › 合并另一份台账… (desktop.ui.dialogs.merge)."""
        from .dialogs.merge import start_merge

        start_merge(self, self.ctx)

    def check_ledger(self) -> None:
        """Check the open ledger; without one, ask which file to check (it is never modified)."""
        from .dialogs.check_report import run_check

        target = self.ctx.ledger
        if target is None:
            name, _ = QFileDialog.getOpenFileName(self, "检查哪个台账文件", self._start_dir(), FILE_FILTER)
            if not name:
                return
            target = Path(name)
        run_check(self, self.ctx, target)
