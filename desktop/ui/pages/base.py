"""The contract between the main window and its pages."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ..context import AppContext


class Page(QWidget):
    """A navigation page. Subclasses set ``title`` (Chinese, shown in the navigation) and
    ``icon_name`` (file in resources/icons/ without extension), build their UI from a form in
    ``__init__``, and implement :meth:`reload`.

    - ``reload()``: re-read everything from ``ctx.ledger`` (called on ``ledgerChanged`` and when
      the page is first shown); must cope with ``ctx.ledger is None``.
    - ``on_data_changed(models)``: refresh if any of the changed model names matter here.
    - ``open_record(kind, record_id)``: show one record (首页 reminders and pre-check lists call
      this through ``MainWindow.open_record``); return True if handled.
    - ``maybe_close()``: return False to veto closing or switching ledgers (unsaved edits).
    """

    title = ""
    icon_name = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        ctx.ledgerChanged.connect(self.reload)
        ctx.dataChanged.connect(self.on_data_changed)

    def reload(self) -> None:
        raise NotImplementedError

    def on_data_changed(self, models: set[str]) -> None:
        self.reload()

    def open_record(self, kind: str, record_id: str) -> bool:
        return False

    def maybe_close(self) -> bool:
        return True
