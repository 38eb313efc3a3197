"""整改清单 Excel: merged cells, synonyms, per-row errors, nothing half-written, round trip."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from desktop.domain.errors import ValidationErrors
from desktop.services import rect_excel as rx
from desktop.services import rectification as rect

TODAY = date(2026, 11, 22)
HEADER = ["序号", "问题类别", "存在问题", "问题来源", "整改措施", "整改目标", "牵头领导", "责任部门／责任人",
          "完成时限", "整改类型", "进展情况", "状态", "销号日期"]


def _drafted(path, rows, merges=()):
    wb = Workbook()
    ws = wb.active
    ws.append(["第一党支部主题教育检视问题整改清单"])
    ws.merge_cells("A1:M1")
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


GOOD = [
    [1, "理论学习", "学习不够系统，满足于读文件", "自查", "制定年度学习计划", "形成计划", "王书记", "办公室",
     datetime(2026, 3, 31), "限期整改", "2026-03-15 已印发学习计划\n2026-04-02 开展第一次研讨", "已完成", None],
    [None, None, None, None, "每月开展一次专题研讨", "常态化", "王书记", "各支部", "长期坚持", None, None, "整改中", None],
    [2, None, "学用结合不紧", "上级点评", "开展“学思践悟”交流", "", "李局长", "规划科", "2026年12月底前", None,
     "", "", None],
    [3, "工作作风", "调查研究不够经常", "群众反映", "每季度到基层调研一次", "", "张副局长", "各科室",
     "2026-06-30", "限期整改", "", "已销号", "2026-07-05"],
    ["注：本清单由支部委员会审定。", None, None, None, None, None, None, None, None, None, None, None, None],
]
GOOD_MERGES = ("A3:A4", "B3:B5", "C3:C4", "D3:D4", "A7:M7")


def test_read_merged_cells_and_synonyms(tmp_path):
    sheet = rx.read_sheet(_drafted(tmp_path / "a.xlsx", GOOD, GOOD_MERGES))
    assert sheet.header_row == 2
    mapping = rx.guess_mapping(sheet.headers)
    assert mapping["category"] == 1 and mapping["problem"] == 2 and mapping["owner"] == 7
    assert mapping["leader"] == 6 and mapping["deadline"] == 8 and mapping["is_key"] is None
    preview = rx.build_preview(sheet, mapping, TODAY)
    assert not preview.mapping_errors
    assert [r.errors for r in preview.rows] == [[], [], [], []]  # the 注 row is skipped
    r1, r2, r3, r4 = preview.rows
    assert r2.problem == r1.problem and r2.problem_group == r1.problem_group  # merged problem cell
    assert r3.category == "理论学习" and r3.problem_group != r1.problem_group  # merged category cell
    assert r2.measure.type == "长期坚持" and r2.measure.deadline is None
    assert r3.measure.deadline == date(2026, 12, 31) and r3.measure.type == "限期整改"
    assert r4.measure.closed_on == date(2026, 7, 5)
    assert r1.progress == [(date(2026, 3, 15), "已印发学习计划"), (date(2026, 4, 2), "开展第一次研讨")]
    assert preview.counts() == (2, 3, 4, 0)


def test_bad_rows_are_reported_and_nothing_is_written(tmp_path, ledger):
    bad = [
        [1, "理论学习", "学习不深入", "自查", "制定计划", "", "", "", "2026-13-40", "限期整改", "", "", None],
        [2, "理论学习", "学用脱节", "道听途说", "开展交流", "", "", "", "2026-06-30", "马上改", "", "完工", None],
        [3, None, None, None, "没有问题的措施", "", "", "", "2026-06-30", "", "", "", None],
        [4, "工作作风", "作风不实", "自查", "", "", "", "", "", "", "", "", None],
        [5, "工作作风", "作风不实2", "自查", "按期整改", "", "", "", "2026-06-30", "", "", "整改中", "2026-05-01"],
        [6, "工作作风", "作风不实3", "自查", "好措施", "", "", "", "2026-06-30", "", "完成了", "已完成", None],
    ]
    sheet = rx.read_sheet(_drafted(tmp_path / "b.xlsx", bad, ("C4:C5",)))
    preview = rx.build_preview(sheet, rx.guess_mapping(sheet.headers), TODAY)
    errs = {r.row_number: " ".join(r.errors) for r in preview.rows}
    assert "整改时限" in errs[3] and "2026-13-40" in errs[3]
    assert "问题来源“道听途说”" in errs[4] and "整改类型“马上改”" in errs[4] and "状态“完工”" in errs[4]
    assert errs[5] == ""  # merged problem cell above, so it has a problem
    assert "整改措施为空" in errs[6]
    assert "销号日期" in errs[7]
    assert errs[8] == "" and "未注明日期" in preview.rows[-1].warnings[0]  # undated progress: warning only
    campaign = rect.save_campaign(ledger, rect.CampaignInput("主题教育", 2026))
    with pytest.raises(ValidationErrors):
        rx.import_preview(ledger, campaign, preview)
    assert rect.campaign_counts(ledger, campaign) == (0, 0, 0, 0)  # nothing half-written
    counts = rx.import_preview(ledger, campaign, preview, skip_errors=True)
    assert counts == rect.campaign_counts(ledger, campaign) == (2, 2, 2, 0)


def test_measure_without_problem_at_top(tmp_path):
    rows = [[1, "理论学习", None, "自查", "孤立的措施", "", "", "", "2026-06-30", "", "", "", None]]
    sheet = rx.read_sheet(_drafted(tmp_path / "c.xlsx", rows))
    preview = rx.build_preview(sheet, rx.guess_mapping(sheet.headers), TODAY)
    assert "没有对应的问题" in preview.rows[0].errors[0]


def test_missing_required_mapping(tmp_path):
    sheet = rx.read_sheet(_drafted(tmp_path / "d.xlsx", GOOD, GOOD_MERGES))
    mapping = rx.guess_mapping(sheet.headers)
    mapping["measure"] = None
    preview = rx.build_preview(sheet, mapping, TODAY)
    assert preview.mapping_errors == ["未指定“整改措施”对应的列"] and not preview.can_import


def test_not_an_xlsx(tmp_path):
    p = tmp_path / "x.xlsx"
    p.write_text("hello")
    with pytest.raises(Exception) as e:
        rx.read_sheet(p)
    assert "不是有效的 .xlsx" in str(e.value)


def _shape(tree):
    return [
        (c.name, [(p.description, str(p.source), p.is_key,
                   [(m.content, m.target, m.leader, m.owner, m.deadline, str(m.type), str(m.status), m.evidence,
                     m.closed_on, [(e.date, e.text) for e in m.progress]) for m in p.measures])
                  for p in c.problems])
        for c in tree.categories
    ]


def test_export_then_import_gives_the_same_list(tmp_path, ledger):
    src = rect.save_campaign(ledger, rect.CampaignInput("党纪学习教育", 2024))
    c1 = rect.save_category(ledger, src, "理论学习")
    c2 = rect.save_category(ledger, src, "廉洁自律")
    p1 = rect.save_problem(ledger, rect.ProblemInput(c1, "学习党纪不够系统\n满足于读原文", "上级点评", True))
    p2 = rect.save_problem(ledger, rect.ProblemInput(c1, "学用脱节", "自查"))
    p3 = rect.save_problem(ledger, rect.ProblemInput(c2, "廉政提醒不经常", "巡视巡察", True))
    m1 = rect.save_measure(ledger, rect.MeasureInput(p1, "制定学习计划", "形成计划", "王书记", "办公室",
                                                     date(2026, 3, 31), "限期整改", "已完成", "学习计划文件"), TODAY)
    rect.save_measure(ledger, rect.MeasureInput(p1, "每月专题研讨", "", "王书记", "各支部", None, "长期坚持",
                                                "阶段性完成并长期坚持"), TODAY)
    m3 = rect.save_measure(ledger, rect.MeasureInput(p2, "开展交流", deadline=date(2026, 12, 31)), TODAY)
    rect.save_measure(ledger, rect.MeasureInput(p3, "节前廉政提醒", "", "", "纪检委员", None, "立行立改",
                                                "已销号", "", date(2026, 2, 1)), TODAY)
    rect.add_progress(ledger, m1, date(2026, 3, 15), "已印发计划\n并组织传达", today=TODAY)
    rect.add_progress(ledger, m1, date(2026, 4, 1), "第一次研讨", today=TODAY)
    rect.add_progress(ledger, m3, date(2026, 10, 8), "已筹备", today=TODAY)
    (tmp_path / "out").mkdir()
    out = rx.export_campaign_xlsx(ledger, src, tmp_path / "out" / "清单.xlsx", today=TODAY)
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["清单.xlsx"]  # no temp file left

    ws = load_workbook(out).active
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"C4:C5", "B4:B6", "A4:A5", "E4:E5"} <= merged
    assert ws["C3"].value == "问题表现" and ws["C3"].font.bold and ws.page_setup.orientation == "landscape"
    assert ws["A2"].value == "共两类3个方面问题、4项整改措施、2个重点整改项目。"

    dst = rect.save_campaign(ledger, rect.CampaignInput("导入副本", 2024))
    sheet = rx.read_sheet(out)
    preview = rx.build_preview(sheet, rx.guess_mapping(sheet.headers), TODAY)
    assert preview.error_rows == 0, [r.errors for r in preview.rows]
    rx.import_preview(ledger, dst, preview)
    assert _shape(rect.get_campaign_tree(ledger, dst, TODAY)) == _shape(rect.get_campaign_tree(ledger, src, TODAY))


@pytest.mark.parametrize("text,expected", [
    ("2026年12月底前", (date(2026, 12, 31), None)),
    ("2026年底", (date(2026, 12, 31), None)),
    ("2026.6", (date(2026, 6, 30), None)),
    ("2026年6月30日前", (date(2026, 6, 30), None)),
    ("立行立改", (None, "立行立改")),
    ("长期坚持", (None, "长期坚持")),
    ("", (None, None)),
])
def test_parse_deadline(text, expected):
    assert rx.parse_deadline(text) == expected


def test_round_trip_of_the_sample_campaign(tmp_path):
    from desktop.services.demo import DEMO_TODAY, build_demo
    from desktop.store.ledger import Ledger

    demo = build_demo(tmp_path / "demo.zhibu")
    with Ledger.open(demo.path) as ledger:
        src = rect.get_campaign_tree(ledger, demo.campaign_id, DEMO_TODAY)
        assert src.sentence == "六类13个方面问题、20项整改措施、3个重点整改项目"
        (tmp_path / "out").mkdir()
        out = rx.export_campaign_xlsx(ledger, demo.campaign_id, tmp_path / "out" / "清单.xlsx", today=DEMO_TODAY)
        sheet = rx.read_sheet(out)
        preview = rx.build_preview(sheet, rx.guess_mapping(sheet.headers), DEMO_TODAY)
        assert preview.error_rows == 0 and preview.counts() == (6, 13, 20, 3)
        dst = rect.save_campaign(ledger, rect.CampaignInput("导入副本", 2026))
        rx.import_preview(ledger, dst, preview)
        assert _shape(rect.get_campaign_tree(ledger, dst, DEMO_TODAY)) == _shape(src)
