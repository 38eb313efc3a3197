"""从 Excel 导入党员名册: choose a file, check the column mapping, preview every row with its
errors, then import the good rows in one transaction (nothing is written before 导入)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop.services.member_io import (
    FIELDS,
    REQUIRED,
    ImportFileError,
    ImportPreview,
    ImportRow,
    RawTable,
    commit_import,
    guess_mapping,
    preview_import,
    read_table,
    write_import_template,
)
from desktop.services.organization import list_branches

from ..errors import show_error
from ..formdialog import FormDialog
from ..models import Column, RowFilterProxy, RowTableModel, make_view_sortable
from ..models.table import display
from ..pcsettings import settings_for
from ..results import offer_open

ERROR_COLOR = "#b71c1c"
EXISTS_COLOR = "#666666"


def _value(row: ImportRow, key: str) -> str:
    """What the cell was understood as (a date as it will be stored), not its raw text."""
    if key in row.understood:
        return row.understood[key]
    return display(row.values.get(key))


def _result(row: ImportRow) -> str:
    if row.errors:
        return "有错误"
    return "已存在" if row.exists else "可导入"


PREVIEW_COLUMNS = [
    Column("行", lambda r: r.line, align="right", width=44),
    Column("结果", _result, width=64,
           color=lambda r: ERROR_COLOR if r.errors else (EXISTS_COLOR if r.exists else None)),
    Column("问题", lambda r: "；".join(r.errors) or r.exists, width=320,
           color=lambda r: ERROR_COLOR if r.errors else EXISTS_COLOR,
           tooltip=lambda r: "\n".join(r.errors) or r.exists),
    *[Column(label, (lambda k: lambda r: _value(r, k))(key), width=90) for key, label, _ in FIELDS
      if key not in ("notes",)],
]


class MemberImportDialog(FormDialog):
    form_name = "member_import"

    def __init__(self, ctx, parent: QWidget | None = None, path: str | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.ledger = ctx.require_ledger()
        self.table: RawTable | None = None
        self.preview: ImportPreview | None = None
        self.imported = 0
        self.file_edit = self.w(QLineEdit, "fileEdit")
        self.default_branch = self.w(QComboBox, "defaultBranchCombo")
        self.mapping_table = self.w(QTableWidget, "mappingTable")
        self.errors_only = self.w(QCheckBox, "errorsOnlyCheck")
        self.summary = self.w(QLabel, "summaryLabel")
        self.model = RowTableModel(PREVIEW_COLUMNS, self.dialog)
        self.proxy = RowFilterProxy(self.dialog)
        make_view_sortable(self.w(QTableView, "previewTable"), self.model, self.proxy)
        self.default_branch.addItem("（请选择）", None)
        for b in list_branches(self.ledger):
            self.default_branch.addItem(b.name, b.id)
        self.default_branch.currentIndexChanged.connect(self.refresh_preview)
        self.errors_only.toggled.connect(
            lambda on: self.proxy.set_predicate((lambda r: not r.ok) if on else None))
        splitter = self.w(QSplitter, "splitter")
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([300, 700])
        self.w(QPushButton, "browseButton").clicked.connect(self.browse)
        self.w(QPushButton, "templateButton").clicked.connect(self.save_template)
        self.header_spin = self.w(QSpinBox, "headerRowSpin")
        self.header_spin.setEnabled(False)
        self.header_spin.valueChanged.connect(self._header_row_changed)
        self._setup_mapping_table()
        box = self.button_box()
        self.ok = box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("导入")
        self.ok.setEnabled(False)
        box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        box.accepted.connect(self.do_import)
        box.rejected.connect(self.dialog.reject)
        self.summary.setText("请选择党员名册文件（.xlsx 或 .csv）。必需的列：姓名、入党日期。"
                             "没有现成名册时，可先“下载模板…”填写。")
        if path:
            self.load(path)

    def _setup_mapping_table(self) -> None:
        t = self.mapping_table
        t.setColumnCount(2)
        t.setHorizontalHeaderLabels(["台账字段", "文件中的列"])
        t.setRowCount(len(FIELDS))
        t.verticalHeader().setVisible(False)
        t.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        t.horizontalHeader().setStretchLastSection(True)
        self.combos: dict[str, QComboBox] = {}
        for i, (key, label, _aliases) in enumerate(FIELDS):
            item = QTableWidgetItem(label + (" *" if key in REQUIRED else ""))
            t.setItem(i, 0, item)
            combo = QComboBox()
            combo.addItem("（不导入）", None)
            combo.currentIndexChanged.connect(self.refresh_preview)
            t.setCellWidget(i, 1, combo)
            self.combos[key] = combo

    def browse(self) -> None:
        settings = settings_for(self.dialog)
        start = str(settings.value("import/lastDir", "") or Path.home())
        name, _ = QFileDialog.getOpenFileName(self.dialog, "选择党员名册", start,
                                              "Excel 或 CSV (*.xlsx *.csv);;所有文件 (*)")
        if name:
            settings.setValue("import/lastDir", str(Path(name).parent))
            self.load(name)

    def save_template(self) -> None:
        settings = settings_for(self.dialog)
        start = Path(str(settings.value("import/lastDir", "") or Path.home())) / "党员名册模板.xlsx"
        name, _ = QFileDialog.getSaveFileName(self.dialog, "保存党员名册模板", str(start), "Excel 文件 (*.xlsx)")
        if not name:
            return
        target = Path(name) if name.lower().endswith(".xlsx") else Path(name + ".xlsx")
        try:
            write_import_template(target)
        except OSError as exc:
            QMessageBox.warning(self.dialog, "模板没有保存", f"无法写入 {target}：{exc.strerror or exc}")
            return
        settings.setValue("import/lastDir", str(target.parent))
        offer_open(self.dialog, "模板已保存", f"党员名册模板已保存到：\n{target}\n\n填好后在这里“选择文件…”导入。",
                   [target])

    def load(self, path: str) -> None:
        try:
            self.table = read_table(path)
        except ImportFileError as exc:
            QMessageBox.warning(self.dialog, "无法读取文件", str(exc))
            return
        self.file_edit.setText(str(path))
        self.header_spin.blockSignals(True)
        self.header_spin.setMaximum(max(1, min(15, len(self.table.all_rows))))
        self.header_spin.setValue(self.table.header_row + 1)
        self.header_spin.blockSignals(False)
        self.header_spin.setEnabled(True)
        self._apply_mapping()

    def _header_row_changed(self, value: int) -> None:
        if self.table is not None and value - 1 != self.table.header_row:
            self.table = self.table.with_header(value - 1)
            self._apply_mapping()

    def _apply_mapping(self) -> None:
        assert self.table is not None
        mapping = guess_mapping(self.table.headers)
        for key, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("（不导入）", None)
            for i, h in enumerate(self.table.headers):
                combo.addItem(f"{h or '（无列名）'}（第{i + 1}列）", i)
            index = mapping.get(key)
            combo.setCurrentIndex(0 if index is None else index + 1)
            combo.blockSignals(False)
        self.refresh_preview()

    def mapping(self) -> dict[str, int | None]:
        return {key: combo.currentData() for key, combo in self.combos.items()}

    def refresh_preview(self) -> None:
        if self.table is None:
            return
        self.preview = preview_import(self.ledger, self.table, self.mapping(), self.default_branch.currentData())
        self.model.set_rows(self.preview.rows)
        good, bad, known = len(self.preview.good), len(self.preview.bad), len(self.preview.existing)
        text = f"共 {len(self.preview.rows)} 行：{good} 行可以导入"
        if known:
            text += f"，{known} 行已存在（台账中已有，不重复导入）"
        if bad:
            text += f"，{bad} 行有错误（不会导入，可改正文件后重新选择）"
        self.summary.setText(text + "。")
        self.ok.setEnabled(good > 0)
        self.ok.setText(f"导入 {good} 人" if good else "导入")

    def do_import(self) -> None:
        preview = self.preview
        if preview is None or not preview.good:
            return
        if preview.bad:
            answer = QMessageBox.question(
                self.dialog, "确认导入",
                f"有 {len(preview.bad)} 行有错误，将不会导入。\n只导入其余 {len(preview.good)} 人吗？")
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.ok.setEnabled(False)

        def work(progress):
            return commit_import(self.ledger, preview, progress)

        def done(count: int) -> None:
            self.imported = count
            QMessageBox.information(self.dialog, "导入完成", f"已导入 {count} 名党员。")
            self.dialog.accept()

        def failed(exc, tb):
            self.ok.setEnabled(True)
            show_error(self.dialog, exc, tb, action="importing members")

        self.ctx.tasks.run(work, on_done=done, on_error=failed, title="正在导入党员", parent=self.dialog)
