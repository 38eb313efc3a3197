"""打印预览: a PDF the program wrote, shown page by page inside the program, with 打印.

Offices often have no PDF reader installed (or one that nags); the preview renders the pages with
pypdfium2 (PDFium, the engine of Chrome's PDF viewer; PySide6-Essentials has no QtPdf) and prints
them through QtPrintSupport: the system's print dialog (printer, copies, pages), then each page
rendered at the printer's resolution (at most 300 dpi), scaled to the printable area, centred.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from .pcsettings import settings_for

log = logging.getLogger(__name__)
POINTS_PER_INCH = 72
MAX_PRINT_DPI = 300
ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)


def render_page(doc: pdfium.PdfDocument, index: int, scale: float) -> QImage:
    """Page ``index`` as an RGB image, ``scale`` pixels per PDF point (1.0 = 72 dpi)."""
    page = doc[index]
    try:
        bitmap = page.render(scale=scale, rev_byteorder=True, fill_color=(255, 255, 255, 255))
        try:
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_RGB888 if bitmap.n_channels == 3 else QImage.Format.Format_RGBA8888)
            return image.copy()  # detach from PDFium's buffer before it is freed
        finally:
            bitmap.close()
    finally:
        page.close()


class PrintPreview(QDialog):
    """Pages of ``pdf`` one under the other; 放大/缩小, 打印…, 关闭."""

    def __init__(self, pdf: Path | str, parent: QWidget | None = None):
        super().__init__(parent)
        self.path = Path(pdf)
        self.doc = pdfium.PdfDocument(str(self.path))
        self.setWindowTitle(f"打印预览 — {self.path.name}")
        self.setObjectName("PrintPreview")
        self.zoom_index = ZOOMS.index(1.0)
        bar = QHBoxLayout()
        self.info = QLabel(f"{self.path.name}　共 {self.page_count()} 页")
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar.addWidget(self.info, 1)
        self.zoom_out = QPushButton("缩小")
        self.zoom_in = QPushButton("放大")
        self.zoom_label = QLabel()
        self.print_button = QPushButton("打印…")
        self.print_button.setDefault(True)
        close = QPushButton("关闭")
        for w in (self.zoom_out, self.zoom_label, self.zoom_in, self.print_button, close):
            bar.addWidget(w)
        for b in (self.zoom_out, self.zoom_in, close):
            b.setAutoDefault(False)  # Enter prints; it never zooms
        self.zoom_out.clicked.connect(lambda: self.set_zoom(self.zoom_index - 1))
        self.zoom_in.clicked.connect(lambda: self.set_zoom(self.zoom_index + 1))
        self.print_button.clicked.connect(self.print_dialog)
        close.clicked.connect(self.reject)
        self.pages_widget = QWidget()
        self.pages_widget.setObjectName("previewPages")
        self.pages_widget.setStyleSheet("#previewPages { background: #8a8a8a; }")
        self.pages_layout = QVBoxLayout(self.pages_widget)
        self.pages_layout.setSpacing(12)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.pages_widget)
        self.scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.scroll, 1)
        self.page_labels: list[QLabel] = []
        self.resize(900, 700)
        self.set_zoom(self.zoom_index)

    def page_count(self) -> int:
        return len(self.doc)

    def set_zoom(self, index: int) -> None:
        self.zoom_index = max(0, min(len(ZOOMS) - 1, index))
        zoom = ZOOMS[self.zoom_index]
        self.zoom_label.setText(f"{round(zoom * 100)}%")
        self.zoom_out.setEnabled(self.zoom_index > 0)
        self.zoom_in.setEnabled(self.zoom_index < len(ZOOMS) - 1)
        for label in self.page_labels:
            label.deleteLater()
        self.page_labels = []
        scale = zoom * self.logicalDpiX() / POINTS_PER_INCH * 0.9
        for i in range(self.page_count()):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(render_page(self.doc, i, scale)))
            label.setToolTip(f"第 {i + 1} 页，共 {self.page_count()} 页")
            label.setStyleSheet("border: 1px solid #555555;")
            self.pages_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)

    # ------------------------------------------------------------------ printing
    def print_to(self, printer: QPrinter, pages: range | None = None) -> int:
        """Print ``pages`` (default: all, or the range chosen in the print dialog); returns how many."""
        if pages is None:
            first, last = printer.fromPage(), printer.toPage()
            pages = range(first - 1, last) if first > 0 and last >= first else range(self.page_count())
        pages = range(max(0, pages.start), min(self.page_count(), pages.stop))
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError("打印机无法开始打印")
        try:
            target = printer.pageRect(QPrinter.Unit.DevicePixel).toRect()
            target.moveTo(0, 0)
            for n, i in enumerate(pages):
                if n:
                    printer.newPage()
                image = render_page(self.doc, i, dpi / POINTS_PER_INCH)
                size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                box = QRect(target.x() + (target.width() - size.width()) // 2,
                            target.y() + (target.height() - size.height()) // 2, size.width(), size.height())
                painter.drawImage(box, image)
        finally:
            painter.end()
        return len(pages)

    def print_dialog(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.path.stem)
        printer.setFromTo(1, self.page_count())
        settings = settings_for(self)
        name = str(settings.value("print/printer", "") or "")
        if name:
            printer.setPrinterName(name)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印")
        dialog.setMinMax(1, self.page_count())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.print_to(printer)
        except OSError as exc:
            QMessageBox.warning(self, "打印", f"没有打印：{exc}")
            return
        settings.setValue("print/printer", printer.printerName())

    def done(self, result: int) -> None:  # noqa: A003 - QDialog's name
        super().done(result)
        self.doc.close()


def show_preview(parent: QWidget | None, pdf: Path) -> PrintPreview | None:
    """Open the preview of ``pdf`` (modal); a file PDFium cannot read is said plainly."""
    try:
        preview = PrintPreview(pdf, parent)
    except (pdfium.PdfiumError, OSError) as exc:
        log.warning("preview of %s failed: %s", pdf, exc)
        QMessageBox.warning(parent, "打印预览", f"无法显示这个 PDF 文件：\n{pdf}\n\n{exc}")
        return None
    preview.exec()
    return preview
