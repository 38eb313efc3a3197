"""记录 › 修改历史: one record's change history (desktop.store.history) as plain rows.

Each row: when (local time), what happened (创建 / 修改 / 删除 / 恢复 / 定稿 / 重新编辑 / 合并),
the field with old → new (a reference — 支部, 党小组, 党员, 会议 … — by the name of the record it
points at), which copy of the ledger it was made in (origin and short id) and the record's
version after it. Works for a record of any kind; a record also shows the changes of the records
it owns, under their own names (:data:`CHILDREN`: a meeting's 议题, 发言, 出席 … and its 重新编辑
reasons, a member's 支部关系 and 职务, a problem's 整改措施, a measure's 整改进展 …).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from desktop.store.history import place_database, read_place
from desktop.store.models.history import CREATED

from .ledger_format import TABLES
from .merge.labels import field_label, show_field, show_value, table_label

CHILD_TABLES = ("agenda_item", "speech", "motion", "attendance", "guest", "attachment", "reopening")
# table → (child table, its column pointing at the record): what the history of a record includes
CHILDREN: dict[str, tuple[tuple[str, str], ...]] = {
    "meeting": tuple((t, "meeting_id") for t in CHILD_TABLES),
    "member": (("membership", "member_id"), ("post_holding", "member_id")),
    "campaign": (("rect_category", "campaign_id"),),
    "problem": (("measure", "problem_id"),),
    "measure": (("progress_entry", "measure_id"),),
    "birthday_event": (("celebrant", "event_id"),),
}


@dataclass(frozen=True)
class HistoryRow:
    at: datetime  # local
    event: str
    what: str  # record / field
    old: str
    new: str
    copy: str  # 另存副本 3f2a… (本副本)
    version: int


def _local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).astimezone()


def record_history(ledger, record_id: str) -> list[HistoryRow]:
    with ledger._lock:
        raw = ledger.engine.raw_connection()
        try:
            return _rows(ledger.wrap_dbapi(raw.driver_connection), record_id, getattr(ledger, "database_id", None))
        finally:
            raw.close()


def table_of(db: sqlite3.Connection, rid: str) -> str | None:
    """Which table record ``rid`` lives in (ids are unique across tables)."""
    found = db.execute("SELECT tbl FROM change WHERE record_id = ? LIMIT 1", (rid,)).fetchone()
    if found and found[0] in TABLES:
        return found[0]
    for table in TABLES:  # a record from before the history: look for it
        if db.execute(f'SELECT 1 FROM "{table}" WHERE id = ?', (rid,)).fetchone():
            return table
    return None


def copy_label(copy: str, origin: str | None, place: str | None, here: str | None = None) -> str:
    """Who made a change: a server's database user by name (服务器用户 wangfang; on another database
    than ``here``, the database this ledger is, with its server and name: 服务器用户 wangfang（服务器
    192.168.1.20 的数据库 jiguan）), a file's copy by its short id with the computer and file it was
    on (复制文件 3f2a1b2c（办公室-PC：带走.zhibu）), a merge into a server by whom (合并 … （wangfang
    合并到服务器）)."""
    kind, who, file = read_place(place)
    if kind == "server":
        elsewhere = file and place_database(place) != here
        return f"{origin or '服务器用户'} {who}" + (f"（{file}）" if elsewhere else "")
    base = f"{origin or '副本'} {copy[:8]}"
    if kind == "push":
        return f"{base}（{who} 合并到服务器）"
    if kind == "file" and file:
        return f"{base}（{who}：{file}）"
    return base


def _rows(db: sqlite3.Connection, rid: str, here: str | None = None) -> list[HistoryRow]:
    current = (db.execute("SELECT id FROM ledger_copy WHERE current = TRUE").fetchone() or ("",))[0]
    own = table_of(db, rid)
    ids = {rid: ""}
    for child, column in CHILDREN.get(own or "", ()):
        for (cid,) in db.execute(f'SELECT id FROM "{child}" WHERE "{column}" = ?', (rid,)):
            ids[cid] = child
    reasons = dict(db.execute("SELECT id, reason FROM reopening WHERE meeting_id = ?", (rid,)).fetchall())
    out: list[HistoryRow] = []
    marks = ",".join("?" * len(ids))
    sql = (
        'SELECT c.record_id, c.field, c.tbl, c."old", c."new", c.version, s.at, s.note, s.copy_id, k.origin, k.place '
        "FROM change c JOIN change_set s ON s.id = c.set_id LEFT JOIN ledger_copy k ON k.id = s.copy_id "
        f"WHERE c.record_id IN ({marks}) ORDER BY s.at, s.id, c.field"
    )
    for record, fld, table, old, new, version, at, note, copy, origin, place in db.execute(sql, list(ids)):
        child = ids.get(record, "")
        where = f"{table_label(child)}：" if child else ""
        copy_text = copy_label(copy, origin, place, here) + ("（本副本）" if copy == current else "")
        if child == "reopening" and fld == CREATED:
            event, what, old_t, new_t = "重新编辑", "原因", "", reasons.get(record, "")
        elif fld == CREATED:
            event, what, old_t, new_t = "创建", where.rstrip("：") or "本记录", "", ""
        elif fld == "deleted_at":
            event = "删除" if new else "恢复"
            what, old_t, new_t = where.rstrip("：") or "本记录", "", ""
        elif fld == "state" and not child:
            event = "定稿" if new == "定稿" else "重新编辑" if old == "定稿" else "修改"
            what, old_t, new_t = field_label(fld), show_value(fld, old), show_value(fld, new)
        else:
            event, what = "修改", where + field_label(fld, table)
            old_t, new_t = show_field(db, table, fld, old), show_field(db, table, fld, new)
        if note == "合并":
            event = f"合并（{event}）"
        out.append(HistoryRow(_local(at), event, what, old_t, new_t, copy_text, version))
    return out
