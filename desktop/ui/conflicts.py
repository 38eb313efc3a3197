"""「该记录已被 <谁> 于 <时间> 修改」: the one question every editor asks when its save would
overwrite someone else's (a :class:`~desktop.domain.errors.RecordConflict` from the services), and
the same rule for the pages' quick actions (改名, 离任, 撤销销号, 删除 …).

- 重新载入: drop ours, show what they saved (the editor says so);
- 另存为新版本: save ours on top of theirs (theirs stays in 修改历史);
- 取消: nothing is written, the editor stays open with the user's edits.

A delete of a record changed since it was shown is refused with the same sentence: deleting what one
has not seen is never silent; the page shows their version and the user may delete again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.domain.errors import RecordConflict

from .questions import Role, ask

TITLE = "记录已被他人修改"
GONE_TITLE = "记录已被删除"


def gone_text(exc: LookupError) -> str:
    """A LookupError's message (「…不存在或已删除」) without the quotes ``str(KeyError)`` adds."""
    return str(exc).strip("'\"")


def when_text(exc: RecordConflict) -> str:
    return exc.when.strftime("%Y-%m-%d %H:%M") if exc.when is not None else "刚才"


def reloaded_text(exc: RecordConflict) -> str:
    """What an editor says after 重新载入."""
    return f"已重新载入 {exc.who} 于 {when_text(exc)} 保存的内容，您的修改未保存。"


def ask_conflict(parent: QWidget | None, exc: RecordConflict) -> str:
    """'reload', 'save_new' or 'cancel' (a function, so tests can answer it)."""
    return ask(parent, TITLE, exc.message, [
        ("reload", "重新载入", Role.AcceptRole), ("save_new", "另存为新版本", Role.DestructiveRole),
        ("cancel", "取消", Role.RejectRole),
    ], icon=QMessageBox.Icon.Warning, informative="重新载入：放弃您的修改，显示对方保存的内容。\n"
                                                   "另存为新版本：保存您的修改，对方保存的内容保留在“修改历史”中。")


def refuse_delete(parent: QWidget | None, exc: RecordConflict) -> None:
    """A delete of a record someone changed since it was shown: not done, and why."""
    QMessageBox.warning(parent, TITLE, f"{exc.message}，未删除。\n列表已显示对方保存的内容，请核对后再决定是否删除。")


def refuse_finalize(parent: QWidget | None, exc: RecordConflict) -> None:
    """定稿 of a meeting someone saved since the pre-check was shown: not done, and why."""
    QMessageBox.warning(parent, TITLE, f"{exc.message}，未定稿。\n已显示对方保存的内容，请核对后再定稿。")


def run_guarded(parent: QWidget | None, call: Callable[[int | None], object], version: int | None, *,
                refresh: Callable[[], None], delete: bool = False) -> bool:
    """Run a page's quick action ``call(version)`` guarded by the version shown. On a conflict a
    delete is refused; anything else asks: 重新载入 refreshes the page, 另存为新版本 runs the action
    again from the version now stored. A record deleted meanwhile (LookupError) is said and the page
    refreshed. Other errors propagate. True when the action was done."""
    try:
        call(version)
        return True
    except RecordConflict as exc:
        conflict = exc
    except LookupError as exc:  # someone else deleted it since it was shown
        QMessageBox.warning(parent, GONE_TITLE, f"{gone_text(exc)}，没有修改。\n列表已刷新。")
        refresh()
        return False
    if delete:
        refuse_delete(parent, conflict)
        refresh()
        return False
    choice = ask_conflict(parent, conflict)
    if choice == "save_new":
        return run_guarded(parent, call, conflict.current_version, refresh=refresh)
    if choice == "reload":
        refresh()
    return False
