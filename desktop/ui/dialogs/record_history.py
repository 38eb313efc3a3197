"""记录 › 修改历史: the change history of the meeting or member selected on the current page."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ..formdialog import FormDialog

COLUMNS = ("时间", "事件", "内容", "原来", "改为", "副本", "版本")


class RecordHistoryDialog(FormDialog):
    form_name = "record_history"

    def __init__(self, title: str, rows, parent: QWidget | None = None):
        super().__init__(parent)
        self.w(QLabel, "titleLabel").setText(f"{title}：共 {len(rows)} 条修改记录（时间为本机时间）")
        table = self.table = self.w(QTableWidget, "historyTable")
        table.setColumnCount(len(COLUMNS))
        table.setHorizontalHeaderLabels(list(COLUMNS))
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = (f"{row.at:%Y-%m-%d %H:%M}", row.event, row.what, row.old, row.new, row.copy, str(row.version))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(r, c, item)
        header = table.horizontalHeader()
        for c in range(len(COLUMNS)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch if c in (3, 4)
                                        else QHeaderView.ResizeMode.ResizeToContents)  # fmt: skip
        table.verticalHeader().setVisible(False)
        table.resizeRowsToContents()
        self.w(QPushButton, "closeButton").clicked.connect(self.dialog.accept)


def selected_record(window) -> tuple[str, str] | None:
    """(id, title) of the meeting or member selected on the current page, or None."""
    page = window.current_page() if hasattr(window, "current_page") else None
    if page is None:
        return None
    if hasattr(page, "selected_row"):  # 三会一课
        row = page.selected_row()
        if row is not None:
            return row.id, f"会议“{row.title}”（{row.date}）"
    if hasattr(page, "selected"):  # 党员
        row = page.selected()
        if row is not None and hasattr(row, "name"):
            return row.id, f"党员 {row.name}"
    return None


def show_history(window, ctx) -> None:
    from desktop.services.record_history import record_history

    found = selected_record(window) if ctx.ledger is not None else None
    if found is None:
        QMessageBox.information(window, "修改历史", "请先在“三会一课”或“党员”页面中选中一条记录。")
        return
    rid, title = found
    RecordHistoryDialog(title, record_history(ctx.ledger, rid), window).exec()
