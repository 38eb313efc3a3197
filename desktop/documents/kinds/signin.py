"""``signin``: the sign-in sheet of a meeting: everyone due that day with a blank signature
column, rows for 列席人员 and 上级指导, a blank for 实到人数; the title heads every page."""

from __future__ import annotations

from desktop.documents import blocks as b
from desktop.documents.kinds.common import date_time_span, record_title
from desktop.domain.enums import AttendanceStatus, GuestRole

BLANK_GUEST_ROWS = 2  # for guests who come unannounced


def signin_title(m) -> str:
    return record_title(m).replace("会议记录", "").replace("记录", "").rstrip() + "签到表"


def signin_blocks(m, roster) -> list[b.Block]:
    """``m``: a ``MeetingDetail``; ``roster``: ``AttendanceData`` of everyone on the roll that day
    (members excluded from 应到 with approval are listed apart, with their reason)."""
    title = signin_title(m)
    due = [a for a in roster if a.status != AttendanceStatus.EXCLUDED]
    excluded = [a for a in roster if a.status == AttendanceStatus.EXCLUDED]
    rows = []
    for i, a in enumerate(due, 1):
        reason = a.reason if a.status == AttendanceStatus.ABSENT else ""
        rows.append([b.Cell(str(i), align="center"), b.Cell(a.name, align="center"),
                     b.Cell(a.category.replace("党员", ""), align="center"), "", reason])
    guests = []
    for role in (GuestRole.OBSERVER, GuestRole.SUPERIOR):
        named = [g for g in getattr(m, "guests", ()) if g.role == role]
        for g in named:
            guests.append([b.Cell(str(role), align="center"), b.Cell(g.name, align="center"), g.title or "", ""])
        for _ in range(BLANK_GUEST_ROWS):
            guests.append([b.Cell(str(role), align="center"), "", "", ""])
    blocks: list[b.Block] = [
        b.Title(title),
        b.KeyValueTable([("时间", date_time_span(m.date, m.start_time, m.end_time)), ("地点", m.place),
                         ("主持人", m.host), ("应到人数", f"{len(due)}人"), ("实到人数", "＿＿＿＿人"),
                         ("记录人", m.recorder)], pairs_per_row=2, location="会议基本情况"),
        b.Table([b.Column("序号", 0.7, "center"), b.Column("姓名", 1.4, "center"), b.Column("类别", 1.0, "center"),
                 b.Column("本人签名", 2.6), b.Column("请假原因", 2.3)], rows, font_size=14, row_padding_pt=8,
                location="签到表"),
        b.Table([b.Column("类别", 1.2, "center"), b.Column("姓名", 1.4, "center"), b.Column("单位及职务", 2.8),
                 b.Column("本人签名", 2.6)], guests, font_size=14, row_padding_pt=8, caption="列席人员、上级指导签到",
                location="列席及上级指导签到"),
    ]
    if excluded:
        blocks.append(b.Paragraph("不计入应到人数：" + "、".join(f"{a.name}（{a.reason}）" for a in excluded),
                                  location="不计入应到人员"))
    blocks.append(b.Note("注：请假人员由本人或记录人注明请假原因；实到人数由记录人会后填写。"))
    return blocks


def build_signin(m, roster) -> b.Document:
    title = signin_title(m)
    return b.Document(title, signin_blocks(m, roster), file_stem=title, running_head=title)
