"""``minutes``: one meeting's record, with the parts each kind needs."""

from __future__ import annotations

from desktop.documents import blocks as b
from desktop.documents.kinds.common import date_time_span, record_name, record_owner, record_title, section
from desktop.domain.enums import AttendanceStatus, GuestRole
from desktop.domain.meeting_kinds import spec_or_other
from desktop.domain.meetings import evaluate_vote, number_label, summarize_attendance


def _guests(m, role: str) -> str:
    people = [g.name + (f"（{g.title}）" if g.title else "") for g in m.guests if g.role == role]
    return "、".join(people) or "无"


def header_items(m, names: bool = False) -> list[tuple[str, str]]:
    """The header facts; ``names``: also 出席人员 by name (the bound ledger's option)."""
    s = summarize_attendance(a.attendee() for a in m.attendance)
    parts = spec_or_other(m.kind).parts
    items = [("时间", date_time_span(m.date, m.start_time, m.end_time)), ("地点", m.place or "")]
    if "lecture" in parts:
        items += [("授课人", m.lecturer + (f"（{m.lecturer_title}）" if m.lecturer_title else "")),
                  ("党课题目", m.lecture_title)]
    if "theme" in parts and m.theme:
        items.append(("活动主题", m.theme))
    items += [("主持人", m.host), ("记录人", m.recorder),
              ("应到人数", f"{s.due}人（正式党员{s.due_full}人、预备党员{s.due_prob}人）"),
              ("实到人数", f"{s.present}人（正式党员{s.present_full}人、预备党员{s.present_prob}人）"),
              ("缺席人员及原因", s.absent_text())]
    if names:
        present = [a.name for a in m.attendance if a.status == AttendanceStatus.PRESENT]
        items.insert(items.index(("缺席人员及原因", s.absent_text())), ("出席人员", "、".join(present) or "无"))
    if s.excluded:
        items.append(("不计入应到人员", "、".join(f"{a.name}（{a.reason or '未注明原因'}）" for a in s.excluded)))
    items += [("列席人员", _guests(m, GuestRole.OBSERVER)), ("上级指导", _guests(m, GuestRole.SUPERIOR))]
    return items


def reopen_notes(m) -> list[str]:
    """「本记录于…重新编辑，原因：…」 for each time a 定稿 record was reopened (local time)."""
    out = []
    for r in getattr(m, "reopenings", ()) or ():
        at = r.at.astimezone() if r.at.tzinfo else r.at
        reason = (r.reason or "未注明").strip()
        out.append(f"本记录于{at.year}年{at.month}月{at.day}日{at:%H:%M}重新编辑，原因：{reason}")
    return out


def minutes_blocks(m, toc: bool = False, names: bool = False, reopen_note: bool = True) -> list[b.Block]:
    """The record of ``m`` (a ``MeetingDetail``) as blocks, without a trailing page break.
    ``reopen_note``: print 「本记录于…重新编辑，原因：…」 under the signatures of a record that was
    reopened after 定稿 (the ledger setting ``print_reopen_note``)."""
    toc_text = f"{m.date.month}月{m.date.day}日　{number_label(m.number)}{record_name(m)}"
    if getattr(m, "group_name", ""):
        toc_text += f"（{m.group_name.split('（')[0]}）"  # 第一党小组（机关科室） → 第一党小组
    if getattr(m, "state", "定稿") != "定稿":
        toc_text += "（草稿）"
    spec = spec_or_other(m.kind)
    out: list[b.Block] = [b.Title(record_name(m), toc=toc, toc_text=toc_text), b.Subtitle(f"（{record_owner(m)}）")]
    if m.title and number_label(m.number) not in m.title:  # a generated title repeats the subtitle
        out.append(b.Subtitle(m.title, location="会议名称"))
    if getattr(m, "state", "定稿") != "定稿":
        out.append(b.Subtitle("（草稿，尚未定稿）", location="状态"))
    out.append(b.KeyValueTable(header_items(m, names), pairs_per_row=1, location="会议基本情况"))
    n = 0

    def head(text: str) -> None:
        nonlocal n
        n += 1
        out.append(b.Heading(section(n, text), location=text))

    if m.agenda:
        head("会议议题")
        out += [b.Paragraph(f"{i}. {t}", location=f"会议议题第{i}项") for i, t in enumerate(m.agenda, 1)]
    if "theme" in spec.parts and (m.required_actions or m.followup):
        head("规定动作")
        out += [b.Paragraph(t, location="规定动作") for t in m.required_actions.split("\n") if t.strip()]
        if m.followup:
            out += [b.Paragraph("上次议定事项落实情况：" + m.followup, location="上次议定事项落实情况")]
    if "lecture" in spec.parts and m.summary:
        head("内容摘要")
        out.append(b.Paragraph(m.summary, location="内容摘要"))
    if m.content or m.speeches:
        head(spec.content_heading)
        if m.content:
            out.append(b.Paragraph(m.content, location="会议内容"))
        current = None
        for i, sp in enumerate(m.speeches, 1):
            if sp.section and sp.section != current:
                current = sp.section
                out.append(b.Paragraph(f"【{sp.section}】", indent_first_line=True, location="发言分节"))
            # the speaker in the body font: a second font in a paragraph doubles reportlab's layout time
            out.append(b.Paragraph(f"{sp.speaker}：{sp.text}", location=f"第{i}位发言（{sp.speaker}）"))
    failed: list[str] = []  # votes the record's own counts do not carry
    if m.motions:
        head("表决情况")
        summary = summarize_attendance(a.attendee() for a in m.attendance)
        for i, mo in enumerate(m.motions, 1):
            text = f"赞成{mo.yes}票，反对{mo.no}票，弃权{mo.abstain}票"
            if spec.votes_judged:
                vote = evaluate_vote(mo.yes, mo.no, mo.abstain, summary, mo.is_election)
                text = vote.text
                if not vote.passed:
                    failed.append(f"第{i}项")
            out.append(b.Paragraph(f"{i}. {mo.title}：{text}。", location=f"第{i}项表决"))
    if m.resolution or failed:
        head(spec.resolution_heading)
        if failed:  # the record must not contradict its own vote: say so above what was written
            out.append(b.Paragraph(f"【注意】{'、'.join(failed)}表决未获通过，不能形成决议"
                                   + ("；以下决议内容与表决结果不符，须核实更正。" if m.resolution else "。"),
                                   location="表决未通过"))
        if m.resolution:
            out.append(b.Paragraph(m.resolution, location="会议决议"))
    out.append(b.Paragraph("散会。", location="散会"))
    out.append(b.SignatureLines(["主持人", "记录人"]))
    if reopen_note:
        out += [b.Paragraph(f"（{note}）", indent_first_line=False, align="left", location="重新编辑说明")
                for note in reopen_notes(m)]
    return out


def build_minutes(m, reopen_note: bool = True) -> b.Document:
    title = record_title(m)
    return b.Document(title, minutes_blocks(m, reopen_note=reopen_note), file_stem=title)
