"""What ``zhibu check`` looks for beyond SQLite's own checks, as plain SQL on a read-only connection.

Each check returns problem lines in Chinese naming the record, so a secretary (or whoever helps
them) can find it: stored values the program cannot read (bad dates, unknown vocabulary), rows
a merge of two copies would trip on (children changed after their parent was deleted, overlapping
branch periods, duplicate meeting numbers), and records an inspector would fault (attendance of someone
not in the branch on the meeting date, 转正日期 before 入党日期). Inspection findings such as an
absentee without a reason in a finalized record are notes, not problems. Works on schema 1 files too (only columns present are consulted).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from .ledger_format import TABLES

PER_CHECK = 20  # lines listed per kind of problem; the rest are counted

# (child table, foreign key column, parent table, what the child is, how the parent is named)
OWNED: tuple[tuple[str, str, str, str], ...] = (
    ("agenda_item", "meeting_id", "meeting", "议题"),
    ("speech", "meeting_id", "meeting", "发言"),
    ("motion", "meeting_id", "meeting", "表决事项"),
    ("attendance", "meeting_id", "meeting", "出席记录"),
    ("guest", "meeting_id", "meeting", "列席人员"),
    ("attachment", "meeting_id", "meeting", "附件"),
    ("reopening", "meeting_id", "meeting", "重新编辑记录"),
    ("meeting", "branch_id", "branch", "会议"),
    ("party_group", "branch_id", "branch", "党小组"),
    ("branch", "committee_id", "committee", "党支部"),
    ("membership", "member_id", "member", "支部关系"),
    ("rect_category", "campaign_id", "campaign", "整改类别"),
    ("problem", "category_id", "rect_category", "问题"),
    ("measure", "problem_id", "problem", "整改措施"),
    ("progress_entry", "measure_id", "measure", "整改进展"),
    ("celebrant", "event_id", "birthday_event", "过政治生日的党员"),
)
PARENT_LABEL = {
    "meeting": "会议", "branch": "党支部", "committee": "党委", "member": "党员", "campaign": "整改活动",
    "rect_category": "整改类别", "problem": "问题", "measure": "整改措施", "birthday_event": "政治生日活动",
}  # fmt: skip
TABLE_LABEL = {
    "committee": "党委", "branch": "党支部", "party_group": "党小组", "member": "党员", "membership": "支部关系",
    "post_holding": "支委职务", "setting": "设置", "meeting": "会议", "agenda_item": "议题", "speech": "发言",
    "motion": "表决事项", "attendance": "出席记录", "guest": "列席人员", "attachment": "附件",
    "reopening": "重新编辑记录", "agenda_template": "议题模板", "meeting_draft": "会议草稿",
    "campaign": "整改活动", "rect_category": "整改类别", "problem": "问题", "measure": "整改措施",
    "progress_entry": "整改进展", "birthday_event": "政治生日活动", "celebrant": "过政治生日的党员",
    "probation_event": "预备期记录",
}  # fmt: skip

Check = Callable[[sqlite3.Connection, dict[str, list[str]]], list[str]]


def _limit(lines: list[str], total: int | None = None) -> list[str]:
    total = len(lines) if total is None else total
    out = lines[:PER_CHECK]
    if total > PER_CHECK:
        out.append(f"  ……同类问题另有 {total - PER_CHECK} 条")
    return out


def _meeting_name(title: str | None, day: str | None, branch: str | None) -> str:
    return f"“{title or '（无标题）'}”（{day or '日期不明'}，{branch or '支部不明'}）"


def check_values(db: sqlite3.Connection, columns: dict[str, list[str]], only: str | None = None) -> list[str]:
    """Stored values the program could not read back: dates, times, flags, vocabularies
    (``only``: in the records listed there, see :func:`run_domain_checks`)."""
    lines: list[str] = []
    total = 0
    tests = {
        "date": "typeof({c}) != 'text' OR date({c}, '+0 days') IS NOT {c}",
        "time": "typeof({c}) != 'text' OR time({c}) IS NULL",
        "datetime": "typeof({c}) != 'text' OR datetime({c}) IS NULL",
        "bool": "{c} NOT IN (0, 1)",
        "int": "typeof({c}) != 'integer'",
    }
    for table, present in columns.items():
        if only is not None and not db.execute(f'SELECT 1 FROM "{table}" WHERE id IN (SELECT id FROM {only}) LIMIT 1').fetchone():
            continue  # nothing written in this table
        spec = TABLES[table]
        for name in present:
            col = spec.column(name)
            cond = tests.get(col.kind)
            params: list[str] = []
            if col.allowed is not None:
                cond = f"{{c}} NOT IN ({', '.join('?' * len(col.allowed))})"
                params = sorted(col.allowed)
            if cond is None or (getattr(db, "server", False) and col.allowed is None):
                continue  # a server's typed columns cannot hold a date, time or number it cannot read
            quoted = f'"{name}"'
            where = f"{quoted} IS NOT NULL AND ({cond.format(c=quoted)})"
            if only is not None:
                where += f" AND id IN (SELECT id FROM {only})"
            (count,) = db.execute(f'SELECT count(*) FROM "{table}" WHERE {where}', params).fetchone()
            if not count:
                continue
            total += count
            label = next((c for c in ("name", "title") if c in present), "id")
            for rid, value in db.execute(f'SELECT "{label}", {quoted} FROM "{table}" WHERE {where} LIMIT 5', params):
                what = f"“{rid}”" if label != "id" else f"记录 {rid}"
                lines.append(f"{TABLE_LABEL.get(table, table)}{what} 的 {name} 值“{value}”无法识别")
    return _limit(lines, max(total, len(lines)))


def check_member_dates(db: sqlite3.Connection, columns: dict[str, list[str]]) -> list[str]:
    rows = db.execute(
        "SELECT name, join_date, full_date FROM member WHERE deleted_at IS NULL "
        "AND join_date IS NOT NULL AND full_date IS NOT NULL AND full_date < join_date ORDER BY name"
    ).fetchall()
    return _limit([f"党员 {n} 的转正日期（{f}）早于入党日期（{j}）" for n, j, f in rows])


def check_attendance_roster(db: sqlite3.Connection, columns: dict[str, list[str]], only: str | None = None) -> list[str]:
    """Attendance of someone not in the meeting's branch on its date (``only``: the attendance rows
    the listed records or fields can affect: their own, their meeting's branch, date or deletion,
    their member's deletion, any period of their member)."""
    rows_from = "attendance a"
    if only is not None:  # driven by the affected rows (indexed lookups), not a test of every row
        rows_from = (
            f"(SELECT id FROM attendance WHERE id IN (SELECT id FROM {only}) "
            f"UNION SELECT id FROM attendance WHERE meeting_id IN "
            f"(SELECT id FROM {only} WHERE field IN ('+', 'branch_id', 'date', 'deleted_at')) "
            f"UNION SELECT id FROM attendance WHERE member_id IN (SELECT id FROM {only} WHERE field IN ('+', 'deleted_at')) "
            f"UNION SELECT id FROM attendance WHERE member_id IN "
            f"(SELECT member_id FROM membership WHERE id IN (SELECT id FROM {only}))) x "
            "CROSS JOIN attendance a ON a.id = x.id"
        )
    sql = f"""
        FROM {rows_from}
        JOIN meeting m ON m.id = a.meeting_id AND m.deleted_at IS NULL
        LEFT JOIN member p ON p.id = a.member_id
        LEFT JOIN branch b ON b.id = m.branch_id
        WHERE a.deleted_at IS NULL AND NOT EXISTS (
            SELECT 1 FROM membership s
            WHERE s.member_id = a.member_id AND s.branch_id = m.branch_id
              AND (s.deleted_at IS NULL OR p.deleted_at IS NOT NULL)  -- a deleted member keeps the history
              AND s.start_date <= m.date AND (s.end_date IS NULL OR s.end_date >= m.date))
    """
    (total,) = db.execute(f"SELECT count(*) {sql}").fetchone()
    rows = db.execute(f"SELECT m.title, m.date, b.name, p.name {sql} ORDER BY m.date LIMIT {PER_CHECK}")
    lines = [
        f"会议{_meeting_name(t, d, b)}的出席名单中有 {n or '（已不存在的党员）'}，但其在会议当天不属于该支部"
        for t, d, b, n in rows
    ]
    return _limit(lines, total)


