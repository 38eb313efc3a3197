"""The one rule for text typed or pasted into the ledger, applied at input.

``clean_text(value, multiline=True)`` does exactly this, in this order:

1. ``None`` becomes ``""``.
2. A surrogate pair that arrives as two code points (U+D800–DBFF followed by
   U+DC00–DFFF) is joined into the one astral character it encodes.
3. Line endings are normalised: ``\\r\\n`` and a lone ``\\r`` become ``\\n``.
4. Other line and page breaks become ``\\n``: ``\\x0b`` (vertical tab, which Word and
   WPS put on the clipboard for a manual line break), ``\\x0c`` (form feed / page
   break), ``\\x85`` (NEL), U+2028 (line separator) and U+2029 (paragraph separator).
5. Tab (``\\t``) is kept as it is.
6. Dropped without trace: ``\\x00`` and every other C0 control (U+0000–001F except
   ``\\t`` and ``\\n``), DEL (U+007F), every C1 control (U+0080–009F), lone surrogates
   (U+D800–DFFF left after step 2) and the non-characters U+FFFE and U+FFFF.
7. Trailing whitespace of the whole value is stripped (``str.rstrip``, which also
   removes the ideographic space U+3000). Leading whitespace (e.g. a paragraph indent
   of two ideographic spaces) and all inner spaces are kept.
8. Only for ``multiline=False`` (names, places, titles): every run of line breaks,
   together with the spaces and tabs around it, becomes one ASCII space, and the
   value is stripped at both ends.

Everything else is kept exactly: Chinese, full-width punctuation, emoji (including
ZWJ sequences and variation selectors), astral characters such as 𠮷, and values
of any length (100,000 characters are fine).
"""

from __future__ import annotations

import re

_BREAKS = {"\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"}

# C0 except \t (09) and \n (0a); DEL; C1; surrogates; U+FFFE/U+FFFF.
_DROP_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_PAIR_RE = re.compile("[\ud800-\udbff][\udc00-\udfff]")
_NEWLINE_RUN_RE = re.compile(r"[ \t]*\n[ \t\n]*")


def _join_pair(m: re.Match[str]) -> str:
    hi, lo = ord(m.group(0)[0]), ord(m.group(0)[1])
    return chr(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))


def clean_text(value: str | None, *, multiline: bool = True) -> str:
    """Apply the input rule described in the module docstring."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    s = _PAIR_RE.sub(_join_pair, value)
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    for old, new in _BREAKS.items():
        if old in s:
            s = s.replace(old, new)
    s = _DROP_RE.sub("", s)
    s = s.rstrip()
    if not multiline:
        s = _NEWLINE_RUN_RE.sub(" ", s).strip()
    return s


def clean_line(value: str | None) -> str:
    """``clean_text(value, multiline=False)``: for one-line fields."""
    return clean_text(value, multiline=False)


def is_blank(value: str | None) -> bool:
    """True when nothing visible remains after cleaning."""
    return not clean_text(value).strip()


# Wording inspectors fault because nobody is named: the record must say who spoke.
VAGUE_PHRASES: tuple[str, ...] = (
    "大家一致认为",
    "大家一致同意",
    "大家一致表示",
    "与会人员一致认为",
    "与会人员一致同意",
    "与会人员纷纷表示",
    "与会党员一致认为",
    "与会党员纷纷表示",
    "与会同志一致认为",
    "与会同志纷纷表示",
    "全体党员一致认为",
    "全体党员纷纷表示",
    "同志们纷纷表示",
    "大家纷纷表示",
    "大家纷纷发言",
    "大家踊跃发言",
    "大家畅所欲言",
    "大家表示",
    "大家认为",
    "一致表示",
    "一致认为",
    "纷纷表示",
)

# Longest first so "大家一致认为" wins over "一致认为" at the same place.
_VAGUE_RE = re.compile("|".join(re.escape(p) for p in sorted(VAGUE_PHRASES, key=len, reverse=True)))


def find_vague_phrase_spans(text: str | None) -> list[tuple[str, int, int]]:
    """Every vague phrase occurrence as ``(phrase, start, end)``, left to right, no overlaps."""
    if not text:
        return []
    return [(m.group(0), m.start(), m.end()) for m in _VAGUE_RE.finditer(text)]


def find_vague_phrases(text: str | None) -> list[str]:
    """The distinct vague phrases found in ``text``, in order of first appearance."""
    seen: list[str] = []
    for phrase, _s, _e in find_vague_phrase_spans(text):
        if phrase not in seen:
            seen.append(phrase)
    return seen
