"""What the login may do, in one place for every page and the main window.

A read-only login (a server ledger's 机关党委 office: ``ledger.read_only``) sees every page as
everyone else does, but the buttons and actions that would write (新建, 编辑, 删除, 导入, 保存,
合并, 恢复 …) are disabled and say why in their tooltip, instead of failing on save. A file ledger
and a login that may write are unaffected. Each page lists its writing buttons once and calls
:func:`lock` after it has set their states (selection, open ledger).

A branch secretary's login (``ledger.writable_branches``) may change their own branches' records;
another branch's are locked with :data:`OTHER_BRANCH_TIP`, and the committee-wide ones (机关党委
name and unit, 整改清单, 设置, 议题模板, 寄语模板, 新增支部 — the database refuses them to a
secretary) with :data:`COMMITTEE_TIP`: a page lists those buttons in ``committee_buttons``. The owner
(no roles set up) and a file ledger keep everything."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from PySide6.QtCore import QObject

READ_ONLY_TIP = "只读登录：可查看各支部，不能修改"
OTHER_BRANCH_TIP = "其他党支部的记录：可以查看，只有该支部能修改"
COMMITTEE_TIP = "全委共用的记录：只有台账管理员能修改"
_TIPS = (READ_ONLY_TIP, OTHER_BRANCH_TIP, COMMITTEE_TIP)
_SAVED = "zhibuToolTip"  # the item's own tooltip while ours is shown


def read_only(ledger) -> bool:
    """True when ``ledger`` is open by a login that may change nothing."""
    return ledger is not None and bool(getattr(ledger, "read_only", False))


def may_write(ledger, branch_id: str | None) -> bool:
    """True when the login may change a record of branch ``branch_id`` (a secretary: their own)."""
    if ledger is None or read_only(ledger):
        return False
    allowed = getattr(ledger, "writable_branches", None)
    return allowed is None or branch_id in allowed


def committee_locked(ledger) -> bool:
    """True when ``ledger`` is open by a branch secretary's login, who may not change the
    committee-wide records (a read-only login is :func:`read_only`; the owner and a file: False)."""
    return (ledger is not None and not read_only(ledger)
            and getattr(ledger, "writable_branches", None) is not None)


def lock(locked: bool, items: Iterable[QObject], tip: str = READ_ONLY_TIP) -> None:
    """Disable each widget or action of ``items`` with ``tip`` while ``locked``; otherwise leave its
    state to the caller and give back the tooltip it had."""
    for item in items:
        saved = item.property(_SAVED)
        if locked:
            own = item.toolTip()
            if own not in _TIPS:  # its own tooltip, possibly changed since we last locked it
                item.setProperty(_SAVED, own)
            item.setEnabled(False)
            item.setToolTip(tip)
            if hasattr(item, "setStatusTip"):  # a menu action: the status bar says it too
                item.setStatusTip(tip)
        elif saved is not None:
            item.setToolTip(saved)
            item.setProperty(_SAVED, None)
            if hasattr(item, "setStatusTip") and item.statusTip() in _TIPS:
                item.setStatusTip("")


def writes(method):
    """Mark a page's method that changes records: for a read-only login it does nothing (its button
    is disabled; this covers the double clicks, keys and links that reach it another way)."""

    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        if self.ctx.read_only:
            return None
        return method(self, *args, **kwargs)

    return guarded


def writes_shared(method):
    """Mark a page's method that changes a committee-wide record: for a read-only login or a
    secretary's it does nothing (its button is disabled; this covers double clicks and keys)."""

    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        if self.ctx.read_only or committee_locked(self.ctx.ledger):
            return None
        return method(self, *args, **kwargs)

    return guarded