def check_unreasoned_absence(db: sqlite3.Connection, columns: dict[str, list[str]]) -> list[str]:
    rows = db.execute(
        """SELECT m.title, m.date, b.name, p.name, a.status FROM attendance a
           JOIN meeting m ON m.id = a.meeting_id AND m.deleted_at IS NULL AND m.state = '定稿'
           LEFT JOIN member p ON p.id = a.member_id LEFT JOIN branch b ON b.id = m.branch_id
           WHERE a.deleted_at IS NULL AND a.status IN ('缺席', '不计入应到') AND trim(a.reason) = ''
           ORDER BY m.date"""
    ).fetchall()
    return _limit([f"已定稿的会议{_meeting_name(t, d, b)}中 {n} 记为{s}，但没有写明原因" for t, d, b, n, s in rows])


def check_deleted_parents(db: sqlite3.Connection, columns: dict[str, list[str]]) -> list[str]:
    lines: list[str] = []
    total = 0
    for child, fk, parent, label in OWNED:
        if child not in columns or parent not in columns:
            continue
        name_col = "title" if parent == "meeting" else ("description" if parent in ("problem",) else "name")
        if name_col not in columns[parent]:
            name_col = "id"
        # Deleting tombstones only the parent: its children go to the recycle bin with it and come
        # back with it, so a live child under a deleted parent is normal. A child changed AFTER its
        # parent was deleted is not: that change is invisible (typically an edit merged in from
        # another copy of the file).
        sql = (
            f'FROM "{child}" c JOIN "{parent}" p ON p.id = c."{fk}" '
            "WHERE c.deleted_at IS NULL AND p.deleted_at IS NOT NULL AND c.modified_at > p.deleted_at"
        )
        rows = db.execute(f'SELECT p."{name_col}", count(*) {sql} GROUP BY p.id ORDER BY 1').fetchall()
        for pname, count in rows:
            total += 1
            lines.append(
                f"{PARENT_LABEL[parent]}“{str(pname)[:30]}”已删除，但其中 {count} 条{label}在删除之后又被修改"
                "（可能来自合并），这些修改看不到"
            )
    return _limit(lines, total)


