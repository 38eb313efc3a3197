"""文件 › 另存副本… with a server ledger open: the whole ledger, or one branch to carry, as a new
``.zhibu`` file (desktop.services.server_transfer.pull, the same as ``zhibu pull``).

The file keeps the records' ids and change history, so after it was carried and edited offline
文件 › 合并另一份台账… (or ``zhibu push``) brings it back into the server record by record.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from desktop import FILE_SUFFIX

from ..errors import show_error
from ..filedialogs import FILE_FILTER

WHOLE = "整个台账（所有党支部）"


def choose_scope(window, branches: list[str]) -> str | None:
    """Which part of the server ledger: WHOLE or a branch name; None when cancelled."""
    dialog = QInputDialog(window)
    dialog.setObjectName("serverCopyScope")
    dialog.setWindowTitle("另存副本")
    dialog.setLabelText("把服务器上的台账另存为文件。\n取出一个党支部可以带到别处修改，改完用“文件 › 合并另一份台账…”"
                        "合并回服务器。\n\n另存哪些内容：")  # fmt: skip
    dialog.setComboBoxItems([WHOLE, *branches])
    dialog.setComboBoxEditable(False)
    dialog.setOkButtonText("下一步")
    dialog.setCancelButtonText("取消")
    if not dialog.exec():
        return None
    return dialog.textValue()


def save_server_copy(window, ctx) -> None:
    from desktop.services.organization import list_branches

    ledger = ctx.ledger
    scope = choose_scope(window, [b.name for b in list_branches(ledger)])
    if scope is None:
        return
    branch = None if scope == WHOLE else scope
    stem = f"{ledger.path.name}-{branch or '全部'}-{date.today():%Y%m%d}"
    start = Path(window._start_dir())
    name, _ = QFileDialog.getSaveFileName(window, "另存副本", str(start / f"{stem}{FILE_SUFFIX}"), FILE_FILTER)
    if not name:
        return
    dest = Path(name) if name.lower().endswith(FILE_SUFFIX) else Path(name + FILE_SUFFIX)
    if dest.exists():
        QMessageBox.warning(window, "另存副本", f"文件已存在：{dest}\n不会覆盖已有文件，请换一个文件名。")
        return
    from desktop.services.server_transfer import pull

    def work(progress):
        progress(0, 0, f"正在从服务器取出{branch or '整个台账'} …")
        return pull(ledger, dest, branch)

    def done(result) -> None:
        what = branch or "整个台账"
        QMessageBox.information(window, "另存副本", f"已把{what}另存为文件（{sum(result.counts.values())} 条记录，含修改历史）：\n"
                                                  f"{result.path}\n\n带到别处修改后，用“文件 › 合并另一份台账…”合并回服务器。")  # fmt: skip

    ctx.tasks.run(work, title="正在另存副本", parent=window, cancellable=False, on_done=done,
                  on_error=lambda exc, tb: show_error(window, exc, tb, action="saving a copy"))  # fmt: skip
