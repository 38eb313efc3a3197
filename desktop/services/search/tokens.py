"""Search tokens: the case rule, overlapping bigrams written as hex code points, FTS5 phrases, the
words of a search box, and the snippet that shows where a meeting matched."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


def normalize(value: str) -> str:
    """The case rule of search: ``str.lower`` on both the text and the query."""
    return value.lower()


def tok(a: str, b: str) -> str:
    return f"{ord(a):x}g{ord(b):x}"


def bigram_tokens(value: str) -> str:
    """Space-separated bigram tokens, one per character position (the last has none)."""
    s = normalize(value)
    table = {c: f"{ord(c):x}" for c in set(s)}
    hexes = list(map(table.__getitem__, s))
    return " ".join(map("g".join, zip(hexes, hexes[1:], strict=False)))


def phrase(word: str) -> str:
    """The FTS5 phrase that matches ``word`` (≥ 2 characters) as a substring."""
    s = normalize(word)
    return '"' + " ".join(tok(s[i], s[i + 1]) for i in range(len(s) - 1)) + '"'


def split_query(query: str | None) -> list[str]:
    """Words of the search box: whitespace separates, all words must occur (AND)."""
    return [w for w in (query or "").split() if w]


@dataclass(frozen=True)
class Snippet:
    """Where a search matched: a short excerpt of the indexed (lower-cased) text and the
    (start, end) spans of the query words in it, for the list to highlight."""

    text: str
    spans: tuple[tuple[int, int], ...] = ()

    def marked(self, before: str = "【", after: str = "】") -> str:
        out, pos = [], 0
        for a, b in self.spans:
            out += [self.text[pos:a], before, self.text[a:b], after]
            pos = b
        return "".join(out) + self.text[pos:]


def snippet(texts: Iterable[str], words: Iterable[str], width: int = 16) -> Snippet:
    """The excerpt around the first match of the first word found (``width`` characters either
    side, on one line), with every query word in it marked. Empty when nothing matches."""
    needles = sorted({normalize(w) for w in words if w}, key=len, reverse=True)
    for source in texts:
        flat = " ".join(source.split())
        hits = [(flat.find(n), n) for n in needles if n in flat]
        if not hits:
            continue
        first = min(hits)[0]
        lo, hi = max(0, first - width), min(len(flat), first + width + max(len(n) for n in needles))
        piece = flat[lo:hi]
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(piece):
            n = next((n for n in needles if piece.startswith(n, i)), None)
            if n:
                spans.append((i, i + len(n)))
                i += len(n)
            else:
                i += 1
        lead, tail = ("…" if lo > 0 else ""), ("…" if hi < len(flat) else "")
        return Snippet(lead + piece + tail, tuple((a + len(lead), b + len(lead)) for a, b in spans))
    return Snippet("")
