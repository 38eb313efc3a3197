"""文件 › 合并另一份台账…: merge another copy of the ledger into a new file.

The open ledger is MINE; the user picks THEIRS and where the result goes. The plan is worked
out in the background (backups of both files first); the conflicts are shown side by side with
the suggested choice preselected; 合并 writes the checked result, shows the report (printable
as PDF or Word) and offers to open the result. A file that is not a copy of this ledger is
refused unless the user chooses to combine the two into one committee ledger.

With a server ledger open the user picks only the file: it is merged into the server
(desktop.services.merge.onserver: the server is 本方, shown as 服务器; the file 对方, shown as 文件),
written in one transaction after a pg_dump backup; the report has no result file to open.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)  # fmt: skip

from desktop import FILE_SUFFIX
from desktop.services.merge.report import server_words

from ..errors import show_error
from ..filedialogs import FILE_FILTER
from ..formdialog import FormDialog

COLUMNS = ("冲突", "记录", "内容", "本方", "对方", "选择")
SERVER_COLUMNS = ("冲突", "记录", "内容", "服务器", "文件", "选择")


class MergeDialog(FormDialog):
    form_name = "merge"

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        plan = session.plan
        taken = sum(len(f) for f in plan.take.values())
        server = getattr(session, "server", False)  # a file into the server ledger (merge.onserver)
        into = f"服务器上的台账（{session.ledger.host_label} 的数据库 {session.ledger.path.name}）" if server else session.mine.name
        them = "文件" if server else "对方"
        self.w(QLabel, "summaryLabel").setText(
            f"把 {session.theirs.name} 合并到{' ' if not server else ''}{into}：{them}新增 {len(plan.added)} 条记录、"
            f"只在{them}修改的 {taken} 处内容将自动采用；{len(plan.conflicts)} 处冲突需要选择。"
            + ("（支部台账并入党委台账）" if plan.combine else ""))  # fmt: skip
        self.w(QLabel, "outLabel").setText(
            "合并结果直接写入服务器（一个事务：全部写入或全部不写）；写入前用 pg_dump 备份服务器上的数据库。"
            "冲突中“服务器”一列是服务器上现在的内容，“文件”一列是文件里的内容。" if server
            else f"合并结果将保存为新文件：{session.out}")  # fmt: skip
        self.w(QLabel, "outLabel").setWordWrap(True)
        if server:
            self.w(QLabel, "hintLabel").setText(
                "只在一边修改的内容已自动采用。下面每一处冲突服务器和文件都改过，请逐条选择（已预选建议的做法）。"
                "文件不会被修改。")  # fmt: skip
        table = self.table = self.w(QTableWidget, "conflictTable")
        table.setColumnCount(len(COLUMNS))
        table.setHorizontalHeaderLabels(list(SERVER_COLUMNS if server else COLUMNS))
        table.setRowCount(len(plan.conflicts))
        self.combos: list[QComboBox] = []
        for row, c in enumerate(plan.conflicts):
            cells = (c.kind, c.label, "\n".join(r[0] for r in c.rows), "\n".join(r[1] for r in c.rows),
                     "\n".join(r[2] for r in c.rows))  # fmt: skip
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(row, col, item)
            combo = QComboBox()
            for code, text in c.options:
                shown = server_words(text) if server else text
                combo.addItem(shown + ("（建议）" if code == c.default else ""), code)
            combo.setCurrentIndex(next(i for i, (code, _t) in enumerate(c.options) if code == c.decided))
            table.setCellWidget(row, len(COLUMNS) - 1, combo)
            self.combos.append(combo)
        header = table.horizontalHeader()
        for col in range(len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch if col in (1, 3, 4)
                                        else QHeaderView.ResizeMode.ResizeToContents)  # fmt: skip
        table.resizeRowsToContents()
        table.verticalHeader().setVisible(False)
        if not plan.conflicts:
            table.hide()
        self.wire_buttons(QDialogButtonBox.StandardButton.Ok, "合并")

    def save(self) -> None:
        for c, combo in zip(self.session.plan.conflicts, self.combos, strict=True):
            self.session.decide(c.key, combo.currentData())
        self.dialog.accept()


class MergeReportDialog(FormDialog):
    form_name = "merge_report"

    def __init__(self, result, parent: QWidget | None = None, open_result=None):
        super().__init__(parent)
        from desktop.services.merge.report import report_lines

        self.result = result
        a = result.applied
        ok = result.check.ok
        into = "服务器上的台账" if result.on_server else result.out.name
        self.w(QLabel, "summaryLabel").setText(
            ("✔ " if ok else "✘ ") + f"已合并到 {into}：新增 {len(a.added)} 条，修改 {len(a.changed)} 处，"
            f"删除 {len(a.deleted)} 条，冲突 {len(result.plan.conflicts)} 处"
            + ("，结果检查通过。" if ok else f"，结果检查发现 {len(result.check.problems)} 个问题。"))  # fmt: skip
        self.w(QPlainTextEdit, "reportText").setPlainText("\n".join(report_lines(result)))
        self.w(QPushButton, "savePdfButton").clicked.connect(lambda: self.save_report(".pdf"))
        self.w(QPushButton, "saveDocxButton").clicked.connect(lambda: self.save_report(".docx"))
        self.w(QPushButton, "closeButton").clicked.connect(self.dialog.reject)
        button = self.w(QPushButton, "openButton")
        button.setVisible(open_result is not None)
        if open_result is not None:
            button.clicked.connect(lambda: (self.dialog.accept(), open_result(result.out)))

    def save_report(self, suffix: str) -> Path | None:
        from desktop.services.merge.printing import write_report

        r = self.result
        default = (r.theirs.with_name(f"{r.theirs.stem}-合并到服务器-报告{suffix}") if r.on_server
                   else r.out.with_name(f"{r.out.stem}-合并报告{suffix}"))  # fmt: skip
        name, _ = QFileDialog.getSaveFileName(self.dialog, "保存合并报告", str(default), f"*{suffix}")
        if not name:
            return None
        dest = Path(name) if name.lower().endswith(suffix) else Path(name + suffix)
        try:
            written = write_report(self.result, dest)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self.dialog, exc, "", action="saving the merge report")
            return None
        QMessageBox.information(self.dialog, "合并报告", f"报告已保存：\n{written}")
        return written


def start_merge(window, ctx) -> None:
    """The menu action: pick the other copy and the result file, then prepare in the background."""
    ledger = ctx.ledger
    if ledger is None:
        QMessageBox.information(window, "合并另一份台账", "请先打开本方的台账，再选择要合并进来的另一份台账。")
        return
    if getattr(ledger, "is_server", False):
        start = window._start_dir() if hasattr(window, "_start_dir") else ""
        name, _ = QFileDialog.getOpenFileName(window, "选择要合并到服务器上的台账文件", start, FILE_FILTER)
        if name:
            merge_into_server(window, ctx, Path(name))
        return
    name, _ = QFileDialog.getOpenFileName(window, "选择要合并进来的另一份台账", str(ledger.path.parent), FILE_FILTER)
    if not name:
        return
    default = ledger.path.with_name(f"{ledger.path.stem}-合并-{date.today():%Y%m%d}{FILE_SUFFIX}")
    out, _ = QFileDialog.getSaveFileName(window, "合并结果保存为（新文件）", str(default), FILE_FILTER)
    if not out:
        return
    out_path = Path(out) if out.lower().endswith(FILE_SUFFIX) else Path(out + FILE_SUFFIX)
    prepare_and_show(window, ctx, ledger.path, Path(name), out_path)


def merge_working_copy(window, ledger, origin: Path) -> bool:
    """The working copy's original changed elsewhere (desktop.ui.workcopy's conflict box, 合并…):
    merge ours (the local working copy) with the changed original into a new file beside it.
    The original is never overwritten (returns False); the report offers to open the result."""
    stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
    out = origin.with_name(f"{origin.stem}-合并-{stamp}{FILE_SUFFIX}")
    prepare_and_show(window, window.ctx, Path(ledger.path), Path(origin), out)
    return False


def merge_into_server(window, ctx, file: Path) -> None:
    """A carried file back into the open server ledger (desktop.services.merge.onserver)."""
    from desktop.services.merge.onserver import prepare_push

    ledger = ctx.ledger
    _prepare(window, ctx, lambda combine: prepare_push(file, ledger, combine=combine),
             "正在读取服务器上的台账并比较修改记录 …", server=True)  # fmt: skip


def prepare_and_show(window, ctx, mine: Path, theirs: Path, out: Path, combine: bool = False) -> None:
    from desktop.services.merge import prepare

    _prepare(window, ctx, lambda both: prepare(mine, theirs, out, combine=both), "正在备份两份台账并比较修改记录 …",
             combine)  # fmt: skip


def _prepare(window, ctx, make, doing: str, combine: bool = False, server: bool = False) -> None:
    from desktop.services.merge import MergeRefused

    def work(progress):
        progress(0, 0, doing)
        return make(combine)

    def failed(exc, tb):
        if isinstance(exc, MergeRefused):
            if "不是同一份台账的副本" in exc.message and not combine:
                ask = ("要把这个文件的党支部并入服务器上的党委台账吗？（文件里的党委并入服务器上的党委，" if server
                       else "要把两个支部各自的台账合成一个党委台账吗？（对方的党委并入本方，")  # fmt: skip
                answer = QMessageBox.question(window, "合并另一份台账", f"{exc.message}\n\n{ask}重复的党员会逐一列出供选择）")
                if answer == QMessageBox.StandardButton.Yes:
                    _prepare(window, ctx, make, doing, combine=True, server=server)
                return
            QMessageBox.warning(window, "合并另一份台账", exc.message)
            return
        show_error(window, exc, tb, action="merging")

    ctx.tasks.run(work, title="正在准备合并", parent=window, cancellable=False,
                  on_done=lambda session: decide_and_finish(window, ctx, session), on_error=failed)  # fmt: skip


def decide_and_finish(window, ctx, session) -> None:
    dialog = MergeDialog(session, window)
    if not dialog.exec():
        session.cancel()
        return

    def work(progress):
        progress(0, 0, "正在合并并检查结果 …")
        return session.finish()

    def done(result) -> None:
        opener = None if result.on_server else getattr(window, "open_path", None)  # a server: already open
        MergeReportDialog(result, window, open_result=opener).exec()

    def failed(exc, tb):
        from desktop.services.merge import MergeRefused

        if isinstance(exc, MergeRefused):
            QMessageBox.warning(window, "合并另一份台账", exc.message)
        else:
            show_error(window, exc, tb, action="merging")

    ctx.tasks.run(work, title="正在合并", parent=window, cancellable=False, on_done=done, on_error=failed)
