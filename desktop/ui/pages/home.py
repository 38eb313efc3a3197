"""首页: what needs doing now.

- 本月 / 本季度应开会议: per branch, each required meeting of the current month and quarter
  (and the half-year/year ones whose period is running) — held, pending or missing
  (desktop.services.compliance.compliance_overview);
- 政治生日 this month and next, 整改措施 overdue or due soon, 会议记录 still in draft
  (desktop.services.reminders.home_reminders).

Every item that names a record opens it (``openRequested`` → MainWindow.open_record).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.dates import format_cn_date, quarter_months, quarter_of
from desktop.domain.reminders import is_due_now, is_urgent
from desktop.store.changes import ChangeEvent, RecordKind

from ..context import AppContext
from ..errors import show_error
from ..forms import child, load_form
from .base import Page

KIND_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLORS = {"held": "#2e7d32", "pending": "#9a6700", "urgent": "#c62828", "missing": "#b71c1c", "not_entered": "#777777",
          "error": "#b71c1c", "danger": "#b71c1c", "high": "#b71c1c", "warning": "#9a6700", "medium": "#9a6700",
          "info": "#333333", "low": "#333333"}
HOME_KINDS = frozenset({
    RecordKind.MEETING, RecordKind.BRANCH, RecordKind.PARTY_GROUP, RecordKind.MEMBER, RecordKind.MEMBERSHIP,
    RecordKind.MEASURE, RecordKind.PROBLEM, RecordKind.CAMPAIGN, RecordKind.PROBATION_EVENT,
    RecordKind.PROGRESS_ENTRY, RecordKind.RECT_CATEGORY, RecordKind.SETTING, RecordKind.BIRTHDAY_EVENT,
    RecordKind.CELEBRANT, RecordKind.POST_HOLDING})
# reminder sections → box (matched on the HomeReminders field name, then on the item's section text)
SECTION_BOXES = (("birthday", "birthdays"), ("生日", "birthdays"), ("probation", "birthdays"), ("预备期", "birthdays"), ("measure", "measures"), ("rect", "measures"),
                 ("整改", "measures"), ("draft", "drafts"), ("草稿", "drafts"), ("定稿", "drafts"),
                 ("meeting", "meetings"), ("会", "meetings"))


def _box_for(field_name: str, section: str) -> str:
    for key, box in SECTION_BOXES:
        if key in field_name.lower():
            return box
    for key, box in SECTION_BOXES:
        if key in section:
            return box
    return "meetings"


def reminder_items(reminders: Any) -> list[tuple[str, Any]]:
    """(box, ReminderItem) for every item of a HomeReminders, whatever its list fields are called."""
    out: list[tuple[str, Any]] = []
    if reminders is None:
        return out
    if dataclasses.is_dataclass(reminders):
        pairs = [(f.name, getattr(reminders, f.name)) for f in dataclasses.fields(reminders)]
    else:
        pairs = list(vars(reminders).items())
    for name, value in pairs:
        if isinstance(value, list | tuple):
            for item in value:
                if hasattr(item, "text"):
                    out.append((_box_for(name, str(getattr(item, "section", ""))), item))
    return out


@dataclasses.dataclass(frozen=True)
class HomeData:
    today: date
    settings: Any  # LedgerSettings
    overview: list  # [BranchCompliance] for the months of this quarter
    reminders: Any  # HomeReminders


def gather(ledger, today: date) -> HomeData:
    """Everything 首页 shows, read in one go (runs in a worker thread; no Qt)."""
    from desktop.services.compliance import compliance_overview
    from desktop.services.reminders import home_reminders
    from desktop.services.settings import get_settings

    months = list(quarter_months(quarter_of(today)))
    return HomeData(today, get_settings(ledger), compliance_overview(ledger, today.year, months, today),
                    home_reminders(ledger, today))


class HomePage(Page):
    title = "首页"
    icon_name = "home"
    openRequested = Signal(str, str)
    loaded = Signal()  # the lists show the latest data

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, today: date | None = None):
        super().__init__(ctx, parent)
        self._today = today
        self._generation = 0
        self._stale = False
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)  # a burst of writes (an import, autosave) reloads once
        self._debounce.timeout.connect(self.reload)
        self.form = load_form("home", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        f = self.form
        self.date_label: QLabel = child(f, QLabel, "dateLabel")
        self.unit_label: QLabel = child(f, QLabel, "unitLabel")
        self.summary: QLabel = child(f, QLabel, "summaryLabel")
        self.trees: dict[str, QTreeWidget] = {
            "meetings": child(f, QTreeWidget, "meetingsTree"),
            "birthdays": child(f, QTreeWidget, "birthdaysTree"),
            "measures": child(f, QTreeWidget, "measuresTree"),
            "drafts": child(f, QTreeWidget, "draftsTree"),
        }
        self.boxes: dict[str, QGroupBox] = {
            name: child(f, QGroupBox, f"{name}Box") for name in self.trees
        }
        self._box_titles = {name: box.title() for name, box in self.boxes.items()}
        for tree in self.trees.values():
            tree.itemActivated.connect(self._activated)
            tree.setIndentation(0)
            self._fit_columns(tree)
        child(f, QPushButton, "refreshButton").clicked.connect(self.reload)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.reload)

    def today(self) -> date:
        return self._today or date.today()

    # ------------------------------------------------------------------ loading
    def reload(self) -> None:
        """Gather everything in the background (a large ledger takes a moment); the lists are
        replaced when the data arrives, so the window stays responsive."""
        today = self.today()
        q = quarter_of(today)
        self.date_label.setText(f"今天是 {format_cn_date(today)}（{today.year}年第{'一二三四'[q - 1]}季度）")
        self._generation += 1
        generation = self._generation
        ledger = self.ctx.ledger
        if ledger is None:
            for tree in self.trees.values():
                tree.clear()
            opening = self.ctx.property("opening")
            self.summary.setText(f"正在打开台账 {opening} …" if opening else "未打开台账。请在“文件”菜单中新建或打开台账。")
            self.unit_label.clear()
            return
        if not any(tree.topLevelItemCount() for tree in self.trees.values()):
            self.summary.setText("正在读取台账 …")
        self.ctx.tasks.run(lambda progress: gather(ledger, today),
                           on_done=lambda data: self._show(generation, ledger, data),
                           on_error=lambda exc, tb: self._failed(generation, exc, tb))

    def _failed(self, generation: int, exc: BaseException, tb: str) -> None:
        if generation == self._generation:
            self.summary.setText("<span style='color:#b71c1c'>读取提醒时出错。</span>")
            show_error(self, exc, tb, action="loading 首页")

    def _show(self, generation: int, ledger, data: HomeData) -> None:
        if generation != self._generation or ledger is not self.ctx.ledger:
            return  # a newer reload (or another ledger) is on its way
        for tree in self.trees.values():
            tree.clear()
        self.unit_label.setText(data.settings.unit_name)
        missing, pending, held = self._fill_meetings(data.overview, data.today, data.settings.soon_days)
        counts = self._fill_reminders(data.reminders)
        parts = [f"本月和本季度应开会议 {missing + pending + held} 项：已开 {held} 项"]
        if pending:
            parts.append(f"待开 {pending} 项")
        if missing:
            parts.append(f"<span style='color:#b71c1c'>已过期未开 {missing} 项</span>")
        text = "，".join(parts) + "。"
        extra = []
        if counts.get("birthdays"):
            extra.append(f"政治生日 {counts['birthdays']} 人次")
        if counts.get("measures"):
            extra.append(f"需关注的整改措施 {counts['measures']} 项")
        if counts.get("drafts"):
            extra.append(f"未定稿记录 {counts['drafts']} 份")
        if extra:
            text += "　" + "，".join(extra) + "。"
        if not data.overview:  # a new, empty ledger: say how to start
            text = ("这是一个新台账。第一步：在“组织”页填写党组织名称，新增党支部并登记书记等任职；"
                    "第二步：在“党员”页录入党员，或“从Excel导入”现有名册；之后即可在“三会一课”中记录会议。")
        self.summary.setText(text)
        for name, box in self.boxes.items():
            n = self.trees[name].topLevelItemCount()
            real = sum(1 for i in range(n) if self.trees[name].topLevelItem(i).data(0, KIND_ROLE) != "")
            box.setTitle(self._box_titles[name] + (f"（{real}）" if real else ""))
        self.loaded.emit()

    @staticmethod
    def _fit_columns(tree: QTreeWidget) -> None:
        """Readable at 1280×720: short columns (支部, 期间, 情况) as wide as their text, the long one
        (会议, or a reminder) takes the rest. A reminder too long for its box loses its middle, not
        its end (「…已逾期38天，责任人：用地审批科）」 is what matters); the tooltip has it whole."""
        header = tree.header()
        header.setStretchLastSection(False)
        wide = 1 if tree.columnCount() > 1 else 0
        for i in range(tree.columnCount()):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch if i == wide
                                        else QHeaderView.ResizeMode.ResizeToContents)
        if tree.columnCount() == 1:
            tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)

    def _item(self, tree: QTreeWidget, texts: list[str], kind: str = "", record_id: str = "",
              color: str | None = None, tooltip: str = "") -> QTreeWidgetItem:
        item = QTreeWidgetItem(tree, texts)
        item.setData(0, KIND_ROLE, kind)
        item.setData(0, ID_ROLE, record_id)
        if color:
            brush = QBrush(QColor(color))
            for c in range(len(texts)):
                item.setForeground(c, brush)
        if tooltip or (kind and record_id):
            for c in range(len(texts)):
                item.setToolTip(c, tooltip or "双击打开")
        return item

    def _empty(self, tree: QTreeWidget, text: str) -> None:
        columns = tree.columnCount()
        item = QTreeWidgetItem(tree, ["", text] if columns > 1 else [text])
        item.setData(0, KIND_ROLE, "")
        item.setForeground(columns - 1, QBrush(QColor("#777777")))
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)

    def _fill_meetings(self, overview: list, today: date, soon_days: int) -> tuple[int, int, int]:
        tree = self.trees["meetings"]
        missing = pending = held = 0
        rows: list[tuple[int, int, list[str], str, str, str]] = []  # (urgency, order, texts, id, colour, tip)
        for bc in overview:
            for st in bc.report.items:
                req = st.requirement
                if not is_due_now(st, today, include_held=True):
                    continue
                kind = str(req.kind) + (f"（{req.group_name}）" if req.group_name else "")
                need = f"{st.held}/{req.required_count}"
                if st.status == "held":
                    held += 1
                    urgency, status, color = 3, f"已开展 {need}", COLORS["held"]
                elif st.status == "pending":
                    pending += 1
                    days = (req.end - today).days
                    urgent = is_urgent(st, today, soon_days)
                    status = f"待开 {need}，" + (f"还剩{days}天" if days else "今天截止")
                    urgency, color = (1 if urgent else 2), COLORS["urgent" if urgent else "pending"]
                elif st.status == "not_entered":  # began before 台账启用日期: on paper, not a gap
                    urgency, status, color = 4, f"未录入 {need}（台账启用前）", COLORS["not_entered"]
                else:
                    missing += 1
                    urgency, status, color = 0, f"缺 {need}", COLORS["missing"]
                rows.append((urgency, len(rows), [bc.branch_name, kind, req.period_label, status], bc.branch_id,
                             color, f"{bc.branch_name} {req.period_label}{kind}：{status}"))
        for _u, _o, texts, branch_id, color, tip in sorted(rows, key=lambda r: (r[0], r[1])):
            self._item(tree, texts, "branch", branch_id, color, tip)
        if tree.topLevelItemCount() == 0:
            self._empty(tree, "本月和本季度没有应开的会议（或尚未建立党支部）")
        return missing, pending, held

    def _fill_reminders(self, reminders: Any) -> dict[str, int]:
        counts: dict[str, int] = {}
        for box, item in reminder_items(reminders):
            if box == "meetings":
                continue  # the meetings box shows the full picture from compliance_overview
            tree = self.trees[box]
            color = COLORS.get(str(getattr(item, "severity", "") or ""))
            text = str(item.text)
            self._item(tree, [text],
                       str(getattr(item, "record_kind", "") or ""), str(getattr(item, "record_id", "") or ""),
                       color, text)
            counts[box] = counts.get(box, 0) + 1
        empty = {"birthdays": "没有预备期将满的党员，本月和下月没有党员过政治生日", "measures": "没有逾期或即将到期的整改措施",
                 "drafts": "所有会议记录都已定稿"}
        for box, text in empty.items():
            if not counts.get(box):
                self._empty(self.trees[box], text)
        return counts

    # ------------------------------------------------------------------ opening
    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        kind, record_id = item.data(0, KIND_ROLE), item.data(0, ID_ROLE)
        if kind and record_id:
            self.openRequested.emit(kind, record_id)

    def on_data_changed(self, event: ChangeEvent) -> None:
        """Refresh after writes elsewhere: at once (debounced) when visible, else when shown."""
        if not event.touches(HOME_KINDS):
            return
        if self.isVisible():
            self._debounce.start()
        else:
            self._stale = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.reload()
