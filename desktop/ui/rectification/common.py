"""Helpers shared by the 整改清单 and 政治生日 dialogs: messages at the field, dates, printing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QStandardPaths
from PySide6.QtWidgets import QMessageBox, QWidget

from ..datefield import DateField
from ..errors import error_text
from ..results import choose_output_folder, offer_open

log = logging.getLogger(__name__)


def to_qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def from_qdate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def setup_date_edit(edit: DateField, value: date | None = None) -> None:
    edit.setDate(value or date.today())


def default_dir() -> str:
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return docs or str(Path.home())


def run_export(ctx, parent: QWidget, kind: str, fmt: str, filters: dict[str, Any], title: str,
               on_finished: Callable[[Any], None] | None = None) -> bool:
    """Print through the documents engineer's ``desktop.services.export.export`` in ctx.tasks.

    ``filters`` are the keyword arguments of ``export.ExportFilters``. Asks for the folder, runs the export in the background with progress, then offers to
    open the file or its folder. Returns False when nothing was started.
    """
    try:
        from desktop.services import export as export_service
    except ImportError:
        QMessageBox.warning(parent, title, "打印模块（desktop.services.export）未能加载，请检查安装是否完整。")
        return False
    ledger = ctx.ledger
    if ledger is None:
        return False
    chosen_dir = choose_output_folder(parent, f"{title}：选择保存位置")
    if chosen_dir is None:
        return False
    out_dir = str(chosen_dir)

    chosen = export_service.ExportFilters(**filters)

    def work(progress):
        return export_service.export(ledger, kind, Path(out_dir), fmt, chosen, progress=progress)

    def done(result) -> None:
        paths = [Path(p) for p in getattr(result, "paths", []) or []]
        warnings = list(getattr(result, "warnings", []) or [])
        if on_finished:
            on_finished(result)
        if not paths:
            QMessageBox.information(parent, title, "没有生成文件。" + ("\n" + "\n".join(warnings) if warnings else ""))
            return
        text = "已生成：\n" + "\n".join(str(p) for p in paths)
        if warnings:
            text += "\n\n注意：\n" + "\n".join(warnings)
        offer_open(parent, title, text, paths)

    def failed(exc: BaseException, tb: str) -> None:
        log.error("export %s failed: %s\n%s", kind, exc, tb)
        QMessageBox.warning(parent, title, f"打印失败：{error_text(exc)}")

    ctx.tasks.run(work, on_done=done, on_error=failed, title=title, parent=parent)
    return True
