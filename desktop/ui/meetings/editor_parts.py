"""Two parts of the editor with their own lists: attachments, and the pre-check findings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)

from desktop.domain.errors import DomainValidationError
from desktop.domain.precheck import Finding
from desktop.services import meetings as svc

from ..errors import show_error
from ..models.table import Column, RowFilterProxy, RowTableModel, make_view_sortable


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


class AttachmentsPart:
    def __init__(self, editor):
        self.editor = editor
        w = editor.form.w
        self.view: QTableView = w(QTableView, "attachmentsView")
        self.model = RowTableModel([
            Column("文件名", lambda a: a.filename, width=260),
            Column("类型", lambda a: a.mime, width=130),
            Column("大小", lambda a: a.size, text=lambda a: _size(a.size), align="right", width=80),
            Column("说明", lambda a: a.caption),
        ])
        self.proxy = RowFilterProxy()
        make_view_sortable(self.view, self.model, self.proxy)
        w(QPushButton, "addAttachmentButton").clicked.connect(self.add)
        w(QPushButton, "saveAttachmentButton").clicked.connect(self.save_as)
        w(QPushButton, "removeAttachmentButton").clicked.connect(self.remove)

    def show(self, detail: svc.MeetingDetail | None) -> None:
        self.model.set_rows(list(detail.attachments) if detail else [])
        label = self.editor.form.w(QLabel, "reopeningsLabel")
        if detail and detail.reopenings:
            label.setText("\n".join(f"{r.at.astimezone():%Y-%m-%d %H:%M} 重新打开：{r.reason}" for r in detail.reopenings))
        else:
            label.setText("无")

    def set_read_only(self, ro: bool) -> None:
        w = self.editor.form.w
        w(QPushButton, "addAttachmentButton").setEnabled(not ro)
        w(QPushButton, "removeAttachmentButton").setEnabled(not ro)

    def _current(self):
        idx = self.view.currentIndex()
        return self.proxy.row_at(idx.row()) if idx.isValid() else None

    def add(self) -> None:
        ed = self.editor
        if ed.meeting_id is None or ed.dirty:
            if not ed.save():
                return
        files, _ = QFileDialog.getOpenFileNames(ed.widget, "添加附件", "",
                                                "图片和扫描件 (*.jpg *.jpeg *.png *.bmp *.tif *.tiff *.pdf);;所有文件 (*)")
        for f in files:
            try:
                svc.add_attachment(ed.ctx.require_ledger(), ed.meeting_id, Path(f))
            except DomainValidationError as exc:
                QMessageBox.warning(ed.widget, "添加附件", exc.message)
        if files:
            self.show(svc.get_meeting(ed.ctx.require_ledger(), ed.meeting_id))

    def save_as(self) -> None:
        a = self._current()
        if a is None:
            return
        dest, _ = QFileDialog.getSaveFileName(self.editor.widget, "附件另存为", a.filename)
        if dest:
            try:
                svc.save_attachment_as(self.editor.ctx.require_ledger(), a.id, Path(dest))
            except OSError as exc:
                QMessageBox.warning(self.editor.widget, "附件另存为", f"无法写入 {dest}：{exc.strerror or exc}")

    def remove(self) -> None:
        a = self._current()
        ed = self.editor
        if a is None:
            return
        if QMessageBox.question(ed.widget, "删除附件", f"删除附件“{a.filename}”？") != QMessageBox.StandardButton.Yes:
            return
        try:
            svc.remove_attachment(ed.ctx.require_ledger(), a.id)
        except DomainValidationError as exc:
            show_error(ed.widget, exc)
            return
        self.show(svc.get_meeting(ed.ctx.require_ledger(), ed.meeting_id))


# Finding field label → (tab, widget to focus)
JUMP = {
    "会议日期": ("basicTab", "dateEdit"), "开始时间": ("basicTab", "startEdit"), "结束时间": ("basicTab", "endEdit"),
    "会议地点": ("basicTab", "placeEdit"), "主持人": ("basicTab", "hostCombo"), "记录人": ("basicTab", "recorderCombo"),
    "会议次数": ("basicTab", "numberSpin"), "授课人": ("basicTab", "lecturerEdit"),
    "党课题目": ("basicTab", "lectureTitleEdit"), "内容摘要": ("basicTab", "summaryEdit"),
    "活动主题": ("basicTab", "themeEdit"), "规定动作": ("basicTab", "requiredActionsEdit"),
    "参会人员": ("attendanceTab", "attendanceView"), "缺席人员": ("attendanceTab", "attendanceView"),
    "不计入应到人员": ("attendanceTab", "attendanceView"), "实到人数": ("attendanceTab", "attendanceView"),
    "议题": ("contentTab", "agendaEdit"), "会议内容": ("contentTab", "contentEdit"),
    "发言记录": ("contentTab", "speechesView"), "批评与自我批评": ("contentTab", "speechesView"),
    "表决情况": ("votesTab", "motionsView"), "决议": ("votesTab", "resolutionEdit"),
}
COLORS = {"error": "#b71c1c", "warning": "#9a6700"}


class FindingsPart:
    def __init__(self, editor):
        self.editor = editor
        w = editor.form.w
        self.list: QListWidget = w(QListWidget, "findingsList")
        self.list.itemActivated.connect(self._jump)
        self.list.itemDoubleClicked.connect(self._jump)
        w(QPushButton, "runCheckButton").clicked.connect(editor.run_check)

    def clear(self) -> None:
        self.list.clear()
        self.editor.form.w(QLabel, "checkSummary").setText("点击“自查”检查本记录")

    def show(self, findings: list[Finding]) -> None:
        self.list.clear()
        errors = sum(1 for f in findings if f.severity == "error")
        summary = "自查未发现问题，可以定稿。" if not findings else \
            f"发现 {errors} 个错误（须改正才能定稿）、{len(findings) - errors} 条提醒"
        self.editor.form.w(QLabel, "checkSummary").setText(summary)
        for f in findings:
            item = QListWidgetItem(f"{'错误' if f.severity == 'error' else '提醒'}｜{f.field}：{f.message}")
            item.setForeground(QBrush(QColor(COLORS[f.severity])))
            item.setData(Qt.ItemDataRole.UserRole, f.field)
            item.setData(Qt.ItemDataRole.UserRole + 1, f.message)
            self.list.addItem(item)

    def _jump(self, item: QListWidgetItem) -> None:
        target = JUMP.get(item.data(Qt.ItemDataRole.UserRole))
        if not target:
            return
        w = self.editor.form.w
        self.editor.tabs.setCurrentWidget(w(QWidget, target[0]))
        widget = w(QWidget, target[1])
        widget.setFocus()
        if target[1] == "attendanceView":  # select the member the finding names
            message = item.data(Qt.ItemDataRole.UserRole + 1) or ""
            rows = self.editor.attendance.rows
            hit = next((i for i, r in enumerate(rows) if message.startswith(r["name"] + " ")), None)
            if hit is not None:
                widget.selectRow(hit)
