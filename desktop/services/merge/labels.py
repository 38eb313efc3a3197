"""Chinese names of record fields and a short label per record, for conflicts and the report."""

from __future__ import annotations

import sqlite3
from functools import lru_cache

from ..ledger_checks import TABLE_LABEL
from ..ledger_format import TABLES

FIELD_LABEL = {
    "name": "名称", "unit_name": "单位", "title": "标题", "date": "日期", "start_time": "开始时间",
    "end_time": "结束时间", "place": "地点", "host": "主持人", "recorder": "记录人", "lecturer": "授课人",
    "lecturer_title": "授课人职务", "lecture_title": "党课题目", "summary": "内容摘要", "theme": "主题",
    "required_actions": "规定动作", "followup": "上次议定事项落实情况", "content": "会议内容",
    "resolution": "决议", "is_election": "选举", "state": "状态", "finalized_at": "定稿时间",
    "number": "编号", "kind": "类型", "text": "内容", "speaker": "发言人", "section": "环节", "seq": "顺序",
    "yes": "赞成", "no": "反对", "abstain": "弃权", "status": "状态", "reason": "原因", "category": "类别",
    "gender": "性别", "ethnicity": "民族", "birth_date": "出生日期", "education": "学历", "id_number": "身份证号",
    "phone": "电话", "branch_id": "所在支部", "group_id": "党小组", "job_title": "职务",
    "join_date": "入党日期", "full_date": "转正日期", "notes": "备注", "member_id": "党员", "meeting_id": "会议",
    "start_date": "开始日期", "end_date": "结束日期", "start_reason": "转入原因", "end_reason": "转出原因",
    "post": "职务", "key": "设置项", "value": "值", "deleted_at": "删除", "committee_id": "所属党委",
    "sort_order": "排序", "has_committee": "设支部委员会", "has_groups": "设党小组", "items": "议题",
    "description": "问题表现", "deadline": "整改时限", "data": "文件内容", "filename": "文件名", "caption": "说明",
    "role": "身份", "at": "时间", "lecture_frequency": "党课频次", "established_on": "成立日期",
    "theme_day_of_month": "主题党日", "payload": "草稿内容", "saved_at": "保存时间",
}  # fmt: skip

FIELD_LABEL.update({
    "lecture_custom_per_year": "党课次数（自定）", "ledger_start": "台账起始日期", "start_numbers": "起始编号",
    "mime": "文件类型", "size": "文件大小", "year": "年度", "campaign_id": "整改活动", "category_id": "整改类别",
    "source": "问题来源", "is_key": "重点问题", "problem_id": "问题", "target": "整改目标", "leader": "责任领导",
    "owner": "责任部门", "type": "整改类型", "evidence": "整改成效", "closed_on": "销号日期",
    "measure_id": "整改措施", "activities": "活动内容", "event_id": "政治生日活动", "message": "寄语",
    "on_date": "日期", "new_end": "延长至",
})  # fmt: skip
# the same column named differently in one table
TABLE_FIELD_LABEL = {
    ("measure", "content"): "措施内容", ("measure", "status"): "整改状态", ("measure", "deadline"): "整改时限",
    ("progress_entry", "text"): "进展情况", ("progress_entry", "date"): "进展日期", ("celebrant", "status"): "状态",
    ("birthday_event", "date"): "活动日期", ("post_holding", "start_date"): "任职日期",
    ("post_holding", "end_date"): "离任日期",
}  # fmt: skip

NAME_COLUMNS = ("name", "title", "description", "text", "key", "kind", "filename", "speaker")
# (table, column) → the table it refers to: shown by the referred record's name, never its id
REFERENCES = {(t, c.name): c.references for t, spec in TABLES.items() for c in spec.columns if c.references}


def field_label(field: str, table: str | None = None) -> str:
    return TABLE_FIELD_LABEL.get((table or "", field)) or FIELD_LABEL.get(field, field)


def table_label(table: str) -> str:
    return TABLE_LABEL.get(table, table)


@lru_cache(maxsize=256)
def _columns(db: sqlite3.Connection, schema: str, table: str) -> frozenset[str]:
    return frozenset(r[1] for r in db.execute(f'PRAGMA {schema}.table_info("{table}")'))


