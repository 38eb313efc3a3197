"""The main window: navigation to every page in PAGE_MODULES, the 文件 menu, title and status bar.

Pages are discovered from ``desktop.ui.pages.PAGE_MODULES``: a module that does not exist yet is
skipped; a module that fails to import for any other reason is a bug and raises. Each page is
built the first time it is shown (fast start). Opening, copying and checking files run in the
background (ctx.tasks); file problems get a plain message (desktop.ui.errors).
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
)

from desktop import APP_NAME, FILE_SUFFIX, __version__
from desktop.store import paths

from . import backup_actions, rights
from .context import AppContext
from .dialogs import server_connect
from .errors import log_file, show_error, show_file_error
from .filedialogs import FILE_FILTER
from .forms import child, load_form
from .pages import PAGE_MODULES
from .pages.base import Page
from .pcsettings import pc_settings
from .resources import resource_path

log = logging.getLogger(__name__)
MAX_RECENT = 8
RESTORE_ON_SERVER = ("服务器上的台账不能在这里恢复：服务器的备份是数据库备份（pg_dump 文件，在备份文件夹的 server 子文件夹里，"
                     "合并和升级前自动生成）。需要恢复时请联系机关党委的系统管理员，用 pg_restore 恢复到数据库。")  # fmt: skip
# Which page usually handles a record kind (asked first; the others are asked after).
KIND_PAGES = {"meeting": "meetings", "measure": "rectification", "problem": "rectification",
              "campaign": "rectification", "member": "members", "branch": "organization",
              "birthday_event": "birthdays"}


def icon(name: str) -> QIcon:
    for ext in (".svg", ".png"):
        path = resource_path("icons", name + ext)
        if path.exists():
            return QIcon(str(path))
    return QIcon()


# Navigation entries of the standard page modules, so the window can show before they are imported.
KNOWN_PAGES = {"home": ("首页", "home"), "meetings": ("三会一课", "meetings"),
               "rectification": ("整改清单", "rectification"), "birthdays": ("政治生日", "birthdays"),
               "members": ("党员", "members"), "organization": ("组织", "organization"),
               "export": ("导出打印", "export"), "settings": ("设置", "settings")}


def _full(name: str) -> str:
    return f"{__package__}.pages.{name}"


def page_exists(name: str) -> bool:
    """True when the page module is installed (found without importing it)."""
    return importlib.util.find_spec(_full(name)) is not None


def page_class(name: str) -> type[Page]:
    """Import page module ``name`` and return its single Page subclass. Import errors propagate:
    a page module that is present but broken is a bug."""
    full = _full(name)
    module = importlib.import_module(full)
    classes = [c for c in vars(module).values()
               if isinstance(c, type) and issubclass(c, Page) and c is not Page and c.__module__ == full]
    if len(classes) != 1:
        raise RuntimeError(f"{full} must define exactly one Page subclass, found {len(classes)}")
    return classes[0]


def available_pages() -> list[str]:
    """The page modules of PAGE_MODULES that exist, in navigation order (missing ones skipped)."""
    names = []
    for name in PAGE_MODULES:
        if page_exists(name):
            names.append(name)
        else:
            log.info("page module %s not present; skipped", _full(name))
    return names


def discover_pages() -> list[tuple[str, type[Page]]]:
    """(module name, Page subclass) for every page module that exists, importing all of them."""
    return [(name, page_class(name)) for name in available_pages()]


def warm_up_services() -> None:
    """Import the service and document modules (no Qt: tests/test_layers.py) so the first visit
    of each page does not stall the GUI thread on SQLAlchemy/openpyxl/reportlab imports."""
    import pkgutil

    for package in ("desktop.services", "desktop.documents"):
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, prefix=package + "."):
            try:
                importlib.import_module(info.name)
            except Exception:  # noqa: BLE001 - a broken module is reported when its page uses it
                log.exception("warm-up import of %s failed", info.name)


class MainWindow(QMainWindow):
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

    # ------------------------------------------------------------------ menu
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

    # ------------------------------------------------------------------ file actions
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

    def record_history(self) -> None:
        """记录 › 修改历史 (desktop.ui.dialogs.record_history)."""
        from .dialogs.record_history import show_history

        show_history(self, self.ctx)

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
