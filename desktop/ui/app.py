"""Start the desktop program: ``zhibu`` (default ledger), ``zhibu --db FILE``, ``zhibu --self-check``.

- Logging goes to a rotating file in desktop.store.paths.log_dir(); uncaught exceptions
  (including those in Qt slots) show the crash dialog (desktop.ui.errors).
- Without ``--db`` the default ledger (desktop.store.paths.default_ledger_path()) is opened,
  created if absent; on the first start with an empty default ledger the sample data is offered,
  then the user guide opens at 「第一次使用：先做什么」 (帮助 › 使用说明, F1, any time).
- ``--self-check`` loads every form, opens a temporary ledger and writes one PDF and one DOCX,
  then exits 0 (non-zero with the reason on stderr): a smoke test for installed bundles.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import tempfile
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import APP_NAME, __version__
from desktop.store import paths
from desktop.store.errors import FileMissing, LedgerFileError

from . import gccollect
from .context import AppContext
from .errors import install_excepthook, setup_logging, show_error, show_file_error
from .pcsettings import ORGANIZATION, pc_settings
from .resources import resource_path
from .translations import install_qt_translations

log = logging.getLogger(__name__)


def create_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication with name, icon and style sheet (reused if one exists, e.g. in tests)."""
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    install_qt_translations(app)  # type: ignore[arg-type]
    gccollect.install(app)  # cyclic garbage only on the GUI thread, never in a worker
    apply_style(app)  # type: ignore[arg-type]
    return app  # type: ignore[return-value]


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    qss = resource_path("style.qss")
    if qss.exists():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))


def ledger_is_empty(ledger) -> bool:
    from sqlalchemy import func, select

    from desktop.store.models import Branch, Committee, Meeting, Member

    with ledger.read() as s:
        return all(not s.scalar(select(func.count()).select_from(m)) for m in (Committee, Branch, Member, Meeting))


def startup_path(db: str | None) -> tuple[Path | None, bool]:
    """(path to open, create it) for ``zhibu`` / ``zhibu --db FILE``; (None, False) when the
    user declines to create a missing ``--db`` file."""
    path = Path(db).expanduser() if db else paths.default_ledger_path()
    create = not path.exists()
    if create and db:
        answer = QMessageBox.question(None, APP_NAME, f"台账文件不存在：\n{path}\n\n要在这个位置新建一个空白台账吗？")
        if answer != QMessageBox.StandardButton.Yes:
            show_file_error(None, FileMissing(path, f"找不到台账文件：{path}"))
            return None, False
    return path, create


def _preload_store() -> None:
    """Import the store (SQLAlchemy, models) while the GUI thread builds the window: much of
    that work is Qt's C++ code, which lets this thread run."""
    try:
        importlib.import_module("desktop.store.ledger")
        importlib.import_module("desktop.services.reminders")
    except Exception:  # noqa: BLE001 - the real import (opening the ledger) reports any problem
        log.exception("preloading the store failed")


def start(db: str | None = None):
    """Show the main window at once and open the start-up ledger in the background.
    Returns (app, window, ctx); the caller runs the event loop."""
    threading.Thread(target=_preload_store, name="preload-store", daemon=True).start()
    app = create_app()
    from .main_window import MainWindow

    ctx = AppContext()
    window = MainWindow(ctx, pc_settings())
    window.show()
    from desktop.store.target import is_server_url

    if is_server_url(db):  # zhibu --db postgresql://…: a ledger on the committee's server
        from .dialogs.server_connect import open_server

        open_server(window, db)
        return app, window, ctx
    path, create = startup_path(db)
    if path is not None:
        def opened(ledger) -> None:
            if window.isVisible() and db is None and create and ledger_is_empty(ledger):
                offer_sample_data(window, ctx)
                from .dialogs.user_guide import show_on_first_start

                show_on_first_start(window, window.settings)  # 使用说明 at 「先做什么」, once per PC

        window.open_path(path, create=create, after=opened, warm_up=True)
    return app, window, ctx


