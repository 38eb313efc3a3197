"""The 党员 page's roster (desktop.ui.pages.members): its columns, the branch / category / status
filters and search, reading it again or updating the saved members' rows in place, masked or full
ID numbers, and the export of what is listed to Excel.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.domain.enums import MemberCategory, MemberStatus
from desktop.services.member_io import export_members_xlsx
from desktop.services.members import MemberRow, list_members, member_rows
from desktop.services.organization import IN_ROLL, list_branches
from desktop.store.changes import ChangeEvent, RecordKind

from ..errors import show_error
from ..models import Column
from ..pcsettings import settings_for

GONE = (MemberStatus.TRANSFERRED_OUT.value, MemberStatus.DECEASED.value, MemberStatus.CANCELLED.value)
MEMBER_KINDS = frozenset({RecordKind.MEMBER, RecordKind.MEMBERSHIP, RecordKind.BRANCH, RecordKind.PARTY_GROUP,
                          RecordKind.POST_HOLDING, RecordKind.PROBATION_EVENT})
ROW_KINDS = (RecordKind.MEMBER, RecordKind.MEMBERSHIP)  # a member saved (a group change adds a period)


class Roster:
    """The list half of MembersPage (mixed in; uses its widgets, model and proxy)."""

    def _columns(self) -> list[Column]:
        def ident(r: MemberRow) -> str:
            return r.id_number if self.reveal else r.id_masked

        return [
            Column("姓名", lambda r: r.name, width=80),
            Column("性别", lambda r: r.gender, align="center", width=40),
            Column("出生日期", lambda r: r.birth_date, width=86),
            Column("支部", lambda r: r.branch_name, width=90),
            Column("党小组", lambda r: r.group_name, width=172, tooltip=lambda r: r.group_name),
            Column("类别", lambda r: r.category, width=70,
                   color=lambda r: "#9a6700" if r.category == MemberCategory.PROBATIONARY else None),
            Column("入党日期", lambda r: r.join_date, width=86, tooltip=lambda r: "入党日期即政治生日"),
            Column("转正日期", lambda r: r.full_date, width=86),
            Column("党龄", lambda r: r.party_age, align="right", width=42,
                   tooltip=lambda r: "预备党员没有党龄" if r.party_age is None else "从转正日期算起"),
            Column("状态", lambda r: r.status, align="center", width=46,
                   color=lambda r: "#888888" if r.status in GONE else None),
            Column("党内职务", lambda r: r.party_post, width=104, tooltip=lambda r: r.party_post),
            Column("联系电话", lambda r: r.phone, width=100),
            Column("身份证号", ident, width=150),
        ]

    def _ledger_changed(self) -> None:
        if self.reveal_check.isChecked():
            self.reveal_check.setChecked(False)

    def reload(self) -> None:
        ledger = self.ctx.ledger
        self.form.setEnabled(ledger is not None)
        if ledger is None:
            self.model.set_rows([])
            self.summary.setText("未打开台账。")
            return
        self._fill_branches()
        selected = self.selected()
        rows = list_members(ledger, branch_id=self.branch_combo.currentData(),
                            category=self.category_combo.currentData(), status=self.status_combo.currentData())
        self.model.set_rows(rows)
        self.proxy.reapply_sort()
        self._update_summary()
        if selected is not None:
            self.select_member(selected.id)
        self._update_buttons()

    def _fill_branches(self) -> None:
        current = self.branch_combo.currentData()
        self.branch_combo.blockSignals(True)
        self.branch_combo.clear()
        self.branch_combo.addItem("全部支部", None)
        for b in list_branches(self.ctx.ledger):
            self.branch_combo.addItem(b.name, b.id)
        self.branch_combo.setCurrentIndex(max(0, self.branch_combo.findData(current)))
        self.branch_combo.blockSignals(False)

    def _update_summary(self) -> None:
        shown = [self.proxy.row_at(i) for i in range(self.proxy.rowCount())]
        full = sum(1 for r in shown if r.category == MemberCategory.FULL)
        text = f"共 {len(shown)} 人（正式党员 {full}，预备党员 {len(shown) - full}）"
        if len(shown) != self.model.rowCount():
            text += f"；搜索前 {self.model.rowCount()} 人"
        self.summary.setText(text)

    def _search_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_summary()

    def on_data_changed(self, event: ChangeEvent) -> None:
        if not event.touches(MEMBER_KINDS):
            return
        if not self.isVisible():
            self._stale = True  # reload when shown again
            return
        ids = event.ids(RecordKind.MEMBER)
        if ids and event.only(ROW_KINDS) and self._update_rows(set(ids)):
            return
        self.reload()

    def _matches(self, row: MemberRow) -> bool:
        status = self.status_combo.currentData()
        return ((not self.branch_combo.currentData() or row.branch_id == self.branch_combo.currentData())
                and (not self.category_combo.currentData() or row.category == self.category_combo.currentData())
                and (not status or (row.status in IN_ROLL if status == "在册" else row.status == status)))

    def _update_rows(self, ids: set[str]) -> bool:
        """A save changed a few members: update their rows in place (the whole roster is read
        again only for a new row or one whose place in the order changed)."""
        if len(ids) > 50 or self.ctx.ledger_busy():
            return False
        rows = member_rows(self.ctx.require_ledger(), ids)
        positions = {r.id: i for i, r in enumerate(self.model.rows) if r.id in rows}
        sort_column = self.proxy._sort[0]
        for mid, row in rows.items():
            i = positions.get(mid)
            if i is None:
                if row is not None and self._matches(row):
                    return False  # a new row: its place comes from the full list
                continue
            old = self.model.row_at(i)
            if row is not None and ((old.branch_id, old.join_date, old.name) != (row.branch_id, row.join_date, row.name)
                                    or (sort_column >= 0 and self.model.columns[sort_column].value(old)
                                        != self.model.columns[sort_column].value(row))):
                return False
        self.model.apply_rows(rows, self._matches)
        self._update_summary()
        selected = self.selected()
        if selected is None or selected.id in ids:  # its details (periods, probation) may have changed
            self._current_changed(self.table.currentIndex(), QModelIndex())
        return True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.reload()

    def _reveal_toggled(self, on: bool) -> None:
        if on and not self.reveal:
            answer = QMessageBox.question(
                self, "显示完整身份证号",
                "身份证号属于个人敏感信息。确定要在列表中显示完整号码吗？\n（请注意屏幕旁是否有其他人；切换台账后自动恢复打码。）")
            if answer != QMessageBox.StandardButton.Yes:
                self.reveal_check.blockSignals(True)
                self.reveal_check.setChecked(False)
                self.reveal_check.blockSignals(False)
                return
        self.reveal = on
        self.model.set_rows(self.model.rows)  # recompute display and search text
        self.proxy.reapply_sort()

    def focus_search(self) -> bool:
        """Ctrl+F (the window's 查找): the roster's search box."""
        self.search.setFocus()
        self.search.selectAll()
        return True

    def export_xlsx(self) -> None:
        if self.ctx.ledger is None:
            return
        rows = [self.proxy.row_at(i) for i in range(self.proxy.rowCount())]
        settings = settings_for(self)
        folder = Path(str(settings.value("export/lastDir", "") or Path.home()))
        name, _ = QFileDialog.getSaveFileName(self, "导出党员名册", str(folder / f"党员名册-{date.today():%Y%m%d}.xlsx"),
                                              "Excel 工作簿 (*.xlsx)")
        if not name:
            return
        target = Path(name) if name.lower().endswith(".xlsx") else Path(name + ".xlsx")
        settings.setValue("export/lastDir", str(target.parent))
        reveal = self.reveal

        def work(progress):
            progress(0, 0, f"正在导出 {len(rows)} 人 …")
            return export_members_xlsx(rows, target, reveal_ids=reveal)

        self.ctx.tasks.run(
            work, title="正在导出党员名册", parent=self,
            on_done=lambda out: QMessageBox.information(self, "导出完成", f"已导出 {len(rows)} 人：\n{out}"
                                                        + ("" if reveal else "\n（身份证号已打码）")),
            on_error=lambda exc, tb: show_error(self, exc, tb, action="exporting members"))
