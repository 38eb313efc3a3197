"""Writing a decided :class:`~.plan.MergePlan` into the output working copy (``main``).

One transaction: THEIRS' history joins ours (copies, change sets and changes we do not have);
records only they have are inserted, fields changed on their side only are taken, every conflict
is applied as decided. Whatever the merge itself sets differently from either side (a renumbered
meeting, a duplicate person folded into one, a kept record the other side deleted) is recorded
as the merge's own change set under a new copy id (origin 合并), so merging the same file again
finds nothing to do.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from desktop.store.base import utcnow
from desktop.store.history import PROGRAM, CopyOrigin, mint_copy, raw_text, storage_text

from .labels import record_label, show_field
from .plan import (
    BOTH_ADDED,
    DELETE_EDIT,
    MEETING_NUMBER,
    MINE,
    PERSON_PERIODS,
    PERSON_REFS,
    SAME_PERSON,
    SKIP,
    THEIRS,
    Change,
    MergePlan,
    _q,
    same,
)  # fmt: skip


@dataclass
class Applied:
    added: list[tuple[str, str, str]] = field(default_factory=list)  # (table, id, label)
    changed: list[Change] = field(default_factory=list)
    deleted: list[tuple[str, str, str]] = field(default_factory=list)
    merge_changes: int = 0
    touched: set[tuple[str, str]] = field(default_factory=set)  # (id, field or "+" for new) written: the result's check


def apply(db: sqlite3.Connection, plan: MergePlan) -> Applied:
    now = storage_text(utcnow())
    out = Applied()
    merge_rows: dict[tuple[str, str], list] = {}  # (rid, field) → [table, old, new, version]
    tomb_added: set[str] = set()  # added rows inserted as deleted
    skip_added: set[str] = set()  # added rows not inserted (same key kept as ours)
    override: dict[str, dict[str, object]] = defaultdict(dict)  # rid → field → value set by the merge
    untake: set[tuple[str, str]] = set()  # (rid, field) of theirs not taken after all
    person: dict[str, str] = {}  # their member id → ours (same person)

    for c in plan.conflicts:
        choice = c.decided
        if c.kind in ("同一字段两边都修改了", "两边不同但没有修改记录") and choice == THEIRS:
            plan.take[(c.table, c.record_id)].update(c.fields)
        elif c.kind == BOTH_ADDED:
            skip_added.add(c.record_id)
            if choice == THEIRS:
                trow = plan.theirs_rows[c.table][c.record_id]
                for f in c.fields:
                    override[c.other_id][f] = trow[f]
                plan.mine_rows.setdefault(c.table, {}).setdefault(c.other_id, _row(db, "main", c.table, plan, c.other_id))
        elif c.kind == SAME_PERSON and choice == "same":
            person[c.record_id] = c.other_id
            override[c.record_id]["deleted_at"] = now
        elif c.kind == MEETING_NUMBER:
            target = c.record_id if choice == "renumber_theirs" else c.other_id
            trow = plan.theirs_rows["meeting"][c.record_id]
            override[target]["number"] = _next_number(db, plan, trow)
            if target == c.other_id:
                plan.mine_rows.setdefault("meeting", {}).setdefault(target, _row(db, "main", "meeting", plan, target))
        elif c.kind == DELETE_EDIT:
            if c.deleted_by == MINE and choice == "keep":
                override[c.record_id]["deleted_at"] = None
            elif c.deleted_by == MINE:  # deleted here: their edits inside are dropped
                untake.update((c.record_id, f) for f in plan.take.get((c.table, c.record_id), ()) if f != "deleted_at")
                for ctable, crid, _side in c.children:
                    if crid in plan.mine_rows.get(ctable, {}):
                        untake.update((crid, f) for f in plan.take.get((ctable, crid), ()))
                    else:
                        tomb_added.add(crid)
            elif choice == "delete":  # deleted there: take the deletion, and of what we changed inside
                plan.take[(c.table, c.record_id)].add("deleted_at")
                for _ctable, crid, _side in c.children:
                    override[crid]["deleted_at"] = plan.theirs_rows[c.table][c.record_id]["deleted_at"]
                    plan.mine_rows.setdefault(_ctable, {}).setdefault(crid, _row(db, "main", _ctable, plan, crid))

    db.execute("BEGIN IMMEDIATE")
    try:
        _join_history(db)
        for table, cols in plan.columns.items():
            data = [c for c in cols if c not in SKIP]
            theirs = plan.theirs_rows.get(table, {})
            mine = plan.mine_rows.get(table, {})
            # records only they have
            inserts = []
            for rid, trow in theirs.items():
                if rid in mine or rid in skip_added:
                    continue
                row = dict(trow)
                changes = dict(override.get(rid, {}))
                if rid in tomb_added:
                    changes["deleted_at"] = now
                if table == "branch" and row.get("committee_id") in plan.committee_map:
                    changes["committee_id"] = plan.committee_map[row["committee_id"]]
                if table == "committee" and rid in plan.committee_map:
                    changes["deleted_at"] = now
                if (table, "member_id") in PERSON_PERIODS and row["member_id"] in person:
                    # their periods of the person join ours unless they overlap one of ours
                    ours = person[row["member_id"]]
                    overlap = table == "membership" and db.execute(
                        "SELECT 1 FROM main.membership WHERE member_id = ? AND deleted_at IS NULL "
                        "AND start_date <= coalesce(?, '9999-12-31') AND coalesce(end_date, '9999-12-31') >= ?",
                        (ours, row["end_date"], row["start_date"]),
                    ).fetchone()
                    changes["deleted_at" if overlap else "member_id"] = now if overlap else ours
                if (table, "member_id") in PERSON_REFS and row["member_id"] in person:
                    ours = person[row["member_id"]]
                    clash = db.execute(
                        f'SELECT 1 FROM main."{table}" WHERE member_id = ? AND '
                        f'{"meeting_id" if table == "attendance" else "event_id"} = ?',
                        (ours, row["meeting_id" if table == "attendance" else "event_id"]),
                    ).fetchone()
                    changes["deleted_at" if clash else "member_id"] = now if clash else ours
                for f, v in changes.items():
                    if not same(v, row[f]):
                        merge_rows[(rid, f)] = [table, raw_text(row[f]), raw_text(v), row["version"] + 1]
                        row[f] = v
                if changes and any((rid, f) in merge_rows for f in changes):
                    row["version"] += 1
                    row["modified_at"] = now
                inserts.append(row)
                if row["deleted_at"] is None or trow["deleted_at"] is not None:
                    out.added.append((table, rid, record_label(db, "t", table, rid)))
            if inserts:
                out.touched.update((r["id"], "+") for r in inserts)
                db.executemany(
                    f'INSERT INTO main."{table}" ({_q(cols)}) VALUES ({",".join("?" * len(cols))})',
                    ([r[c] for c in cols] for r in inserts),
                )
            # records both have
            current: dict[str, dict] = {}  # rid → the row as written (for the pass below)
            for rid, mrow in mine.items():
                current[rid] = mrow
                trow = theirs.get(rid)
                final = dict(mrow)
                for f in plan.take.get((table, rid), ()):
                    if trow is not None and (rid, f) not in untake:
                        final[f] = trow[f]
                for f, v in override.get(rid, {}).items():
                    final[f] = v
                if trow is not None and (table, "member_id") in PERSON_REFS and final.get("member_id") in person:
                    final["member_id"] = person[final["member_id"]]
                diff = [f for f in data if not same(final[f], mrow[f])]
                if not diff:
                    continue
                current[rid] = final
                out.touched.update((rid, f) for f in diff)
                label = record_label(db, "main", table, rid)
                same_as_theirs = trow is not None and all(same(final[f], trow[f]) for f in data)
                if same_as_theirs and plan.onto_server:  # others' editors hold our version: move past it
                    final["version"] = max(mrow["version"] + 1, trow["version"])
                    final["modified_at"] = max(mrow["modified_at"], trow["modified_at"])
                elif same_as_theirs:
                    final["version"], final["modified_at"] = trow["version"], trow["modified_at"]
                else:
                    final["version"] = max(mrow["version"], trow["version"] if trow else 0) + 1
                    final["modified_at"] = max(mrow["modified_at"], trow["modified_at"] if trow else "")
                for f in diff:
                    from_theirs = trow is not None and same(final[f], trow[f]) and (rid, f) in plan.unshared[THEIRS]
                    # onto a server the decision over our own change is history too (the last row tells the value)
                    if not from_theirs or (plan.onto_server and (rid, f) in plan.unshared[MINE]):
                        merge_rows[(rid, f)] = [table, raw_text(mrow[f]), raw_text(final[f]), final["version"]]
                    if f == "deleted_at" and final[f] is not None:
                        out.deleted.append((table, rid, label))
                    else:
                        before, after = raw_text(mrow[f]), raw_text(final[f])
                        shown = (show_field(db, table, f, before), show_field(db, table, f, after))
                        out.changed.append(Change(table, rid, label, f, before, after, shown))
                # their value we did not take, with no change of ours explaining it: say so in history
                if trow is not None:
                    for f in data:
                        if (rid, f) not in merge_rows and not same(final[f], trow[f]) and (rid, f) not in plan.unshared[MINE]:
                            merge_rows[(rid, f)] = [table, raw_text(trow[f]), raw_text(final[f]), final["version"]]
                sets = ", ".join(f'"{c}" = ?' for c in (*diff, "version", "modified_at"))
                db.execute(
                    f'UPDATE main."{table}" SET {sets} WHERE id = ?',
                    [*(final[f] for f in diff), final["version"], final["modified_at"], rid],
                )
            # ours kept against their value (conflicts decided "mine", their edits dropped)
            for rid, trow in theirs.items():
                mrow = mine.get(rid)
                if mrow is None:
                    continue
                cur = current[rid]
                for f in data:
                    key = (rid, f)
                    if key in merge_rows or key in plan.unshared[MINE]:
                        continue
                    if not same(cur[f], trow[f]):
                        merge_rows[key] = [table, raw_text(trow[f]), raw_text(cur[f]), cur["version"]]
        copy = mint_copy(db, CopyOrigin.MERGED, "")
        if merge_rows:
            set_id = db.execute(
                "INSERT INTO change_set (uid, copy_id, at, program, note) VALUES (?, ?, ?, ?, '合并')",
                (str(uuid.uuid4()), copy, now, PROGRAM),
            ).lastrowid
            db.executemany(
                'INSERT INTO change (record_id, set_id, field, tbl, "old", "new", version) VALUES (?, ?, ?, ?, ?, ?, ?)',
                ((rid, set_id, f, t, o, n, v) for (rid, f), (t, o, n, v) in merge_rows.items()),
            )
        out.merge_changes = len(merge_rows)
        db.execute("COMMIT")  # foreign keys are enforced row by row (run.prepare); the whole file is checked after
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return out


def _row(db, schema: str, table: str, plan: MergePlan, rid: str) -> dict:
    cols = plan.columns[table]
    row = db.execute(f'SELECT {_q(cols)} FROM {schema}."{table}" WHERE id = ?', (rid,)).fetchone()
    return dict(zip(cols, row, strict=True))


def _next_number(db, plan: MergePlan, trow: dict) -> int:
    (top,) = db.execute(
        "SELECT max(number) FROM (SELECT number FROM main.meeting WHERE branch_id = ? AND group_id IS ? AND kind = ? "
        "AND substr(date, 1, 4) = ? UNION ALL SELECT number FROM t.meeting WHERE branch_id = ? AND group_id IS ? "
        "AND kind = ? AND substr(date, 1, 4) = ?)",
        (trow["branch_id"], trow["group_id"], trow["kind"], trow["date"][:4]) * 2,
    ).fetchone()
    return (top or 0) + 1


def _join_history(db: sqlite3.Connection) -> None:
    """Their copies, change sets and changes that we do not have (their local ids shifted past ours)."""
    (offset,) = db.execute("SELECT coalesce(max(id), 0) FROM main.change_set").fetchone()
    db.execute(
        "INSERT INTO main.ledger_copy (id, made_at, origin, parent_id, place, current) "
        "SELECT id, made_at, origin, parent_id, place, 0 FROM t.ledger_copy WHERE id NOT IN (SELECT id FROM main.ledger_copy)"
    )
    db.execute("CREATE TEMP TABLE IF NOT EXISTS merge_new_sets (id INTEGER PRIMARY KEY)")
    db.execute("DELETE FROM merge_new_sets")
    db.execute("INSERT INTO merge_new_sets SELECT id FROM t.change_set WHERE uid NOT IN (SELECT uid FROM main.change_set)")
    db.execute(
        "INSERT INTO main.change_set (id, uid, copy_id, at, program, note) "
        "SELECT id + ?, uid, copy_id, at, program, note FROM t.change_set WHERE id IN (SELECT id FROM merge_new_sets)",
        (offset,),
    )
    db.execute(
        'INSERT INTO main.change (record_id, set_id, field, tbl, "old", "new", version) '
        'SELECT record_id, set_id + ?, field, tbl, "old", "new", version FROM t.change '
        "WHERE set_id IN (SELECT id FROM merge_new_sets)",
        (offset,),
    )
