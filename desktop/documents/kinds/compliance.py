"""``compliance``: 三会一课落实情况统计表, months × kinds, held/required, gaps marked."""

from __future__ import annotations

from desktop.documents import blocks as b
from desktop.documents.kinds.common import section
from desktop.domain.compliance import SHORT_MARK
from desktop.domain.dates import format_cn_date


def build_compliance(report, *, branch_name: str, today) -> b.Document:
    """``report``: a ``ComplianceReport`` (desktop.domain.compliance) for one branch and year."""
    grid = report.grid()
    year = report.year
    months = report.months
    span = ""
    if months and (months[0], months[-1]) != (1, 12):
        span = f"{months[0]}月" if len(months) == 1 else f"{months[0]}—{months[-1]}月"
    title = f"{year}年{span}{branch_name}三会一课落实情况统计表"
    cols = [b.Column("月份", 0.8, "center")] + [b.Column(str(k), 1.2, "center") for k in grid.kinds]
    rows = []
    for row in grid.rows():
        rows.append([b.Cell(row[0], align="center")] + [b.Cell(c, align="center", shaded="缺" in c) for c in row[1:]])
    missing, pending = report.missing(), report.pending()
    blocks: list[b.Block] = [
        b.Title(title),
        b.Subtitle(f"（统计截至{format_cn_date(today)}）"),
        b.Table(cols, rows, caption="", location="统计表"),
        b.Paragraph("说明：“已开/应开”；“缺”（灰底）为期限已过仍未开足，“未到期”为期限未到。季度、半年、全年的要求"
                    "在该期间最后一个月显示合计，其余月份显示当月开会次数。"
                    + (f"“{SHORT_MARK}”为当月有会议实到人数未达到规定（计入已开次数，另行列出）。"
                       if report.short_of_quorum() else "")
                    + (f"本支部台账自{format_cn_date(report.profile.ledger_start)}起启用，此前开始的期间未在本台账录入，"
                       "标“未录入”，不列为未落实事项。" if report.not_entered() and report.profile.ledger_start else ""),
                    location="说明"),
        b.Heading(section(1, "未落实事项"), location="未落实事项"),
    ]
    if missing:
        blocks += [b.Paragraph(f"{i}. {it.requirement.period_label}{it.requirement.kind}：应开"
                               f"{it.requirement.required_count}次，已开{it.held}次。", location="未落实事项")
                   for i, it in enumerate(missing, 1)]
    else:
        blocks.append(b.Paragraph("无。", location="未落实事项"))
    blocks.append(b.Heading(section(2, "尚未到期事项"), location="尚未到期事项"))
    blocks += [b.Paragraph(f"{i}. {it.requirement.period_label}{it.requirement.kind}：应开"
                           f"{it.requirement.required_count}次，已开{it.held}次。", location="尚未到期事项")
               for i, it in enumerate(pending, 1)] or [b.Paragraph("无。", location="尚未到期事项")]
    short = report.short_of_quorum()
    if short:
        blocks.append(b.Heading(section(3, "实到人数未达到规定的会议"), location="实到人数未达到规定的会议"))
        blocks += [b.Paragraph(f"{i}. {format_cn_date(m.date)}{m.kind}：{m.short_of_quorum}，会议不能作出决定。",
                               location="实到人数未达到规定的会议") for i, m in enumerate(short, 1)]
    drafts = report.drafts()
    if drafts:
        blocks.append(b.Paragraph(f"另有{len(drafts)}份会议记录尚未定稿，已计入已开次数，请及时定稿。", location="草稿"))
    return b.Document(title, blocks, file_stem=title, orientation="landscape")