def record_label(db: sqlite3.Connection, schema: str, table: str, rid: str) -> str:
    """``会议“…”（2026-03-05）``, ``党员 张三`` …: what the user recognises a record by."""
    cols = _columns(db, schema, table)
    if table == "meeting":
        row = db.execute(f"SELECT title, kind, date, number FROM {schema}.meeting WHERE id = ?", (rid,)).fetchone()
        if row:
            return f"会议“{row[0] or row[1]}”（{row[2]}，第{row[3]}次）"
    if table in ("post_holding", "membership", "celebrant"):  # no name of their own: the member's
        extra = {"post_holding": "x.post", "membership": "b.name || ' ' || x.start_date", "celebrant": "''"}[table]
        join = f"LEFT JOIN {schema}.branch b ON b.id = x.branch_id" if table == "membership" else ""
        row = db.execute(
            f"SELECT p.name, {extra} FROM {schema}.{table} x LEFT JOIN {schema}.member p ON p.id = x.member_id "
            f"{join} WHERE x.id = ?",
            (rid,),
        ).fetchone()
        if row and row[0]:
            return f"{table_label(table)}（{row[0]}{' ' + row[1] if row[1] else ''}）"
    if table == "attendance":
        row = db.execute(
            f"SELECT p.name, m.title, m.date FROM {schema}.attendance a LEFT JOIN {schema}.member p ON p.id = a.member_id "
            f"LEFT JOIN {schema}.meeting m ON m.id = a.meeting_id WHERE a.id = ?",
            (rid,),
        ).fetchone()
        if row:
            return f"出席记录（{row[0]}，{row[2]} {row[1]}）"
    for col in NAME_COLUMNS:
        if col in cols:
            row = db.execute(f'SELECT "{col}" FROM {schema}."{table}" WHERE id = ?', (rid,)).fetchone()
            if row and row[0]:
                text = str(row[0]).replace("\n", " ")
                return f"{table_label(table)}“{text[:30]}{'…' if len(text) > 30 else ''}”"
    return f"{table_label(table)} {rid[:8]}"


def show_value(field: str, value: str | None) -> str:
    """A stored value as the user reads it in a conflict or the report."""
    if field == "deleted_at":
        return "已删除" if value else "未删除"
    if value is None:
        return "（空）"
    if value.startswith("sha1:"):
        return "（文件内容）"
    if len(value) == 26 and value[10] == " " and value[19] == ".":
        return value[:16]
    if len(value) == 15 and value[2] == ":" and value[8] == ".":
        return value[:5]
    return value if value != "" else "（空）"


def ref_name(db: sqlite3.Connection, table: str, rid: str) -> str:
    """The name of record ``rid`` of ``table`` as the user knows it (``第一党支部``, ``张三``,
    ``“支部委员会”（2026-03-05）``): looked up in every attached file (ours first), since the
    record may exist on one side only."""
    schemas = [r[1] for r in db.execute("PRAGMA database_list") if r[1] != "temp"]
    for schema in schemas:
        cols = _columns(db, schema, table)
        if not cols:
            continue
        if table == "meeting":
            row = db.execute(f"SELECT title, kind, date FROM {schema}.meeting WHERE id = ?", (rid,)).fetchone()
            if row:
                return f"“{row[0] or row[1]}”（{row[2]}）"
            continue
        for col in NAME_COLUMNS:
            if col in cols:
                row = db.execute(f'SELECT "{col}" FROM {schema}."{table}" WHERE id = ?', (rid,)).fetchone()
                if row is None:
                    break
                if row[0]:
                    text = str(row[0]).replace("\n", " ")
                    return text[:30] + ("…" if len(text) > 30 else "")
    return f"（找不到的{table_label(table)}）"


def show_field(db: sqlite3.Connection, table: str, field: str, value: str | None) -> str:
    """:func:`show_value`, with a reference (支部, 党小组, 党员, 会议 …) shown by the name of the
    record it points at."""
    ref = REFERENCES.get((table, field))
    if ref and value:
        return ref_name(db, ref, value)
    return show_value(field, value)
