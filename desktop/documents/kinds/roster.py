"""``roster``: 党员名册; ID numbers masked unless asked otherwise."""

from __future__ import annotations

from desktop.documents import blocks as b
from desktop.domain.dates import format_cn_date, format_cn_year_month
from desktop.domain.members import mask_id_number


def _day(d) -> str:
    return "" if d is None else f"{d.year}.{d.month:02d}.{d.day:02d}"


def build_roster(members, *, title_prefix: str, as_of, unmask: bool = False, one_branch: bool = False) -> b.Document:
    """``members``: ``MemberRow`` objects (desktop.services.members). ``one_branch``: the place
    column shows the 党小组 only."""
    title = f"{title_prefix}党员名册"
    rows = []
    for i, m in enumerate(members, 1):
        idn = m.id_number if unmask else (m.id_masked or mask_id_number(m.id_number))
        where = (m.group_name or "—") if one_branch else m.branch_name + (f"\n{m.group_name}" if m.group_name else "")
        age = f"{m.party_age}" if m.party_age is not None else "—"
        rows.append([b.Cell(str(i), align="center"), b.Cell(m.name, align="center"), b.Cell(m.gender, align="center"),
                     b.Cell(m.ethnicity, align="center"), b.Cell(format_cn_year_month(m.birth_date), align="center"),
                     b.Cell(m.education, align="center"), b.Cell(idn, align="center"),
                     b.Cell(_day(m.join_date), align="center"),
                     b.Cell(_day(m.full_date) or "—", align="center"), b.Cell(age, align="center"),
                     b.Cell(m.category.replace("党员", ""), align="center"), b.Cell(m.status, align="center"),
                     b.Cell(where, align="center"), b.Cell(m.party_post, align="center"),
                     b.Cell(m.phone, align="center")])
    # weights in points of the 225 mm landscape line at 9.5 pt: dates, ID and phone numbers (also
    # 0579-82345678), 大学本科、支部书记 on one line; 所在支部/党小组 in three lines rather than four
    cols = [b.Column("序号", 18), b.Column("姓名", 35), b.Column("性别", 20), b.Column("民族", 25.5),
            b.Column("出生年月", 39.5), b.Column("学历", 44.5), b.Column("公民身份号码", 92), b.Column("入党日期", 54),
            b.Column("转正日期", 54), b.Column("党龄", 20), b.Column("类别", 25.5), b.Column("状态", 25.5),
            b.Column("党小组" if one_branch else "所在支部/党小组", 70), b.Column("党内职务", 44),
            b.Column("联系电话", 70)]
    note = "身份证号码已部分隐藏。" if not unmask else "本名册含完整身份证号码，请妥善保管。"
    blocks: list[b.Block] = [
        b.Title(title), b.Subtitle(f"（截至{format_cn_date(as_of)}，共{len(members)}名）"),
        b.Table(cols, rows, font_size=9.5, location="党员名册"),
        b.Paragraph(f"注：党龄自转正之日起计算；{note}", location="注"),
    ]
    return b.Document(title, blocks, file_stem=title, orientation="landscape")
