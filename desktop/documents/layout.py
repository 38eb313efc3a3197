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


def balance_title(text: str, width_pt: float, size_pt: float = TITLE_PT) -> str:
    """A title too long for one line, broken into lines of nearly equal length (GB/T 9704
    wants the lines balanced) at word ends only (``words.break_costs``: never 「社会/主义」 or
    「党/支部」), preferring to end a line after a unit word (局、委员会、党支部), never leaving
    one or two characters alone on the last line. Widths are estimated: CJK and full-width
    characters 1 em, others half an em."""
    from itertools import combinations

    from desktop.documents.words import break_costs

    if "\n" in text:
        return text
    ems = [1.0 if ord(c) > 0x2E7F else 0.5 for c in text]
    per_line = width_pt / size_pt
    total = sum(ems)
    if total <= per_line:
        return text
    prefix = [0.0]
    for e in ems:
        prefix.append(prefix[-1] + e)
    costs = break_costs(text)
    lines = int(-(-total // per_line))
    for n in range(lines, lines + 3):  # more lines only when no good split into fewer exists
        best, best_cost = None, float("inf")
        target = total / n
        cands = sorted(costs)
        for cuts in combinations(cands, n - 1):
            edges = [0, *cuts, len(text)]
            widths = [prefix[b] - prefix[a] for a, b in zip(edges, edges[1:], strict=False)]
            if max(widths) > per_line + 0.01 or widths[-1] < 3:
                continue
            cost = sum((w - target) ** 2 for w in widths) + 2 * sum(costs[c] for c in cuts)
            if cost < best_cost:
                best, best_cost = edges, cost
        if best is not None:
            return "\n".join(text[a:b] for a, b in zip(best, best[1:], strict=False))
    return text  # no break point at all: the renderer wraps it
