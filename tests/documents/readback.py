"""Helpers for reading rendered documents back."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

_WS = re.compile(r"\s+")


_PAGE_NO = re.compile(r"—\d+—")


def body(text: str) -> str:
    """``squash`` without the page numbers ``— N —`` that interrupt a text running over pages."""
    return _PAGE_NO.sub("", squash(text))


def squash(text: str) -> str:
    """Whitespace removed: lines wrap differently in PDF text extraction. Astral characters are
    dropped too (reportlab's ToUnicode map cannot name them, though the glyphs print)."""
    return "".join(ch for ch in _WS.sub("", text) if 0 < ord(ch) < 0x10000)


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def docx_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    parts = []
    for block in d.element.body.iter():
        if block.tag.endswith("}t"):
            parts.append(block.text or "")
        elif block.tag.endswith("}p"):
            parts.append("\n")
    return "".join(parts)


def pdf_fonts(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def assert_fonts_embedded(path: Path) -> None:
    rows = pdf_fonts(path)
    assert rows, "no fonts"
    for row in rows:
        # name type [type2] encoding emb sub uni object ID: "emb" is the 5th field from the end
        assert row[-5] == "yes", f"font not embedded: {row}"
        assert "STSong" not in row[0]


def libreoffice_pdf(docx_path: Path, tmp: Path) -> Path:
    """``docx_path`` converted by LibreOffice (its own layout of the .docx)."""
    outdir = tmp / "lo"
    outdir.mkdir(exist_ok=True)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/lo-profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(outdir), str(docx_path)], capture_output=True, timeout=300, check=True)
    return outdir / (docx_path.stem + ".pdf")


def libreoffice_pages(docx_path: Path, tmp: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(libreoffice_pdf(docx_path, tmp))).pages)


needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")


def contains(text: str, field: str) -> bool:
    """``field`` in ``text``, also when a table row split across pages cut it in two pieces
    (PDF text then holds the other cells' text and the repeated header in between)."""
    if field in text:
        return True
    return any(field[:k] in text and field[k:] in text for k in range(1, len(field)))


def pdf_lines(path: Path) -> list[list[tuple[float, float, float, str]]]:
    """Per page, the printed lines as ``(bottom, left, right, text)`` in PDF points (origin at
    the page's lower left), top to bottom: characters whose boxes' vertical centres lie within
    5 pt of each other form a line; ``bottom`` is the lowest box edge of the line. Measured with pdfium, so text drawn inside form XObjects counts."""
    pages = []
    for page in pdf_chars(path):
        chars = sorted((((y0 + y1) / 2, y0, x0, x1, ch) for x0, y0, x1, y1, ch in page), key=lambda c: -c[0])
        lines: list[list] = []
        for mid, y0, x0, x1, ch in chars:
            if lines and abs(lines[-1][0] - mid) <= 5:
                ln = lines[-1]
                ln[1], ln[2], ln[3] = min(ln[1], y0), min(ln[2], x0), max(ln[3], x1)
                ln[4].append((x0, ch))
            else:
                lines.append([mid, y0, x0, x1, [(x0, ch)]])
        pages.append([(y0, x0, x1, "".join(c for _x, c in sorted(cs))) for _m, y0, x0, x1, cs in lines])
    return pages


def pdf_chars(path: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page, every printed character as ``(left, bottom, right, top, char)`` (pdfium boxes)."""
    import pypdfium2 as pdfium

    out = []
    doc = pdfium.PdfDocument(str(path))
    try:
        for page in doc:
            tp = page.get_textpage()
            chars = []
            for i in range(tp.count_chars()):
                ch = tp.get_text_range(i, 1)
                if ch.strip():
                    x0, y0, x1, y1 = tp.get_charbox(i)
                    chars.append((x0, y0, x1, y1, ch))
            out.append(chars)
    finally:
        doc.close()
    return out


def pdf_hrules(path: Path) -> list[list[tuple[float, float, float]]]:
    """Per page, the horizontal line segments drawn (table rules) as ``(left, right, y)``."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    out = []
    doc = pdfium.PdfDocument(str(path))
    try:
        for page in doc:
            rules = []
            for o in page.get_objects(max_depth=5):
                if o.type != raw.FPDF_PAGEOBJ_PATH:
                    continue
                a, b, c, d, e, f = o.get_matrix().get()
                pts = []
                for i in range(raw.FPDFPath_CountSegments(o.raw)):
                    seg = raw.FPDFPath_GetPathSegment(o.raw, i)
                    x, y = ctypes.c_float(), ctypes.c_float()
                    raw.FPDFPathSegment_GetPoint(seg, x, y)
                    pts.append((raw.FPDFPathSegment_GetType(seg), a * x.value + c * y.value + e,
                                b * x.value + d * y.value + f))
                for (_t0, x0, y0), (t1, x1, y1) in zip(pts, pts[1:], strict=False):
                    if t1 == raw.FPDF_SEGMENT_LINETO and abs(y0 - y1) < 0.3 and abs(x1 - x0) > 5:
                        rules.append((min(x0, x1), max(x0, x1), y0))
            out.append(rules)
    finally:
        doc.close()
    return out
