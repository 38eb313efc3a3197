"""The editor's grid actions: add/remove/move rows, mark attendance, follow the meeting date."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QLabel, QMessageBox, QSpinBox, QTableView

from desktop.domain.enums import AttendanceStatus
from desktop.services import meetings as svc

from . import models as gm


class GridActions:
    """Mixed into MeetingEditor (which provides form, ctx, attendance/speeches/… models)."""

    def _selected_rows(self, view_name: str) -> list[int]:
        view = self.form.w(QTableView, view_name)
        return sorted({i.row() for i in view.selectionModel().selectedRows()} |
                      ({view.currentIndex().row()} if view.currentIndex().isValid() else set()))

    def _add(self, model, view_name: str, values: dict) -> None:
        row = model.add_row(values)
        view = self.form.w(QTableView, view_name)
        view.setCurrentIndex(model.index(row, 0))
        view.edit(model.index(row, 0))

    def _remove(self, model, view_name: str) -> None:
        for row in reversed(self._selected_rows(view_name)):
            model.remove_row(row)

    def _move(self, delta: int) -> None:
        rows = self._selected_rows("speechesView")
        if rows:
            to = self.speeches.move_row(rows[0], delta)
            self.form.w(QTableView, "speechesView").selectRow(to)

    def add_speech(self) -> None:
        self._add(self.speeches, "speechesView", dict(section=self.spec.new_speech_section, speaker="", text=""))

    def all_present(self) -> None:
        rows = [dict(r, status=str(AttendanceStatus.PRESENT), reason="") for r in self.attendance.rows]
        self.attendance.replace(rows, "全部出席")

    def mark_selected(self, excluded: bool) -> None:
        from .dialogs import MarkDialog

        rows = self._selected_rows("attendanceView")
        if not rows:
            QMessageBox.information(self.widget, "参会人员", "请先在名单中选中一人或多人（按住 Ctrl 可多选）。")
            return
        dlg = MarkDialog([self.attendance.rows[r]["name"] for r in rows], excluded, self.widget)
        if not dlg.exec():
            return
        status = str(AttendanceStatus.EXCLUDED if excluded else AttendanceStatus.ABSENT)
        new = [dict(r) for r in self.attendance.rows]
        for r in rows:
            new[r].update(status=status, reason=dlg.reason)
        self.attendance.replace(new, "标记不计入应到" if excluded else "标记缺席")

    def _date_changed(self, qdate: QDate) -> None:
        """The roster is the one of the meeting date: follow a changed date (undoable), and
        renumber a record not yet saved when the year changes."""
        if self._loading or self.is_final or self._inp is None:
            return
        day = date(qdate.year(), qdate.month(), qdate.day())
        ledger = self.ctx.require_ledger()
        inp = self._inp
        fresh = svc.roster_for(ledger, inp.branch_id, inp.kind, day, self.form.w(QComboBox, "groupCombo").currentData())
        if {a.member_id for a in fresh} != {r["member_id"] for r in self.attendance.rows}:
            self.regenerate_roster(day)
            self.form.w(QLabel, "autosaveLabel").setText("会议日期已改变，参会名单已按新日期更新（可撤销）")
        if self.meeting_id is None and isinstance(inp.date, date) and day.year != inp.date.year:
            number = svc.next_number(ledger, inp.branch_id, inp.kind, day.year,
                                     inp.group_id if self.spec.per_group else None)
            self.form.w(QSpinBox, "numberSpin").setValue(number)
        inp.date = day

    def regenerate_roster(self, day: date | None = None) -> None:
        inp = self.collect()
        fresh = svc.roster_for(self.ctx.require_ledger(), inp.branch_id, inp.kind, day or inp.date, inp.group_id)
        old = {r["member_id"]: r for r in self.attendance.rows}
        rows = gm.attendance_rows(fresh)
        for r in rows:  # keep what was already marked for members still due
            if r["member_id"] in old:
                r.update(status=old[r["member_id"]]["status"], reason=old[r["member_id"]]["reason"])
        self.attendance.replace(rows, "按会议日期重新生成名单")
