"""Roster import (preview with per-row errors, one transaction) and export (round trip)."""

from datetime import date

from openpyxl import Workbook

from desktop.services.member_io import (
    commit_import,
    export_members_xlsx,
    guess_mapping,
    preview_import,
    read_table,
)
from desktop.services.members import list_members
from desktop.store.models import Member

ORG_TODAY = date(2026, 6, 15)  # tests/conftest.py ORG_TODAY


def _xlsx(path, rows):
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def test_preview_finds_bad_rows_and_commit_adds_only_good(org_ledger, tmp_path):
    path = _xlsx(tmp_path / "名册.xlsx", [
        ["序号", "姓名", "性别", "出生年月", "所在支部", "党小组", "人员类别", "入党时间", "转正时间", "手机号码"],
        [1, "周强", "男", "1985.03", "第一党支部", "第一党小组", "正式", date(2010, 7, 1), date(2011, 7, 1), "139 1234 5678"],
        [2, "吴芳", "女", "1992-11", "第二党支部", "", "预备", "2026-01-10", "", ""],
        [3, "郑伟", "男", "1980.01", "第九党支部", "", "正式", "2005-06-01", "2006-06-01", ""],
        [4, "", "男", "1980.01", "第一党支部", "", "正式", "2005-06-01", "2006-06-01", ""],
        [5, "冯雷", "男", "1980.01", "第一党支部", "", "正式", "2005-06-01", "2004-06-01", "12345"],
    ])
    table = read_table(path)
    mapping = guess_mapping(table.headers)
    assert mapping["birth_date"] == 3 and mapping["join_date"] == 7 and mapping["phone"] == 9
    preview = preview_import(org_ledger, table, mapping, today=ORG_TODAY)
    assert [r.line for r in preview.good] == [2, 3]
    errors = {r.line: " ".join(r.errors) for r in preview.bad}
    assert "第九党支部" in errors[4]
    assert "姓名" in errors[5]
    assert "转正日期" in errors[6] and "联系电话" in errors[6]
    with org_ledger.read() as s:
        assert s.query(Member).count() == 5  # preview wrote nothing
    assert commit_import(org_ledger, preview, today=ORG_TODAY) == 2
    rows = {r.name: r for r in list_members(org_ledger)}
    assert rows["周强"].birth_date == date(1985, 3, 1) and rows["周强"].phone == "13912345678"
    assert rows["吴芳"].category == "预备党员" and rows["吴芳"].branch_name == "第二党支部"


def test_csv_gbk_and_duplicates(org_ledger, tmp_path):
    path = tmp_path / "名册.csv"
    path.write_bytes("姓名,身份证号,入党日期\n甲,11010519680312123X,2000-01-01\n乙,110105196803121237,2000-01-01\n"
                     .encode("gb18030"))
    table = read_table(path)
    preview = preview_import(org_ledger, table, guess_mapping(table.headers),
                             default_branch_id=org_ledger.ids["branch1"], today=ORG_TODAY)
    errors = [" ".join(r.errors) for r in preview.rows]
    assert "校验位" in errors[0]
    assert "张建国" in errors[1]  # same ID as an existing member


def test_export_round_trip_masks_ids(org_ledger, tmp_path):
    rows = list_members(org_ledger)
    out = export_members_xlsx(rows, tmp_path / "导出.xlsx")
    assert out.exists() and not list(tmp_path.glob(".~*"))
    table = read_table(out)
    assert table.headers[:3] == ["序号", "姓名", "性别"]
    assert "110105********1237" in [str(c) for row in table.rows for c in row]
    revealed = read_table(export_members_xlsx(rows, tmp_path / "完整.xlsx", reveal_ids=True))
    assert "110105196803121237" in [str(c) for row in revealed.rows for c in row]


def test_roster_party_post_becomes_post_holdings_and_the_rest_is_kept(org_ledger, tmp_path):
    """党内职务 entered once: a roster's 党内职务 column is read into post holdings (组织 › 任职);
    text naming no post, or a post someone else holds today, stays in 备注."""
    from desktop.services.members import get_member
    from desktop.services.organization import list_posts

    path = _xlsx(tmp_path / "名册.xlsx", [
        ["姓名", "所在支部", "党小组", "党内职务", "入党日期", "转正日期"],
        ["周强", "第一党支部", "第二党小组", "支部纪检委员、党小组组长", "2010-07-01", "2011-07-01"],
        ["吴芳", "第一党支部", "", "组织委员", "2012-07-01", "2013-07-01"],  # 李秀英 is 组织委员 today
        ["郑伟", "第二党支部", "", "支部委员", "2005-06-01", "2006-06-01"],
    ])
    table = read_table(path)
    preview = preview_import(org_ledger, table, guess_mapping(table.headers), today=ORG_TODAY)
    shown = {r.values["name"]: r.understood["party_post"] for r in preview.rows}
    assert shown == {"周强": "纪检委员、党小组组长", "吴芳": "组织委员", "郑伟": "记入备注：支部委员"}
    assert commit_import(org_ledger, preview, today=ORG_TODAY) == 3
    rows = {r.name: r for r in list_members(org_ledger, today=ORG_TODAY)}
    assert rows["周强"].party_post == "纪检委员、党小组组长"
    held = [(p.post, p.group_name, p.start_date) for p in list_posts(org_ledger, org_ledger.ids["branch1"])
            if p.member_name == "周强"]
    assert sorted(held) == [("党小组组长", "第二党小组", date(2010, 7, 1)), ("纪检委员", "", date(2010, 7, 1))]
    assert rows["吴芳"].party_post == ""
    assert get_member(org_ledger, rows["吴芳"].id).notes == "党内职务：组织委员（已有他人在任或未分党小组，未登记任职）"
    assert get_member(org_ledger, rows["郑伟"].id).notes == "党内职务：支部委员"
