"""``cards``: one greeting card per member: the oath, name, date and anniversary, the 寄语."""

from __future__ import annotations

from desktop.documents import blocks as b
from desktop.documents.kinds.birthdays import period_label
from desktop.documents.kinds.common import milestone_extra
from desktop.documents.layout import BODY_PT, balance_title, text_width_mm
from desktop.domain.dates import format_cn_date

OATH = ("我志愿加入中国共产党，拥护党的纲领，遵守党的章程，履行党员义务，执行党的决定，严守党的纪律，保守党的秘密，"
        "对党忠诚，积极工作，为共产主义奋斗终身，随时准备为党和人民牺牲一切，永不叛党。")

# the card's text width (24 pt padding each side) less a character's room: a long 落款 such as
# "中共…机关委员会第二党支部" breaks at a word end, not inside 委员会
SIGNER_WIDTH_PT = text_width_mm("portrait") * 72 / 25.4 - 48 - BODY_PT


def build_cards(rows, messages: list[str], signers: list[str], *, year: int, months: list[int], oath: str = OATH
                ) -> b.Document:
    """``rows``: ``BirthdayRow``; ``messages``: the 寄语 for each row (template already filled);
    ``signers``: who signs each card (the branch)."""
    title = f"{period_label(year, months)}政治生日贺卡"
    blocks: list[b.Block] = []
    for i, (r, msg, signer) in enumerate(zip(rows, messages, signers, strict=True)):
        if i:
            blocks.append(b.PageBreak())
        where = f"贺卡（{r.name}）"
        lines = [
            b.Paragraph(f"{r.name}同志：", indent_first_line=False, location=where),
            b.Paragraph(f"{format_cn_date(r.join_date)}，您光荣地加入了中国共产党。{format_cn_date(r.date_this_year)}"
                        f"是您入党{r.anniversary_number}周年的政治生日。"
                        + (f"（{extra}）" if (extra := milestone_extra(r.anniversary_number, r.milestone_label)) else ""),
                        location=where),
            b.Paragraph(msg, location=f"{where}寄语"),
            b.Paragraph("入党誓词", align="center", indent_first_line=False, location=where),
            b.Paragraph(oath, location=f"{where}入党誓词"),
            b.Paragraph(balance_title(signer, SIGNER_WIDTH_PT, BODY_PT), align="right", indent_first_line=False,
                        location=f"{where}落款"),
            b.Paragraph(format_cn_date(r.date_this_year), align="right", indent_first_line=False, location=where),
        ]
        blocks.append(b.Card("政治生日贺卡", lines, location=where))
    if not rows:
        blocks.append(b.Paragraph("本期无党员过政治生日。", location="贺卡"))
    return b.Document(title, blocks, file_stem=title, page_numbers=False)
