"""整改清单: a campaign's categories → problems → measures, with 销号, 进展, 回收站, Excel and printing."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.enums import MeasureStatus
from desktop.domain.rectification import MeasureFlag
from desktop.services import rectification as rect
from desktop.store.changes import ChangeEvent, RecordKind

from ..forms import child, load_form
from ..models import Column, RowFilterProxy, RowTableModel, make_view_sortable
from ..rectification.actions import RectActions, measure_html, problem_html
from ..rectification.tree_model import NODE_ROLE, VISUAL_ORDER, WIDTHS, RectFilterProxy, RectTreeModel
from ..rights import committee_locked
from .base import Page

WATCHED = frozenset({RecordKind.CAMPAIGN, RecordKind.RECT_CATEGORY, RecordKind.PROBLEM, RecordKind.MEASURE,
                     RecordKind.PROGRESS_ENTRY, RecordKind.SETTING, RecordKind.BRANCH})
PROGRESS_COLUMNS = (Column("日期", lambda e: e.date, width=90), Column("进展情况", lambda e: e.text))


class RectificationPage(RectActions, Page):
    title = "整改清单"
    icon_name = "rectification"
    write_buttons = ("newCampaignButton", "editCampaignButton", "deleteCampaignButton", "addButton", "editButton",
                     "upButton", "downButton", "deleteButton", "progressButton", "addProgressButton",
                     "deleteProgressButton", "closeButton", "undoCloseButton", "importButton")
    committee_buttons = write_buttons  # 整改清单 is committee-wide: the owner's

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.form = load_form("rect_page", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        self.tree: rect.CampaignTree | None = None
        self.model = RectTreeModel(self)
        self.proxy = RectFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view: QTreeView = self.w(QTreeView, "treeView")
        self.view.setModel(self.proxy)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        for i, width in enumerate(WIDTHS):
            self.view.header().resizeSection(i, width)
        for visual, logical in enumerate(VISUAL_ORDER):
            header = self.view.header()
            header.moveSection(header.visualIndex(logical), visual)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.view)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_selected)
        self.progress_model = RowTableModel(PROGRESS_COLUMNS, self)
        self.progress_proxy = RowFilterProxy(self)
        pview = self.w(QTableView, "progressView")
        make_view_sortable(pview, self.progress_model, self.progress_proxy)
        pview.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._history_focus = "tree"  # the list last clicked: what 记录 › 修改历史 shows
        self.view.clicked.connect(lambda _i: setattr(self, "_history_focus", "tree"))
        pview.clicked.connect(lambda _i: setattr(self, "_history_focus", "progress"))
        splitter = self.w(QSplitter, "splitter")
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([910, 270])
        self._wire()
        self.w(QLabel, "legendLabel").setText("红底：已逾期　黄底：即将到期")

    def w(self, cls: type, name: str):
        return child(self.form, cls, name)

    def _wire(self) -> None:
        combo = self.w(QComboBox, "campaignCombo")
        combo.currentIndexChanged.connect(lambda _i: (combo.setToolTip(combo.currentText()), self._load_tree()))
        for name, slot in (("newCampaignButton", self.new_campaign), ("editCampaignButton", self.edit_campaign),
                           ("deleteCampaignButton", self.delete_campaign), ("editButton", self.edit_selected),
                           ("upButton", lambda: self.move_selected(-1)), ("downButton", lambda: self.move_selected(1)),
                           ("deleteButton", self.delete_selected), ("trashButton", self.open_trash),
                           ("progressButton", self.add_progress), ("addProgressButton", self.add_progress),
                           ("deleteProgressButton", self.delete_progress), ("closeButton", self.close_selected),
                           ("undoCloseButton", self.undo_close), ("importButton", self.import_excel),
                           ("exportButton", self.export_excel), ("clearFiltersButton", self.clear_filters)):
            self.w(QPushButton, name).clicked.connect(slot)
        add_menu = QMenu(self)
        add_menu.addAction("类别…", self.add_category)
        add_menu.addAction("问题…", self.add_problem)
        add_menu.addAction("整改措施…", self.add_measure)
        self.w(QToolButton, "addButton").setMenu(add_menu)
        print_menu = QMenu(self)
        print_menu.addAction("整改清单及进展汇总（PDF，横向）", lambda: self.print_list("pdf"))
        print_menu.addAction("整改清单及进展汇总（Word，横向）", lambda: self.print_list("docx"))
        print_menu.addAction("整改清单及进展汇总（PDF 和 Word）", lambda: self.print_list("both"))
        self.w(QToolButton, "printButton").setMenu(print_menu)
        status = self.w(QComboBox, "statusFilter")
        status.addItem("全部状态", "")
        for s in MeasureStatus:
            status.addItem(s.value, s.value)
        flag = self.w(QComboBox, "flagFilter")
        for text, value in (("全部", ""), ("已逾期", MeasureFlag.OVERDUE.value), ("即将到期", MeasureFlag.DUE_SOON.value)):
            flag.addItem(text, value)
        for name in ("statusFilter", "categoryFilter", "flagFilter"):
            self.w(QComboBox, name).currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.w(QComboBox, "personFilter").editTextChanged.connect(lambda _t: self.apply_filters())

    # ------------------------------------------------------------------ loading
    def reload(self) -> None:
        combo = self.w(QComboBox, "campaignCombo")
        current = combo.currentData()
        ledger = self.ctx.ledger
        campaigns = rect.list_campaigns(ledger) if ledger is not None else []
        combo.blockSignals(True)
        combo.clear()
        for c in campaigns:
            scope = f"（{c.branch_name}）" if c.branch_name else ""
            combo.addItem(f"{c.year}年 {c.name}{scope}", c.id)
            combo.setItemData(combo.count() - 1, f"{c.year}年 {c.name}{scope}", Qt.ItemDataRole.ToolTipRole)
        index = combo.findData(current)
        combo.setCurrentIndex(index if index >= 0 else (0 if campaigns else -1))
        combo.blockSignals(False)
        combo.setToolTip(combo.currentText())
        self._load_tree()

    def on_data_changed(self, event: ChangeEvent) -> None:
        ids = event.ids(RecordKind.MEASURE)
        if ids and event.only((RecordKind.MEASURE, RecordKind.PROGRESS_ENTRY)) and self._update_measures(set(ids)):
            return
        if event.touches(WATCHED):
            self.reload()

    def _update_measures(self, ids: set[str]) -> bool:
        """Saved measures: their rows updated in place (the tree keeps its expansion and
        selection); False when the tree must be read again (a new, deleted or moved measure)."""
        if self.tree is None or self.ctx.ledger is None or self.ctx.ledger_busy() or len(ids) > 50:
            return False
        tree = rect.measure_nodes(self.tree, self.ctx.ledger, ids)
        if tree is None:
            return False
        self.tree = tree
        self.model.update_measures(tree, ids)
        self._update_header()
        if self.proxy.active:
            self.proxy.invalidate()
            self.view.expandAll()
        self._selection_changed()
        return True

    def campaign_id(self) -> str | None:
        return self.w(QComboBox, "campaignCombo").currentData()

    def _load_tree(self) -> None:
        keep = self.selected_node()
        cid = self.campaign_id()
        ledger = self.ctx.ledger
        try:
            self.tree = rect.get_campaign_tree(ledger, cid) if (ledger is not None and cid) else None
        except rect.NotFound:
            self.tree = None
        self.model.set_tree(self.tree)
        self.view.expandAll()
        self._fill_filter_choices()
        self._update_header()
        if keep is not None:
            self.select(keep.id)
        self._selection_changed()

    def _update_header(self) -> None:
        counts, stats, empty = self.w(QLabel, "countsLabel"), self.w(QLabel, "statsLabel"), self.w(QLabel, "emptyLabel")
        t = self.tree
        if t is None:
            counts.setText("")
            stats.setText("")
            empty.setText("还没有主题教育活动。点击“新建活动”建立一个（如“学习贯彻新时代中国特色社会主义思想主题教育”），"
                          "然后逐项新增类别、问题和整改措施，或“从Excel导入”已经起草好的整改清单。")
            empty.setVisible(True)
            return
        empty.setVisible(not t.categories)
        empty.setText("这个活动还没有整改内容。用“新增”添加类别、问题和措施，或“从Excel导入”。")
        counts.setText(f"共查找{t.sentence}")
        flags, states = t.flag_counts(), t.status_counts()
        parts = [f"已逾期 {flags[MeasureFlag.OVERDUE]} 项", f"{t.soon_days}天内到期 {flags[MeasureFlag.DUE_SOON]} 项"]
        parts += [f"{s.value} {n} 项" for s, n in states.items() if n]
        stats.setText("　·　".join(parts))

    def _fill_filter_choices(self) -> None:
        cats, people = self.w(QComboBox, "categoryFilter"), self.w(QComboBox, "personFilter")
        cur_cat, cur_person = cats.currentData(), people.currentText()
        for box in (cats, people):
            box.blockSignals(True)
            box.clear()
        cats.addItem("全部类别", "")
        names: set[str] = set()
        for c in self.tree.categories if self.tree else ():
            cats.addItem(c.name, c.id)
            for p in c.problems:
                for m in p.measures:
                    names.update(x for x in (m.leader, m.owner) if x)
        people.addItem("")
        people.addItems(sorted(names))
        cats.setCurrentIndex(max(0, cats.findData(cur_cat)))
        people.setEditText(cur_person)
        people.lineEdit().setPlaceholderText("姓名或部门")
        for box in (cats, people):
            box.blockSignals(False)
        self.apply_filters()

    def apply_filters(self) -> None:
        self.proxy.set_filters(
            status=self.w(QComboBox, "statusFilter").currentData() or "",
            person=self.w(QComboBox, "personFilter").currentText(),
            category_id=self.w(QComboBox, "categoryFilter").currentData() or "",
            flag=self.w(QComboBox, "flagFilter").currentData() or "",
        )
        self.view.expandAll()

    def clear_filters(self) -> None:
        for name in ("statusFilter", "categoryFilter", "flagFilter"):
            self.w(QComboBox, name).setCurrentIndex(0)
        self.w(QComboBox, "personFilter").setEditText("")

    # ---------------------------------------------------------------- selection
    def selected_node(self):
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return rows[0].data(NODE_ROLE) if rows else None

    def history_target(self) -> tuple[str, str] | None:
        """记录 › 修改历史: the 整改进展 last clicked, else the selected 类别/问题/措施, else the
        campaign shown (id, title)."""
        progress = self.w(QTableView, "progressView").selectionModel().selectedRows()
        if self._history_focus == "progress" and progress:
            row = self.progress_proxy.row_at(progress[0].row())
            return row.id, f"整改进展（{row.date}）{row.text[:20]}"
        node = self.selected_node()
        if isinstance(node, rect.MeasureNode):
            return node.id, f"整改措施 {node.number}．{node.content[:30]}"
        if isinstance(node, rect.ProblemNode):
            return node.id, f"问题 {node.number}．{node.description[:30]}"
        if isinstance(node, rect.CategoryNode):
            return node.id, f"整改类别 {node.name}"
        cid = self.campaign_id()
        return (cid, f"整改活动 {self.w(QComboBox, 'campaignCombo').currentText()}") if cid else None

    def select(self, record_id: str) -> bool:
        source = self.model.find(record_id)
        index = self.proxy.mapFromSource(source) if source.isValid() else QModelIndex()
        if not index.isValid():
            return False
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)
        return True

    def open_record(self, kind: str, record_id: str) -> bool:
        if self.ctx.ledger is None:
            return False
        cid = rect.campaign_of(self.ctx.ledger, kind, record_id)
        if cid is None:
            return False
        combo = self.w(QComboBox, "campaignCombo")
        if combo.findData(cid) < 0:
            self.reload()
        combo.setCurrentIndex(combo.findData(cid))
        if kind == "campaign":
            return True
        if not self.select(record_id):
            self.clear_filters()
            return self.select(record_id)
        return True

    def _selection_changed(self) -> None:
        node = self.selected_node()
        title, browser = self.w(QLabel, "detailTitle"), self.w(QTextBrowser, "detailBrowser")
        progress: tuple = ()
        if isinstance(node, rect.MeasureNode):
            title.setText(f"措施{node.number}（{node.flag or node.status}）")
            browser.setHtml(measure_html(node))
            progress = node.progress
        elif isinstance(node, rect.ProblemNode):
            title.setText(f"问题{node.number}" + ("　重点整改项目" if node.is_key else ""))
            browser.setHtml(problem_html(node))
        elif isinstance(node, rect.CategoryNode):
            title.setText(f"类别：{node.name}")
            n = sum(len(p.measures) for p in node.problems)
            browser.setHtml(f"<p>{len(node.problems)}个方面问题、{n}项整改措施。</p>")
        else:
            title.setText("")
            browser.setHtml("<p style='color:#666'>选中一项整改措施查看详情和进展。</p>" if self.tree else "")
        self.progress_model.set_rows(progress)
        self._update_buttons()

    def context_actions(self) -> list[tuple[str, object, bool]]:
        """(text, slot, enabled) of the tree's right-click menu for the selected node (every one a
        change: none enabled for a read-only login)."""
        node = self.selected_node()
        is_measure = isinstance(node, rect.MeasureNode)
        closed = is_measure and node.status == MeasureStatus.CLOSED
        actions = [
            ("编辑…", self.edit_selected, node is not None),
            ("新增问题…", self.add_problem, self.tree is not None),
            ("新增整改措施…", self.add_measure, self.tree is not None and bool(self.tree.problems())),
            ("记录进展…", self.add_progress, is_measure and not closed),
            ("完成并销号…", self.close_selected, is_measure and not closed),
            ("撤销销号", self.undo_close, closed),
            ("上移", lambda: self.move_selected(-1), node is not None),
            ("下移", lambda: self.move_selected(1), node is not None),
            ("删除", self.delete_selected, node is not None),
        ]
        may = not self.read_only and not committee_locked(self.ctx.ledger)
        return [(text, slot, bool(on) and may) for text, slot, on in actions]

    def _context_menu(self, pos) -> None:
        menu = QMenu(self)
        for text, slot, enabled in self.context_actions():
            menu.addAction(text, slot).setEnabled(bool(enabled))
        menu.exec(self.view.viewport().mapToGlobal(pos))

    def _update_buttons(self) -> None:
        node, has = self.selected_node(), self.tree is not None
        is_measure = isinstance(node, rect.MeasureNode)
        enable = {
            "newCampaignButton": self.ctx.ledger is not None, "editCampaignButton": has, "deleteCampaignButton": has, "addButton": has, "editButton": node is not None,
            "upButton": node is not None, "downButton": node is not None, "deleteButton": node is not None,
            "trashButton": self.ctx.ledger is not None, "importButton": has, "exportButton": has, "printButton": has,
            "progressButton": is_measure and node.status != MeasureStatus.CLOSED, "addProgressButton": is_measure,
            "deleteProgressButton": bool(self.w(QTableView, "progressView").selectionModel().selectedRows()),
            "closeButton": is_measure and node.status != MeasureStatus.CLOSED,
            "undoCloseButton": is_measure and node.status == MeasureStatus.CLOSED,
        }  # fmt: skip
        for name, on in enable.items():
            self.form.findChild(QWidget, name).setEnabled(bool(on))
        close_button = self.w(QPushButton, "closeButton")
        close_button.setToolTip("完成整改并销号（一步完成）" if close_button.isEnabled() else "选中一项未销号的整改措施")
        self.lock_writes()
