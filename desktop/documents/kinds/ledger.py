"""``ledger``: a branch's year bundle for binding: cover, contents, every record in date order."""

from __future__ import annotations

from datetime import time

from desktop.documents import blocks as b
from desktop.documents.kinds.minutes import minutes_blocks


def build_ledger(meetings, *, year: int, branch_name: str, unit_name: str = "", committee_name: str = "",
                 progress=None, cancel=None) -> b.Document:
    """``meetings``: ``MeetingDetail`` objects (any order; printed by date and start time)."""
    ordered = sorted(meetings, key=lambda m: (m.date, m.start_time or time.min, m.number))
    title = f"{year}年{branch_name}三会一课台账"
    blocks: list[b.Block] = [
        b.Cover("三会一课台账", unit=f"{committee_name or unit_name}{branch_name}",
                lines=[f"{year}年度", f"共{len(ordered)}份记录"], footer=unit_name),
        b.TocPlaceholder(entries=len(ordered)),
    ]
    for i, m in enumerate(ordered):
        if cancel is not None and cancel():
            raise InterruptedError("已取消")
        if i:
            blocks.append(b.PageBreak())
        blocks += minutes_blocks(m, toc=True)
        if progress is not None:
            progress(i + 1, len(ordered))
    if not ordered:
        blocks.append(b.Paragraph(f"{year}年度暂无会议记录。", location="台账"))
    return b.Document(title, blocks, file_stem=title)
