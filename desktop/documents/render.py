"""Render one :class:`Document` to files, atomically, and collect the warnings."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from desktop.documents import blocks as b
from desktop.documents.atomic import atomic_target, fit_file_stem, unique_path
from desktop.documents.fonts import resolve_fonts

FORMATS = ("pdf", "docx")


@dataclass
class RenderResult:
    paths: list[Path] = field(default_factory=list)
    warnings: list[b.MissingGlyph] = field(default_factory=list)


def _merge(into: list[b.MissingGlyph], more: list[b.MissingGlyph]) -> None:
    seen = set(into)
    into.extend(w for w in more if w not in seen and not seen.add(w))


def render(doc: b.Document, out_dir: Path, formats: tuple[str, ...] = FORMATS,
           font_overrides: dict[str, str] | None = None, taken: set[Path] | None = None,
           written: list[Path] | None = None) -> RenderResult:
    """Write ``doc`` as each format into ``out_dir``. Fonts are resolved first, so a missing
    font raises :class:`DocumentFontError` before anything is written. Each complete file is
    also appended to ``written`` at once (the caller can name them when a later one fails)."""
    from desktop.documents.docx import render_docx
    from desktop.documents.pdf import render_pdf

    fonts = resolve_fonts(font_overrides)
    out_dir = Path(out_dir)
    taken = set() if taken is None else taken
    stem = fit_file_stem(doc.file_stem, out_dir)
    result = RenderResult()
    layout: dict | None = None
    # the .docx takes page numbers from the PDF layout: the contents' and where a running head starts
    needs_layout = any(isinstance(x, (b.TocPlaceholder, b.RunningHead)) for x in doc.blocks)
    if "pdf" in formats:
        path = unique_path(out_dir, stem, ".pdf", taken)
        layout = {}
        with atomic_target(path) as fh:
            warnings = render_pdf(doc, fh, fonts, layout=layout)
        _merge(result.warnings, warnings)
        result.paths.append(path)
        if written is not None:
            written.append(path)
    if "docx" in formats:
        if needs_layout and layout is None:  # lay out the PDF once for the page numbers
            layout = {}
            render_pdf(doc, io.BytesIO(), fonts, layout=layout)
        layout = layout or {}
        path = unique_path(out_dir, stem, ".docx", taken)
        # zipped in memory, then written: a ZipFile on a file that hits a full disk fails again
        # in its __del__ ("Exception ignored in ZipFile.__del__" traceback on the console)
        buf = io.BytesIO()
        _merge(result.warnings, render_docx(doc, buf, fonts, toc_pages=layout.get("toc"),
                                                 head_pages=layout.get("heads")))
        with atomic_target(path) as fh:
            fh.write(buf.getbuffer())
        result.paths.append(path)
        if written is not None:
            written.append(path)
    return result
