"""Members and organization services: validation at the field, history kept on every change."""

from datetime import date

import pytest

from desktop.domain.errors import DomainValidationError, ValidationErrors
from desktop.services.members import (
    MemberInput,
    change_status,
    delete_member,
    get_member,
    list_members,
    save_member,
    transfer_member,
)
from desktop.services.organization import (
    BranchInput,
    PostInput,
    delete_branch,
    delete_group,
    list_branches,
    list_groups,
    list_posts,
    save_branch,
    save_post,
)
from desktop.services.settings import LedgerSettings, get_settings, save_settings
from desktop.store.models import Member
from desktop.store.queries import roster_on

ORG_TODAY = date(2026, 6, 15)  # tests/conftest.py ORG_TODAY


def test_list_filters_and_search(org_ledger):
    ids = org_ledger.ids
    assert [r.name for r in list_members(org_ledger, branch_id=ids["branch2"])] == ["陈志强"]
    assert [r.name for r in list_members(org_ledger, category="预备党员")] == ["赵敏"]
    assert [r.name for r in list_members(org_ledger, search="王")] == ["王磊"]
    row = next(r for r in list_members(org_ledger) if r.name == "张建国")
    assert row.id_masked == "110105********1237" and row.id_number == "110105196803121237"
    assert row.branch_name == "第一党支部" and row.group_name == "第一党小组"
    assert row.party_age == date.today().year - 1991 - (date.today() < date(date.today().year, 7, 1))


def test_save_member_reports_every_bad_field(org_ledger):
    bad = MemberInput(name=" ", branch_id=org_ledger.ids["branch1"], birth_date="1990-13-01", join_date="2010-05-01",
                      full_date="2009-05-01", id_number="110105196803121234", phone="123", category="正式党员")
    with pytest.raises(ValidationErrors) as info:
        save_member(org_ledger, bad, today=ORG_TODAY)
    fields = info.value.fields
    for field in ("姓名", "出生日期", "转正日期", "身份证号", "联系电话"):
        assert field in fields, fields
    assert "校验位" in info.value.by_field()["身份证号"][0]
    with org_ledger.read() as s:
        assert s.query(Member).count() == 5  # nothing written


def test_full_date_requires_full_category_and_id_birth_must_match(org_ledger):
    data = MemberInput(name="孙丽", branch_id=org_ledger.ids["branch1"], join_date="2024-06-01",
                       full_date="2025-06-01", category="预备党员")
    with pytest.raises(ValidationErrors) as info:
        save_member(org_ledger, data, today=ORG_TODAY)
    assert info.value.fields == ["转正日期"]
    data = MemberInput(name="孙丽", branch_id=org_ledger.ids["branch1"], join_date="2024-06-01",
                       id_number="110105196803121237", birth_date="1970-01-01")
    with pytest.raises(ValidationErrors) as info:
        save_member(org_ledger, data, today=ORG_TODAY)
    assert "出生日期" in info.value.fields and "身份证号" in info.value.fields  # mismatch + duplicate


def test_edit_does_not_move_branch(org_ledger):
    ids = org_ledger.ids
    detail = get_member(org_ledger, ids["王磊"])
    data = MemberInput(name="王磊", branch_id=ids["branch2"], id=ids["王磊"], join_date=detail.row.join_date,
                       full_date=detail.row.full_date, group_id=None)
    with pytest.raises(DomainValidationError) as info:
        save_member(org_ledger, data, today=ORG_TODAY)
    assert info.value.field == "所在支部"


def test_transfer_and_status_keep_history(org_ledger):
    ids = org_ledger.ids
    transfer_member(org_ledger, ids["王磊"], to_branch_id=ids["branch2"], to_group_id=None, on="2026-03-01")
    detail = get_member(org_ledger, ids["王磊"])
    assert [(p.branch_name, p.start_date, p.end_date) for p in detail.periods] == [
        ("第一党支部", date(2015, 11, 20), date(2026, 2, 28)),
        ("第二党支部", date(2026, 3, 1), None),
    ]
    with org_ledger.read() as s:
        feb = [m.name for m in roster_on(s, ids["branch1"], date(2026, 2, 15))]
        mar = [m.name for m in roster_on(s, ids["branch1"], date(2026, 3, 15))]
    assert "王磊" in feb and "王磊" not in mar
    change_status(org_ledger, ids["陈志强"], "去世", on="2026-04-30")
    assert get_member(org_ledger, ids["陈志强"]).periods[-1].end_reason == "去世"
    assert [r.name for r in list_members(org_ledger, status="在册", branch_id=ids["branch2"])] == ["王磊"]
    with pytest.raises(ValidationErrors):
        change_status(org_ledger, ids["陈志强"], "在职")
    with pytest.raises(ValidationErrors):
        change_status(org_ledger, ids["李秀英"], "转出")  # date required
    change_status(org_ledger, ids["李秀英"], "转出", on="2026-05-31")
    transfer_member(org_ledger, ids["李秀英"], to_branch_id=ids["branch1"], to_group_id=None, on="2026-09-01")
    assert get_member(org_ledger, ids["李秀英"]).row.status == "在职"


def test_branch_profile_and_posts(org_ledger):
    ids = org_ledger.ids
    with pytest.raises(ValidationErrors) as info:
        save_branch(org_ledger, BranchInput("第一党支部", theme_day_of_month=31, lecture_frequency="自定义"))
    assert set(info.value.fields) == {"支部名称", "主题党日", "党课频次"}
    b1 = next(b for b in list_branches(org_ledger) if b.id == ids["branch1"])
    assert (b1.member_count, b1.full_count, b1.probationary_count, b1.group_count) == (4, 3, 1, 2)
    assert b1.secretary == "张建国" and b1.theme_day_label == "每月10日"
    save_post(org_ledger, PostInput(ids["branch1"], ids["王磊"], "书记", "2026-01-01"))
    posts = list_posts(org_ledger, ids["branch1"])
    old = next(p for p in posts if p.member_name == "张建国")
    assert old.end_date == date(2025, 12, 31)
    assert next(b for b in list_branches(org_ledger) if b.id == ids["branch1"]).secretary == "王磊"
    with pytest.raises(ValidationErrors):
        delete_branch(org_ledger, ids["branch2"])  # still has a member
    with pytest.raises(ValidationErrors):
        delete_group(org_ledger, ids["group1"])
    delete_member(org_ledger, ids["王磊"])
    delete_member(org_ledger, ids["赵敏"])
    delete_group(org_ledger, ids["group2"])
    assert [g.name for g in list_groups(org_ledger, ids["branch1"])] == ["第一党小组"]


def test_settings_round_trip(org_ledger):
    assert get_settings(org_ledger).unit_name == "某某局"
    save_settings(org_ledger, LedgerSettings(unit_name="某某市自然资源局", fonts={"body": "仿宋_GB2312"},
                                             reminder_days=21, soon_days=5))
    got = get_settings(org_ledger)
    assert (got.unit_name, got.fonts, got.reminder_days, got.soon_days) == ("某某市自然资源局", {"body": "仿宋_GB2312"}, 21, 5)
    with pytest.raises(ValidationErrors):
        save_settings(org_ledger, LedgerSettings(reminder_days=0))
