"""Bad input, end to end through the public services on a fresh ledger.

Text keeps exactly what was typed (Chinese, emoji, 𠮷, markup-looking text, 100,000 characters);
characters no document format can hold follow the one rule of desktop.domain.text.clean_text,
applied when the service stores the value. Impossible data is refused naming the field (the
Chinese form label) and nothing is written.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.domain.errors import DomainValidationError, ValidationErrors
from desktop.services import birthdays as bd
from desktop.services import rectification as rect
from desktop.services.dumpload import dump_ledger, load_ledger
from desktop.services.export import ExportFilters, export
from desktop.services.meetings import (
    AttendanceData,
    MeetingInput,
    SpeechData,
    get_agenda_template,
    get_meeting,
    list_drafts,
    load_draft,
    new_meeting,
    save_agenda_template,
    save_draft,
    save_meeting,
)
from desktop.services.members import MemberInput, get_member, save_member, transfer_member
from desktop.services.organization import BranchInput, save_branch, save_committee
from desktop.store.ledger import Ledger
from desktop.store.models import Measure, Meeting, Member, ProgressEntry
from tests.documents.readback import body, docx_text, pdf_text

TODAY = date(2026, 6, 15)

# Typed or pasted: a paragraph indent, a tab, NUL, Word's manual line break (\x0b), a page break
# (\x0c), Windows and old-Mac line ends, markup-looking text, emoji (one as a surrogate pair that
# arrived as two code points), 𠮷, two lone surrogates, DEL, NEL and trailing blanks.
DIRTY = ("\u3000\u3000缩进\t第一行\x00\x0b第二行\x0c第三行\r\n第四行\r第五行 R&D <b>粗体</b> 🎉 𠮷 "
         "\ud83d\ude00 孤\ud800立 \udc00尾\x7f\x85末  \u3000\n")
# The documented rule, spelled out (not computed with clean_text, so this test can catch a change).
CLEAN_TEXT = "\u3000\u3000缩进\t第一行\n第二行\n第三行\n第四行\n第五行 R&D <b>粗体</b> 🎉 𠮷 😀 孤立 尾\n末"
CLEAN_LINE = "缩进\t第一行 第二行 第三行 第四行 第五行 R&D <b>粗体</b> 🎉 𠮷 😀 孤立 尾 末"
# 100,000 characters typed in one field (with a line break every 200 characters).
LONG = "".join(("认真学习贯彻党的二十大精神" * 16)[:199] + "\n" for _ in range(500))
assert len(LONG) == 100_000


def _fields(exc: BaseException) -> list[str]:
    if isinstance(exc, ValidationErrors):
        return exc.fields
    assert isinstance(exc, DomainValidationError)
    return [exc.field]


def _refused(fn, field: str, *args, **kwargs) -> BaseException:
    """``fn`` raises a validation error naming ``field`` (in .field and in the message)."""
    with pytest.raises((ValidationErrors, DomainValidationError)) as info:
        fn(*args, **kwargs)
    assert field in _fields(info.value), str(info.value)
    assert field in str(info.value)
    return info.value


def _count(ledger, model) -> int:
    with ledger.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def led(tmp_path):
    ledger = Ledger.open(tmp_path / "bad.zhibu", create=True)
    save_committee(ledger, "某某局机关党委", "某某局")
    b1 = save_branch(ledger, BranchInput("第一党支部", has_committee=True))
    b2 = save_branch(ledger, BranchInput("第二党支部", has_committee=False))
    ids = {"b1": b1, "b2": b2}
    for key, name, branch, joined in (("zhang", "张建国", b1, "1990-07-01"), ("ji", "𠮷祥🎉", b1, "2001-06-10"),
                                      ("chen", "陈志强", b2, "1975-05-04")):
        ids[key] = save_member(ledger, MemberInput(name=name, branch_id=branch, gender="男", join_date=joined,
                                                   full_date=joined.replace(joined[:4], str(int(joined[:4]) + 1))),
                               today=TODAY)
    ledger.ids = ids  # type: ignore[attr-defined]
    yield ledger
    ledger.close()


def _meeting_input(led, **kw) -> MeetingInput:
    inp = new_meeting(led, led.ids["b1"], "支部党员大会", date(2026, 6, 10))
    inp.start_time, inp.end_time, inp.place, inp.host, inp.recorder = "9:00", "11:00", "三楼会议室", "张建国", "𠮷祥🎉"
    for k, v in kw.items():
        setattr(inp, k, v)
    return inp


def _measure(led, target: str = LONG) -> str:
    cid = rect.save_campaign(led, rect.CampaignInput(DIRTY, 2026, led.ids["b1"], date(2026, 3, 1),
                                                     date(2026, 12, 31), DIRTY))
    cat = rect.save_category(led, cid, "理论学习")
    pid = rect.save_problem(led, rect.ProblemInput(cat, DIRTY, is_key=True))
    mid = rect.save_measure(led, rect.MeasureInput(pid, DIRTY, target=target, leader=DIRTY, owner="𠮷祥🎉",
                                                   deadline=date(2026, 9, 30)), today=TODAY)
    led.ids.update(campaign=cid, problem=pid, measure=mid)
    return mid


# ------------------------------------------------------------------------- text stored
def test_member_text_stored_by_the_rule(led):
    mid = save_member(led, MemberInput(name=DIRTY, branch_id=led.ids["b1"], join_date="2010-07-01",
                                       full_date="2011-07-01", notes=DIRTY, job_title=DIRTY), today=TODAY)
    d = get_member(led, mid, today=TODAY)
    assert d.notes == CLEAN_TEXT
    assert d.row.name == CLEAN_LINE and d.row.job_title == CLEAN_LINE
    save_member(led, replace(MemberInput(name="𠮷祥🎉", branch_id=led.ids["b1"], join_date="2010-07-01",
                                         full_date="2011-07-01", notes=LONG), id=mid), today=TODAY)
    d = get_member(led, mid, today=TODAY)
    assert d.notes == LONG.rstrip() and d.row.name == "𠮷祥🎉"
    transfer_member(led, mid, to_branch_id=led.ids["b2"], to_group_id=None, on="2026-01-01", notes=DIRTY)
    assert get_member(led, mid, today=TODAY).periods[-1].notes == CLEAN_TEXT


def test_meeting_text_stored_by_the_rule(led):
    inp = _meeting_input(led, title=DIRTY, place=DIRTY, content=LONG, summary=DIRTY, agenda=[DIRTY, "\x00 \x0b"],
                         speeches=[SpeechData(DIRTY, DIRTY)])
    inp.attendance = [replace(a, status="缺席", reason=DIRTY) if a.name == "张建国" else a for a in inp.attendance]
    m = get_meeting(led, save_meeting(led, inp))
    assert m.title == CLEAN_LINE and m.place == CLEAN_LINE and m.summary == CLEAN_TEXT
    assert m.content == LONG.rstrip()
    assert list(m.agenda) == [CLEAN_TEXT]  # an item of nothing but unstorable characters is dropped
    assert (m.speeches[0].speaker, m.speeches[0].text) == (CLEAN_LINE, CLEAN_TEXT)
    assert {a.name: a.reason for a in m.attendance}["张建国"] == CLEAN_LINE


def test_agenda_template_and_draft_stored_by_the_rule(led):
    save_agenda_template(led, "支部党员大会", [DIRTY, "", "  "])
    assert get_agenda_template(led, "支部党员大会") == [CLEAN_LINE]
    # autosave: a lone surrogate must not make SQLite refuse the draft (the crash copy is lost)
    draft = save_draft(led, _meeting_input(led, content=DIRTY, title=DIRTY, speeches=[SpeechData(DIRTY, DIRTY)]))
    back = load_draft(led, draft)
    assert back.content == CLEAN_TEXT and back.title == CLEAN_LINE
    assert back.speeches[0].text == CLEAN_TEXT and back.speeches[0].speaker == CLEAN_LINE
    assert [d.id for d in list_drafts(led)] == [draft]


def test_attachment_caption_stored_by_the_rule(led, tmp_path):
    from desktop.services.meetings import add_attachment

    photo = tmp_path / "签到表𠮷.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    meeting_id = save_meeting(led, _meeting_input(led))
    info = add_attachment(led, meeting_id, photo, caption=DIRTY)
    assert info.caption == CLEAN_LINE and info.filename == "签到表𠮷.png"
    assert get_meeting(led, meeting_id).attachments[0].caption == CLEAN_LINE


def test_rectification_text_stored_by_the_rule(led):
    mid = _measure(led)
    rect.add_progress(led, mid, "2026-05-01", DIRTY, today=TODAY)
    tree = rect.get_campaign_tree(led, led.ids["campaign"], today=TODAY)
    assert tree.campaign.name == CLEAN_LINE and tree.campaign.description == CLEAN_TEXT
    _c, p, m = tree.measures()[0]
    assert p.description == CLEAN_TEXT
    assert (m.content, m.target, m.leader, m.owner) == (CLEAN_TEXT, LONG.rstrip(), CLEAN_LINE, "𠮷祥🎉")
    assert m.progress[0].text == CLEAN_TEXT and m.progress[0].date == date(2026, 5, 1)


def test_birthday_message_stored_by_the_rule(led):
    bd.save_message_template(led, "{姓名}同志：" + DIRTY)
    assert bd.get_message_template(led) == "{姓名}同志：" + CLEAN_TEXT
    eid = bd.save_event(led, bd.EventInput(date(2026, 6, 28), (bd.CelebrantInput(led.ids["ji"], DIRTY),
                                                               bd.CelebrantInput(led.ids["zhang"], LONG)),
                                           led.ids["b1"], title=DIRTY, place=DIRTY, notes=DIRTY))
    e = bd.get_event(led, eid)
    assert e.event.title == CLEAN_LINE and e.event.place == CLEAN_LINE and e.notes == CLEAN_TEXT
    assert {c.name: c.message for c in e.celebrants} == {"𠮷祥🎉": CLEAN_TEXT, "张建国": LONG.rstrip()}


# ------------------------------------------------------------------- dump, load, print
def _fill(led, full: bool = True) -> dict[str, str]:
    save_member(led, MemberInput(name="王磊", branch_id=led.ids["b1"], join_date="2015-11-20",
                                 full_date="2016-11-20", notes=DIRTY + LONG), today=TODAY)
    meeting = save_meeting(led, _meeting_input(led, title="2026年第1次党员大会 R&D <b>", content=DIRTY + LONG,
                                               speeches=[SpeechData("𠮷祥🎉", DIRTY)]))
    # The 100,000 characters also go into a 整改目标 and a 寄语, except when printed: PDF layout of
    # a table cell or a card that long is super-linear (minutes to hours; documents/ owns it).
    long = LONG if full else LONG[:2000]
    mid = _measure(led, target=long)
    rect.add_progress(led, mid, "2026-05-01", DIRTY, today=TODAY)
    event = bd.save_event(led, bd.EventInput(date(2026, 6, 28), (bd.CelebrantInput(led.ids["ji"], DIRTY + long),),
                                             led.ids["b1"]))
    return {"meeting": meeting, "campaign": led.ids["campaign"], "event": event}


def test_dump_load_dump_identical(led, tmp_path):
    _fill(led)
    first = dump_ledger(led)
    assert "R&D <b>粗体</b> 🎉 𠮷 😀" in json.loads(json.dumps(first))  # the text, not an escape of it
    load_ledger(first, tmp_path / "copy.zhibu")
    assert dump_ledger(tmp_path / "copy.zhibu") == first


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_documents_print_the_text(led, tmp_path, fmt):
    ids = _fill(led, full=False)
    read = pdf_text if fmt == "pdf" else docx_text
    # squash/body drop astral characters (PDF extraction cannot name them); the BMP text must be there
    expected = body(CLEAN_TEXT)
    assert "第五行R&D<b>粗体</b>孤立尾末" in expected
    jobs = (("minutes", ExportFilters(meeting=ids["meeting"], today=TODAY)),
            ("rectification", ExportFilters(campaign=ids["campaign"], today=TODAY)),
            ("cards", ExportFilters(event=ids["event"], today=TODAY)))
    for kind, filters in jobs:
        res = export(led, kind, tmp_path / kind, fmt, filters)
        assert res.paths, kind
        text = body("".join(read(Path(p)) for p in res.paths))
        assert expected in text, (kind, text[:400])
        if fmt == "docx":  # DOCX keeps astral characters as typed
            raw = "".join(read(Path(p)) for p in res.paths)
            assert "𠮷" in raw and "😀" in raw, kind
    minutes = body("".join(read(Path(p)) for p in export(led, "minutes", tmp_path / "m2", fmt,
                                                         ExportFilters(meeting=ids["meeting"])).paths))
    assert body(LONG) in minutes  # all 100,000 characters printed


# ------------------------------------------------------------------- impossible data
def test_member_impossible_dates_refused(led):
    before = _count(led, Member)
    base = MemberInput(name="刘洋", branch_id=led.ids["b1"], join_date="2010-07-01", full_date="2011-07-01")
    _refused(save_member, "出生日期", led, replace(base, birth_date="2023-02-30"), today=TODAY)
    err = _refused(save_member, "入党日期", led, replace(base, join_date="2023-02-30"), today=TODAY)
    assert "2023-02-30" in str(err)
    _refused(save_member, "转正日期", led, replace(base, full_date="2009-07-01"), today=TODAY)
    _refused(save_member, "转正日期", led, replace(base, full_date="2023-02-30"), today=TODAY)
    # an existing member is not changed by a refused edit either
    _refused(save_member, "转正日期", led, replace(base, id=led.ids["zhang"], name="张建国", full_date="1980-01-01"),
             today=TODAY)
    assert _count(led, Member) == before
    assert get_member(led, led.ids["zhang"], today=TODAY).row.full_date == date(1991, 7, 1)


def test_meeting_end_before_start_refused(led):
    before = _count(led, Meeting)
    _refused(save_meeting, "结束时间", led, _meeting_input(led, start_time="14:30", end_time="9:00"))
    _refused(save_meeting, "会议日期", led, _meeting_input(led, date="2023-02-30"))
    assert _count(led, Meeting) == before


def test_attendee_not_in_branch_refused(led):
    before = _count(led, Meeting)
    inp = _meeting_input(led)
    outsider = AttendanceData(led.ids["chen"], "陈志强", "正式党员")  # a member of 第二党支部
    err = _refused(save_meeting, "参会人员", led, replace(inp, attendance=[*inp.attendance, outsider]))
    assert "陈志强" in str(err)
    # not yet a member on the meeting date: joins the branch in July
    late = save_member(led, MemberInput(name="孙悦", branch_id=led.ids["b1"], join_date="2026-07-01"), today=date(2026, 7, 2))
    err = _refused(save_meeting, "参会人员", led,
                   replace(inp, attendance=[*inp.attendance, AttendanceData(late, "孙悦", "预备党员")]))
    assert "孙悦" in str(err)
    # transferred out before the meeting: the old meeting date still counts, the new one does not
    transfer_member(led, led.ids["ji"], to_branch_id=led.ids["b2"], to_group_id=None, on="2026-06-01")
    err = _refused(save_meeting, "参会人员", led, inp)
    assert "𠮷祥🎉" in str(err)
    assert _count(led, Meeting) == before
    # an existing record keeps its stored attendance after a refused edit
    ok = save_meeting(led, replace(inp, date=date(2026, 5, 20), number=1))
    stored = get_meeting(led, ok)
    _refused(save_meeting, "参会人员", led, replace(inp, id=ok, version=stored.version, date=date(2026, 6, 10)))
    assert get_meeting(led, ok).date == date(2026, 5, 20)
    assert {a.name for a in get_meeting(led, ok).attendance} == {"张建国", "𠮷祥🎉"}


def test_measure_impossible_deadline_refused(led):
    mid = _measure(led)
    before = _count(led, Measure)
    err = _refused(rect.save_measure, "整改时限", led, rect.MeasureInput(led.ids["problem"], "建立学习台账",
                                                                         deadline="2026-02-30"), today=TODAY)
    assert "2026-02-30" in str(err) and len(_fields(err)) == 1  # not also "须填写整改时限"
    _refused(rect.save_measure, "销号日期", led, rect.MeasureInput(led.ids["problem"], "建立学习台账",
                                                                   deadline=date(2026, 3, 1), status="已销号",
                                                                   closed_on="2026-04-31"), today=TODAY)
    _refused(rect.save_measure, "整改时限", led, replace(rect.get_measure(led, mid), deadline="2026-13-01"),
             today=TODAY)
    assert _count(led, Measure) == before
    assert rect.get_measure(led, mid).deadline == date(2026, 9, 30)
    # typed text that is a real date is accepted and stored as a date
    rect.save_measure(led, replace(rect.get_measure(led, mid), deadline="2026年10月31日"), today=TODAY)
    assert rect.get_measure(led, mid).deadline == date(2026, 10, 31)
    _refused(rect.save_campaign, "结束日期", led, rect.CampaignInput("主题教育", 2026, end_date="2026-02-30"))


def test_progress_impossible_date_refused(led):
    mid = _measure(led)
    before = _count(led, ProgressEntry)
    _refused(rect.add_progress, "进展日期", led, mid, "2026-02-30", "完成集中学习", today=TODAY)
    _refused(rect.add_progress, "进展日期", led, mid, date(2026, 7, 1), "完成集中学习", today=TODAY)
    _refused(rect.add_progress, "进展日期", led, mid, None, "完成集中学习", today=TODAY)
    _refused(rect.add_progress, "进展情况", led, mid, date(2026, 5, 1), "\x00\x0b \u3000", today=TODAY)
    assert _count(led, ProgressEntry) == before


def test_birthday_event_impossible_date_refused(led):
    _refused(bd.save_event, "活动日期", led, bd.EventInput("2026-06-31", (bd.CelebrantInput(led.ids["ji"]),)))
    assert bd.list_events(led) == []


def test_roster_import_keeps_note_lines_and_cleans_cells(led, tmp_path):
    from openpyxl import Workbook

    from desktop.services.member_io import commit_import, guess_mapping, preview_import, read_table

    csv_file = tmp_path / "名册.csv"
    csv_file.write_text('姓名,所在支部,入党日期,转正日期,备注\r\n'
                        '"𠮷田🎉\x0b\x00",第一党支部,2010-07-01,2011-07-01,"第一行\x00\r\n第二行 R&D <b>\x0c末 "\r\n'
                        '刘洋,第一党支部,2023-02-30,,\r\n', encoding="utf-8")
    book = tmp_path / "名册.xlsx"
    wb = Workbook()
    wb.active.append(["姓名", "所在支部", "入党日期", "转正日期", "备注"])
    wb.active.append(["周\n敏", "第一党支部", date(2012, 7, 1), date(2013, 7, 1), "调入时间：2020年\n原单位：某局"])
    wb.save(book)
    before = _count(led, Member)
    for path, good in ((csv_file, 1), (book, 1)):
        table = read_table(path)
        preview = preview_import(led, table, guess_mapping(table.headers), today=TODAY)
        assert len(preview.good) == good
        assert commit_import(led, preview, today=TODAY) == good
    bad = preview_import(led, read_table(csv_file), guess_mapping(read_table(csv_file).headers), today=TODAY).bad
    assert any("入党日期" in e and "2023-02-30" in e for r in bad for e in r.errors)
    assert _count(led, Member) == before + 2
    with led.read() as s:
        notes = dict(s.execute(select(Member.name, Member.notes).where(Member.name.in_(["𠮷田🎉", "周 敏"]))).all())
    assert notes == {"𠮷田🎉": "第一行\n第二行 R&D <b>\n末", "周 敏": "调入时间：2020年\n原单位：某局"}
