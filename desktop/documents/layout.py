"""Page geometry and type sizes shared by both renderers (GB/T 9704-2012)."""

from __future__ import annotations

A4_MM = (210.0, 297.0)
# (top, bottom, left, right) in mm. Landscape pages keep the binding edge on the left and
# the portrait proportions turned by 90 degrees would waste a third of the table width, so
# they use the portrait left/right margins as top/bottom and vice versa.
MARGINS_MM = {"portrait": (37.0, 35.0, 28.0, 26.0), "landscape": (28.0, 26.0, 37.0, 35.0)}
TITLE_PT = 22.0  # 2号
BODY_PT = 16.0  # 3号
PAGE_NO_PT = 14.0  # 4号
LINE_PT = 28.95  # fixed line spacing: 22 lines on the 225 mm type area
TABLE_PT = 12.0  # 小4号 in tables


CHARS_PER_LINE = 28  # GB/T 9704: 28 characters of 3号 on the 156 mm line (16 pt would make 27.6)


def body_scale(width_pt: float, size_pt: float = BODY_PT) -> float:
    """The horizontal factor that makes a whole number of ``size_pt`` characters fill a line of
    ``width_pt``: 0.987 on a portrait page (28 characters, as Word's character grid does with
    its −0.21 pt pitch), 1 when a line already holds a whole number."""
    per_line = width_pt / size_pt
    whole = int(per_line) + 1 if per_line - int(per_line) > 0.4 else int(per_line)
    return min(1.0, width_pt / (whole * size_pt))


def page_size_mm(orientation: str) -> tuple[float, float]:
    w, h = A4_MM
    return (h, w) if orientation == "landscape" else (w, h)


def text_width_mm(orientation: str) -> float:
    w, _h = page_size_mm(orientation)
    _top, _bottom, left, right = MARGINS_MM[orientation]
    return w - left - right


_NO_LINE_START = "，。、；：！？）》」』】〕…—”’·"
_GOOD_END = "）》”部会组局委党县区市省年次想"  # a line may end well after these


def balance_title(text: str, width_pt: float, size_pt: float = TITLE_PT) -> str:
    """A title too long for one line, broken into lines of nearly equal length (GB/T 9704
    wants the lines balanced), never leaving one or two characters alone on the last line,
    preferring to break after a word such as 支部、委员会、（…）. Widths are estimated: CJK and
    full-width characters 1 em, others half an em."""
    if "\n" in text:
        return text
    ems = [1.0 if ord(c) > 0x2E7F else 0.5 for c in text]
    per_line = width_pt / size_pt
    if sum(ems) <= per_line:
        return text
    lines = int(-(-sum(ems) // per_line))
    out, start = [], 0
    for k in range(lines - 1):
        rest = sum(ems[start:])
        target = rest / (lines - k)
        acc, cut = 0.0, start
        while cut < len(text) and acc + ems[cut] <= target + 0.25:
            acc += ems[cut]
            cut += 1
        best = cut
        left = lines - k - 1  # lines after this one
        for d in sorted(range(-6, 7), key=abs):  # a nearby word end, every line still fitting
            c = cut + d
            if start < c < len(text) and text[c - 1] in _GOOD_END and sum(ems[start:c]) <= per_line \
                    and sum(ems[c:]) <= per_line * left:
                best = c
                break
        while best < len(text) and text[best] in _NO_LINE_START:
            best += 1  # closing punctuation stays at the end of the line
        out.append(text[start:best])
        start = best
    out.append(text[start:])
    return "\n".join(x for x in out if x)
