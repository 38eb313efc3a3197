"""The main window: navigation to every page in PAGE_MODULES, the menus' wiring, title, status bar
and window state.

Which pages exist is decided in desktop.ui.navigation; each page is built the first time it is
shown (fast start). The 文件 menu's actions (desktop.ui.file_actions) run opening, copying and
checking files in the background (ctx.tasks); file problems get a plain message (desktop.ui.errors).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QStackedWidget,
)

from desktop import APP_NAME, FILE_SUFFIX

from . import rights
from .context import AppContext
from .file_actions import FileActions
from .forms import child, load_form
from .menu_actions import MenuActions
from .navigation import KIND_PAGES, KNOWN_PAGES, available_pages, icon, page_class
from .pages.base import Page
from .pcsettings import pc_settings

RESTORE_ON_SERVER = ("服务器上的台账不能在这里恢复：服务器的备份是数据库备份（pg_dump 文件，在备份文件夹的 server 子文件夹里，"
                     "合并和升级前自动生成）。需要恢复时请联系机关党委的系统管理员，用 pg_restore 恢复到数据库。")  # fmt: skip


class MainWindow(FileActions, MenuActions, QMainWindow):
    pageShown = Signal(str)

    def __init__(self, ctx: AppContext, settings: QSettings | None = None):
        super().__init__()
        self.ctx = ctx
        self.settings = settings if settings is not None else pc_settings()
        # The designed window is a donor: its central widget, menu and status bar move here; it
        # keeps owning the actions and is never shown. (Loading it as our child would make it
        # our central widget.)
        self._form = load_form("main_window")
        self.setCentralWidget(self._form.takeCentralWidget())
        self.setMenuBar(self._form.menuBar())
        self.setStatusBar(self._form.statusBar())
        self.addActions(self._form.findChildren(QAction))
        for menu in self.menuBar().findChildren(QMenu):  # e.g. why 从备份恢复 is disabled on a server
            menu.setToolTipsVisible(True)
        self.setWindowIcon(icon("app"))
        self.setAcceptDrops(True)  # drop a .zhibu file to open it
        self.resize(self._form.size())
        self.nav: QListWidget = child(self, QListWidget, "navList")
        self.stack: QStackedWidget = child(self, QStackedWidget, "pageStack")
        self.file_label = QLabel()
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(self.file_label, 1)

        self.page_names = available_pages()
        self.pages: dict[str, Page] = {}
        self._classes: dict[str, type[Page]] = {}
        for i, name in enumerate(self.page_names):
            if name in KNOWN_PAGES:
                title, icon_name = KNOWN_PAGES[name]
            else:  # a page we know nothing about: ask the class itself
                cls = self._class(name)
                title, icon_name = cls.title or name, cls.icon_name or name
            item = QListWidgetItem(icon(icon_name), title)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(f"{title}（Ctrl+{i + 1}）" if i < 9 else title)
            self.nav.addItem(item)
            if i < 9:
                shortcut = QAction(self)
                shortcut.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
                shortcut.triggered.connect(lambda _=False, row=i: self.nav.setCurrentRow(row))
                self.addAction(shortcut)
        self.nav.currentRowChanged.connect(self._on_nav)

        self._connect_actions()
        from .dialogs.merge import merge_working_copy
        from .workcopy import WorkingCopyUi, set_merge_handler

        self.working_copy = WorkingCopyUi(self)  # 「工作副本」, 保存到原位置 (ledgers on sticks and shares)
        set_merge_handler(merge_working_copy)  # its conflict box offers 合并… into a new file
        ctx.ledgerChanged.connect(self._update_title)
        ctx.serverLost.connect(lambda why: self.statusBar().showMessage(
            f"{why}程序每 3 秒重试一次，恢复后自动刷新；恢复之前修改无法保存。"))
        ctx.serverBack.connect(lambda: self.statusBar().showMessage("已重新连接台账服务器，页面已刷新。", 10000))
        self._size_timer = QTimer(self)  # the file grows with every save: refresh its size shortly after
        self._size_timer.setSingleShot(True)
        self._size_timer.setInterval(500)
        self._size_timer.timeout.connect(self._update_title)
        ctx.dataChanged.connect(lambda _models: self._size_timer.start())
        self._restore_state()
        self._update_title()
        if self.nav.count():
            self.nav.setCurrentRow(0)  # always start on 首页: what needs doing now

    # ------------------------------------------------------------------ pages
    @property
    def page_specs(self) -> list[tuple[str, type[Page]]]:
        """(name, Page subclass) of every page in the navigation (imports them all)."""
        return [(name, self._class(name)) for name in self.page_names]

    def _class(self, name: str) -> type[Page]:
        cls = self._classes.get(name)
        if cls is None:
            cls = self._classes[name] = page_class(name)
            row = self.page_names.index(name) if name in self.page_names else -1
            item = self.nav.item(row) if row >= 0 else None
            if item is not None and cls.title and item.text() != cls.title:
                item.setText(cls.title)
        return cls

    def page(self, name: str) -> Page | None:
        """The page of module ``name``, built on first use (None if that module is absent)."""
        if name in self.pages:
            return self.pages[name]
        if name not in self.page_names:
            return None
        page = self._class(name)(self.ctx, self.stack)
        self.pages[name] = page
        self.stack.addWidget(page)
        request = getattr(page, "openRequested", None)
        if request is not None:
            request.connect(self.open_record)
        page.request_reload()
        return page

    def show_page(self, name: str) -> Page | None:
        names = self.page_names
        if name not in names:
            return None
        row = names.index(name)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)
        return self.pages.get(name)

    def current_page(self) -> Page | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Page) else None

    def _on_nav(self, row: int) -> None:
        if not 0 <= row < len(self.page_names):
            return
        name = self.page_names[row]
        page = self.page(name)
        if page is not None:
            self.stack.setCurrentWidget(page)
            self.pageShown.emit(name)

    def open_record(self, kind: str, record_id: str) -> bool:
        """Show one record: ask the page that usually handles ``kind`` first, then the others."""
        names = self.page_names
        preferred = KIND_PAGES.get(kind)
        order = ([preferred] if preferred in names else []) + [n for n in names if n != preferred]
        for name in order:
            page = self.page(name)
            if page is not None and page.open_record(kind, record_id):
                self.show_page(name)
                return True
        self.statusBar().showMessage("没有找到可以打开这条记录的页面（相应功能可能尚未安装）。", 8000)
        return False

    def maybe_close_pages(self) -> bool:
        """Pages may close, and a working copy's changes are written back (desktop.ui.workcopy)."""
        return all(page.maybe_close() for page in self.pages.values()) and self.working_copy.before_leaving()

    # ------------------------------------------------------------------ title and status bar
    def _update_title(self) -> None:
        ledger = self.ctx.ledger
        self._action("actionSaveCopy").setEnabled(ledger is not None)
        self._action("actionMerge").setEnabled(ledger is not None)
        rights.lock(self.ctx.read_only, [self._action("actionMerge")])  # 另存副本 and 回收站 (to look) stay
        if ledger is None:
            self._action("actionRestoreBackup").setEnabled(True)
            self.setWindowTitle(APP_NAME)
            self.file_label.setText("未打开台账：请在“文件”菜单中新建或打开")
            return
        server = getattr(ledger, "is_server", False)
        restore = self._action("actionRestoreBackup")  # a file's backups; a server's are pg_dump files
        restore.setEnabled(not server)
        restore.setToolTip(RESTORE_ON_SERVER if server else "")
        restore.setStatusTip(RESTORE_ON_SERVER if server else "")
        if server:  # the server, database and login; never a password
            self.setWindowTitle(f"{ledger.path.name}（服务器 {ledger.host_label}，用户 {ledger.user}） — {APP_NAME}")
            self.file_label.setText(f"服务器台账：{ledger.host_label} 的数据库 {ledger.path.name}，登录用户 {ledger.user}" + (f"（{ledger.access}）" if ledger.access else ""))
            self.file_label.setToolTip(ledger.url)
            return
        shown = ledger.shown_path  # the file on the stick, not its local working copy
        self.setWindowTitle(f"{shown.name} — {APP_NAME}")
        try:
            size = ledger.path.stat().st_size
            size_text = f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"
        except OSError:
            size_text = ""
        self.file_label.setText(f"台账文件：{shown}" + (f"（{size_text}）" if size_text else ""))
        self.file_label.setToolTip(str(shown))

    # ------------------------------------------------------------------ drag a file onto the window
    @staticmethod
    def _dropped_ledger(event) -> Path | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        paths = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
        return paths[0] if len(paths) == 1 and paths[0].suffix.lower() == FILE_SUFFIX else None

    def dragEnterEvent(self, event) -> None:
        if self._dropped_ledger(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        path = self._dropped_ledger(event)
        if path is not None:
            event.acceptProposedAction()
            self.open_path(path)

    # ------------------------------------------------------------------ window state
    def _restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(QByteArray(geometry))
        else:
            screen = self.screen().availableGeometry() if self.screen() else None
            if screen is not None:
                self.resize(min(1280, screen.width() - 40), min(800, screen.height() - 60))
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray | bytes) and state:
            self.restoreState(QByteArray(state))

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_close_pages():
            event.ignore()
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()
        event.accept()
