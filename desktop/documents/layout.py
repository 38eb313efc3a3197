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


def page_size_mm(orientation: str) -> tuple[float, float]:
    w, h = A4_MM
    return (h, w) if orientation == "landscape" else (w, h)
