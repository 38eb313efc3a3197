"""记录 › 修改历史: the change history of the record selected on the current page — every page
with records says which through ``history_target()`` (id, title): meetings, members, branches,
groups, posts, rectification items, measures and progress, 政治生日 activities."""

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
    """(id, title) of the record selected on the current page, or None."""
    page = window.current_page() if hasattr(window, "current_page") else None
    if page is None or not hasattr(page, "history_target"):
        return None
    return page.history_target()


def show_history(window, ctx) -> None:
    from desktop.services.record_history import record_history

    found = selected_record(window) if ctx.ledger is not None else None
    if found is None:
        QMessageBox.information(window, "修改历史", "请先选中一条记录（会议、党员、支部、党小组、职务、整改事项、政治生日活动等）。")
        return
    rid, title = found
    RecordHistoryDialog(title, record_history(ctx.ledger, rid), window).exec()
