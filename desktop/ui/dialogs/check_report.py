"""文件 › 检查数据库: runs desktop.services.files.check_ledger in the background (it never
modifies the file) and shows the report with copyable text."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QWidget

from ..errors import show_error
from .base import FormDialog


def report_text(report: Any) -> tuple[bool, str, str]:
    """(ok, one-line summary, details) from a CheckReport, whatever its exact shape."""
    ok = bool(getattr(report, "ok", not getattr(report, "problems", [])))
    summary = getattr(report, "summary", None)
    if callable(summary):
        summary = summary()
    if not summary:
        summary = "检查完毕，未发现问题。" if ok else "检查发现问题，详见下方。"
    lines: list[str] = []
    for attr in ("problems", "errors", "warnings", "findings", "notes", "details", "lines"):
        value = getattr(report, attr, None)
        if isinstance(value, list | tuple) and value:
            lines.extend(str(v) for v in value)
        elif isinstance(value, str) and value:
            lines.append(value)
    if not lines and dataclasses.is_dataclass(report):
        for f in dataclasses.fields(report):
            lines.append(f"{f.name}: {getattr(report, f.name)}")
    text = getattr(report, "text", None)
    if callable(text):
        lines = [text()]
    return ok, str(summary), "\n".join(lines)


class CheckReportDialog(FormDialog):
    form_name = "check_report"

    def __init__(self, report: Any, path: str, parent: QWidget | None = None):
        super().__init__(parent)
        ok, summary, details = report_text(report)
        label = self.w(QLabel, "summaryLabel")
        label.setText(("✔ " if ok else "✘ ") + summary)
        label.setProperty("role", "headline" if ok else "error")
        self.w(QLabel, "pathLabel").setText(f"文件：{path}")
        self.w(QPlainTextEdit, "detailsText").setPlainText(details or "（无更多信息）")
        self.w(QPushButton, "copyButton").clicked.connect(
            lambda: QGuiApplication.clipboard().setText(f"{summary}\n{path}\n{details}"))
        self.w(QPushButton, "closeButton").clicked.connect(self.dialog.accept)


def run_check(parent: QWidget, ctx, ledger) -> None:
    from desktop.services.files import check_ledger

    path = ledger.path

    def work(progress):
        progress(0, 0, f"正在检查 {path.name} …")
        try:
            return check_ledger(path, ledger=ledger)  # type: ignore[call-arg]
        except TypeError:
            return check_ledger(path)

    ctx.tasks.run(work, title="正在检查数据库", parent=parent, cancellable=False,
                  on_done=lambda report: CheckReportDialog(report, str(path), parent).exec(),
                  on_error=lambda exc, tb: show_error(parent, exc, tb, action="checking"))
