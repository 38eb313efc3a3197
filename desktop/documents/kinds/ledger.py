"""``ledger``: a branch's year bundle for binding: cover, contents, every record in date order."""

from __future__ import annotations

from datetime import time

from desktop.documents import blocks as b
from desktop.documents.kinds.common import record_name
from desktop.documents.kinds.minutes import minutes_blocks
from desktop.documents.kinds.signin import signin_blocks, signin_title


def build_ledger(meetings, *, year: int, branch_name: str, unit_name: str = "", committee_name: str = "",
                 progress=None, cancel=None, signin: dict | None = None, reopen_note: bool = True,
                 drafts: bool = True) -> b.Document:
    """``meetings``: ``MeetingDetail`` objects (any order; printed by date and start time).
    ``signin``: meeting id -> roster; when given, every record names its attendees and is
    followed by its sign-in sheet. Drafts are bound, marked 「（草稿）」 in the contents and
    under their title (``drafts=False``: left out), and named in the document's notices."""
    ordered = sorted(meetings, key=lambda m: (m.date, m.start_time or time.min, m.number))
    title = f"{year}年{branch_name}三会一课台账"
    drafted = [m for m in ordered if getattr(m, "state", "定稿") != "定稿"]
    if not drafts:
        ordered = [m for m in ordered if getattr(m, "state", "定稿") == "定稿"]
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
            if signin is not None:  # the sign-in sheet before this record has ended
                blocks.append(b.RunningHead(""))
        blocks += minutes_blocks(m, toc=True, names=signin is not None, reopen_note=reopen_note)
        if signin is not None:  # its title heads every page of the sheet, as on a sheet of its own
            blocks += [b.PageBreak(), b.RunningHead(signin_title(m)),
                       *signin_blocks(m, signin.get(m.id, list(m.attendance)))]
        if progress is not None:
            progress(i + 1, len(ordered))
    if not ordered:
        blocks.append(b.Paragraph(f"{year}年度暂无会议记录。", location="台账"))
    notices = []
    if drafted:
        named = "、".join(f"{m.date.month}月{m.date.day}日{record_name(m)}" for m in drafted[:5])
        named += "等" if len(drafted) > 5 else ""
        notices.append(f"{title}中有{len(drafted)}份记录尚未定稿（{named}），已在目录和标题下标注“草稿”，定稿后请重新导出。"
                       if drafts else f"{title}未收入{len(drafted)}份尚未定稿的记录（{named}），定稿后请重新导出。")
    return b.Document(title, blocks, file_stem=title, notices=notices)
