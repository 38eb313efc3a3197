"""``birthdays``: 政治生日名册 for a month or a quarter."""

from __future__ import annotations

from desktop.documents import blocks as b
from desktop.documents.kinds.common import anniversary_mark
from desktop.domain.dates import format_cn_date, format_cn_year_month


def period_label(year: int, months: list[int]) -> str:
    ms = sorted(months)
    if len(ms) == 1:
        return f"{year}年{ms[0]}月"
    if len(ms) == 3 and ms[0] % 3 == 1 and ms == list(range(ms[0], ms[0] + 3)):
        return f"{year}年第{(ms[0] + 2) // 3}季度"
    return f"{year}年{ms[0]}—{ms[-1]}月"


def build_birthdays(rows, *, year: int, months: list[int], branch_name: str = "") -> b.Document:
    """``rows``: ``BirthdayRow`` objects (desktop.services.birthdays), already sorted by date."""
    label = period_label(year, months)
    title = f"{label}{branch_name}政治生日名册"
    table_rows = []
    for i, r in enumerate(rows, 1):
        age = f"{r.party_age}年" if r.party_age is not None else "预备期"
        mark = anniversary_mark(r.anniversary_number, r.milestone_label, r.is_round)
        table_rows.append([b.Cell(str(i), align="center"), b.Cell(r.name, align="center"),
                           b.Cell(r.gender, align="center"), b.Cell(format_cn_year_month(r.birth_date), align="center"),
                           b.Cell(format_cn_date(r.join_date), align="center"),
                           b.Cell(format_cn_date(r.full_date) or "—", align="center"), b.Cell(age, align="center"),
                           b.Cell(r.branch_name, align="center"), mark])
    cols = [b.Column("序号", 0.5), b.Column("姓名", 0.9), b.Column("性别", 0.5), b.Column("出生年月", 0.9),
            b.Column("入党日期（政治生日）", 1.5), b.Column("转正日期", 1.3), b.Column("党龄", 0.7),
            b.Column("所在支部", 1.1), b.Column("政治生日", 1.6)]
    fifty = [r.name for r in rows if r.is_fifty]
    blocks: list[b.Block] = [b.Title(title), b.Table(cols, table_rows, location="政治生日名册"),
                             b.Paragraph(f"共{len(rows)}名党员。" + (f"其中{'、'.join(fifty)}同志党龄满50年，"
                                         "可颁发“光荣在党50年”纪念章。" if fifty else ""), location="合计")]
    if not rows:
        blocks[-1] = b.Paragraph(f"{label}无党员过政治生日。", location="合计")
    return b.Document(title, blocks, file_stem=title, orientation="landscape")
