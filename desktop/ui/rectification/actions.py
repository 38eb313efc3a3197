"""The 整改清单 page's commands: campaigns, nodes, 销号, 进展, 回收站, Excel and printing.

A mixin of :class:`desktop.ui.pages.rectification.RectificationPage`: it relies on the page's
``ctx``, ``tree``, ``w()``, ``select()``, ``selected_node()``, ``campaign_id()`` and ``reload()``.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QFileDialog, QMessageBox, QTableView

from desktop.domain.rectification import MeasureFlag
from desktop.services import rect_excel as rx
from desktop.services import rectification as rect

from ..conflicts import run_guarded
from ..dialogs.trash import recycle_dialog
from ..errors import error_text
from ..rights import writes_shared
from .common import default_dir, run_export
from .editors import CampaignDialog, CategoryDialog, ProblemDialog
from .import_dialog import ImportDialog
from .measures import CloseDialog, MeasureDialog, ProgressDialog


class RectActions:
    """Commands of the 整改清单 page (mixed into RectificationPage)."""

    # ------------------------------------------------------------------ actions
    def _run(self, fn, *args, version: int | None = None, delete: bool = False) -> bool:
        """Run a service command on the shown record; ``version``: as shown (someone else's change
        meanwhile is asked about; a delete of it is refused)."""
        ledger = self.ctx.ledger
        try:
            return run_guarded(self, lambda v: fn(ledger, *args, version=v) if v is not None else fn(ledger, *args),
                               version, refresh=self.reload, delete=delete)
        except Exception as exc:  # noqa: BLE001 - validation and file errors are shown, nothing was written
            QMessageBox.warning(self, "整改清单", error_text(exc))
            return False

    def _branches(self) -> list[tuple[str, str]]:
        from desktop.services.organization import list_branches

        return [(b.id, b.name) for b in list_branches(self.ctx.ledger)]

    def new_campaign(self) -> None:
        if self.ctx.ledger is None:
            return
        dlg = CampaignDialog(self.ctx.ledger, self._branches(), None, self)
        if dlg.exec() and dlg.saved_id:
            self.reload()
            combo = self.w(QComboBox, "campaignCombo")
            combo.setCurrentIndex(combo.findData(dlg.saved_id))

    def edit_campaign(self) -> None:
        if self.tree is not None:
            CampaignDialog(self.ctx.ledger, self._branches(), self.tree.campaign, self).exec()

    def delete_campaign(self) -> None:
        if self.tree is None:
            return
        answer = QMessageBox.question(self, "删除活动", f"删除“{self.tree.campaign.name}”及其全部整改内容？\n删除后可在“回收站”恢复。")
        if answer == QMessageBox.StandardButton.Yes:
            self._run(rect.delete_campaign, self.tree.campaign.id, version=self.tree.campaign.version, delete=True)

    def _problem_for_new_measure(self) -> str | None:
        node = self.selected_node()
        if isinstance(node, rect.MeasureNode):
            return node.problem_id
        if isinstance(node, rect.ProblemNode):
            return node.id
        if isinstance(node, rect.CategoryNode) and node.problems:
            return node.problems[-1].id
        return None

    def add_category(self) -> None:
        dlg = CategoryDialog(self.ctx.ledger, self.tree.campaign.id, None, self)
        if dlg.exec() and dlg.saved_id:
            self.select(dlg.saved_id)

    def add_problem(self) -> None:
        if not self.tree.categories:
            QMessageBox.information(self, "新增问题", "请先新增类别（如“理论学习”）。")
            return self.add_category()
        node = self.selected_node()
        cat = node.id if isinstance(node, rect.CategoryNode) else getattr(node, "category_id", None)
        if isinstance(node, rect.MeasureNode):
            cat = next(p.category_id for _c, p in self.tree.problems() if p.id == node.problem_id)
        dlg = ProblemDialog(self.ctx.ledger, self.tree, cat, None, self)
        if dlg.exec() and dlg.saved_id:
            self.select(dlg.saved_id)

    def add_measure(self) -> None:
        if not self.tree.problems():
            QMessageBox.information(self, "新增整改措施", "请先新增问题。")
            return
        dlg = MeasureDialog(self.ctx.ledger, self.tree, self._problem_for_new_measure(), None, self)
        if dlg.exec() and dlg.saved_id:
            self.select(dlg.saved_id)

    @writes_shared
    def edit_selected(self) -> None:
        node = self.selected_node()
        if isinstance(node, rect.CategoryNode):
            CategoryDialog(self.ctx.ledger, self.tree.campaign.id, node, self).exec()
        elif isinstance(node, rect.ProblemNode):
            ProblemDialog(self.ctx.ledger, self.tree, node.category_id, node, self).exec()
        elif isinstance(node, rect.MeasureNode):
            MeasureDialog(self.ctx.ledger, self.tree, node.problem_id, node.id, self).exec()

    def move_selected(self, delta: int) -> None:
        node = self.selected_node()
        if node is not None:
            self._run(rect.move, _kind(node), node.id, delta)

    @writes_shared
    def delete_selected(self) -> None:
        node = self.selected_node()
        if node is None:
            return
        what = {"category": f"类别“{node.name}”及其下全部问题和措施" if isinstance(node, rect.CategoryNode) else "",
                "problem": "该问题及其全部整改措施", "measure": "该整改措施及其进展"}[_kind(node)]
        answer = QMessageBox.question(self, "删除", f"删除{what}？\n删除后可在“回收站”恢复。")
        if answer == QMessageBox.StandardButton.Yes:
            self._run(rect.delete, _kind(node), node.id, version=node.version, delete=True)

    def open_trash(self) -> None:
        from desktop.services.recycle import RECT_KINDS

        campaign = self.campaign_id()
        kinds = ("campaign", *RECT_KINDS) if campaign else ("campaign",)
        recycle_dialog(self, self.ctx.ledger, kinds, campaign, "回收站（整改清单）").exec()

    def add_progress(self) -> None:
        node = self.selected_node()
        if isinstance(node, rect.MeasureNode):
            ProgressDialog(self.ctx.ledger, node, self).exec()

    def delete_progress(self) -> None:
        rows = self.w(QTableView, "progressView").selectionModel().selectedRows()
        if not rows:
            return
        entry = self.progress_proxy.row_at(rows[0].row())
        answer = QMessageBox.question(self, "删除进展", f"删除 {entry.date.isoformat()} 的进展记录？\n删除后可在“回收站”恢复。")
        if answer == QMessageBox.StandardButton.Yes:
            self._run(rect.delete, "progress", entry.id)

    def close_selected(self) -> None:
        node = self.selected_node()
        if isinstance(node, rect.MeasureNode):
            CloseDialog(self.ctx.ledger, node, self).exec()

    def undo_close(self) -> None:
        node = self.selected_node()
        if isinstance(node, rect.MeasureNode):
            answer = QMessageBox.question(self, "撤销销号", f"撤销措施{node.number}的销号？")
            if answer == QMessageBox.StandardButton.Yes:
                self._run(rect.undo_close, node.id, version=node.version)

    # ------------------------------------------------------------ Excel, print
    def import_excel(self) -> None:
        if self.tree is None:
            return
        dlg = ImportDialog(self.ctx.ledger, self.tree.campaign.id, self.tree.campaign.name, self)
        dlg.browse()
        if dlg.exec() and dlg.imported:
            QMessageBox.information(self, "导入完成", f"已导入：{rect.counts_sentence(*dlg.imported)}。")

    def export_excel(self) -> None:
        if self.tree is None:
            return
        suggested = str(Path(default_dir()) / f"{self.tree.campaign.name}整改清单.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "导出整改清单", suggested, "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        dest = Path(path) if path.lower().endswith(".xlsx") else Path(path + ".xlsx")
        ledger, cid = self.ctx.ledger, self.tree.campaign.id
        self.ctx.tasks.run(
            lambda progress: rx.export_campaign_xlsx(ledger, cid, dest, today=date.today()),
            on_done=lambda p: QMessageBox.information(self, "导出完成", f"已导出到：\n{p}"),
            on_error=lambda exc, _tb: QMessageBox.warning(self, "导出失败", error_text(exc)),
            title="正在导出整改清单", parent=self,
        )

    def print_list(self, fmt: str) -> None:
        if self.tree is not None:
            run_export(self.ctx, self, "rectification", fmt, {"campaign": self.tree.campaign.id}, "打印整改清单")


def _kind(node) -> str:
    return {rect.CategoryNode: "category", rect.ProblemNode: "problem", rect.MeasureNode: "measure"}[type(node)]


def _row(label: str, value: str) -> str:
    return f"<tr><td style='color:#666;padding-right:8px;white-space:nowrap'>{label}</td><td>{value}</td></tr>"


def measure_html(m: rect.MeasureNode) -> str:
    esc = lambda s: html.escape(s).replace("\n", "<br>")  # noqa: E731
    flag = {MeasureFlag.OVERDUE: "<b style='color:#b71c1c'>已逾期</b>",
            MeasureFlag.DUE_SOON: "<b style='color:#8a5a00'>即将到期</b>"}.get(m.flag, "")
    rows = [
        _row("整改措施", esc(m.content)), _row("整改目标", esc(m.target) or "—"),
        _row("责任领导", esc(m.leader) or "—"), _row("责任部门/人", esc(m.owner) or "—"),
        _row("整改类型", str(m.type)),
        _row("整改时限", (m.deadline.isoformat() if m.deadline else "—") + (f"　{flag}" if flag else "")),
        _row("状态", str(m.status) + (f"（{m.closed_on.isoformat()} 销号）" if m.closed_on else "")),
        _row("佐证材料", esc(m.evidence) or "—"),
    ]  # fmt: skip
    return f"<table cellspacing='4'>{''.join(rows)}</table>"


def problem_html(p: rect.ProblemNode) -> str:
    text = html.escape(p.description).replace("\n", "<br>")
    return (f"<table cellspacing='4'>{_row('问题表现', text)}{_row('问题来源', str(p.source))}"
            f"{_row('整改措施', f'{len(p.measures)}项')}</table>")