def check_membership_periods(db: sqlite3.Connection, columns: dict[str, list[str]]) -> list[str]:
    lines = [
        f"党员 {n} 在{b}的支部关系结束日期（{e}）早于开始日期（{s}）"
        for n, b, s, e in db.execute(
            """SELECT p.name, b.name, s.start_date, s.end_date FROM membership s
               JOIN member p ON p.id = s.member_id JOIN branch b ON b.id = s.branch_id
               WHERE s.deleted_at IS NULL AND s.end_date IS NOT NULL AND s.end_date < s.start_date"""
        )
    ]
    lines += [
        f"党员 {n} 的两段支部关系时间重叠：{b1}（{s1} 起）与 {b2}（{s2} 起）"
        for n, b1, s1, b2, s2 in db.execute(
            """SELECT p.name, b1.name, x.start_date, b2.name, y.start_date FROM membership x
               JOIN membership y ON y.member_id = x.member_id AND y.id > x.id AND y.deleted_at IS NULL
               JOIN member p ON p.id = x.member_id AND p.deleted_at IS NULL
               JOIN branch b1 ON b1.id = x.branch_id JOIN branch b2 ON b2.id = y.branch_id
               WHERE x.deleted_at IS NULL
                 AND x.start_date <= coalesce(y.end_date, '9999-12-31')
                 AND y.start_date <= coalesce(x.end_date, '9999-12-31')"""
        )
    ]
    return _limit(lines)


def check_meeting_numbers(db: sqlite3.Connection, columns: dict[str, list[str]]) -> list[str]:
    rows = db.execute(
        """SELECT b.name, substr(CAST(m.date AS TEXT), 1, 4), m.kind, m.number, count(*) FROM meeting m
           LEFT JOIN branch b ON b.id = m.branch_id
           WHERE m.deleted_at IS NULL
           GROUP BY m.branch_id, b.name, m.group_id, substr(CAST(m.date AS TEXT), 1, 4), m.kind, m.number HAVING count(*) > 1
           ORDER BY 2, 1"""
    ).fetchall()
    return _limit([f"{b} {y}年{k}第{n}次有 {c} 条记录（编号重复）" for b, y, k, n, c in rows])


DOMAIN_CHECKS: tuple[tuple[str, tuple[str, ...], Check], ...] = (
    ("数据值", (), check_values),
    ("党员日期", ("member",), check_member_dates),
    ("出席名单", ("attendance", "meeting", "member", "membership", "branch"), check_attendance_roster),
    ("已删除记录", (), check_deleted_parents),
    ("支部关系", ("membership", "member", "branch"), check_membership_periods),
    ("会议编号", ("meeting", "branch"), check_meeting_numbers),
)


# What an inspector would fault is not damage to the file: reported as notes (提示), it does not
# make ``zhibu check`` fail; ``zhibu precheck`` is the full inspection read.
INSPECTION_NOTES: tuple[tuple[str, tuple[str, ...], Check], ...] = (
    ("缺席原因", ("attendance", "meeting", "member", "branch"), check_unreasoned_absence),
)


def run_inspection_notes(db: sqlite3.Connection, columns: dict[str, list[str]]) -> list[str]:
    notes: list[str] = []
    for _title, needs, check in INSPECTION_NOTES:
        if all(t in columns for t in needs):
            notes += [f"提示：{line}（迎检自查：zhibu precheck）" for line in check(db, columns)]
    return notes


# the checks that read every row of the biggest tables: they take ``only`` (see run_domain_checks)
SCOPED: tuple[Check, ...] = (check_values, check_attendance_roster)


def run_domain_checks(db: sqlite3.Connection, columns: dict[str, list[str]], only: str | None = None) -> list[str]:
    """Every domain problem line; checks whose tables are missing (a damaged file) are skipped.

    ``only``: the name of a table of what was written, ``(id, field)`` with field ``+`` for a new
    record — a merge's result is checked for what the merge wrote: the checks in :data:`SCOPED`
    read only the rows those writes can affect, the others (cheap) read everything."""
    problems: list[str] = []
    for _title, needs, check in DOMAIN_CHECKS:
        if all(t in columns for t in needs):
            problems += check(db, columns, only) if (only is not None and check in SCOPED) else check(db, columns)
    return problems
