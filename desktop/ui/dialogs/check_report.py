"""文件 › 检查数据库: runs desktop.services.files.check_ledger in the background (it never
modifies the file) and shows the report with copyable text."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QWidget

from ..errors import show_error
from ..formdialog import FormDialog


def report_text(report: Any) -> tuple[bool, str, str]:
    """(ok, headline, details) of a desktop.services.files.CheckReport."""
    from desktop.store.target import is_server_url

    what = "服务器台账" if is_server_url(str(report.path)) else "台账文件"
    if report.ok:
        headline = f"检查通过：{what}完好。"
    elif not report.usable:
        headline = f"这不是一个可以使用的{what}。"
    else:
        headline = f"检查发现 {len(report.problems)} 个问题，详见下方。"
    return bool(report.ok), headline, "\n".join(report.summary_lines())


class CheckReportDialog(FormDialog):
    form_name = "check_report"

    def __init__(self, report: Any, path: str, parent: QWidget | None = None):
        super().__init__(parent)
        ok, summary, details = report_text(report)
        label = self.w(QLabel, "summaryLabel")
        label.setText(("✔ " if ok else "✘ ") + summary)
        label.setProperty("role", "headline" if ok else "error")
        self.w(QLabel, "pathLabel").setText(path if path.startswith("服务器") else f"文件：{path}")
        self.w(QPlainTextEdit, "detailsText").setPlainText(details or "（无更多信息）")
        self.w(QPushButton, "copyButton").clicked.connect(
            lambda: QGuiApplication.clipboard().setText(f"{summary}\n{path}\n{details}"))
        self.w(QPushButton, "closeButton").clicked.connect(self.dialog.accept)


def run_check(parent: QWidget, ctx, target) -> None:
    """Check the open ledger (or a file path) in the background, then show the report."""
    from desktop.services.files import check_ledger

    path = getattr(target, "path", target)
    shown = target.description if getattr(target, "is_server", False) else str(path)

    def work(progress):
        progress(0, 0, f"正在检查 {path} …")
        return check_ledger(target)

    ctx.tasks.run(work, title="正在检查数据库", parent=parent, cancellable=False,
                  on_done=lambda report: CheckReportDialog(report, shown, parent).exec(),
                  on_error=lambda exc, tb: show_error(parent, exc, tb, action="checking"))
