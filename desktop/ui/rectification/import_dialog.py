"""从Excel导入整改清单: choose a file and sheet, adjust the column mapping, preview every row with
its errors, then import in one transaction. Nothing is written before 确认导入."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QWidget,
)

from desktop.domain.errors import DomainValidationError, ValidationErrors
from desktop.services import rect_excel as rx
from desktop.services.rectification import counts_sentence

from ..errors import error_text
from ..forms import child, load_form
from ..models import Column, RowFilterProxy, RowTableModel, make_view_sortable
from .common import default_dir

ERROR_BG = QColor("#fde0e0")
WARN_BG = QColor("#fff1cc")


class PreviewModel(RowTableModel):
    """Rows of the preview; rows with errors are red, rows with warnings amber."""

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid():
            row: rx.PreviewRow = self.row_at(index.row())
            if row.errors:
                return QBrush(ERROR_BG)
            if row.warnings:
                return QBrush(WARN_BG)
            return None
        return super().data(index, role)


def _check_text(r: rx.PreviewRow) -> str:
    return "；".join(r.errors) if r.errors else ("提示：" + "；".join(r.warnings) if r.warnings else "可导入")


PREVIEW_COLUMNS = (
    Column("行号", lambda r: r.row_number, align="right", width=46),
    Column("检查结果", _check_text, width=220, tooltip=lambda r: "\n".join(r.errors + r.warnings),
           color=lambda r: "#b71c1c" if r.errors else None),
    Column("类别", lambda r: r.category, width=80),
    Column("问题表现", lambda r: " ".join(r.problem.split()), width=200, tooltip=lambda r: r.problem),
    Column("来源", lambda r: r.source, width=70),
    Column("重点", lambda r: "是" if r.is_key else "", width=40),
    Column("整改措施", lambda r: " ".join(r.measure.content.split()) if r.measure else "", width=220),
    Column("责任领导", lambda r: r.measure.leader if r.measure else "", width=70),
    Column("责任部门/责任人", lambda r: r.measure.owner if r.measure else "", width=100),
    Column("整改时限", lambda r: r.measure.deadline if r.measure else None, width=86),
    Column("类型", lambda r: r.measure.type if r.measure else "", width=70),
    Column("状态", lambda r: r.measure.status if r.measure else "", width=90),
    Column("进展", lambda r: len(r.progress) and f"{len(r.progress)}条", width=50),
)


class ImportDialog:
    """Controller of forms/rect_import.ui. ``imported`` holds the counts written, if any."""

    def __init__(self, ledger, campaign_id: str, campaign_name: str, parent: QWidget | None = None):
        self.ledger, self.campaign_id = ledger, campaign_id
        self.dialog: QDialog = load_form("rect_import", parent)  # type: ignore[assignment]
        self.dialog._controller = self
        self.sheet: rx.SheetData | None = None
        self.preview: rx.ImportPreview | None = None
        self.imported: tuple[int, int, int, int] | None = None
        self.combos: dict[str, QComboBox] = {}
        self.path: Path | None = None
        self.w(QLabel, "targetLabel").setText(f"导入到：{campaign_name}（已有的同名类别会沿用，问题和措施追加在后面）")
        self.model = PreviewModel(PREVIEW_COLUMNS, self.dialog)
        self.proxy = RowFilterProxy(self.dialog)
        make_view_sortable(self.w(QTableView, "previewView"), self.model, self.proxy)
        form: QFormLayout = child(self.dialog, QFormLayout, "mappingForm")
        for col in rx.COLUMNS:
            combo = QComboBox(self.dialog)
            combo.setObjectName(f"map_{col.key}")
            combo.currentIndexChanged.connect(self.refresh_preview)
            self.combos[col.key] = combo
            form.addRow(col.label + (" *" if col.required else ""), combo)
        splitter = self.w(QSplitter, "importSplitter")
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 840])
        self.w(QPushButton, "browseButton").clicked.connect(self.browse)
        self.w(QComboBox, "sheetCombo").currentIndexChanged.connect(self._sheet_changed)
        self.w(QCheckBox, "skipErrorsCheck").toggled.connect(self._update_summary)
        self.w(QPushButton, "importButton").clicked.connect(self.do_import)
        self.w(QPushButton, "cancelButton").clicked.connect(self.dialog.reject)
        self._update_summary()

    def w(self, cls: type, name: str):
        return child(self.dialog, cls, name)

    def exec(self) -> int:
        return self.dialog.exec()

    # ---------------------------------------------------------------- loading
    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.dialog, "选择整改清单Excel文件", default_dir(), "Excel 工作簿 (*.xlsx)")
        if path:
            self.load(Path(path))

    def load(self, path: Path, sheet: str | None = None) -> None:
        try:
            data = rx.read_sheet(path, sheet)
        except DomainValidationError as exc:
            QMessageBox.warning(self.dialog, "无法读取文件", exc.message)
            return
        self.path, self.sheet = path, data
        self.w(QLineEdit, "pathEdit").setText(str(path))
        sheets = self.w(QComboBox, "sheetCombo")
        sheets.blockSignals(True)
        sheets.clear()
        sheets.addItems(list(data.sheet_names))
        sheets.setCurrentText(data.sheet_name)
        sheets.blockSignals(False)
        mapping = rx.guess_mapping(data.headers)
        for key, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("（不导入）", None)
            for i, h in enumerate(data.headers):
                combo.addItem(f"第{i + 1}列：{h or '（无表头）'}", i)
            combo.setCurrentIndex(max(0, combo.findData(mapping[key])))
            combo.blockSignals(False)
        self.refresh_preview()

    def _sheet_changed(self) -> None:
        if self.path is not None:
            self.load(self.path, self.w(QComboBox, "sheetCombo").currentText())

    def mapping(self) -> dict[str, int | None]:
        return {key: combo.currentData() for key, combo in self.combos.items()}

    def refresh_preview(self) -> None:
        if self.sheet is None:
            return
        self.preview = rx.build_preview(self.sheet, self.mapping(), date.today())
        self.model.set_rows(self.preview.rows)
        self._update_summary()

    def _update_summary(self) -> None:
        label, button = self.w(QLabel, "summaryLabel"), self.w(QPushButton, "importButton")
        p = self.preview
        if p is None:
            label.setText("请选择要导入的 .xlsx 文件。表头可以是 序号、类别、问题表现、问题来源、整改措施、整改目标、"
                          "责任领导、责任部门/责任人、整改时限、整改类型、进展、状态、销号日期；合并单元格会按所在范围识别。")
            button.setEnabled(False)
            return
        skip = self.w(QCheckBox, "skipErrorsCheck").isChecked()
        if p.mapping_errors:
            label.setText("；".join(p.mapping_errors))
            button.setEnabled(False)
            return
        counts = p.counts(skip_errors=True)
        text = f"共{len(p.rows)}行，可导入：{counts_sentence(*counts)}。"
        if p.error_rows:
            text += f"\n有{p.error_rows}行存在错误（红色，鼠标停留可看原因）。" + (
                "这些行将被跳过。" if skip else "请修改Excel后重新选择文件，或勾选“跳过有错误的行”。")
        button.setEnabled(p.can_import and (skip or not p.error_rows))
        label.setText(text)

    # ---------------------------------------------------------------- import
    def do_import(self) -> None:
        if self.preview is None:
            return
        skip = self.w(QCheckBox, "skipErrorsCheck").isChecked()
        try:
            self.imported = rx.import_preview(self.ledger, self.campaign_id, self.preview, skip_errors=skip)
        except (ValidationErrors, DomainValidationError, LookupError) as exc:
            QMessageBox.warning(self.dialog, "导入失败", f"没有导入任何内容。\n{error_text(exc)}")
            return
        self.dialog.accept()
