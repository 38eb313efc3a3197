"""``committee_compliance``: 三会一课落实情况汇总表 of the whole 机关党委 — branches × kinds
(desktop.domain.committee_compliance), then each branch's unmet requirements."""

from __future__ import annotations

from desktop.documents import blocks as b
from desktop.documents.kinds.common import section
from desktop.domain.committee_compliance import BranchTally, committee_total, kinds_of
from desktop.domain.dates import format_cn_date


def build_committee_compliance(rows: list[tuple[BranchTally, list]], *, committee: str, year: int,
                               span: str, today) -> b.Document:
    """``rows``: (the branch's tally, its unmet ``RequirementStatus`` items) in display order."""
    tallies = [t for t, _missing in rows]
    kinds = kinds_of(tallies)
    title = f"{year}年{span}{committee}三会一课落实情况汇总表"
    cols = ([b.Column("党支部", 1.4, "center")] + [b.Column(_head(str(k)), 1.0, "center") for k in kinds]
            + [b.Column("落实率", 0.7, "center")])
    body = []
    for t in [*tallies, committee_total(tallies, kinds)]:
        cells = [t.by_kind[k] if k in t.by_kind else None for k in kinds]
        body.append([b.Cell(t.branch, align="center")]
                    + [b.Cell(c.cell if c else "不需召开", align="center", shaded=bool(c and c.missing)) for c in cells]
                    + [b.Cell(t.total.rate, align="center")])
    pending = sum(t.total.pending for t in tallies)
    blocks: list[b.Block] = [
        b.Title(title),
        b.Subtitle(f"（统计截至{format_cn_date(today)}，共{len(tallies)}个党支部）"),
        b.Table(cols, body, caption="", location="汇总表"),
        b.Paragraph("说明：“已开/应开”只计已到期的要求（每项要求最多计到应开次数）；“缺N”（灰底）为N项到期仍未开足；"
                    "“不需召开”为该支部不设此会（如不设支部委员会、党小组）；“—”为尚无到期要求。"
                    + (f"另有{pending}项要求尚未到期，未计入。" if pending else "")
                    + "各支部逐月情况见各支部的三会一课落实情况统计表。", location="说明"),
        b.Heading(section(1, "未落实事项"), location="未落实事项"),
    ]
    n = 0
    for t, missing in rows:
        for it in missing:
            n += 1
            group = it.requirement.group_name or ""
            blocks.append(b.Paragraph(f"{n}. {t.branch}：{it.requirement.period_label}{group}{it.requirement.kind}，应开"
                                      f"{it.requirement.required_count}次，已开{it.held}次。", location="未落实事项"))
    if not n:
        blocks.append(b.Paragraph("无。", location="未落实事项"))
    return b.Document(title, blocks, file_stem=title, orientation="landscape")


def _head(kind: str) -> str:
    """A column head of nine that cannot hold six characters on a line: 「支部党员大会」 and
    「民主评议党员」 break as 「支部党员／大会」, never leaving 「会」 or 「员」 alone on a line."""
    return f"{kind[:-2]}\n{kind[-2:]}" if len(kind) >= 6 else kind
