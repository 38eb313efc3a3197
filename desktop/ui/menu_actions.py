"""The main window's menu wiring (desktop.ui.main_window): every designed action connected to what
it does, and the actions outside the 文件 menu's files — 修改历史, 回收站, 使用说明, 查找, 全局搜索, 关于.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QMenu, QMessageBox

from desktop import APP_NAME, __version__
from desktop.store import paths

from . import backup_actions
from .dialogs import server_connect
from .errors import log_file
from .forms import child


class MenuActions:
    """The menus of MainWindow (mixed in; uses its designed form, ctx and status bar)."""

    def _action(self, name: str) -> QAction:
        return child(self._form, QAction, name)

    def _connect_actions(self) -> None:
        self._action("actionNew").triggered.connect(self.new_ledger)
        self._action("actionOpen").triggered.connect(self.open_ledger_dialog)
        self._action("actionConnectServer").triggered.connect(lambda: server_connect.connect_to_server(self))
        self._action("actionSaveCopy").triggered.connect(self.save_copy)
        self._action("actionMerge").triggered.connect(self.merge_ledger)
        self._action("actionHistory").triggered.connect(self.record_history)
        self._action("actionCheck").triggered.connect(self.check_ledger)
        self._action("actionRestoreBackup").triggered.connect(lambda: backup_actions.open_restore_dialog(self))
        self._action("actionRecycleBin").triggered.connect(self.open_recycle_bin)
        self.ctx.backups.notice.connect(self._backup_notice)
        self._action("actionExit").triggered.connect(self.close)
        self._action("actionAbout").triggered.connect(self.about)
        self._action("actionGuide").triggered.connect(lambda: self.show_guide())
        self._action("actionFind").triggered.connect(self.find_in_page)
        self._action("actionGlobalSearch").triggered.connect(lambda: self.global_search())
        self._action("actionOpenLogDir").triggered.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file().parent))))
        self._action("actionOpenDataDir").triggered.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths.data_dir()))))
        self.recent_menu: QMenu = child(self, QMenu, "menuRecent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._fill_recent()

    def record_history(self) -> None:
        """记录 › 修改历史 (desktop.ui.dialogs.record_history)."""
        from .dialogs.record_history import show_history

        show_history(self, self.ctx)

    def _backup_notice(self, text: str, failed: bool) -> None:
        """A routine backup never covers another message; a failed one always shows."""
        if failed or not self.statusBar().currentMessage():
            self.statusBar().showMessage(text, 8000 if not failed else 30000)

    def open_recycle_bin(self) -> None:
        if self.ctx.ledger is None:
            return
        from .dialogs.recycle_bin import open_recycle_bin

        open_recycle_bin(self, self.ctx.ledger)

    def show_guide(self, section: str | None = None) -> None:
        """帮助 › 使用说明 (F1)."""
        from .dialogs.user_guide import UserGuideDialog

        UserGuideDialog(self, section).exec()

    def find_in_page(self) -> None:
        """Ctrl+F: the current page's search box (``focus_search()``), else the global search."""
        page = self.current_page()
        focus = getattr(page, "focus_search", None)
        if not (callable(focus) and focus()):
            self.global_search()

    def global_search(self, query: str = "") -> None:
        """Ctrl+Shift+F: search meetings, members and the 整改清单 at once; open the chosen record."""
        if self.ctx.ledger is None:
            self.statusBar().showMessage("请先打开或新建台账。", 5000)
            return
        from .dialogs.global_search import GlobalSearchDialog

        dialog = GlobalSearchDialog(self.ctx.ledger, self, query)
        if dialog.exec() and dialog.chosen:
            self.open_record(*dialog.chosen)

    def about(self) -> None:
        QMessageBox.about(
            self, f"关于{APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>三会一课、整改清单、政治生日台账（单机版）。<br><br>"
            f"数据文件夹：{paths.data_dir()}<br>日志：{log_file()}")
