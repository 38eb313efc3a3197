"""Step 4 → 5, frozen: 党内职务 entered once. The member's free-text ``party_post`` column goes;
the dated ``post_holding`` rows (组织 › 任职) are the only record of who holds which post.

For every member whose text names a committee post (「支部书记」, 「组织委员」, 「党小组组长」 …):
- a holding of that post by the member already exists (current or ended): the holdings win;
- nobody else holds it today: a holding is added, from the start of the member's current period
  in the branch (else the branch's 台账启用日期, the 入党日期, or the upgrade day), open-ended;
- someone else holds it today (the text is stale) or the member has no branch/group for it:
  nothing is invented.
Text that names no post, or was not turned into a holding, is kept at the end of the member's
备注 as 「原党内职务：…」, so nothing typed is lost. Change history of the dropped column is
removed with it (no field left to merge it into).

The reading of the text is copied here (not imported) so that later changes cannot alter the step.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from datetime import UTC, date, datetime

POSTS = ("书记", "副书记", "组织委员", "宣传委员", "纪检委员", "青年委员", "统战委员", "党小组组长")
SINGLE = {"书记", "组织委员", "宣传委员", "纪检委员", "党小组组长"}
LEADER = {"党小组组长", "党小组长", "小组组长", "小组长", "组长"}
PREFIXES = ("中共", "党支部", "支部", "党总支", "总支")
SPLIT = re.compile(r"[、，,;；/\s]+")
NOTE_PREFIX = "原党内职务："
# a holding's id follows from what it records: two copies of one ledger upgraded apart get the same
# row (a later merge sees one holding, not two)
ID_SPACE = uuid.UUID("5b0c7a52-8f1e-4f55-9d8e-2f6a1c0e4d35")


def read_tokens(text: str) -> list[tuple[str, str | None]]:
    out = []
    for token in (t for t in SPLIT.split(text or "") if t):
        word = token
        for prefix in PREFIXES:
            if word.startswith(prefix) and len(word) > len(prefix):
                word = word[len(prefix):]
                break
        post = "党小组组长" if word in LEADER else (word if word in POSTS else None)
        out.append((token, post))
    return out


def _start(db: sqlite3.Connection, member_id: str, branch_id: str, join_date: str | None, today: str) -> str:
    (since,) = db.execute(
        "SELECT min(start_date) FROM membership WHERE member_id = ? AND branch_id = ? AND deleted_at IS NULL "
        "AND (end_date IS NULL OR end_date >= ?)", (member_id, branch_id, today)).fetchone()
    if since:
        return since
    (ledger_start,) = db.execute("SELECT ledger_start FROM branch WHERE id = ?", (branch_id,)).fetchone() or (None,)
    return ledger_start or join_date or today


def step_4_to_5(db: sqlite3.Connection) -> None:
    today = date.today().isoformat()
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    members = db.execute(
        "SELECT id, branch_id, group_id, party_post, notes, deleted_at, join_date FROM member "
        "WHERE trim(party_post) <> ''").fetchall()
    for mid, branch_id, group_id, text, notes, deleted_at, join_date in members:
        kept: list[str] = []
        for token, post in read_tokens(text):
            if post is None or branch_id is None or (post == "党小组组长" and not group_id):
                kept.append(token)
                continue
            where_group = " AND group_id = ?" if post == "党小组组长" else ""
            extra = (group_id,) if post == "党小组组长" else ()
            (own,) = db.execute(
                "SELECT count(*) FROM post_holding WHERE member_id = ? AND post = ? AND deleted_at IS NULL"
                + where_group, (mid, post, *extra)).fetchone()
            if own:
                continue
            if post in SINGLE:
                (other,) = db.execute(
                    "SELECT count(*) FROM post_holding WHERE branch_id = ? AND post = ? AND member_id <> ? "
                    "AND deleted_at IS NULL AND start_date <= ? AND (end_date IS NULL OR end_date >= ?)" + where_group,
                    (branch_id, post, mid, today, today, *extra)).fetchone()
                if other:
                    kept.append(token)
                    continue
            db.execute(
                "INSERT INTO post_holding (branch_id, group_id, member_id, post, start_date, end_date, id, version, "
                "modified_at, deleted_at) VALUES (?, ?, ?, ?, ?, NULL, ?, 1, ?, ?)",
                (branch_id, group_id if post == "党小组组长" else None, mid, post,
                 _start(db, mid, branch_id, join_date, today), str(uuid.uuid5(ID_SPACE, f"{mid}/{post}/{branch_id}")),
                 now, deleted_at))
        if kept:
            line = NOTE_PREFIX + "、".join(kept)
            db.execute("UPDATE member SET notes = ?, version = version + 1, modified_at = ? WHERE id = ?",
                       ((notes + "\n" + line) if notes else line, now, mid))
    db.execute("DELETE FROM change WHERE tbl = 'member' AND field = 'party_post'")
    db.execute("ALTER TABLE member DROP COLUMN party_post")


# ------------------------------------------------------------------ dumps of schema 4 and older
_TEMP_TABLES = {
    "member": ("id", "branch_id", "group_id", "party_post", "notes", "deleted_at", "join_date", "version",
               "modified_at"),
    "post_holding": ("branch_id", "group_id", "member_id", "post", "start_date", "end_date", "id", "version",
                     "modified_at", "deleted_at"),
    "membership": ("member_id", "branch_id", "start_date", "end_date", "deleted_at"),
    "branch": ("id", "ledger_start"),
    "change": ("record_id", "set_id", "field", "tbl"),
}


def _dump_stamp(storage: str) -> str:
    return storage.replace(" ", "T") + "Z"


def upgrade_dump_posts(tables: dict) -> None:
    """The same step on a dump's rows (JSON form, before validation): member rows lose
    ``party_post``; post holdings and 备注 change as in a file. Rows that are not objects are left
    for the validator to report."""
    members = [r for r in tables.get("member") or [] if isinstance(r, dict)]
    if not any("party_post" in r for r in members):
        return
    db = sqlite3.connect(":memory:")
    try:
        for name, cols in _TEMP_TABLES.items():
            db.execute(f"CREATE TABLE {name} ({', '.join(cols)})")
            rows = [r for r in tables.get(name) or [] if isinstance(r, dict)]
            db.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' * len(cols))})",
                           ([_plain(r.get(c, "" if c in ("party_post", "notes") else None)) for c in cols]
                            for r in rows))
        known_holdings = {r.get("id") for r in tables.get("post_holding") or [] if isinstance(r, dict)}
        step_4_to_5(db)
        by_id = {r.get("id"): r for r in members}
        for mid, notes, version, stamp in db.execute("SELECT id, notes, version, modified_at FROM member"):
            row = by_id.get(mid)
            if row is not None and row.get("notes", "") != notes:
                row.update(notes=notes, version=version, modified_at=_dump_stamp(stamp))
        for row in members:
            row.pop("party_post", None)
        cols = _TEMP_TABLES["post_holding"]
        added = [dict(zip(cols, r, strict=True)) for r in db.execute(f"SELECT {', '.join(cols)} FROM post_holding")
                 if r[cols.index("id")] not in known_holdings]
        for row in added:
            row["modified_at"] = _dump_stamp(row["modified_at"])
        if added:
            tables["post_holding"] = [*(tables.get("post_holding") or []), *added]
        if tables.get("change"):
            tables["change"] = [r for r in tables["change"] if not (
                isinstance(r, dict) and r.get("tbl") == "member" and r.get("field") == "party_post")]
    finally:
        db.close()


def _plain(value):
    return value if value is None or isinstance(value, str | int | float) else str(value)
