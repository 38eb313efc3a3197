"""Working out a merge: what each side changed since their common ancestor, and the conflicts.

Both files are open on ONE connection: the output working copy (a copy of MINE) as ``main`` and
THEIRS attached as ``t``. The history (:mod:`desktop.store.models.history`) tells shared changes
from one side's own: a change set whose ``uid`` is in both files is shared history; the others
are *unshared* — made on that side since the copies diverged. For every record that differs:

- a field changed (unshared) on one side only → that side's value, silently (not a decision);
- changed on both sides → conflict 同一字段两边都修改了 (default: the later change);
- different but changed on neither side (edits made before the history existed) → conflict;
- deleted on one side while the record (or a record inside it: a speech of a deleted meeting)
  was edited or added on the other → conflict 一边修改、一边删除 (default: keep, with the edit);
- a record only THEIRS has → added, except: the same person (same 身份证号, or same name and
  入党日期) as a member here → conflict 同一人重复添加 (default: one person); the same
  meeting number in a branch, kind and year → conflict 会议编号重复 (default: renumber theirs);
  the same unique key (a setting, an agenda template, one attendance row per meeting and member)
  with other values → conflict 两边都添加了 (default: keep mine).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field

from desktop.store.history import raw_text

from ..ledger_format import TABLES
from .labels import field_label, record_label, show_field, show_value, table_label

SKIP = ("id", "version", "modified_at")
MINE, THEIRS = "mine", "theirs"

# conflict kinds
SAME_FIELD = "同一字段两边都修改了"
NO_HISTORY = "两边不同但没有修改记录"
DELETE_EDIT = "一边修改、一边删除"
SAME_PERSON = "同一人重复添加"
MEETING_NUMBER = "会议编号重复"
BOTH_ADDED = "两边都添加了"

# member references re-pointed when two members are one person; periods are dropped instead
PERSON_REFS = (("attendance", "member_id"), ("celebrant", "member_id"))
PERSON_PERIODS = (("membership", "member_id"), ("post_holding", "member_id"))


@dataclass
class Conflict:
    key: str  # stable within one merge: "table:record:what"
    kind: str
    table: str
    record_id: str
    label: str
    rows: list[tuple[str, str, str]]  # (field label, mine, theirs): shown side by side
    options: list[tuple[str, str]]  # (code, Chinese label)
    default: str
    choice: str | None = None
    other_id: str | None = None  # the matching record here (same person, same number, same key)
    fields: list[str] = field(default_factory=list)  # SAME_FIELD / NO_HISTORY: the field
    deleted_by: str = ""  # DELETE_EDIT: the side that deleted
    children: list[tuple[str, str, str]] = field(default_factory=list)  # DELETE_EDIT: (table, id, side) inside

    @property
    def decided(self) -> str:
        return self.choice or self.default

    def option_label(self, code: str | None = None) -> str:
        code = code or self.decided
        return next((text for c, text in self.options if c == code), code)


@dataclass
class Change:
    table: str
    record_id: str
    label: str
    field: str
    mine: str | None
    theirs: str | None
    shown: tuple[str, str] | None = None  # (mine, theirs) as the user reads them (names for references)

    def values(self) -> tuple[str, str]:
        """Before and after, as the report shows them."""
        return self.shown or (show_value(self.field, self.mine), show_value(self.field, self.theirs))


@dataclass
class MergePlan:
    combine: bool = False
    added: list[tuple[str, str, str]] = field(default_factory=list)  # (table, id, label) from theirs
    changed: list[Change] = field(default_factory=list)  # fields taken from theirs (one side only)
    deleted: list[tuple[str, str, str]] = field(default_factory=list)  # deleted on their side
    conflicts: list[Conflict] = field(default_factory=list)
    # internals for apply
    columns: dict[str, list[str]] = field(default_factory=dict)
    theirs_rows: dict[str, dict[str, dict]] = field(default_factory=dict)  # table → id → row (differing/new)
    mine_rows: dict[str, dict[str, dict]] = field(default_factory=dict)
    take: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))  # (table,id) → fields
    unshared: dict[str, dict[tuple[str, str], list]] = field(default_factory=dict)  # side → (rid, field) → changes
    committee_map: dict[str, str] = field(default_factory=dict)  # combine: their committee → ours
    onto_server: bool = False  # MINE is a server's snapshot (desktop.services.merge.onserver): see apply

    def conflict(self, key: str) -> Conflict | None:
        return next((c for c in self.conflicts if c.key == key), None)


def same(a: object, b: object) -> bool:
    """Two stored values are the same history text (equal values: no conversion needed)."""
    return a == b or raw_text(a) == raw_text(b)


def _columns(db: sqlite3.Connection) -> dict[str, list[str]]:
    out = {}
    for name, spec in TABLES.items():
        have = {r[1] for r in db.execute(f'PRAGMA main.table_info("{name}")')}
        out[name] = [c.name for c in spec.columns if c.name in have]
    return out


def _q(cols: list[str]) -> str:
    return ", ".join(f'"{c}"' for c in cols)


def _fetch(db: sqlite3.Connection, schema: str, table: str, cols: list[str], ids: list[str]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        sql = f'SELECT {_q(cols)} FROM {schema}."{table}" WHERE id IN ({",".join("?" * len(chunk))})'
        for row in db.execute(sql, chunk):
            item = dict(zip(cols, row, strict=True))
            out[item["id"]] = item
    return out


def _unshared(db: sqlite3.Connection, side: str, other: str) -> dict[tuple[str, str], list]:
    """(record, field) → [(old, new, at)] of the change sets ``side`` has and ``other`` has not.

    The few unshared sets first (by their unique uid), then ONE pass over ``change`` picking their
    rows by ``set_id`` (the table's key starts with the record, so any way of finding a set's rows
    reads the table once; joining every row to its set was eight times slower)."""
    out: dict[tuple[str, str], list] = defaultdict(list)
    sets = dict(db.execute(f"SELECT id, at FROM {side}.change_set WHERE uid NOT IN (SELECT uid FROM {other}.change_set)"))
    if not sets:
        return out
    db.execute("CREATE TEMP TABLE IF NOT EXISTS merge_sets (id INTEGER PRIMARY KEY)")
    db.execute("DELETE FROM temp.merge_sets")
    db.executemany("INSERT INTO temp.merge_sets VALUES (?)", ((i,) for i in sets))
    rows = db.execute(
        f'SELECT set_id, record_id, field, "old", "new" FROM {side}.change WHERE set_id IN (SELECT id FROM temp.merge_sets)'
    ).fetchall()
    db.execute("DELETE FROM temp.merge_sets")
    rows.sort(key=lambda r: r[0])  # in the order the side made them
    for set_id, rid, fld, old, new in rows:
        out[(rid, fld)].append((old, new, sets[set_id]))
    return out


def _differing(db: sqlite3.Connection, table: str, data: list[str]) -> list[str]:
    """Ids of THEIR rows that are not exactly in ours (new, or some data field differs).

    Copies of one ledger keep each shared record at the same rowid, so each of their rows is
    compared with ours at its rowid (an integer-key lookup; the full ``EXCEPT`` of both tables sorted
    every row and was five times slower). A row whose rowid holds another record here (added on
    both sides, or a file VACUUMed since) is a candidate too: the caller compares candidates field
    by field, so a false candidate costs time, never a wrong result."""
    differs = " OR ".join(f'm."{c}" IS NOT x."{c}"' for c in data)
    sql = (
        f'SELECT x.id FROM t."{table}" x LEFT JOIN main."{table}" m ON m.rowid = x.rowid '
        f"WHERE m.id IS NOT x.id{' OR ' + differs if differs else ''}"
    )
    return [r[0] for r in db.execute(sql)]


def shared_origin(db: sqlite3.Connection) -> bool:
    """Copies of one ledger share a copy id in their history or, for files from before the
    history, the committee record they were created with."""
    if db.execute("SELECT 1 FROM main.ledger_copy WHERE id IN (SELECT id FROM t.ledger_copy) LIMIT 1").fetchone():
        return True
    return bool(db.execute("SELECT 1 FROM main.committee WHERE id IN (SELECT id FROM t.committee) LIMIT 1").fetchone())


def compute(db: sqlite3.Connection, combine: bool = False) -> MergePlan:
    plan = MergePlan(combine=combine, columns=_columns(db))
    um, ut = _unshared(db, "main", "t"), _unshared(db, "t", "main")
    plan.unshared = {MINE: um, THEIRS: ut}
    edited = {MINE: {rid for (rid, f) in um if f != "deleted_at"}, THEIRS: {rid for (rid, f) in ut if f != "deleted_at"}}
    deleted_by: dict[str, tuple[str, str]] = {}  # rid → (side that deleted, table)
    parents: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # parent rid → [(table, rid, side)]

    for table, cols in plan.columns.items():
        data = [c for c in cols if c not in SKIP]
        ids = _differing(db, table, data)
        if not ids:
            continue
        theirs = _fetch(db, "t", table, cols, ids)
        mine = _fetch(db, "main", table, cols, ids)
        plan.theirs_rows[table], plan.mine_rows[table] = theirs, mine
        refs = [c.name for c in TABLES[table].columns if c.references and c.name in cols]
        for rid, trow in theirs.items():
            mrow = mine.get(rid)
            if mrow is None:
                _added(db, plan, table, trow)
                for ref in refs:
                    if trow[ref]:
                        parents[trow[ref]].append((table, rid, THEIRS))
                continue
            _differs(db, plan, table, data, mrow, trow, deleted_by)
        # records edited on one side whose parent the other side deleted (checked after all tables)
        for rid in ids:
            for side in (MINE, THEIRS):
                if rid in edited[side] and rid in mine:
                    row = theirs[rid] if side == THEIRS else mine[rid]
                    for ref in refs:
                        if row[ref]:
                            parents[row[ref]].append((table, rid, side))
    _delete_edit(db, plan, edited, deleted_by, parents)
    return plan


def _differs(db, plan: MergePlan, table: str, data: list[str], mrow: dict, trow: dict, deleted_by: dict) -> None:
    rid = mrow["id"]
    um, ut = plan.unshared[MINE], plan.unshared[THEIRS]
    for f in data:
        if same(mrow[f], trow[f]):
            continue
        a, b = raw_text(mrow[f]), raw_text(trow[f])
        cm, ct = um.get((rid, f)), ut.get((rid, f))
        if f == "deleted_at" and a is not None and b is not None:
            continue  # deleted on both sides: keep ours
        if ct and not cm:
            plan.take[(table, rid)].add(f)
            if f == "deleted_at" and b is not None:
                deleted_by[rid] = (THEIRS, table)
        elif cm and not ct:
            if f == "deleted_at" and a is not None:
                deleted_by[rid] = (MINE, table)
        else:
            later = THEIRS if ct and cm and ct[-1][2] > cm[-1][2] else MINE
            plan.conflicts.append(Conflict(
                f"{table}:{rid}:{f}", SAME_FIELD if (cm and ct) else NO_HISTORY, table, rid,
                record_label(db, "main", table, rid), [(field_label(f, table), show_field(db, table, f, a), show_field(db, table, f, b))],
                [(MINE, "保留本方"), (THEIRS, "采用对方")], later, fields=[f],
            ))  # fmt: skip


def _added(db, plan: MergePlan, table: str, trow: dict) -> None:
    rid = trow["id"]
    label = record_label(db, "t", table, rid)
    if table == "committee" and plan.combine:
        ours = db.execute("SELECT id FROM main.committee WHERE deleted_at IS NULL ORDER BY id LIMIT 1").fetchone()
        if ours:
            plan.committee_map[rid] = ours[0]
    if table == "member" and trow["deleted_at"] is None:
        same = None
        if trow["id_number"]:
            same = db.execute(
                "SELECT id FROM main.member WHERE deleted_at IS NULL AND id_number = ? LIMIT 1", (trow["id_number"],)
            ).fetchone()
        if same is None and trow["join_date"]:
            same = db.execute(
                "SELECT id FROM main.member WHERE deleted_at IS NULL AND name = ? AND join_date = ? LIMIT 1",
                (trow["name"], trow["join_date"]),
            ).fetchone()
        if same:
            mine = db.execute("SELECT name, id_number, join_date, branch_id FROM main.member WHERE id = ?", same).fetchone()
            branch = lambda s, b: (db.execute(f"SELECT name FROM {s}.branch WHERE id = ?", (b,)).fetchone() or ("",))[0]  # noqa: E731
            plan.conflicts.append(Conflict(
                f"member:{rid}:person", SAME_PERSON, table, rid, f"党员 {trow['name']}",
                [("姓名", mine[0], trow["name"]), ("身份证号", mine[1] or "（空）", trow["id_number"] or "（空）"),
                 ("入党日期", mine[2] or "（空）", trow["join_date"] or "（空）"),
                 ("所在支部", branch("main", mine[3]), branch("t", trow["branch_id"]))],
                [("same", "是同一人（保留本方信息，对方的出席等记录归到本方）"), ("both", "不是同一人（两人都保留）")],
                "same", other_id=same[0],
            ))  # fmt: skip
    if table == "meeting" and trow["deleted_at"] is None:
        same = db.execute(
            "SELECT id, title, date FROM main.meeting WHERE deleted_at IS NULL AND branch_id = ? AND group_id IS ? "
            "AND kind = ? AND number = ? AND substr(date, 1, 4) = ? AND id != ?",
            (trow["branch_id"], trow["group_id"], trow["kind"], trow["number"], trow["date"][:4], rid),
        ).fetchone()
        if same:
            plan.conflicts.append(Conflict(
                f"meeting:{rid}:number", MEETING_NUMBER, table, rid, label,
                [("会议", f"{same[1]}（{same[2]}）", f"{trow['title']}（{trow['date']}）"),
                 ("编号", f"第{trow['number']}次", f"第{trow['number']}次")],
                [("renumber_theirs", "对方的会议改用下一个编号"), ("renumber_mine", "本方的会议改用下一个编号")],
                "renumber_theirs", other_id=same[0],
            ))  # fmt: skip
    for key in TABLES[table].unique:
        values = [trow[c] for c in key]
        if any(v is None for v in values):
            continue
        where = " AND ".join(f'"{c}" = ?' for c in key)
        cols = [c for c in plan.columns[table] if c not in SKIP]
        found = db.execute(f'SELECT {_q(["id", *cols])} FROM main."{table}" WHERE {where}', values).fetchone()
        if found:
            mine = dict(zip(["id", *cols], found, strict=True))
            diff = [c for c in cols if c not in key and raw_text(mine[c]) != raw_text(trow[c])]
            plan.conflicts.append(Conflict(
                f"{table}:{rid}:key", BOTH_ADDED, table, rid, label,
                [(field_label(c, table), show_field(db, table, c, raw_text(mine[c])), show_field(db, table, c, raw_text(trow[c])))
                 for c in diff],
                [(MINE, "保留本方"), (THEIRS, "采用对方")], MINE, other_id=mine["id"], fields=diff,
            ))  # fmt: skip
            return
    plan.added.append((table, rid, label))


def _delete_edit(db, plan: MergePlan, edited: dict, deleted_by: dict, parents: dict) -> None:
    """A record deleted on one side and edited on the other, itself or inside it."""
    for rid, (side, table) in deleted_by.items():
        other = THEIRS if side == MINE else MINE
        edits = []
        if rid in edited[other]:
            fields = sorted({f for (r, f) in plan.unshared[other] if r == rid and f != "deleted_at"})
            edits.append(("本记录", "、".join(field_label(f, table) for f in fields)))
        inside: dict[str, int] = defaultdict(int)
        children = [c for c in parents.get(rid, []) if c[2] == other]
        if side == THEIRS:  # records added here inside what they deleted
            children += _added_inside(db, table, rid)
        for ctable, _crid, _side in children:
            inside[ctable] += 1
        edits += [(table_label(t), f"{n} 条修改或新增") for t, n in inside.items()]
        if not edits:
            continue
        who = "本方删除、对方修改" if side == MINE else "对方删除、本方修改"
        plan.conflicts.append(Conflict(
            f"{table}:{rid}:deleted", DELETE_EDIT, table, rid, record_label(db, "main", table, rid),
            [("删除", "已删除" if side == MINE else "保留", "已删除" if side == THEIRS else "保留")]
            + [(f"{who}：{what}", how if other == MINE else "", how if other == THEIRS else "") for what, how in edits],
            [("keep", "保留这条记录和修改"), ("delete", "删除（放弃修改）")], "keep",
            deleted_by=side, children=children,
        ))  # fmt: skip
        if side == THEIRS:
            plan.take[(table, rid)].discard("deleted_at")  # decided by the conflict


def _added_inside(db, table: str, rid: str) -> list[tuple[str, str, str]]:
    """Records only this side has (added here) that point at ``table`` record ``rid``."""
    out = []
    for child, spec in TABLES.items():
        for col in spec.columns:
            if col.references == table:
                sql = (f'SELECT id FROM main."{child}" WHERE "{col.name}" = ? AND deleted_at IS NULL '
                       f'AND id NOT IN (SELECT id FROM t."{child}")')  # fmt: skip
                out += [(child, r[0], MINE) for r in db.execute(sql, (rid,))]
    return out
