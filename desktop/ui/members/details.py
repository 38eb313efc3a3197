"""The 党员 page's details pane (desktop.ui.pages.members): the selected member's identity, 预备期 and
warnings above, the organisation periods and probation events (with the meeting that voted them) below.
"""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem

from desktop.domain.dates import format_cn_date
from desktop.services.members import MemberRow, get_member, probation_info

PROMPT = "选中一名党员，这里显示他（她）的组织关系变动。"


def identity_line(r: MemberRow) -> str:
    """``预备党员，尚无党龄；入党日期（政治生日）…`` — the category once, then the 党龄."""
    age = "尚无党龄" if r.party_age is None else f"党龄 {r.party_age} 年"
    return f"{r.category}，{age}；入党日期（政治生日）{r.join_date or '未填'}"


def show_member(ledger, row: MemberRow | None, label: QLabel, history: QTreeWidget) -> None:
    """Fill ``label`` and ``history`` for ``row`` (the prompt when none is selected)."""
    history.clear()
    if row is None or ledger is None:
        label.setText(PROMPT)
        return
    try:
        detail = get_member(ledger, row.id)
    except KeyError:
        return
    r = detail.row
    text = f"<b>{escape(r.name)}</b>　{identity_line(r)}"
    probation = probation_info(ledger, row.id)
    if probation.is_probationary and probation.state is not None:
        st = probation.state
        left = st.days_left(date.today())
        when = f"已期满{-left}天，请登记转正" if left < 0 else f"还有{left}天"
        text += f"<br>预备期至 {format_cn_date(st.end)}{'（已延长）' if st.extended else ''}，{when}"
    if detail.warnings:
        text += f"<br><span style='color:#9a6700'>{'；'.join(detail.warnings)}</span>"
    label.setText(text)
    for p in detail.periods:
        change = p.start_reason + (f" → {p.end_reason}" if p.end_reason else "")
        QTreeWidgetItem(history, [p.label, p.branch_name, p.group_name, change])
    for e in probation.events:  # 转正 / 延长预备期 / 取消 with the meeting that voted it
        item = QTreeWidgetItem(history, [format_cn_date(e.on_date), "", "", e.text.split(" ", 1)[1]])
        item.setToolTip(3, e.text)
    for i in range(4):
        history.resizeColumnToContents(i)
