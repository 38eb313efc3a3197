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
MAX_BALANCED_LINES = 5  # titles longer than this wrap as ordinary text


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
    from desktop.documents.words import break_costs

    if "\n" in text:
        return text
    ems = [1.0 if ord(c) > 0x2E7F else 0.5 for c in text]
    per_line = width_pt / size_pt
    total = sum(ems)
    if total <= per_line:
        return text
    lines = int(-(-total // per_line))
    if lines > MAX_BALANCED_LINES:
        return text  # a paragraph-long title: balancing means nothing, the renderer wraps it
    prefix = [0.0]
    for e in ems:
        prefix.append(prefix[-1] + e)
    costs = break_costs(text)
    # Break positions, then a dynamic programme over (lines so far, last break): the cheapest
    # split into n lines where the cost is the squared distance of each line from the mean
    # plus twice the cost of each break. Linear in n, quadratic in the breaks of a short title
    # (the earlier search over every combination never finished on a 300-character title).
    pos = [0, *sorted(c for c in costs if 0 < c < len(text)), len(text)]
    last = len(pos) - 1
    for n in range(lines, lines + 3):  # more lines only when no good split into fewer exists
        target = total / n
        inf = float("inf")
        cost = [0.0] + [inf] * last
        back: list[list[int]] = []
        for j in range(1, n + 1):
            new = [inf] * (last + 1)
            prev = [-1] * (last + 1)
            for b in range(1, last + 1):
                if (b == last) != (j == n):
                    continue
                cut = 2 * costs[pos[b]] if b != last else 0.0
                for a in range(b - 1, -1, -1):
                    w = prefix[pos[b]] - prefix[pos[a]]
                    if w > per_line + 0.01:
                        break
                    if cost[a] == inf or (j == n and w < 3):
                        continue
                    c = cost[a] + (w - target) ** 2 + cut
                    if c < new[b]:
                        new[b], prev[b] = c, a
            cost = new
            back.append(prev)
        if cost[last] < inf:
            edges, b = [len(text)], last
            for j in range(n, 0, -1):
                b = back[j - 1][b]
                edges.append(pos[b])
            edges.reverse()
            return "\n".join(text[a:b] for a, b in zip(edges, edges[1:], strict=False))
    return text  # no break point at all: the renderer wraps it
