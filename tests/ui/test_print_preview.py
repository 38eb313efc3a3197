"""打印预览 inside the program (pypdfium2 pages, QtPrintSupport printing), a remembered print
folder, and PDF + Word in one go."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.services import rectification as rect
from desktop.services.export import ExportFilters, export
from desktop.ui import preview as preview_module
from desktop.ui.preview import PrintPreview


def _campaign_pdf(ledger, out: Path) -> Path:
    cid = rect.save_campaign(ledger, rect.CampaignInput("学习贯彻主题教育", 2026))
    cat = rect.save_category(ledger, cid, "理论学习")
    problem = rect.save_problem(ledger, rect.ProblemInput(cat, "理论学习不够系统深入" * 6, "自查"))
    for i in range(40):
        rect.save_measure(ledger, rect.MeasureInput(problem, f"第{i + 1}项措施：" + "制定学习计划并按月检查落实" * 4,
                                                    leader="王建军", deadline=date(2027, 6, 30)))
    (pdf,) = export(ledger, "rectification", out, "pdf", ExportFilters(campaign=cid)).paths
    return pdf


def test_preview_shows_every_page_and_prints_them(qtbot, org_ledger, tmp_path):
    pdf = _campaign_pdf(org_ledger, tmp_path)
    pages = len(PdfReader(pdf).pages)
    assert pages >= 3
    dialog = PrintPreview(pdf)
    qtbot.addWidget(dialog)
    assert dialog.page_count() == pages and len(dialog.page_labels) == pages
    first = dialog.page_labels[0].pixmap()
    assert first.height() > first.width() * 0.6  # a real page image, landscape A4 here
    image = first.toImage()
    dark = sum(1 for x in range(0, image.width(), 4) for y in range(0, image.height() // 3, 4)
               if image.pixelColor(x, y).lightness() < 128)
    assert dark > 50  # text and table rules were drawn, not a blank page
    width = first.width()
    dialog.zoom_in.click()
    assert dialog.page_labels[0].pixmap().width() > width and dialog.zoom_label.text() == "125%"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)  # 打印 to a PDF printer: same pages come out
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dialog.print_to(printer) == pages
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == pages
    printer2 = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer2.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer2.setOutputFileName(str(tmp_path / "two.pdf"))
    assert dialog.print_to(printer2, range(1, 3)) == 2
    assert len(PdfReader(tmp_path / "two.pdf").pages) == 2


def test_export_page_opens_the_preview_of_the_exported_pdf(qtbot, main_window, app_ctx, tmp_path, monkeypatch):
    main_window.show_page("export")
    page = main_window.pages["export"]
    row = next(i for i in range(page.kinds.count()) if page.kinds.item(i).data(0x0100) == "roster")
    page.kinds.setCurrentRow(row)
    page.fmt.setCurrentIndex(page.fmt.findData("both"))
    page.out_dir.setText(str(tmp_path / "导出"))
    page.export_button.click()
    qtbot.waitUntil(lambda: not app_ctx.tasks._jobs and page.export_button.isEnabled(), timeout=60000)
    names = sorted(page.results.item(i).text() for i in range(page.results.count()))
    assert [Path(n).suffix for n in names] == [".docx", ".pdf"]  # PDF and Word at once
    shown = []
    monkeypatch.setattr(PrintPreview, "exec", lambda self: shown.append(self.page_count()) or 0)
    docx_row = next(i for i in range(page.results.count()) if page.results.item(i).text().endswith(".docx"))
    page.results.setCurrentRow(docx_row)
    assert not page.preview_button.isEnabled()
    page.results.setCurrentRow(1 - docx_row)
    assert page.preview_button.isEnabled()
    page.preview_button.click()
    pdf = tmp_path / "导出" / page.results.item(1 - docx_row).text()
    assert shown == [len(PdfReader(pdf).pages)]


def test_unreadable_pdf_is_said_plainly(qtbot, tmp_path, monkeypatch):
    bad = tmp_path / "坏.pdf"
    bad.write_bytes(b"not a pdf")
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    assert preview_module.show_preview(None, bad) is None
    assert warned and str(bad) in warned[0]


def test_print_folder_is_remembered_and_both_formats_written(qtbot, app_ctx, org_ledger, tmp_path, monkeypatch):
    from desktop.ui import results
    from desktop.ui.meetings import printing

    app_ctx.set_ledger(org_ledger)
    starts = []
    target = tmp_path / "打印"
    target.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda parent, title, start: starts.append(start)
                        or str(target))
    offered = []
    monkeypatch.setattr(printing, "offer_open", lambda parent, title, text, paths: offered.append(paths))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: offered.append([]))
    parent = results.QWidget()
    qtbot.addWidget(parent)
    for _ in range(2):
        printing.run_export(app_ctx, parent, "compliance", "both", ExportFilters(year=2026), "统计表")
        qtbot.waitUntil(lambda: not app_ctx.tasks._jobs, timeout=60000)
    assert starts[1] == str(target)  # the second print starts where the first one went
    suffixes = [p.suffix for p in offered[0]]
    assert set(suffixes) == {".docx", ".pdf"} and suffixes.count(".pdf") == suffixes.count(".docx")