def offer_sample_data(window, ctx: AppContext) -> None:
    """First start with an empty default ledger: offer to fill it with the sample data."""
    answer = QMessageBox.question(
        window, "欢迎使用支部台账",
        "这是一个新的空白台账。\n\n要先载入示例数据（一个机关党委、3个党支部、42名党员、全年会议记录、"
        "整改清单和政治生日）熟悉一下程序吗？\n\n示例数据可以随时通过“文件 › 新建台账”换成自己的空白台账。",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    if answer == QMessageBox.StandardButton.Yes:
        load_sample_into(window, ctx)


def load_sample_into(window, ctx: AppContext) -> None:
    """Replace the open, empty ledger file with the sample ledger (built in the background)."""
    ledger = ctx.ledger
    if ledger is None or not ledger_is_empty(ledger):
        return
    path = ledger.path
    ctx.set_ledger(None)  # closes the empty file so it can be replaced

    from desktop.store.ledger import Ledger

    def work(progress):
        from desktop.services.demo import build_demo

        progress(0, 0, "正在生成示例数据 …")
        tmp = path.with_name(f".{path.stem}.sample{path.suffix}")
        tmp.unlink(missing_ok=True)
        build_demo(tmp)
        os.replace(tmp, path)
        return Ledger.open(path, backup_dir=paths.backup_dir())

    def failed(exc, tb):
        show_error(window, exc, tb, action="loading sample data")
        try:
            ctx.set_ledger(Ledger.open(path, backup_dir=paths.backup_dir()))
        except LedgerFileError as again:
            show_file_error(window, again)

    ctx.tasks.run(work, on_done=ctx.set_ledger, on_error=failed, title="正在载入示例数据", parent=window,
                  cancellable=False)


def run(db: str | None = None, self_check: bool = False) -> int:
    setup_logging()
    if self_check:
        return run_self_check()
    install_excepthook()
    app, _window, ctx = start(db)
    code = app.exec()
    ctx.tasks.wait(10000)
    app.processEvents()  # deliver a ledger that finished opening as the window closed, then close it
    ctx.set_ledger(None)
    log.info("exit %s", code)
    return code


def self_check_steps(out_dir: Path) -> list[str]:
    """Load every form, open a temporary ledger, write one PDF and one DOCX. Returns what was
    done (one line per step); raises on the first failure."""
    from desktop.documents import blocks as b
    from desktop.documents.render import render

    from .forms import form_names, load_form

    done: list[str] = []
    names = form_names()
    if not names:
        raise RuntimeError("no forms found (forms/ missing from the installation)")
    for name in names:
        widget = load_form(name)
        widget.deleteLater()
    done.append(f"forms: {len(names)} loaded")
    if not resource_path("style.qss").exists():
        raise RuntimeError("resources/style.qss missing from the installation")
    from .navigation import icon

    for name in ("app", "home", "members"):
        if icon(name).pixmap(24, 24).isNull():
            raise RuntimeError(f"icon {name} cannot be drawn (resources/icons or the SVG plugin missing)")
    done.append("resources: style sheet and SVG icons")
    from .translations import find_catalog

    catalog = find_catalog("qtbase")
    if catalog is None:
        raise RuntimeError("qtbase_zh_CN.qm missing: Qt's buttons and menus would be English")
    done.append(f"translations: {catalog.name}")
    from desktop.store.ledger import Ledger

    ledger = Ledger.open(out_dir / "self-check.zhibu", create=True)
    try:
        from desktop.services.members import MemberInput, list_members, save_member
        from desktop.services.organization import BranchInput, save_branch, save_committee

        save_committee(ledger, "自检党委", "自检单位")
        branch = save_branch(ledger, BranchInput("第一党支部"))
        save_member(ledger, MemberInput(name="张三", branch_id=branch, join_date="2001-07-01", full_date="2002-07-01"))
        rows = list_members(ledger)
        done.append(f"ledger: {ledger.path.name} with {len(rows)} member")
        done.append(_self_check_window(ledger))
        doc = b.Document(
            title="自检", file_stem="自检",
            blocks=[b.Title("支部台账自检"), b.Paragraph(f"党员：{rows[0].name}，入党日期 {rows[0].join_date}。")],
        )
        result = render(doc, out_dir, ("pdf", "docx"))
        for p in result.paths:
            if not p.exists() or p.stat().st_size == 0:
                raise RuntimeError(f"{p} was not written")
        done.append("documents: " + ", ".join(p.name for p in result.paths))
        import pypdfium2

        from .preview import render_page

        pdf = next(p for p in result.paths if p.suffix == ".pdf")
        doc = pypdfium2.PdfDocument(str(pdf))
        try:
            if render_page(doc, 0, 1.0).isNull():
                raise RuntimeError("the print preview cannot render the PDF")
            done.append(f"preview: {len(doc)} page rendered")
        finally:
            doc.close()
    finally:
        ledger.close()
    return done


def _self_check_window(ledger) -> str:
    """Build the main window on ``ledger`` with every page (not shown)."""

    from .main_window import MainWindow

    ctx = AppContext()
    ctx.set_ledger(ledger)
    ini = ledger.path.with_name("self-check.ini")
    window = MainWindow(ctx, QSettings(str(ini), QSettings.Format.IniFormat))
    try:
        names = [name for name, _cls in window.page_specs]
        for name in names:
            window.page(name)
        ctx.tasks.wait(30000)
        QApplication.processEvents()
    finally:
        ctx.tasks.wait(30000)
        QApplication.processEvents()
        ctx.set_ledger(None)  # closes it (closing twice is harmless: the caller closes it too)
        window.deleteLater()
    return f"window: {len(names)} pages ({', '.join(names)})"


def run_self_check() -> int:
    app = create_app()
    _ = app
    try:
        with tempfile.TemporaryDirectory(prefix="zhibu-self-check-") as tmp:
            for line in self_check_steps(Path(tmp)):
                print(f"ok  {line}")
    except Exception:  # noqa: BLE001 - reported as the exit code
        print("self-check FAILED\n" + traceback.format_exc(), file=sys.stderr)
        return 1
    print(f"{APP_NAME} {__version__} self-check passed")
    return 0
