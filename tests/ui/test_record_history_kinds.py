"""记录 › 修改历史 for every kind of record, chosen in the real pages by clicking: branch, 党小组,
职务 (组织), 整改类别 / 问题 / 措施 / 进展 and the campaign (整改清单), 政治生日 activity and a
member picked in its roster (政治生日), members and meetings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QMessageBox, QTableView

from desktop.services import birthdays as bd
from desktop.services import rectification as rect
from desktop.services.members.changes import transfer_member
from desktop.services.organization import BranchInput, end_post, list_posts, save_branch, save_group
from desktop.ui.dialogs.record_history import RecordHistoryDialog

SHOTS = Path("/tmp/zhibu-merge-shots")


@pytest.fixture
def shown(monkeypatch):
    """What each 修改历史 dialog showed: (title, rows as text)."""
    seen: list[tuple[str, list[list[str]]]] = []

    def fake_exec(self):
        table = self.table
        rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
        seen.append((self.w_title, rows))
        if len(seen) == 1:
            SHOTS.mkdir(exist_ok=True)
            self.dialog.resize(980, 420)
            self.dialog.grab().save(str(SHOTS / "record_history_branch.png"))
        return 1

    real_init = RecordHistoryDialog.__init__

    def init(self, title, rows, parent=None):
        real_init(self, title, rows, parent)
        self.w_title = title

    monkeypatch.setattr(RecordHistoryDialog, "__init__", init)
    monkeypatch.setattr(RecordHistoryDialog, "exec", fake_exec)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: seen.append(("(none)", [])))
    return seen


def _click(qtbot, view: QAbstractItemView, match: str) -> None:
    """Click the first row of ``view`` whose text contains ``match`` (as the user would)."""
    model = view.model()
    if isinstance(view, QListWidget):
        item = next(view.item(i) for i in range(view.count()) if match in view.item(i).text())
        rect_ = view.visualItemRect(item)
    else:
        index = next(
            model.index(r, c, parent)
            for parent, r, c in _indexes(model)
            if match in str(model.index(r, c, parent).data() or "")
        )
        view.scrollTo(index)
        rect_ = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect_.center())


def _indexes(model, parent=None):
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    for r in range(model.rowCount(parent)):
        for c in range(model.columnCount(parent)):
            yield parent, r, c
        yield from _indexes(model, model.index(r, 0, parent))


def _history(window, seen) -> tuple[str, list[list[str]]]:
    before = len(seen)
    window._action("actionHistory").trigger()
    assert len(seen) == before + 1
    return seen[-1]


def _events(rows, what: str) -> list[tuple[str, str, str]]:
    """(event, old, new) of the rows about ``what`` (the 内容 column)."""
    return [(r[1], r[3], r[4]) for r in rows if r[2] == what]


def test_history_of_every_record_kind(qtbot, main_window, org_ledger, shown):
    led, ids = org_ledger, org_ledger.ids
    save_group(led, ids["branch1"], "第一党小组（机关科室）", ids["group1"])
    save_branch(led, BranchInput("第二党支部（退休）", id=ids["branch2"], has_committee=False))
    post = next(p for p in list_posts(led, ids["branch1"]) if p.post == "组织委员")
    end_post(led, post.id, date(2026, 6, 30))
    cid = rect.save_campaign(led, rect.CampaignInput("主题教育", 2026))
    cat = rect.save_category(led, cid, "理论学习")
    rect.save_category(led, cid, "理论学习和调查研究", cat)
    problem = rect.save_problem(led, rect.ProblemInput(cat, "学习不够系统", "自查"))
    measure = rect.save_measure(led, rect.MeasureInput(problem, "制定学习计划", leader="王建军", owner="办公室", deadline=date(2026, 12, 31)))
    rect.save_measure(led, rect.MeasureInput(problem, "制定并落实学习计划", leader="王建军", owner="办公室", deadline=date(2026, 12, 31), id=measure))
    rect.add_progress(led, measure, date(2026, 3, 1), "已印发学习计划")
    event = bd.save_event(led, bd.EventInput(date(2026, 6, 28), (bd.CelebrantInput(ids["李秀英"]),)))
    bd.save_event(led, bd.EventInput(date(2026, 6, 28), (bd.CelebrantInput(ids["李秀英"]),), place="党员活动室", id=event))
    transfer_member(led, ids["王磊"], to_branch_id=ids["branch2"], to_group_id=None, on=date(2026, 7, 1))

    # 组织: the branch, a 党小组, a 职务 — whichever list was clicked last
    page = main_window.show_page("organization")
    page.show_ended.setChecked(True)
    page.reload()
    qtbot.wait(50)
    _click(qtbot, page.branch_view, "第二党支部")
    title, rows = _history(main_window, shown)
    assert title == "党支部 第二党支部（退休）"
    assert ("修改", "第二党支部", "第二党支部（退休）") in _events(rows, "名称"), rows
    _click(qtbot, page.branch_view, "第一党支部")
    _click(qtbot, page.groups, "第一党小组")
    title, rows = _history(main_window, shown)
    assert title == "党小组 第一党小组（机关科室）" and rows[0][1] == "创建"
    assert ("修改", "第一党小组", "第一党小组（机关科室）") in _events(rows, "名称")
    _click(qtbot, page.post_view, "李秀英")
    title, rows = _history(main_window, shown)
    assert title.startswith("职务：李秀英") and ("修改", "（空）", "2026-06-30") in _events(rows, "离任日期"), rows

    # 整改清单: a measure (with its progress inside), a problem, the progress entry itself
    page = main_window.show_page("rectification")
    page.reload()
    qtbot.wait(50)
    _click(qtbot, page.view, "制定并落实学习计划")
    title, rows = _history(main_window, shown)
    assert title.startswith("整改措施") and ("修改", "制定学习计划", "制定并落实学习计划") in _events(rows, "措施内容"), rows
    assert any(r[1] == "创建" and r[2] == "整改进展" for r in rows), rows
    _click(qtbot, page.view, "学习不够系统")
    title, rows = _history(main_window, shown)
    assert title.startswith("问题") and any(r[1] == "创建" and r[2] == "整改措施" for r in rows), rows
    _click(qtbot, page.view, "理论学习和调查研究")
    title, rows = _history(main_window, shown)
    assert title == "整改类别 理论学习和调查研究" and ("修改", "理论学习", "理论学习和调查研究") in _events(rows, "名称")
    _click(qtbot, page.view, "制定并落实学习计划")
    _click(qtbot, page.w(QTableView, "progressView"), "已印发学习计划")
    title, rows = _history(main_window, shown)
    assert title.startswith("整改进展") and rows[0][1] == "创建", (title, rows)
    _click(qtbot, page.view, "学习不够系统")  # back in the list: the list's record again
    assert _history(main_window, shown)[0].startswith("问题")

    # 政治生日: the activity, and a member clicked in the roster
    page = main_window.show_page("birthdays")
    page.open_record("birthday_event", event)
    qtbot.wait(50)
    _click(qtbot, page.w(QTableView, "eventsView"), "2026-06-28")
    title, rows = _history(main_window, shown)
    assert title.startswith("政治生日活动") and ("修改", "（空）", "党员活动室") in _events(rows, "地点"), rows
    assert any(r[2] == "过政治生日的党员" and r[1] == "创建" for r in rows), rows
    _click(qtbot, page.w(QTableView, "rosterView"), "李秀英")
    title, rows = _history(main_window, shown)
    assert title == "党员 李秀英" and rows[0][1] == "创建", rows
    # and the member's own page
    page = main_window.show_page("members")
    page.reload()
    qtbot.wait(50)
    _click(qtbot, page.table, "王磊")
    title, rows = _history(main_window, shown)
    assert title == "党员 王磊" and any(r[2] == "支部关系" for r in rows), rows
    # a reference is shown by the name of the record it points at, never its id
    assert ("修改", "第一党支部", "第二党支部（退休）") in _events(rows, "所在支部"), rows
    assert ("修改", "第二党小组", "（空）") in _events(rows, "党小组"), rows
    # a page without records says what to select
    main_window.show_page("home")
    _history(main_window, shown)
    assert shown[-1][0] == "(none)"
