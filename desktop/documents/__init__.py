"""Printed documents: one block description per kind, rendered to .docx and .pdf.

No Qt and no database here: builders in ``kinds`` take plain data, ``render`` writes files.
"""

from desktop.documents.blocks import Document, MissingGlyph
from desktop.documents.fonts import DocumentFontError, resolve_fonts
from desktop.documents.render import RenderResult, render

__all__ = ["Document", "DocumentFontError", "MissingGlyph", "RenderResult", "render", "resolve_fonts"]
