"""整改清单 service: tree, counts, flags, 销号 rules, reorder, tombstones and restore."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from desktop.domain.enums import MeasureStatus, MeasureType
from desktop.domain.errors import DomainValidationError, ValidationErrors
from desktop.domain.rectification import MeasureFlag
from desktop.services import rectification as rect
from desktop.services import recycle
from desktop.store.models import Measure

TODAY = date(2026, 11, 22)


def _campaign(ledger):
    cid = rect.save_campaign(ledger, rect.CampaignInput("学习贯彻新时代中国特色社会主义思想主题教育", 2023))
    c1 = rect.save_category(ledger, cid, "理论学习")
    c2 = rect.save_category(ledger, cid, "工作作风")
    p1 = rect.save_problem(ledger, rect.ProblemInput(c1, "理论学习不够系统深入", "自查", True))
    p2 = rect.save_problem(ledger, rect.ProblemInput(c2, "调查研究不够经常", "群众反映"))
    m1 = rect.save_measure(ledger, rect.MeasureInput(p1, "制定年度学习计划", deadline=date(2026, 11, 1)), TODAY)
    m2 = rect.save_measure(ledger, rect.MeasureInput(p1, "每月开展一次专题研讨", deadline=date(2026, 12, 1)), TODAY)
    m3 = rect.save_measure(ledger, rect.MeasureInput(p2, "班子成员每季度到基层调研", deadline=date(2027, 6, 30)), TODAY)
    m4 = rect.save_measure(ledger, rect.MeasureInput(p2, "建立调研成果转化机制", type="长期坚持",
                                                     status="阶段性完成并长期坚持"), TODAY)
    return cid, (c1, c2), (p1, p2), (m1, m2, m3, m4)


def test_tree_counts_and_flags(ledger):
    cid, _cats, _probs, (m1, m2, m3, m4) = _campaign(ledger)
    tree = rect.get_campaign_tree(ledger, cid, today=TODAY, soon_days=14)
    assert tree.counts == (2, 2, 4, 1)
    assert tree.sentence == "两类2个方面问题、4项整改措施、1个重点整改项目"
    assert rect.campaign_counts(ledger, cid) == (2, 2, 4, 1)
    flags = {m.id: m.flag for _c, _p, m in tree.measures()}
    assert flags == {m1: MeasureFlag.OVERDUE, m2: MeasureFlag.DUE_SOON, m3: MeasureFlag.OK, m4: MeasureFlag.NONE}
    assert [m.number for _c, _p, m in tree.measures()] == [1, 2, 3, 4]
    assert tree.flag_counts()[MeasureFlag.OVERDUE] == 1


def test_horizon_comes_from_settings(ledger):
    from desktop.services.settings import LedgerSettings, save_settings

    cid, *_ = _campaign(ledger)
    save_settings(ledger, LedgerSettings(reminder_days=5))
    tree = rect.get_campaign_tree(ledger, cid, today=TODAY)
    assert tree.soon_days == 5
    assert [m.flag for _c, _p, m in tree.measures()][1] == MeasureFlag.OK  # due in 9 days > 5


def test_close_only_from_finished_state(ledger):
    cid, _c, _p, (m1, _m2, _m3, m4) = _campaign(ledger)
    with pytest.raises(DomainValidationError) as e:
        rect.close_measure(ledger, m1, date(2026, 11, 20), today=TODAY)
    assert e.value.field == "状态" and "未开始" in e.value.message
    with pytest.raises(DomainValidationError) as e:
        rect.close_measure(ledger, m4, date(2026, 12, 1), today=TODAY)
    assert e.value.field == "销号日期"
    rect.close_measure(ledger, m4, date(2026, 11, 20), today=TODAY)
    node = next(m for _c, _p, m in rect.get_campaign_tree(ledger, cid, today=TODAY).measures() if m.id == m4)
    assert node.status == MeasureStatus.CLOSED and node.closed_on == date(2026, 11, 20)
    rect.undo_close(ledger, m4)
    back = rect.get_measure(ledger, m4)
    assert back.status == MeasureStatus.ONGOING and back.closed_on is None


def test_measure_validation_names_fields(ledger):
    cid, _c, (p1, _p2), _m = _campaign(ledger)
    with pytest.raises(ValidationErrors) as e:
        rect.save_measure(ledger, rect.MeasureInput(p1, "  ", type="马上改", status="已完成", closed_on=TODAY), TODAY)
    assert set(e.value.fields) == {"整改措施", "整改类型", "销号日期"}
    with pytest.raises(ValidationErrors) as e:
        rect.save_measure(ledger, rect.MeasureInput(p1, "限期完成", type=MeasureType.DEADLINE), TODAY)
    assert e.value.fields == ["整改时限"]


def test_reorder_within_parent(ledger):
    cid, (c1, c2), _p, (m1, m2, _m3, _m4) = _campaign(ledger)
    assert rect.move(ledger, "measure", m2, -1)
    assert not rect.move(ledger, "measure", m2, -1)  # already first
    tree = rect.get_campaign_tree(ledger, cid, today=TODAY)
    assert [m.id for m in tree.categories[0].problems[0].measures] == [m2, m1]
    assert rect.move(ledger, "category", c2, -1)
    assert [c.name for c in rect.get_campaign_tree(ledger, cid, today=TODAY).categories] == ["工作作风", "理论学习"]


def test_delete_is_tombstone_and_restorable(ledger):
    cid, (c1, _c2), (p1, _p2), (m1, *_rest) = _campaign(ledger)
    pid = rect.add_progress(ledger, m1, date(2026, 3, 1), "已印发学习计划", today=TODAY)
    rect.delete(ledger, "category", c1)
    assert rect.get_campaign_tree(ledger, cid, today=TODAY).counts == (1, 1, 2, 0)
    rect.delete(ledger, "progress", pid)
    bin_ = recycle.list_deleted(ledger, campaign_id=cid)
    assert [d.kind for d in bin_] == ["progress", "category"]
    with ledger.read() as s:  # never DELETE rows
        assert s.scalar(select(Measure).where(Measure.id == m1)) is not None
    recycle.restore(ledger, "progress", pid)  # restores the deleted category above it too
    tree = rect.get_campaign_tree(ledger, cid, today=TODAY)
    assert tree.counts == (2, 2, 4, 1)
    assert tree.measures()[0][2].progress[0].text == "已印发学习计划"
    assert recycle.list_deleted(ledger, campaign_id=cid) == []


def test_moving_measure_to_other_problem_and_campaign_of(ledger):
    cid, _c, (p1, p2), (m1, *_r) = _campaign(ledger)
    data = rect.get_measure(ledger, m1)
    rect.save_measure(ledger, rect.MeasureInput(**{**data.__dict__, "problem_id": p2}), TODAY)
    tree = rect.get_campaign_tree(ledger, cid, today=TODAY)
    assert [m.content for m in tree.categories[1].problems[0].measures][-1] == "制定年度学习计划"
    assert rect.campaign_of(ledger, "measure", m1) == cid
    assert rect.campaign_of(ledger, "problem", p1) == cid


def test_progress_validation(ledger):
    _cid, _c, _p, (m1, *_r) = _campaign(ledger)
    with pytest.raises(ValidationErrors) as e:
        rect.add_progress(ledger, m1, date(2027, 1, 1), " ", today=TODAY)
    assert set(e.value.fields) == {"进展日期", "进展情况"}


def test_campaign_validation_and_duplicate_category(ledger):
    with pytest.raises(ValidationErrors) as e:
        rect.save_campaign(ledger, rect.CampaignInput(" ", 3000, start_date=date(2026, 5, 1), end_date=date(2026, 1, 1)))
    assert set(e.value.fields) == {"活动名称", "年度", "结束日期"}
    cid = rect.save_campaign(ledger, rect.CampaignInput("党纪学习教育", 2024))
    rect.save_category(ledger, cid, "廉洁自律")
    with pytest.raises(DomainValidationError):
        rect.save_category(ledger, cid, "廉洁自律")
    rect.delete_campaign(ledger, cid)
    assert rect.list_campaigns(ledger) == []
    recycle.restore(ledger, "campaign", cid)
    assert [c.name for c in rect.list_campaigns(ledger)] == ["党纪学习教育"]
