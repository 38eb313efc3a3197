"""Showing where a search matched: snippet text with the hits in bold red, in table cells.

The models put ``Snippet.marked(MARK_OPEN, MARK_CLOSE)`` in the cell (two private-use code
points that never occur in a ledger's text); :class:`HighlightDelegate` paints that as rich
text with the marked parts highlighted, and :func:`plain` removes the marks (tooltips, copies).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
HIT_STYLE = "color:#b71c1c;font-weight:bold"


def marked(snippet) -> str:
    """Cell text for a ``search.Snippet`` (or "" for None)."""
    return snippet.marked(MARK_OPEN, MARK_CLOSE) if snippet is not None and snippet.text else ""


def plain(text: str) -> str:
    return text.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")


def to_html(text: str) -> str:
    return escape(text).replace(MARK_OPEN, f"<span style='{HIT_STYLE}'>").replace(MARK_CLOSE, "</span>")


class HighlightDelegate(QStyledItemDelegate):
    """Paints a cell's marked text as rich text: the search words stand out."""

    def _document(self, option: QStyleOptionViewItem, text: str) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(2)
        doc.setHtml(to_html(text))
        return doc

    def paint(self, painter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        if not text:
            return
        doc = self._document(opt, text)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        if opt.state & QStyle.StateFlag.State_Selected:
            ctx.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(QPalette.ColorRole.HighlightedText))
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        painter.save()
        painter.translate(rect.topLeft())
        top = max(0.0, (rect.height() - doc.size().height()) / 2)
        painter.translate(0, top)
        painter.setClipRect(QRectF(0, -top, rect.width(), rect.height()))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 - Qt's name
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, opt.text)
        return QSize(int(doc.idealWidth()), max(int(doc.size().height()), super().sizeHint(option, index).height()))


