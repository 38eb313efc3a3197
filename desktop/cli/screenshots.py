"""``zhibu screenshots DIR [--db FILE|URL]``: render every page of the main window to PNG.

Pages come from desktop.ui.pages.PAGE_MODULES (whatever page modules are installed), shown in a
1366×768 window on the sample ledger (built in a temp dir when ``--db`` is not given), a ledger
file or a server ledger (``--db postgresql://user@host/db``). Runs
headless (offscreen) when there is no display. With ``--dialogs`` the shell's main dialogs are
rendered too (the member editor also with its field errors showing).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from desktop.cli import CliError
from desktop.cli._common import ledger_error, report_opened

SIZE = (1366, 768)


def register(subparsers) -> None:
    p = subparsers.add_parser("screenshots", help="把主窗口每个页面截图保存为 PNG", description=__doc__.split("\n")[0])
    p.add_argument("dir", metavar="DIR", help="保存截图的文件夹（不存在则新建）")
    p.add_argument("--db", metavar="FILE|URL", help="使用这个台账文件或服务器台账 postgresql://…（默认：临时生成示例台账）")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="首页按这一天显示（默认：示例台账的日期或今天）")
    p.add_argument("--dialogs", action="store_true", help="同时截取党员、组织等对话框")
    p.add_argument("--size", metavar="宽x高", default="1366x768", help="窗口大小（默认 1366x768；小屏如 1280x720）")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    if not os.environ.get("QT_QPA_PLATFORM") and not os.environ.get("DISPLAY") and sys.platform.startswith("linux"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    out = Path(args.dir).expanduser()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"无法创建文件夹 {out}：{exc.strerror or exc}", 2) from None
    today = None
    if args.today:
        try:
            today = date.fromisoformat(args.today)
        except ValueError:
            raise CliError(f"--today 应为 YYYY-MM-DD，收到的是“{args.today}”", 2) from None
    try:
        size = tuple(int(x) for x in args.size.lower().split("x"))
        if len(size) != 2 or min(size) < 200:
            raise ValueError
    except ValueError:
        raise CliError(f"--size 应为 宽x高（如 1280x720），收到的是“{args.size}”", 2) from None
    with tempfile.TemporaryDirectory(prefix="zhibu-shots-") as tmp:
        os.environ.setdefault("ZHIBU_LOG_DIR", tmp)
        from desktop.store.target import is_server_url

        if is_server_url(args.db):
            db = args.db
        elif args.db:
            db = Path(args.db).expanduser()
            if not db.exists():
                raise CliError(f"找不到台账文件：{db}", 2)
        else:
            from desktop.services.demo import DEMO_TODAY, build_demo

            db = build_demo(Path(tmp) / "示例台账.zhibu").path
            today = today or DEMO_TODAY
        written = render_all(db, out, today, dialogs=args.dialogs, settings_dir=Path(tmp), size=size)
    for path in written:
        print(path)
    return 0


def render_all(db: Path | str, out: Path, today: date | None, *, dialogs: bool = False,
               settings_dir: Path | None = None, size: tuple[int, int] = SIZE) -> list[Path]:
    from PySide6.QtCore import QSettings

    from desktop.store.errors import LedgerFileError
    from desktop.store.opening import open_ledger
    from desktop.ui.app import create_app
    from desktop.ui.context import AppContext
    from desktop.ui.main_window import MainWindow

    app = create_app()
    try:
        ledger = open_ledger(db)
    except LedgerFileError as exc:
        raise ledger_error(db, exc) from None
    report_opened(ledger)
    ctx = AppContext(ledger)
    ini = (settings_dir or out) / "screenshots.ini"
    window = MainWindow(ctx, QSettings(str(ini), QSettings.Format.IniFormat))
    window.resize(*size)
    window.show()
    written: list[Path] = []
    try:
        for index, (name, _cls) in enumerate(window.page_specs, 1):
            page = window.page(name)
            if today is not None and hasattr(page, "_today"):
                page._today = today
                page.reload()
            window.show_page(name)
            _settle(app, ctx)
            path = out / f"{index:02d}-{name}.png"
            if not window.grab().save(str(path)):
                raise CliError(f"无法保存截图：{path}", 1)
            written.append(path)
        if dialogs:
            written += _dialogs(window, ctx, out, app)
    finally:
        ctx.tasks.wait(30000)
        window.close()
        ctx.set_ledger(None)
    return written


def _settle(app, ctx) -> None:
    for _ in range(3):
        app.processEvents()
        ctx.tasks.wait(30000)
        app.processEvents()


def _dialogs(window, ctx, out: Path, app) -> list[Path]:
    from desktop.services.members import get_member, list_members
    from desktop.services.organization import list_branches
    from desktop.ui.dialogs.branch_editor import BranchEditor
    from desktop.ui.dialogs.member_editor import MemberEditor

    written = []
    ledger = ctx.require_ledger()
    shots = []
    members = list_members(ledger)
    if members:
        editor = MemberEditor(ledger, window, detail=get_member(ledger, members[0].id))
        shots.append(("dialog-member-editor", editor))
        bad = MemberEditor(ledger, window)
        bad.name.setText("孙丽")
        bad.id_edit.setText("110105198503120021")
        bad.phone.setText("12345")
        bad.join.setText("2010-07-01")
        bad.full.setText("2009-07-01")
        bad.save()
        shots.append(("dialog-member-editor-errors", bad))
    branches = list_branches(ledger)
    if branches:
        from desktop.ui.dialogs.branch_editor import PostEditor

        shots.append(("dialog-branch-editor", BranchEditor(ledger, window, branches[0])))
        post = PostEditor(ledger, branches[0], window)
        post.post.setCurrentIndex(post.post.findData("党小组组长"))
        shots.append(("dialog-post-editor", post))
        shots.append(("dialog-member-import", _import_dialog(window, ctx, out, branches[0].name)))
    from desktop.ui.dialogs.server_connect import ServerConnectDialog

    server_url = ledger.url if getattr(ledger, "is_server", False) else None  # filled in, password empty
    shots.append(("dialog-server-connect", ServerConnectDialog(window.settings, window, server_url)))
    from desktop.ui.errors import CrashDialog

    shots.append(("dialog-crash", CrashDialog("ZeroDivisionError: division by zero",
                                              "Traceback (most recent call last):\n  File \"…\", line 1\n"
                                              "ZeroDivisionError: division by zero", window)))
    for name, controller in shots:
        controller.dialog.resize(controller.dialog.size().boundedTo(window.size()))
        controller.dialog.show()
        app.processEvents()
        path = out / f"{name}.png"
        controller.dialog.grab().save(str(path))
        controller.dialog.reject()
        written.append(path)
    return written


def _import_dialog(window, ctx, out: Path, branch: str):
    """The roster import dialog previewing a small file with two bad rows."""
    from openpyxl import Workbook

    from desktop.ui.dialogs.member_import import MemberImportDialog

    path = Path(tempfile.mkdtemp(prefix="zhibu-shot-")) / "党员名册.xlsx"
    wb = Workbook()
    for row in (["姓名", "性别", "所在支部", "人员类别", "入党时间", "转正时间", "身份证号", "手机号码"],
                ["周强", "男", branch, "正式", "2010-07-01", "2011-07-01", "", "13912345678"],
                ["吴芳", "女", branch, "预备", "2026-01-10", "", "", ""],
                ["郑伟", "男", "第九党支部", "正式", "2005-06-01", "2006-06-01", "", ""],
                ["冯雷", "男", branch, "正式", "2005-06-01", "2004-06-01", "110105198503120021", "12345"]):
        wb.active.append(row)
    wb.save(path)
    return MemberImportDialog(ctx, window, str(path))
