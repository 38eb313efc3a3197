"""Two people editing the 议题模板 (both back ends): a kind another program stored differently since
the dialog showed it is a RecordConflict naming who and when, and nothing of that save is written
(not even the other kinds it changed); saving again from what is stored now (另存为新版本) puts ours
on top; another kind, or the same items, saves without a question."""

from __future__ import annotations

from datetime import datetime

import pytest

from desktop.domain.enums import MeetingKind
from desktop.domain.errors import RecordConflict
from desktop.services import meetings as svc

DAY, LESSON = MeetingKind.THEME_DAY, MeetingKind.LECTURE


def _shown(led, *kinds) -> dict[str, list[str]]:
    return {k: svc.get_agenda_template(led, k) for k in kinds}


def test_a_kind_changed_meanwhile_is_asked_and_nothing_written(org_ledger):
    shown = _shown(org_ledger, DAY, LESSON)  # DAY not stored yet: the default is shown
    svc.save_agenda_template(org_ledger, DAY, ["他们的议题"], shown=shown[DAY])  # theirs, meanwhile
    with pytest.raises(RecordConflict) as info:
        svc.save_agenda_templates(org_ledger, {DAY: ["我们的议题"], LESSON: ["我们的党课"]}, shown=shown)
    exc = info.value
    assert exc.field == f"议题模板（{DAY}）" and exc.record_id
    assert exc.when is not None and abs((exc.when - datetime.now().astimezone()).total_seconds()) < 120
    assert str(exc) == f"议题模板（{DAY}）：该记录已被 {exc.who} 于 {exc.when:%Y-%m-%d %H:%M} 修改"
    if org_ledger.is_server:
        assert exc.who == org_ledger.user
    else:
        assert exc.who.startswith("另一台电脑（") or exc.who == "其他用户"
    assert _shown(org_ledger, DAY, LESSON) == {DAY: ["他们的议题"], LESSON: shown[LESSON]}  # not our 党课 either
    # 另存为新版本: ours on top of what is stored now
    svc.save_agenda_templates(org_ledger, {DAY: ["我们的议题"], LESSON: ["我们的党课"]},
                              shown={DAY: ["他们的议题"], LESSON: shown[LESSON]})
    assert _shown(org_ledger, DAY, LESSON) == {DAY: ["我们的议题"], LESSON: ["我们的党课"]}


def test_another_kind_or_the_same_items_save_without_a_question(org_ledger):
    shown = _shown(org_ledger, DAY, LESSON)
    svc.save_agenda_template(org_ledger, DAY, ["他们的议题"], shown=shown[DAY])
    # ours changes 党课 only (DAY as shown: left alone, theirs kept), then DAY to what they stored
    svc.save_agenda_templates(org_ledger, {DAY: shown[DAY], LESSON: ["我们的党课"]}, shown=shown)
    assert _shown(org_ledger, DAY, LESSON) == {DAY: ["他们的议题"], LESSON: ["我们的党课"]}
    svc.save_agenda_template(org_ledger, DAY, ["他们的议题", " "], shown=shown[DAY])
    assert svc.get_agenda_template(org_ledger, DAY) == ["他们的议题"]


def test_without_shown_the_template_is_written_as_before(org_ledger):
    svc.save_agenda_template(org_ledger, DAY, ["甲"])
    svc.save_agenda_template(org_ledger, DAY, ["乙"])  # a caller that does not guard (demo, import)
    assert svc.get_agenda_template(org_ledger, DAY) == ["乙"]
