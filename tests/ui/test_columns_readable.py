"""Columns readable at 1280×720 on the sample ledger: branch names, 情况, 提示, 状态, 职务 are shown
whole (their text fits the column, and the column lies inside the visible part of the view), on
every page that has them. Measured with the view's own font metrics on the real rows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QTableView, QTreeView, QTreeWidget

from desktop.services.demo import DEMO_TODAY, build_demo
from desktop.store.ledger import Ledger
from tests.conftest import wait_tasks


@pytest.fixture
def small_window(qtbot, qapp, app_ctx, tmp_path):
    from desktop.ui.app import apply_style
    from desktop.ui.main_window import MainWindow

    apply_style(qapp)  # as the program runs: the style sheet's paddings count

    path = build_demo(tmp_path / "示例台账.zhibu").path
    app_ctx.set_ledger(Ledger.open(path))
    window = MainWindow(app_ctx, QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    wait_tasks(qtbot, app_ctx)
    yield window
    app_ctx.tasks.wait(30000)
    qapp.setStyleSheet("")


def _header(view: QAbstractItemView) -> QHeaderView:
    return view.horizontalHeader() if isinstance(view, QTableView) else view.header()


def _rows(view: QAbstractItemView, parent=QModelIndex()):  # noqa: B008
    model = view.model()
    for r in range(model.rowCount(parent)):
        index = model.index(r, 0, parent)
        yield index
        if isinstance(view, QTreeView):
            yield from _rows(view, index)


def _column(view: QAbstractItemView, title: str) -> int:
    model = view.model()
    for c in range(model.columnCount()):
        if model.headerData(c, Qt.Orientation.Horizontal) == title:
            return c
    raise AssertionError(f"no column {title}")


def assert_readable(view: QAbstractItemView, title: str) -> int:
    """Every text of column ``title`` fits its width, and the column is inside the viewport."""
    column = _column(view, title)
    header = _header(view)
    width = header.sectionSize(column)
    left = header.sectionViewportPosition(column)
    assert not header.isSectionHidden(column), title
    assert 0 <= left and left + width <= view.viewport().width(), f"{title}：列在可见区域之外"
    head = header.fontMetrics()  # the title too (bold, with the section's padding and sort arrow)
    assert head.horizontalAdvance(title) + 2 * 6 <= width or header.sectionResizeMode(column) \
        == QHeaderView.ResizeMode.ResizeToContents, f"{title}：列名被截断"
    metrics = view.fontMetrics()
    # what Qt's item delegate leaves for the text: the cell minus the style's text margin each side
    margin = 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1)
    checked = 0
    for first in _rows(view):
        index = first.siblingAtColumn(column)
        text = index.data() or ""
        if not isinstance(text, str) or not text:
            continue
        indent = view.indentation() * _depth(index) if isinstance(view, QTreeView) and column == 0 else 0
        needed = metrics.horizontalAdvance(text) + margin + indent
        assert needed <= width, f"{title}：“{text}”需要 {needed}px，列宽只有 {width}px"
        checked += 1
    return checked


def _depth(index) -> int:
    depth = 0
    while index.parent().isValid():
        index, depth = index.parent(), depth + 1
    return depth


def test_key_columns_are_not_elided_at_1280x720(qtbot, small_window, app_ctx):
    w = small_window
    home = w.show_page("home")
    home._today = DEMO_TODAY
    home.reload()
    wait_tasks(qtbot, app_ctx)
    qtbot.wait(50)
    tree: QTreeWidget = home.trees["meetings"]
    assert assert_readable(tree, "支部") >= 10 and assert_readable(tree, "情况") >= 10
    assert assert_readable(tree, "期间") >= 10
    for name in ("measures", "drafts"):  # a reminder too long keeps its end (已逾期N天 / 仍是草稿)
        assert home.trees[name].textElideMode() == Qt.TextElideMode.ElideMiddle

    for name in ("meetings", "members", "birthdays", "rectification", "organization"):
        w.show_page(name)
        wait_tasks(qtbot, app_ctx)
        qtbot.wait(50)
    meetings = w.page("meetings")
    assert assert_readable(meetings.view, "支部") >= 10
    assert assert_readable(meetings.view, "状态") >= 10
    from desktop.ui.meetings.models import MATCH_COLUMN

    w.show_page("meetings")
    meetings.search.setText("整改")
    qtbot.waitUntil(lambda: not meetings.is_waiting() and not meetings.view.isColumnHidden(MATCH_COLUMN)
                    and meetings.model.rowCount() > 0, timeout=30000)
    qtbot.wait(50)
    header = meetings.view.horizontalHeader()
    left, width = header.sectionViewportPosition(MATCH_COLUMN), header.sectionSize(MATCH_COLUMN)
    assert width >= 280 and left + width <= meetings.view.viewport().width()  # where each record matched
    assert assert_readable(meetings.view, "支部") >= 10
    meetings.search.clear()
    members = w.page("members")
    w.show_page("members")
    qtbot.wait(50)
    assert assert_readable(members.table, "支部") >= 10
    assert assert_readable(members.table, "党内职务") >= 5
    rect_page = w.page("rectification")
    w.show_page("rectification")
    qtbot.wait(50)
    assert assert_readable(rect_page.view, "提示") >= 10
    assert assert_readable(rect_page.view, "状态") >= 10
    org = w.page("organization")
    w.show_page("organization")
    qtbot.wait(50)
    for title in ("支部", "书记", "支委会"):
        assert assert_readable(org.branch_view, title) == 3
    assert assert_readable(org.post_view, "职务") >= 5 and assert_readable(org.post_view, "任职期间") >= 5
    birthdays = w.page("birthdays")
    w.show_page("birthdays")
    birthdays.set_period(2026, 12)
    wait_tasks(qtbot, app_ctx)
    qtbot.wait(50)
    assert assert_readable(birthdays.w(QTableView, "rosterView"), "支部") >= 1
    assert assert_readable(birthdays.w(QTableView, "eventsView"), "支部") >= 1


def test_member_editor_shows_the_whole_post_text(small_window, qtbot, app_ctx):
    """党内职务 in the member editor: 「支部书记，2022-12-16起」 is shown whole at the dialog's own
    size (it used to share its row with the 任职…/离任… buttons and lost 「起」 to them)."""
    from collections import Counter

    from desktop.services.members import get_member
    from desktop.services.organization import list_branches, list_posts
    from desktop.ui.dialogs.member_editor import MemberEditor

    ledger = app_ctx.require_ledger()
    posts = [p for b in list_branches(ledger) for p in list_posts(ledger, b.id, include_ended=False)]
    holders = Counter(p.member_id for p in posts)
    checked = 0
    for member_id, _n in holders.most_common(5):
        editor = MemberEditor(ledger, small_window, detail=get_member(ledger, member_id))
        editor.dialog.show()
        editor.dialog.resize(editor.dialog.minimumSizeHint())
        qtbot.wait(20)
        label = editor.posts_label
        text = label.text()
        assert "起" in text
        metrics = label.fontMetrics()
        # every line of the wrapped text fits; a post never breaks inside 「…，日期起」
        for piece in text.split("、"):
            assert metrics.horizontalAdvance(piece) <= label.contentsRect().width(), (piece, label.width())
        assert label.heightForWidth(label.width()) <= label.height()  # no line cut off below
        editor.dialog.reject()
        checked += 1
    assert checked >= 3
