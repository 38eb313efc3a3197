"""Chinese line breaking for reportlab: closing punctuation never starts a line.

reportlab's ``cjkFragSplit`` lets one closing mark hang in the margin but, when two come
together (``），``), the second starts the next line. This is reportlab 4's function with one
change (marked): when the mark that overflows is followed by another closing mark, the
character before them moves down with them; an opening mark never ends a line. The same
for ``textsplit.dumbSplit``, which one-font paragraphs use. Based on reportlab's
paragraph.py and textsplit.py (BSD licence, ReportLab Europe Ltd.).
"""

from __future__ import annotations

from unicodedata import category

import reportlab.lib.textsplit as _textsplit
import reportlab.platypus.paragraph as _rl_paragraph
from reportlab.lib.utils import isBytes
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus.paragraph import cjkU, makeCJKParaLine
from reportlab.rl_config import _FUZZ

NO_LINE_START = "，；：！？、。）》」』〉】〕”’…·%‰℃"
NO_LINE_END = "（《「『〈【〔“‘"


def cjk_frag_split(frags, maxWidths, calcBounds, encoding="utf8"):
    cannot_start = _textsplit.ALL_CANNOT_START
    U = []
    for f in frags:
        text = f.text
        if isBytes(text):
            text = text.decode(encoding)
        if text:
            U.extend([cjkU(t, f, encoding) for t in text])
        else:
            U.append(cjkU(text, f, encoding))
    lines = []
    i = widthUsed = lineStartPos = 0
    maxWidth = maxWidths[0]
    nU = len(U)
    while i < nU:
        u = U[i]
        i += 1
        w = u.width
        if hasattr(w, "normalizedValue"):
            w._normalizer = maxWidth
            w = w.normalizedValue(maxWidth)
        widthUsed += w
        lineBreak = hasattr(u.frag, "lineBreak")
        endLine = (widthUsed > maxWidth + _FUZZ and widthUsed > 0) or lineBreak
        if endLine:
            extraSpace = maxWidth - widthUsed
            if not lineBreak:
                if ord(u) < 0x3000:  # inside a non-Asian run: break at a space or back at Kanji
                    limitCheck = (lineStartPos + i) >> 1
                    for j in range(i - 1, limitCheck, -1):
                        uj = U[j]
                        if uj and category(uj) == "Zs" or ord(uj) >= 0x3000:
                            k = j + 1
                            if k < i:
                                j = k + 1
                                extraSpace += sum(U[ii].width for ii in range(j, i))
                                w = U[k].width
                                u = U[k]
                                i = j
                                break
                i, moved = _line_end(U, lambda k: U[k].width, i, lineStartPos, u, w, cannot_start)
                extraSpace += moved
            lines.append(makeCJKParaLine(U[lineStartPos:i], maxWidth, widthUsed, extraSpace, lineBreak, calcBounds))
            try:
                maxWidth = maxWidths[len(lines)]
            except IndexError:
                maxWidth = maxWidths[-1]
            lineStartPos = i
            widthUsed = 0
    if widthUsed > 0:
        lines.append(makeCJKParaLine(U[lineStartPos:], maxWidth, widthUsed, maxWidth - widthUsed, False, calcBounds))
    return _rl_paragraph.ParaLines(kind=1, lines=lines)


def dumb_split(word, widths, maxWidths):
    """reportlab's ``textsplit.dumbSplit`` (one-font paragraphs) with the same two changes."""
    cannot_start = _textsplit.ALL_CANNOT_START
    if not isinstance(maxWidths, (list, tuple)):
        maxWidths = [maxWidths]
    lines = []
    i = widthUsed = lineStartPos = 0
    maxWidth = maxWidths[0]
    nW = len(word)
    while i < nW:
        w = widths[i]
        c = word[i]
        widthUsed += w
        i += 1
        if widthUsed > maxWidth + _FUZZ and widthUsed > 0:
            extraSpace = maxWidth - widthUsed
            if ord(c) < 0x3000:
                limitCheck = (lineStartPos + i) >> 1
                for j in range(i - 1, limitCheck, -1):
                    cj = word[j]
                    if category(cj) == "Zs" or ord(cj) >= 0x3000:
                        k = j + 1
                        if k < i:
                            j = k + 1
                            extraSpace += sum(widths[j:i])
                            w = widths[k]
                            c = word[k]
                            i = j
                            break
            i, moved = _line_end(word, widths.__getitem__, i, lineStartPos, c, w, cannot_start)
            extraSpace += moved
            lines.append([extraSpace, word[lineStartPos:i].strip()])
            try:
                maxWidth = maxWidths[len(lines)]
            except IndexError:
                maxWidth = maxWidths[-1]
            lineStartPos = i
            widthUsed = 0
    if widthUsed > 0:
        lines.append([maxWidth - widthUsed, word[lineStartPos:]])
    return lines


_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}


def char_widths(word, fontName, fontSize):
    """``textsplit.getCharWidths`` with a cache per font and size (a call per character before)."""
    cache = _WIDTHS.setdefault((fontName, fontSize), {})
    get = cache.get
    widths = [get(c) for c in word]
    if None in widths:
        for i, w in enumerate(widths):
            if w is None:
                c = word[i]
                w = cache.get(c)
                if w is None:
                    w = cache[c] = stringWidth(c, fontName, fontSize)
                widths[i] = w
    return widths


def install() -> None:
    """Extend the closing marks in BOTH places reportlab keeps them; use the splitter above."""
    if not _textsplit.ALL_CANNOT_START.endswith(NO_LINE_START):
        _textsplit.ALL_CANNOT_START += NO_LINE_START
    _rl_paragraph.ALL_CANNOT_START = _textsplit.ALL_CANNOT_START
    _rl_paragraph.cjkFragSplit = cjk_frag_split
    _textsplit.dumbSplit = dumb_split
    _textsplit.getCharWidths = char_widths


def _line_end(chars, width, i: int, start: int, c, w: float, cannot_start: str) -> tuple[int, float]:
    """Where a line that overflowed at ``chars[i - 1]`` (``c``, width ``w``) ends, and the width
    that moves down to the next line. reportlab's rule, with the two changes marked."""
    if c not in cannot_start and i > start + 1:
        i -= 1
        moved = w
        # changed: a character that may not end a line goes down with the next one
        if chars[i - 1] in NO_LINE_END and i - 1 > start + 1:
            i -= 1
            moved += width(i)
        return i, moved
    if c in cannot_start and i < len(chars) and chars[i] in cannot_start:
        # changed: "…字），" – the hanging mark is followed by more: "字" and the marks move down
        j = i - 1
        while j > start + 1 and chars[j] in cannot_start:
            j -= 1
        if j > start + 1:
            return j, sum(width(k) for k in range(j, i))
    return i, 0.0
