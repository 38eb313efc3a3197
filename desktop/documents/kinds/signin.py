"""``signin``: the sign-in sheet of a meeting: everyone due that day, a blank signature column."""

from __future__ import annotations

from desktop.documents import blocks as b
from desktop.documents.kinds.common import date_time_span, record_title
from desktop.domain.enums import AttendanceStatus


def build_signin(m, roster) -> b.Document:
    """``m``: a ``MeetingDetail``; ``roster``: ``AttendanceData`` of everyone on the roll that day
    (members excluded from 应到 with approval are listed apart, with their reason)."""
    title = record_title(m).replace("会议记录", "").replace("记录", "").rstrip() + "签到表"
    due = [a for a in roster if a.status != AttendanceStatus.EXCLUDED]
    excluded = [a for a in roster if a.status == AttendanceStatus.EXCLUDED]
    rows = []
    for i, a in enumerate(due, 1):
        reason = a.reason if a.status == AttendanceStatus.ABSENT else ""
        rows.append([b.Cell(str(i), align="center"), b.Cell(a.name, align="center"),
                     b.Cell(a.category.replace("党员", ""), align="center"), "", reason])
    blocks: list[b.Block] = [
        b.Title(title),
        b.KeyValueTable([("时间", date_time_span(m.date, m.start_time, m.end_time)), ("地点", m.place),
                         ("主持人", m.host), ("应到人数", f"{len(due)}人")], pairs_per_row=2, location="会议基本情况"),
        b.Table([b.Column("序号", 0.7, "center"), b.Column("姓名", 1.4, "center"), b.Column("类别", 1.0, "center"),
                 b.Column("本人签名", 2.6), b.Column("请假原因", 2.3)], rows, font_size=14, row_padding_pt=8,
                location="签到表"),
    ]
    if excluded:
        blocks.append(b.Paragraph("不计入应到人数：" + "、".join(f"{a.name}（{a.reason}）" for a in excluded),
                                  location="不计入应到人员"))
    blocks.append(b.Paragraph("注：请假人员由本人或记录人注明请假原因。", location="注"))
    return b.Document(title, blocks, file_stem=title)
