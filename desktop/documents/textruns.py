"""Text as both renderers need it: sanitized, and cut into runs by the font that has each character.

``Runs`` collects :class:`MissingGlyph` warnings (each character and location once) so that
a character no font has is reported, never silently dropped: it stays in the text, printed
with the role's font.
"""

from __future__ import annotations

import re

from desktop.documents.blocks import MissingGlyph
from desktop.documents.fonts import ROLE_LABELS, FontFace, FontSet

# Vertical tab and form feed (Word's manual line/page break) become line breaks; every other
# control character except tab and newline, lone surrogates and U+FFFE/U+FFFF go.
_BREAKS_RE = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_DROP_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# Characters printed "inside" other characters (variation selectors, ZWJ, combining marks) are
# not worth a warning of their own.
_SILENT = re.compile("[\u200b-\u200f\u2060\ufe00-\ufe0f\U000e0100-\U000e01ef\u0300-\u036f]")


def sanitize(text: object) -> str:
    s = "" if text is None else str(text)
    s = _BREAKS_RE.sub("\n", s)
    return _DROP_RE.sub("", s)


def one_line(text: object) -> str:
    return " ".join(sanitize(text).split("\n"))


class Runs:
    """Per render: splits text into ``(segment, face)`` runs and records missing glyphs."""

    def __init__(self, fonts: FontSet):
        self.fonts = fonts
        self.warnings: list[MissingGlyph] = []
        self._seen: set[tuple[str, str]] = set()

    def split(self, text: str, role: str, location: str) -> list[tuple[str, FontFace]]:
        base = self.fonts.roles[role]
        if all(ord(c) in base.cmap or c in "\n\t " for c in set(text)):
            return [(text, base)] if text else []
        out: list[tuple[str, FontFace]] = []
        cur: list[str] = []
        cur_face = base
        for ch in text:
            face = self.fonts.face_for(role, ch)
            if face is None:
                if not _SILENT.match(ch) and (ch, location) not in self._seen:
                    self._seen.add((ch, location))
                    self.warnings.append(MissingGlyph(ch, ROLE_LABELS.get(role, role), location))
                face = cur_face if _SILENT.match(ch) else base
            if face is not cur_face and cur:
                out.append(("".join(cur), cur_face))
                cur = []
            cur_face = face
            cur.append(ch)
        if cur:
            out.append(("".join(cur), cur_face))
        return out
