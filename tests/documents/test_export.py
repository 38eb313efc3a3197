"""The eight kinds from the demo ledger, through the export service and ``zhibu export``, read back."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader

from desktop.domain.dates import format_cn_date, format_cn_time
from desktop.domain.enums import MeetingKind
from desktop.services.export import ExportError, ExportFilters, export
from documents.readback import (
    assert_fonts_embedded,
    body,
    contains,
    docx_text,
    libreoffice_pages,
    needs_soffice,
    pdf_text,
    squash,
)

TODAY = date(2026, 11, 22)


def _texts(result) -> dict[str, str]:
    out = {}
    for p in result.paths:
        out[p.suffix] = body(pdf_text(p)) if p.suffix == ".pdf" else body(docx_text(p))
        if p.suffix == ".pdf":
            assert_fonts_embedded(p)
    return out


def _one_meeting_per_kind(led):
    from desktop.services.meetings import get_meeting, list_meetings

    seen = {}
    for r in sorted(list_meetings(led, year=2026), key=lambda r: r.date):
        seen.setdefault(r.kind, r.id)
    return [get_meeting(led, i) for i in seen.values()]


def _meeting_fields(m) -> list[str]:
    fields = [format_cn_date(m.date), m.place, m.host, m.recorder, m.content, m.resolution, "散会",
              "主持人（签字）", "记录人（签字）"]
    if m.start_time and m.end_time:
        fields.append(f"{format_cn_time(m.start_time)}—{format_cn_time(m.end_time)}")
    s = m.attendance_summary
    fields += [f"{s.due}人（正式党员{s.due_full}人、预备党员{s.due_prob}人）",
               f"{s.present}人（正式党员{s.present_full}人、预备党员{s.present_prob}人）"]
    fields += [f"{a.name}（{a.reason}）" for a in s.absent] + [a.name for a in s.excluded]
    fields += [g.name for g in m.guests] + list(m.agenda)
    fields += [f"{sp.speaker}：{sp.text}" for sp in m.speeches]
    fields += [mo.title for mo in m.motions] + [f"赞成{mo.yes}票，反对{mo.no}票，弃权{mo.abstain}票" for mo in m.motions]
    if m.kind == MeetingKind.LECTURE:
        fields += [m.lecturer, m.lecture_title, m.summary]
    if m.kind == MeetingKind.THEME_DAY:
        fields += [m.theme, m.followup] + [x for x in m.required_actions.split("\n") if x.strip()]
    return [squash(f) for f in fields if f and f.strip()]


def test_minutes_of_every_kind_show_every_field(demo, tmp_path):
    led, _info = demo
    meetings = _one_meeting_per_kind(led)
    assert len({m.kind for m in meetings}) >= 7
    for m in meetings:
        res = export(led, "minutes", tmp_path, "both", ExportFilters(meeting=m.id, today=TODAY))
        assert [p.suffix for p in res.paths] == [".pdf", ".docx"]
        assert res.paths[0].name.startswith(f"{m.date.year}年{m.branch_name}")
        for suffix, text in _texts(res).items():
            for f in _meeting_fields(m):
                assert f in text, (m.kind, suffix, f[:40])


def test_minutes_without_meeting_writes_one_file_per_meeting(demo, tmp_path):
    from desktop.services.meetings import list_meetings

    led, _info = demo
    rows = list_meetings(led, date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    res = export(led, "minutes", tmp_path, "pdf", ExportFilters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)))
    assert len(res.paths) == len(rows) == len(set(res.paths))


def test_signin_lists_everyone_due(demo, tmp_path):
    led, _info = demo
    m = _one_meeting_per_kind(led)[0]
    res = export(led, "signin", tmp_path, "both", ExportFilters(meeting=m.id[:8]))  # a unique prefix will do
    due = [a.name for a in m.attendance if a.status != "不计入应到"]
    for suffix, text in _texts(res).items():
        assert "本人签名" in text and "请假原因" in text
        for name in due:
            assert name in text, (suffix, name)
        for a in m.attendance_summary.absent:
            assert a.reason in text


def test_ledger_bundle_contents_point_at_the_right_pages(demo, tmp_path):
    from desktop.services.meetings import list_meetings

    led, info = demo
    res = export(led, "ledger", tmp_path, "both", ExportFilters(branch="第三党支部", year=2026))
    pdf, dx = res.paths
    assert pdf.name == "2026年第三党支部三会一课台账.pdf"
    reader = PdfReader(str(pdf))
    raw = [p.extract_text() or "" for p in reader.pages]
    pages = [squash(p) for p in raw]
    assert "三会一课台账" in pages[0] and "2026年度" in pages[0]
    assert "目录" in pages[1]
    rows = sorted(list_meetings(led, branch_id=info.branch_ids[2], year=2026), key=lambda r: r.date)
    toc = "\n".join(p for p in raw[1:4] if "目" in p or "·" in p)
    last = 0
    for r in rows:
        day = f"{r.date.month}月{r.date.day}日"
        assert day in toc
    # every entry's page holds the record it names, in date order, page numbers continuous
    import re

    numbers = [int(x) for x in re.findall(r"记录(?:（草稿）)?\s*\n\s*(\d+)\s*\n", toc)]  # drafts are marked
    assert len(numbers) == len(rows)
    for n in numbers:
        assert n > last
        assert f"—{n}—" in pages[n - 1]
        last = n


def test_compliance_table(demo, tmp_path):
    from desktop.services.compliance import branch_year_compliance

    led, info = demo
    res = export(led, "compliance", tmp_path, "both", ExportFilters(branch="第一党支部", year=2026, today=TODAY))
    grid = branch_year_compliance(led, info.branch_ids[0], 2026, TODAY).grid()
    for text in _texts(res).values():
        assert "三会一课落实情况统计表" in text
        for row in grid.rows():
            assert squash("".join(row)) in text
    assert res.paths[0].name == "2026年第一党支部三会一课落实情况统计表.pdf"


def test_rectification_list(demo, tmp_path):
    from desktop.services.rectification import get_campaign_tree

    led, info = demo
    res = export(led, "rectification", tmp_path, "both", ExportFilters(campaign=info.campaign_id, today=TODAY))
    tree = get_campaign_tree(led, info.campaign_id, today=TODAY)
    texts = _texts(res)
    for text in texts.values():
        assert "整改进展情况" + squash(tree.campaign.name) + "共检视出" + squash(tree.sentence) in text
        for _c, p, m in tree.measures():
            for f in (p.description, m.content, m.target, m.leader, m.owner, str(m.type)):
                assert contains(text, squash(f)), f
            for pr in m.progress:
                assert contains(text, squash(pr.text))
    assert "整改清单（续）" in texts[".pdf"]
    first = squash(PdfReader(str(res.paths[0])).pages[0].extract_text())
    assert "整改清单序号" in first and "（续）" not in first
    reader = PdfReader(str(res.paths[0]))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape


def test_birthdays_and_cards(demo, tmp_path):
    from desktop.services.birthdays import birthdays_for

    led, _info = demo
    rows = birthdays_for(led, 2026, [7, 8, 9])
    assert rows
    res = export(led, "birthdays", tmp_path, "both", ExportFilters(year=2026, quarter=3))
    assert res.paths[0].name == "2026年第3季度政治生日名册.pdf"
    for text in _texts(res).values():
        for r in rows:
            assert squash(f"{r.name}") in text and format_cn_date(r.join_date) in text
            assert f"入党{r.anniversary_number}周年" in text
    res = export(led, "cards", tmp_path, "both", ExportFilters(year=2026, quarter=3))
    for text in _texts(res).values():
        assert text.count("我志愿加入中国共产党") == len(rows)
        for r in rows:
            assert f"{r.name}同志：" in text
    assert len(PdfReader(str(res.paths[0])).pages) == len(rows)


def test_roster_masks_id_numbers_unless_asked(demo, tmp_path):
    from desktop.services.members import list_members

    led, _info = demo
    members = [m for m in list_members(led, status="在册") if m.id_number]
    assert members
    res = export(led, "roster", tmp_path / "masked", "both", ExportFilters(today=TODAY))
    for text in _texts(res).values():
        for m in members:
            assert m.name in text and m.id_masked in text and m.id_number not in text
    res = export(led, "roster", tmp_path / "full", "pdf", ExportFilters(today=TODAY, unmask=True))
    text = _texts(res)[".pdf"]
    assert all(m.id_number in text for m in members)


def test_bad_filters_are_reported_in_chinese(demo, tmp_path):
    led, _info = demo
    with pytest.raises(ExportError, match="党支部“第九党支部”不存在"):
        export(led, "ledger", tmp_path, "pdf", ExportFilters(branch="第九党支部"))
    with pytest.raises(ExportError, match="会议记录“nope”不存在"):
        export(led, "minutes", tmp_path, "pdf", ExportFilters(meeting="nope"))
    with pytest.raises(ExportError, match="会议记录“%”不存在"):  # a LIKE wildcard is taken literally
        export(led, "minutes", tmp_path, "pdf", ExportFilters(meeting="%"))
    assert list(tmp_path.iterdir()) == []


def test_cli_export_and_font_error(tmp_path, monkeypatch, capsys):
    from desktop.cli import main
    from desktop.documents import fonts as fonts_mod
    from desktop.services.demo import build_demo

    path = str(tmp_path / "cli.zhibu")  # its own file: the CLI opens (and locks) it itself
    build_demo(path)
    rc = main(["export", path, "birthdays", "--out", str(tmp_path / "a"), "--format", "both", "--year", "2026",
               "--month", "7"])
    assert rc == 0
    out = capsys.readouterr().out
    assert "2026年7月政治生日名册.pdf" in out and "2026年7月政治生日名册.docx" in out
    assert main(["export", path, "ledger", "--branch", "第九党支部", "--out", str(tmp_path / "c")]) == 2
    assert "党支部“第九党支部”不存在" in capsys.readouterr().err

    def no_fonts(overrides=None):
        raise fonts_mod.DocumentFontError("无法生成文档：本机没有可嵌入的 TrueType 中文字体")

    monkeypatch.setattr("desktop.services.export.resolve_fonts", no_fonts)
    rc = main(["export", path, "roster", "--out", str(tmp_path / "b")])
    assert rc == 3
    assert "TrueType 中文字体" in capsys.readouterr().err
    assert not (tmp_path / "b").exists()


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("kind", ["minutes", "signin", "ledger", "compliance", "rectification", "birthdays", "cards",
                                  "roster"])
def test_libreoffice_page_count_matches_ours(demo, tmp_path, kind):
    led, info = demo
    m = _one_meeting_per_kind(led)[0]
    branch = {"ledger": "第一党支部", "compliance": "第三党支部", "roster": "第一党支部"}.get(kind)  # 第一: 53 records
    f = ExportFilters(meeting=m.id if kind in ("minutes", "signin") else None, branch=branch, year=2026,
                      quarter=3 if kind in ("birthdays", "cards") else None,
                      campaign=info.campaign_id if kind == "rectification" else None, today=TODAY)
    res = export(led, kind, tmp_path, "both", f)
    pdf, dx = res.paths[:2]
    ours = len(PdfReader(str(pdf)).pages)
    # the bundle's 53 records each start a page: a record one page longer in one layout (table
    # rows a little taller in ours) moves the rest; allow 2 % there
    assert abs(libreoffice_pages(dx, tmp_path) - ours) <= max(1, round(ours * 0.02)), kind


def test_compliance_gaps_are_shaded(demo, tmp_path):
    import docx

    led, _info = demo
    res = export(led, "compliance", tmp_path, "docx", ExportFilters(branch="第三党支部", year=2026,
                                                                    today=date(2027, 1, 15)))
    d = docx.Document(str(res.paths[0]))
    xml = d.tables[-1]._tbl.xml
    shaded = [c.text for row in d.tables[-1].rows for c in row.cells if 'w:fill="E0E0E0"' in c._tc.xml]
    assert shaded and all("缺" in t for t in shaded) and "缺" in xml
