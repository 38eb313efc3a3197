"""The committee-wide 三会一课落实情况汇总表 (export kind ``committee_compliance``): a row per branch
of the 机关党委, the tallies agree with each branch's own compliance report, on both back ends."""

from __future__ import annotations

from datetime import date

from documents.readback import pdf_text, squash

from desktop.domain.committee_compliance import committee_total, kinds_of, tally
from desktop.domain.enums import MeetingKind
from desktop.services import meetings as svc
from desktop.services.compliance import compliance_overview
from desktop.services.export import ExportFilters, export

TODAY = date(2026, 6, 15)


def _theme_days(led, branch: str, months: list[int]) -> None:
    for m in months:
        inp = svc.new_meeting(led, branch, MeetingKind.THEME_DAY, date(2026, m, 10))
        inp.content = f"{m}月主题党日"
        svc.save_meeting(led, inp)


def test_tallies_count_due_requirements_only(org_ledger):
    _theme_days(org_ledger, org_ledger.ids["branch1"], [1, 2])  # March missed
    overview = compliance_overview(org_ledger, 2026, [1, 2, 3], TODAY)
    tallies = [tally(bc.branch_name, bc.report) for bc in overview]
    first, second = tallies
    theme = first.by_kind[str(MeetingKind.THEME_DAY)]
    assert (theme.done, theme.due, theme.missing, theme.cell) == (2, 3, 1, "2/3 缺1")
    assert second.by_kind[str(MeetingKind.THEME_DAY)].cell == "0/3 缺3"
    assert str(MeetingKind.GROUP) in first.by_kind and str(MeetingKind.GROUP) not in second.by_kind  # no 党小组
    kinds = kinds_of(tallies)
    total = committee_total(tallies, kinds)
    for k in kinds:  # the 合计 row is the sum of the branches
        assert total.by_kind[k].due == sum(t.by_kind[k].due for t in tallies if k in t.by_kind)
        assert total.by_kind[k].missing == sum(len([i for i in bc.report.missing() if i.requirement.kind == k])
                                               for bc in overview)
    assert first.total.rate == f"{round(100 * first.total.done / first.total.due)}%"


def test_export_prints_every_branch_in_one_table(org_ledger, tmp_path):
    _theme_days(org_ledger, org_ledger.ids["branch1"], [1, 2])
    result = export(org_ledger, "committee_compliance", tmp_path, "both",
                    ExportFilters(year=2026, quarter=1, today=TODAY))
    pdf = next(p for p in result.paths if p.suffix == ".pdf")
    assert pdf.name == "2026年1—3月某某局机关党委三会一课落实情况汇总表.pdf"
    text = squash(pdf_text(pdf))
    assert "（统计截至2026年6月15日，共2个党支部）" in text
    assert "第一党支部" in text and "第二党支部" in text and "合计" in text
    assert "2/3缺1" in text and "0/3缺3" in text and "不需召开" in text  # 第二党支部 has no 党小组
    assert "第一党支部：2026年3月主题党日，应开1次，已开0次。" in text
    assert "第一党支部：2026年1月第一党小组党小组会，应开1次，已开0次。" in text  # which group
    assert any(p.suffix == ".docx" for p in result.paths)


def test_long_kind_names_break_into_words_in_the_table_head(tmp_path):
    """Was: 「支部党员大|会」 and 「民主评议党|员」 — one character alone on the second line of
    the head (seen in the page image of the sample ledger's 汇总表)."""
    from documents.readback import pdf_lines

    from desktop.services.demo import DEMO_TODAY, build_demo
    from desktop.store.ledger import Ledger

    with Ledger.open(build_demo(tmp_path / "demo.zhibu").path) as led:
        result = export(led, "committee_compliance", tmp_path, "pdf", ExportFilters(year=2026, today=DEMO_TODAY))
    lines = [text for _y, _l, _r, text in pdf_lines(result.paths[0])[0]]
    head = next(i for i, t in enumerate(lines) if t.startswith("党支部"))  # the one-line heads
    above, below = lines[head - 1], lines[head + 1]  # the two-line heads, centred on them
    assert "支部党员" in above and "民主评议" in above and "支部党员大" not in above, lines[head - 1:head + 2]
    assert "大会" in below and "党员" in below and len(below) <= 6, lines[head - 1:head + 2]
