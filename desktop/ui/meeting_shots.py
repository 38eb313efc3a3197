"""Screenshots of the 三会一课 page and of the editor for each kind (docs/screenshots/meetings*.png).

``python -m desktop.ui.meeting_shots LEDGER OUT_DIR`` renders a 1366×768 main window on a copy of
LEDGER (e.g. the demo ledger from ``zhibu demo``) and saves PNGs; used to look at the layout.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

KIND_FILES = {
    "支部党员大会": "assembly", "支部委员会": "committee", "党小组会": "group", "党课": "lecture",
    "主题党日": "themeday", "组织生活会": "orglife", "民主评议党员": "evaluation",
}


def render(db: Path, out: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QLineEdit, QWidget

    from desktop.services import meetings as svc
    from desktop.store.ledger import Ledger
    from desktop.ui.app import create_app
    from desktop.ui.context import AppContext
    from desktop.ui.main_window import MainWindow

    from .meetings.precheck import PrecheckDialog

    app = create_app()
    work = Path(tempfile.mkdtemp())
    shutil.copy(db, work / "shots.zhibu")
    ledger = Ledger.open(work / "shots.zhibu")
    ctx = AppContext(ledger)
    window = MainWindow(ctx, QSettings(str(work / "s.ini"), QSettings.Format.IniFormat))
    window.resize(1366, 768)
    window.show()
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def settle() -> None:
        for _ in range(3):
            app.processEvents()
            ctx.tasks.wait(60000)
            app.processEvents()

    def shot(name: str, widget: QWidget | None = None) -> None:
        settle()
        path = out / f"meetings_{name}.png"
        (widget or window).grab().save(str(path))
        written.append(path)

    try:
        window.show_page("meetings")
        page = window.page("meetings")
        shot("page")
        page.search.setText("耕地保护")
        page.refresh()
        shot("search")
        page.search.setText("")
        for kind, fname in KIND_FILES.items():
            rows = svc.list_meetings(ledger, kind=kind, limit=1)
            if not rows:
                continue
            page.open_record("meeting", rows[0].id)
            ed = page.editor
            shot(f"editor_{fname}")
            if kind == "支部党员大会":
                for tab in ("attendanceTab", "contentTab", "votesTab"):
                    ed.tabs.setCurrentWidget(ed.form.w(QWidget, tab))
                    shot(f"editor_{fname}_{tab.removesuffix('Tab')}")
            if kind == "组织生活会":
                ed.tabs.setCurrentWidget(ed.form.w(QWidget, "contentTab"))
                shot(f"editor_{fname}_content")
            page._close_editor(force=True)
        branch = page.branch.itemData(1)
        found = [f for f in svc.precheck_branch_year(ledger, branch, 2026) if f.record_kind == "meeting"
                 and f.severity == "error"]
        if found:  # a record with a problem, as the 迎检自查 list opens it
            page._open_finding(found[0])
            shot("editor_check")
            page._close_editor(force=True)
        dlg = PrecheckDialog(ledger, lambda f: None, window, branch_id=branch, year=2026)
        dlg.dialog.resize(1100, 640)
        dlg.dialog.show()
        shot("precheck", dlg.dialog)
        dlg.dialog.close()
        assert isinstance(page.search, QLineEdit)
    finally:
        ctx.tasks.wait(30000)
        window.close()
        ctx.set_ledger(None)
        shutil.rmtree(work, ignore_errors=True)
    return written


if __name__ == "__main__":
    for p in render(Path(sys.argv[1]), Path(sys.argv[2])):
        print(p)
