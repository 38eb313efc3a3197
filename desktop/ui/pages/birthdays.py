"""政治生日: members whose 入党日期 falls in a month or quarter, milestones highlighted, collective
celebrations with a 寄语 per member, roster and card printing."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.dates import quarter_months
from desktop.services import birthdays as bd
from desktop.store.changes import ChangeEvent, RecordKind

from ..birthdays.dialogs import EventDialog, TemplateDialog
from ..birthdays.models import EVENT_COLUMNS, RosterModel
from ..conflicts import run_guarded
from ..dialogs.trash import recycle_dialog
from ..forms import child, load_form
from ..models import RowFilterProxy, RowTableModel, make_view_sortable
from ..rectification.common import run_export
from ..rights import writes, writes_shared
from .base import Page

WATCHED = frozenset({RecordKind.MEMBER, RecordKind.MEMBERSHIP, RecordKind.BRANCH, RecordKind.BIRTHDAY_EVENT,
                     RecordKind.CELEBRANT, RecordKind.SETTING})
QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")


class BirthdaysPage(Page):
    title = "政治生日"
    icon_name = "birthdays"
    write_buttons = ("celebrateButton", "newEventButton", "editEventButton", "deleteEventButton", "templateButton")
    committee_buttons = ("templateButton",)  # 寄语模板: a ledger setting, committee-wide

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.form = load_form("birthday_page", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        today = date.today()
        self.rows: list[bd.BirthdayRow] = []
        self.roster = RosterModel(self)
        self.roster_proxy = RowFilterProxy(self)
        make_view_sortable(self.w(QTableView, "rosterView"), self.roster, self.roster_proxy)
        self.events = RowTableModel(EVENT_COLUMNS, self)
        self.events_proxy = RowFilterProxy(self)
        events_view = self.w(QTableView, "eventsView")
        make_view_sortable(events_view, self.events, self.events_proxy)
        events_view.doubleClicked.connect(lambda _i: self.edit_event())
        events_view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._history_focus = "event"  # the list last clicked: what 记录 › 修改历史 shows
        events_view.clicked.connect(lambda _i: setattr(self, "_history_focus", "event"))
        self.w(QTableView, "rosterView").clicked.connect(lambda _i: setattr(self, "_history_focus", "member"))
        splitter = self.w(QSplitter, "splitter")
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([430, 210])
        year, mode = self.w(QSpinBox, "yearSpin"), self.w(QComboBox, "modeCombo")
        year.setValue(today.year)
        mode.addItem("按月", "month")
        mode.addItem("按季度", "quarter")
        self._fill_periods()
        self.w(QComboBox, "periodCombo").setCurrentIndex(today.month - 1)
        year.valueChanged.connect(lambda _v: self.refresh())
        mode.currentIndexChanged.connect(lambda _i: self._mode_changed())
        self.w(QComboBox, "periodCombo").currentIndexChanged.connect(lambda _i: self.refresh())
        self.w(QComboBox, "branchCombo").currentIndexChanged.connect(lambda _i: self.refresh())
        self.w(QPushButton, "prevButton").clicked.connect(lambda: self.step(-1))
        self.w(QPushButton, "nextButton").clicked.connect(lambda: self.step(1))
        self.w(QPushButton, "celebrateButton").clicked.connect(self.new_event)
        self.w(QPushButton, "newEventButton").clicked.connect(self.new_event)
        self.w(QPushButton, "editEventButton").clicked.connect(self.edit_event)
        self.w(QPushButton, "deleteEventButton").clicked.connect(self.delete_event)
        self.w(QPushButton, "trashButton").clicked.connect(self.open_trash)
        self.w(QPushButton, "templateButton").clicked.connect(self.edit_template)
        for button, kind, use_event in (("printRosterButton", "birthdays", False), ("printCardsButton", "cards", False),
                                        ("printEventCardsButton", "cards", True)):
            menu = QMenu(self)
            for label, fmt in (("PDF", "pdf"), ("Word", "docx"), ("PDF 和 Word", "both")):
                menu.addAction(label, lambda k=kind, f=fmt, e=use_event: self.print_doc(k, f, e))
            self.w(QToolButton, button).setMenu(menu)
        self.w(QLabel, "legendLabel").setText("深黄：光荣在党50年　浅黄：逢十周年")

    def w(self, cls: type, name: str):
        return child(self.form, cls, name)

    # ------------------------------------------------------------------ period
    def _fill_periods(self) -> None:
        combo = self.w(QComboBox, "periodCombo")
        combo.blockSignals(True)
        combo.clear()
        if self.w(QComboBox, "modeCombo").currentData() == "quarter":
            for i, q in enumerate(QUARTERS, 1):
                combo.addItem(q, i)
        else:
            for m in range(1, 13):
                combo.addItem(f"{m}月", m)
        combo.blockSignals(False)

    def _mode_changed(self) -> None:
        combo = self.w(QComboBox, "periodCombo")
        old = combo.currentData() or 1
        quarter = self.w(QComboBox, "modeCombo").currentData() == "quarter"
        self._fill_periods()
        combo.setCurrentIndex((old - 1) // 3 if quarter else min(11, (old - 1) * 3))
        self.refresh()

    def set_period(self, year: int, month: int | None = None, quarter: int | None = None) -> None:
        mode = self.w(QComboBox, "modeCombo")
        mode.blockSignals(True)
        mode.setCurrentIndex(1 if quarter else 0)
        mode.blockSignals(False)
        self._fill_periods()
        period = self.w(QComboBox, "periodCombo")
        period.blockSignals(True)
        period.setCurrentIndex((quarter or month or 1) - 1)
        period.blockSignals(False)
        spin = self.w(QSpinBox, "yearSpin")
        spin.blockSignals(True)
        spin.setValue(year)
        spin.blockSignals(False)
        self.refresh()

    def period(self) -> tuple[int, list[int], str]:
        year = self.w(QSpinBox, "yearSpin").value()
        value = self.w(QComboBox, "periodCombo").currentData() or 1
        if self.w(QComboBox, "modeCombo").currentData() == "quarter":
            return year, list(quarter_months(value)), f"{year}年{QUARTERS[value - 1]}"
        return year, [value], f"{year}年{value}月"

    def step(self, delta: int) -> None:
        combo, spin = self.w(QComboBox, "periodCombo"), self.w(QSpinBox, "yearSpin")
        i = combo.currentIndex() + delta
        if i < 0:
            spin.setValue(spin.value() - 1)
            combo.setCurrentIndex(combo.count() - 1)
        elif i >= combo.count():
            spin.setValue(spin.value() + 1)
            combo.setCurrentIndex(0)
        else:
            combo.setCurrentIndex(i)

    def branch_id(self) -> str | None:
        return self.w(QComboBox, "branchCombo").currentData()

    # ------------------------------------------------------------------ loading
    def reload(self) -> None:
        combo = self.w(QComboBox, "branchCombo")
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("全部支部", None)
        for bid, name in self._branches():
            combo.addItem(name, bid)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)
        self.refresh()

    def on_data_changed(self, event: ChangeEvent) -> None:
        ids = event.ids(RecordKind.BIRTHDAY_EVENT)
        if ids and event.only((RecordKind.BIRTHDAY_EVENT, RecordKind.CELEBRANT)) and self._update_event_rows(set(ids)):
            return  # the roster is read from members: an event's save leaves it as it is
        if event.touches(WATCHED):
            self.reload()

    def _update_event_rows(self, ids: set[str]) -> bool:
        """A saved celebration: its row updated in place; False when the list must be read again
        (a new row, or a date that moves it)."""
        if len(ids) > 50 or self.ctx.ledger_busy() or self.ctx.ledger is None:
            return False
        year, branch = self.period()[0], self.branch_id()
        rows = bd.event_rows(self.ctx.ledger, ids)

        def shown(r) -> bool:
            return r.date.year == year and (branch is None or r.branch_id in (branch, None))

        for eid, row in rows.items():
            i = self.events.find_row(lambda e, x=eid: e.id == x)
            if i < 0 and row is not None and shown(row):
                return False
            if i >= 0 and row is not None and row.date != self.events.row_at(i).date:
                return False
        for eid, row in rows.items():
            i = self.events.find_row(lambda e, x=eid: e.id == x)
            if i < 0:
                continue
            if row is None or not shown(row):
                self.events.remove_row(i)
            else:
                self.events.replace_row(i, row)
        self._update_buttons()
        return True

    def _branches(self) -> list[tuple[str, str]]:
        if self.ctx.ledger is None:
            return []
        from desktop.services.organization import list_branches

        return [(b.id, b.name) for b in list_branches(self.ctx.ledger)]

    def refresh(self) -> None:
        ledger = self.ctx.ledger
        year, months, label = self.period()
        self.rows = bd.birthdays_for(ledger, year, months, self.branch_id()) if ledger is not None else []
        self.roster.set_rows(self.rows)
        self.roster_proxy.reapply_sort()
        events = bd.list_events(ledger, year, self.branch_id()) if ledger is not None else []
        self.events.set_rows(events)
        self.events_proxy.reapply_sort()
        fifty = sum(r.is_fifty for r in self.rows)
        rounds = sum(r.is_round for r in self.rows)
        probation = sum(r.party_age is None for r in self.rows)
        if not self.rows:
            text = f"{label}没有党员过政治生日。"
        else:
            text = f"{label}共{len(self.rows)}名党员过政治生日"
            extras = [f"逢十周年{rounds}名" if rounds else "", f"光荣在党50年{fifty}名" if fifty else "",
                      f"预备党员{probation}名" if probation else ""]
            extras = [e for e in extras if e]
            text += ("，其中" + "、".join(extras) if extras else "") + "。"
        self.w(QLabel, "summaryLabel").setText(text)
        group = self.form.findChild(QWidget, "eventsGroup")
        group.setTitle(f"集体政治生日活动记录（{year}年）")
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_event = bool(self.w(QTableView, "eventsView").selectionModel().selectedRows())
        for name in ("editEventButton", "deleteEventButton", "printEventCardsButton"):
            self.form.findChild(QWidget, name).setEnabled(has_event)
        for name in ("printRosterButton", "printCardsButton"):
            self.form.findChild(QWidget, name).setEnabled(bool(self.rows))
        for name in ("celebrateButton", "newEventButton", "templateButton", "trashButton"):
            self.form.findChild(QWidget, name).setEnabled(self.ctx.ledger is not None)
        self.lock_writes()
        event = self.selected_event() if has_event else None
        self.lock_record(event.branch_id if event else None, "editEventButton", "deleteEventButton")

    def selected_event(self) -> bd.EventRow | None:
        rows = self.w(QTableView, "eventsView").selectionModel().selectedRows()
        return self.events_proxy.row_at(rows[0].row()) if rows else None

    def history_target(self) -> tuple[str, str] | None:
        """记录 › 修改历史: the member last clicked in the roster, else the selected 政治生日 activity."""
        roster = self.w(QTableView, "rosterView").selectionModel().selectedRows()
        if self._history_focus == "member" and roster:
            row = self.roster_proxy.row_at(roster[0].row())
            return row.member_id, f"党员 {row.name}"
        ev = self.selected_event()
        return (ev.id, f"政治生日活动“{ev.title}”（{ev.date}）") if ev is not None else None

    def open_record(self, kind: str, record_id: str) -> bool:
        ledger = self.ctx.ledger
        if ledger is None:
            return False
        if kind == "birthday_event":
            try:
                ev = bd.get_event(ledger, record_id).event
            except LookupError:
                return False
            self.set_period(ev.date.year, ev.date.month)
            i = self.events.find_row(lambda e: e.id == record_id)
            if i >= 0:
                self.w(QTableView, "eventsView").selectRow(self.events_proxy.mapFromSource(self.events.index(i, 0)).row())
            return True
        if kind == "member":
            shown = self.w(QSpinBox, "yearSpin").value()
            hit = None
            for year in dict.fromkeys((shown, date.today().year, date.today().year + 1)):
                hit = next((r for r in bd.birthdays_for(ledger, year, range(1, 13)) if r.member_id == record_id), None)
                if hit is not None:
                    break
            if hit is None:
                return False
            self.set_period(hit.date_this_year.year, hit.date_this_year.month)
            i = self.roster.find_row(lambda r: r.member_id == record_id)
            if i >= 0:
                self.w(QTableView, "rosterView").selectRow(self.roster_proxy.mapFromSource(self.roster.index(i, 0)).row())
            return True
        return False

    # ------------------------------------------------------------------ actions
    @writes
    def new_event(self) -> None:
        if self.ctx.ledger is None:
            return
        year, months, _label = self.period()
        today = date.today()
        day = today if (today.year == year and today.month in months) else date(year, months[0], 1)
        view = self.w(QTableView, "rosterView")
        picked = tuple(self.roster_proxy.row_at(i.row()).member_id for i in view.selectionModel().selectedRows())
        EventDialog(self.ctx.ledger, self._branches(), day=day, branch_id=self.branch_id(),
                    preselect=picked if len(picked) > 1 else (), months=months, parent=self).exec()

    @writes
    def edit_event(self) -> None:
        ev = self.selected_event()
        if ev is not None:
            EventDialog(self.ctx.ledger, self._branches(), ev.id, parent=self).exec()

    def delete_event(self) -> None:
        ev = self.selected_event()
        if ev is None:
            return
        answer = QMessageBox.question(self, "删除活动记录", f"删除“{ev.title}”（{ev.date.isoformat()}）？\n删除后可在“回收站”恢复。")
        if answer == QMessageBox.StandardButton.Yes:
            ledger = self.ctx.ledger
            # changed since it was listed: refused, the list shows theirs (deleted meanwhile: said)
            run_guarded(self, lambda v: bd.delete_event(ledger, ev.id, version=v), ev.version,
                        refresh=self.reload, delete=True)

    def open_trash(self) -> None:
        recycle_dialog(self, self.ctx.ledger, kinds=("birthday_event",), title="回收站（政治生日活动）").exec()

    @writes_shared
    def edit_template(self) -> None:
        if self.ctx.ledger is not None:
            TemplateDialog(self.ctx.ledger, self).exec()

    def print_doc(self, kind: str, fmt: str, use_event: bool) -> None:
        year, months, label = self.period()
        value = self.w(QComboBox, "periodCombo").currentData() or 1
        quarterly = self.w(QComboBox, "modeCombo").currentData() == "quarter"
        filters: dict = {"year": year, "branch": self.branch_id(), ("quarter" if quarterly else "month"): value}
        if use_event:
            ev = self.selected_event()
            if ev is None:
                return
            filters, label = {"event": ev.id}, ev.title
        title = "打印政治生日名册" if kind == "birthdays" else "打印政治生日贺卡"
        run_export(self.ctx, self, kind, fmt, filters, f"{title}（{label}）")
