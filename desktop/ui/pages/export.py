"""导出打印: choose a document, its range and format; the files are written in the background
(desktop.services.export.export) and can be opened directly or shown in their folder."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.services.document_kinds import DocumentKind, document_kinds, find_document_kind
from desktop.services.export import ExportCancelled, ExportFilters, export
from desktop.services.organization import list_branches
from desktop.store.changes import ChangeEvent, RecordKind

from ..context import AppContext
from ..errors import show_error
from ..forms import child, load_form
from ..pcsettings import settings_for
from ..results import open_with_system
from .base import Page

PATH_ROLE = Qt.ItemDataRole.UserRole
ROW_WIDGETS = {"branch": "branchCombo", "year": "yearSpin", "period": "periodCombo", "campaign": "campaignCombo",
               "reveal": "revealIdsCheck", "meeting_kind": "meetingKindCombo", "signin": "withSigninCheck",
               "drafts": "includeDraftsCheck"}


class ExportPage(Page):
    title = "导出打印"
    icon_name = "export"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.form = load_form("export", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        f = self.form
        self.kinds: QListWidget = child(f, QListWidget, "kindList")
        self.description: QLabel = child(f, QLabel, "descriptionLabel")
        self.branch: QComboBox = child(f, QComboBox, "branchCombo")
        self.year: QSpinBox = child(f, QSpinBox, "yearSpin")
        self.period: QComboBox = child(f, QComboBox, "periodCombo")
        self.campaign: QComboBox = child(f, QComboBox, "campaignCombo")
        self.fmt: QComboBox = child(f, QComboBox, "formatCombo")
        self.reveal: QCheckBox = child(f, QCheckBox, "revealIdsCheck")
        self.with_signin: QCheckBox = child(f, QCheckBox, "withSigninCheck")
        self.include_drafts: QCheckBox = child(f, QCheckBox, "includeDraftsCheck")
        self.out_dir: QLineEdit = child(f, QLineEdit, "outDirEdit")
        self.results: QListWidget = child(f, QListWidget, "resultList")
        self.result_label: QLabel = child(f, QLabel, "resultLabel")
        self.warnings: QPlainTextEdit = child(f, QPlainTextEdit, "warningsText")
        self.options: QFormLayout = child(f, QFormLayout, "optionsForm")
        self.export_button: QPushButton = child(f, QPushButton, "exportButton")
        self.open_file: QPushButton = child(f, QPushButton, "openFileButton")
        self.open_folder: QPushButton = child(f, QPushButton, "openFolderButton")
        self.preview_button: QPushButton = child(f, QPushButton, "previewButton")
        self.running = False
        for kind in document_kinds():
            item = QListWidgetItem(kind.label)
            item.setData(PATH_ROLE, kind.name)
            self.kinds.addItem(item)
        self.year.setValue(date.today().year)
        self.fmt.addItem("PDF（直接打印）", "pdf")
        self.fmt.addItem("Word（.docx，可修改）", "docx")
        self.fmt.addItem("PDF 和 Word 各一份", "both")
        settings = settings_for(self)
        self.fmt.setCurrentIndex(max(0, self.fmt.findData(settings.value("export/format", "pdf"))))
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        self.out_dir.setText(str(settings.value("export/outDir", "") or Path(docs) / "支部台账导出"))
        # 会议类型 is not a filter the export service offers: hide that row
        kind_combo = child(f, QComboBox, "meetingKindCombo")
        self.options.setRowVisible(kind_combo, False)
        self.kinds.currentRowChanged.connect(self._kind_changed)
        self.results.currentRowChanged.connect(lambda *_: self._update_buttons())
        self.results.itemActivated.connect(lambda _i: self.open_selected())
        child(f, QPushButton, "browseOutButton").clicked.connect(self.browse)
        self.export_button.clicked.connect(self.start_export)
        self.open_file.clicked.connect(self.open_selected)
        self.preview_button.clicked.connect(self.preview_selected)
        self.open_folder.clicked.connect(self.open_selected_folder)
        self.kinds.setCurrentRow(0)
        self._update_buttons()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Print actions elsewhere remember their folder too: start from the last one used."""
        super().showEvent(event)
        remembered = settings_for(self).value("export/outDir", "")
        if remembered and not self.running:
            self.out_dir.setText(str(remembered))

    # ------------------------------------------------------------------ options
    def kind(self) -> str:
        item = self.kinds.currentItem()
        return item.data(PATH_ROLE) if item else "minutes"

    def spec(self) -> DocumentKind:
        """The chosen document kind (``desktop.services.document_kinds``)."""
        return find_document_kind(self.kind()) or document_kinds()[0]

    def _kind_changed(self) -> None:
        spec = self.spec()
        self.description.setText(spec.description)
        for row, name in ROW_WIDGETS.items():
            if row == "meeting_kind":
                continue
            widget = child(self.form, QWidget, name)
            self.options.setRowVisible(widget, spec.takes(row))
        self._fill_periods(spec)

    def _fill_periods(self, spec: DocumentKind) -> None:
        current = self.period.currentData()
        self.period.clear()
        if spec.whole_year:
            self.period.addItem("全年", ("year", 0))
        for q in range(1, 5):
            self.period.addItem(f"第{'一二三四'[q - 1]}季度", ("quarter", q))
        for m in range(1, 13):
            self.period.addItem(f"{m}月", ("month", m))
        index = self._period_index(current) if current else -1
        if index < 0 and not spec.whole_year:
            index = self._period_index(("month", date.today().month))
        self.period.setCurrentIndex(max(0, index))

    def _period_index(self, value: tuple[str, int]) -> int:
        """The row holding ``value`` (``findData`` compares Python objects by identity: an equal
        tuple built elsewhere is never found)."""
        return next((i for i in range(self.period.count()) if self.period.itemData(i) == tuple(value)), -1)

    def reload(self) -> None:
        ledger = self.ctx.ledger
        self.form.setEnabled(ledger is not None)
        current_branch, current_campaign = self.branch.currentData(), self.campaign.currentData()
        self.branch.clear()
        self.branch.addItem("全部支部", None)
        self.campaign.clear()
        if ledger is None:
            return
        for b in list_branches(ledger):
            self.branch.addItem(b.name, b.id)
        self.branch.setCurrentIndex(max(0, self.branch.findData(current_branch)))
        try:
            from desktop.services.rectification import list_campaigns

            campaigns = list_campaigns(ledger)
        except ImportError:
            campaigns = []
        for c in campaigns:
            self.campaign.addItem(f"{c.year}年 {c.name}", c.id)
        if not campaigns:
            self.campaign.addItem("（台账中还没有整改清单）", None)
        self.campaign.setCurrentIndex(max(0, self.campaign.findData(current_campaign)))

    def on_data_changed(self, event: ChangeEvent) -> None:
        if event.touches(RecordKind.BRANCH, RecordKind.CAMPAIGN):
            self.reload()

    def filters(self) -> ExportFilters:
        spec = self.spec()
        f = ExportFilters()
        if spec.takes("branch"):
            f.branch = self.branch.currentData()
        if spec.takes("year"):
            f.year = self.year.value()
        if spec.takes("period"):
            scope, n = self.period.currentData() or ("year", 0)
            if spec.period_as_dates:
                from desktop.domain.dates import month_range, quarter_range, year_range

                span = {"year": lambda: year_range(f.year), "quarter": lambda: quarter_range(f.year, n),
                        "month": lambda: month_range(f.year, n)}[scope]()
                f.date_from, f.date_to = span
            elif scope == "quarter":
                f.quarter = n
            elif scope == "month":
                f.month = n
        if spec.takes("campaign"):
            f.campaign = self.campaign.currentData()
        if spec.takes("reveal"):
            f.unmask = self.reveal.isChecked()
        if spec.takes("signin"):
            f.with_signin = self.with_signin.isChecked()
        if spec.takes("drafts"):
            f.drafts = self.include_drafts.isChecked()
        return f

    def browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择保存文件夹", self.out_dir.text())
        if folder:
            self.out_dir.setText(folder)

    # ------------------------------------------------------------------ export
    def start_export(self) -> None:
        ledger = self.ctx.ledger
        if ledger is None or self.running:
            return
        kind, fmt, filters = self.kind(), self.fmt.currentData(), self.filters()
        label = self.spec().label
        out = Path(self.out_dir.text().strip() or ".").expanduser()
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.result_label.setText(f"<span style='color:#b71c1c'>无法使用文件夹 {out}：{exc.strerror or exc}</span>")
            return
        settings = settings_for(self)
        settings.setValue("export/outDir", str(out))
        settings.setValue("export/format", fmt)
        self.running = True
        self.export_button.setEnabled(False)
        self.result_label.setText(f"正在导出{label} …")
        holder: dict[str, object] = {}

        def work(progress):
            return export(ledger, kind, out, fmt, filters, progress=progress,
                          cancel=lambda: bool(getattr(holder.get("job"), "cancelled", False)))

        holder["job"] = self.ctx.tasks.run(work, on_done=self._done, on_error=self._failed,
                                           title=f"正在导出{label}", parent=self)
        holder["job"].signals.failed.connect(lambda *_: self._finish())

    def _finish(self) -> None:
        self.running = False
        self.export_button.setEnabled(True)
        if self.result_label.text().startswith("正在导出"):
            self.result_label.setText("已取消。")

    def _done(self, result) -> None:
        self._finish()
        self.results.clear()
        for p in result.paths:
            item = QListWidgetItem(p.name)
            item.setData(PATH_ROLE, str(p))
            item.setToolTip(str(p))
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)
        folder = result.paths[0].parent if result.paths else ""
        self.result_label.setText(f"已生成 {len(result.paths)} 个文件，保存在 {folder}")
        notes = [*getattr(result, "notices", []), *result.warnings]  # notices: e.g. drafts bound in a ledger
        self.warnings.setPlainText("\n".join(str(w) for w in notes))
        if notes:
            self.result_label.setText(self.result_label.text()
                                      + f"<br><span style='color:#9a6700'>有 {len(notes)} 处需要注意，见下方。</span>")
        self._update_buttons()

    def _failed(self, exc: BaseException, tb: str) -> None:
        self._finish()
        if isinstance(exc, ExportCancelled):
            self.result_label.setText(str(exc))
            return
        from desktop.services.export import DocumentFontError, ExportError

        if isinstance(exc, ExportError | DocumentFontError):  # among them 磁盘已满 (ExportWriteError)
            text = html.escape(str(exc)).replace("\n", "<br>")
            self.result_label.setText(f"<span style='color:#b71c1c'>{text}</span>")
            self.results.clear()
            for p in getattr(exc, "written", []):  # the files that were complete can still be opened
                item = QListWidgetItem(p.name)
                item.setData(PATH_ROLE, str(p))
                item.setToolTip(str(p))
                self.results.addItem(item)
            self._update_buttons()
            return
        self.result_label.setText("<span style='color:#b71c1c'>导出失败。</span>")
        show_error(self, exc, tb, action="exporting")

    # ------------------------------------------------------------------ results
    def selected_path(self) -> Path | None:
        item = self.results.currentItem()
        return Path(item.data(PATH_ROLE)) if item else None

    def _update_buttons(self) -> None:
        path = self.selected_path()
        has = path is not None
        self.open_file.setEnabled(has)
        self.open_folder.setEnabled(has)
        is_pdf = has and path.suffix.lower() == ".pdf"
        self.preview_button.setEnabled(is_pdf)
        self.preview_button.setToolTip("在程序里查看并打印这个 PDF" if is_pdf else
                                       "选中一个 PDF 文件后可预览打印（Word 文件请用 WPS 或 Word 打开）")

    def preview_selected(self) -> None:
        path = self.selected_path()
        if path is not None and path.suffix.lower() == ".pdf":
            from ..preview import show_preview

            show_preview(self, path)

    def open_selected(self) -> None:
        path = self.selected_path()
        if path is not None:
            open_with_system(self, path)

    def open_selected_folder(self) -> None:
        path = self.selected_path()
        if path is not None:
            open_with_system(self, path, folder=True)
