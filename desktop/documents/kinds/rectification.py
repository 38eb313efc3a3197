"""``rectification``: a campaign's 整改清单 as a landscape table, then the progress summary."""

from __future__ import annotations

from desktop.documents import blocks as b
from desktop.documents.kinds.common import section
from desktop.domain.dates import format_cn_date
from desktop.domain.enums import MeasureStatus
from desktop.domain.rectification import MeasureFlag, percent

# Widths in points of the landscape line (637.8 pt): a three-character name, 「2026年」 over
# 「12月31日」, four characters of a status fit their columns at 10.5 pt; the rest goes to the text.
COLUMNS = [("序号", 22, "center"), ("类别", 30, "center"), ("问题表现", 92, "left"), ("问题来源", 30, "center"),
           ("整改措施", 100, "left"), ("整改目标", 62, "left"), ("责任\n领导", 40, "center"),
           ("责任部门/责任人", 52, "center"), ("整改时限", 52, "center"), ("整改类型", 30, "center"),
           ("进展情况", 78, "left"), ("状态", 50, "center")]


def deadline(d) -> str:
    """``2026年\n12月31日``: two lines that each fit the 整改时限 column, never three."""
    return f"{d.year}年\n{d.month}月{d.day}日" if d else "—"


def _status(m) -> str:
    text = str(m.status)
    if m.closed_on:
        text += f"（{format_cn_date(m.closed_on)}销号）"
    if m.flag == MeasureFlag.OVERDUE:
        text += f"【{m.flag}】"
    return text


def _progress(m) -> str:
    lines = [f"{format_cn_date(p.date)}：{p.text}" for p in m.progress]
    if m.evidence:
        lines.append(f"佐证材料：{m.evidence}")
    return "\n".join(lines)


def build_rectification(tree) -> b.Document:
    """``tree``: a ``CampaignTree`` (desktop.services.rectification)."""
    c = tree.campaign
    name = c.name if c.name.endswith("清单") else (c.name + "清单" if c.name.endswith("整改") else c.name + "整改清单")
    title = f"{c.branch_name}{name}" if c.branch_name and c.branch_name not in c.name else name
    rows: list[list] = []
    for cat, prob in tree.problems():
        measures = list(prob.measures) or [None]
        n = len(measures)
        key = "（重点）" if prob.is_key else ""
        first = True
        for m in measures:
            row: list = []
            if first:
                row += [b.Cell(str(prob.number), n, "center"), b.Cell(cat.name, n, "center"),
                        b.Cell(prob.description + key, n), b.Cell(str(prob.source), n, "center")]
                first = False
            if m is None:
                row += ["（尚未制定整改措施）"] + [""] * 7
            else:
                row += [f"{m.number}. {m.content}", m.target, b.Cell(m.leader, align="center"),
                        b.Cell(m.owner, align="center"), b.Cell(deadline(m.deadline), align="center"),
                        b.Cell(str(m.type), align="center"), _progress(m), b.Cell(_status(m), align="center")]
            rows.append(row)
    status = tree.status_counts()
    total = sum(status.values())
    done = status.get(MeasureStatus.DONE, 0) + status.get(MeasureStatus.ONGOING, 0) + status.get(MeasureStatus.CLOSED, 0)
    parts = "、".join(f"{s}{n}项" for s, n in status.items() if n)
    overdue = tree.flag_counts().get(MeasureFlag.OVERDUE, 0)
    summary = (f"{c.name}共检视出{tree.sentence}。截至{format_cn_date(tree.today)}，{total}项整改措施中"
               f"{parts or '尚无措施'}，完成率{percent(done, total)}%")
    summary += f"；其中{overdue}项已逾期，须加快整改。" if overdue else "。"
    blocks: list[b.Block] = [
        b.Title(title),
        b.Table([b.Column(t, w, a) for t, w, a in COLUMNS], rows, caption="整改清单", font_size=10.5,
                location="整改清单"),
        b.PageBreak(),
        b.Title("整改进展情况", location="整改进展情况"),
        b.Paragraph(summary, location="整改进展情况"),
    ]
    for i, cat in enumerate(tree.categories, 1):
        ms = [m for p in cat.problems for m in p.measures]
        finished = sum(1 for m in ms if m.status in (MeasureStatus.DONE, MeasureStatus.ONGOING, MeasureStatus.CLOSED))
        blocks.append(b.Heading(section(i, cat.name), location=f"类别「{cat.name}」"))
        blocks.append(b.Paragraph(f"共{len(cat.problems)}个方面问题、{len(ms)}项整改措施，已完成{finished}项。",
                                  location=f"类别「{cat.name}」"))
    return b.Document(title, blocks, file_stem=f"{c.year}年{title}" if str(c.year) not in title else title,
                      orientation="landscape")
