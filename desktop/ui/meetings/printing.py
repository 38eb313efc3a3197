"""Print from the meetings page: minutes, sign-in sheet, the bound branch-year ledger.

Documents are made by desktop.services.export in ctx.tasks (background, with progress); then
the user may open the file or its folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.services.export import DocumentFontError, ExportError, ExportFilters, export

from ..errors import show_error
from ..results import choose_output_folder, offer_open

FORMAT_LABELS = {"pdf": "PDF", "docx": "Word", "both": "PDF 和 Word"}


def choose_folder(parent: QWidget, start: str = "") -> Path | None:
    """The remembered print folder (results.choose_output_folder); ``start`` is ignored."""
    return choose_output_folder(parent)


def run_export(ctx, parent: QWidget, kind: str, fmt: str, filters: ExportFilters, title: str,
               folder: Path | None = None) -> None:
    """Ask for a folder (unless given), export in the background, then offer to open the result."""
    out = folder or choose_folder(parent)
    if out is None:
        return
    ledger = ctx.require_ledger()

    def work(progress):
        return export(ledger, kind, out, fmt, filters, progress=progress)

    def done(result) -> None:
        paths = list(result.paths)
        if not paths:
            QMessageBox.information(parent, title, "没有生成文件（所选范围内没有记录）。")
            return
        text = f"已生成 {len(paths)} 个文件：\n" + "\n".join(str(p) for p in paths[:6])
        if len(paths) > 6:
            text += "\n……"
        if result.warnings:
            text += "\n\n注意：有字符在所选字体中缺字，已用替代字体，请打印前检查。"
        offer_open(parent, title, text, paths)

    def failed(exc: BaseException, tb: str) -> None:
        if isinstance(exc, ExportError | DocumentFontError):  # the user can act on these
            QMessageBox.warning(parent, title, str(exc))
            return
        show_error(parent, exc, tb, action=title)

    ctx.tasks.run(work, on_done=done, on_error=failed, title=f"正在生成{title}…", parent=parent)
