"""Validating a dump before anything is written: every problem with its JSON path.

``validate_dump(data)`` returns each table's rows in storage form (parents first) or raises
:class:`DumpInvalid` listing EVERY problem, e.g. ``$.tables.member[3].join_date: 2023-02-30
不是有效日期``. Text passes through ``desktop.domain.text.clean_text`` (one-line columns with
``multiline=False``), exactly as typed input would.
"""

from __future__ import annotations

import json
from typing import Any

from desktop.domain.text import clean_text
from desktop.store.header import SCHEMA_VERSION
from desktop.store.migrations.step_posts import upgrade_dump_posts

from .ledger_format import DUMP_TABLES as TABLES
from .ledger_format import FORMAT_NAME, REQUIRED, TableSpec, json_to_storage


class DumpInvalid(Exception):
    """The JSON is not a loadable dump; ``errors`` lists every problem with its JSON path."""

    def __init__(self, problems: list[str]):
        self.errors = problems
        super().__init__("\n".join(problems))


class _Problems(list):
    """Every problem, none left out (the user fixes them all in one pass)."""

    def add(self, path: str, message: str) -> None:
        self.append(f"{path}: {message}")


def parse_json(text: str | bytes) -> Any:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DumpInvalid([f"$: 不是 UTF-8 编码的文本（第 {exc.start} 字节）"]) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DumpInvalid([f"$: JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}"]) from exc


def _clean(value: str, multiline: bool) -> str:
    """clean_text, skipped when it provably changes nothing (printable, no edge spaces)."""
    if value.isprintable() and not value.endswith(" ") and (multiline or not value.startswith(" ")):
        return value
    return clean_text(value, multiline=multiline)


def _validate_rows(name: str, spec: TableSpec, rows: Any, problems: _Problems) -> list[dict[str, Any]]:
    """Typed, cleaned storage rows of one table; problems recorded with their JSON paths."""
    base = f"$.tables.{name}"
    if not isinstance(rows, list):
        problems.add(base, "应为记录列表（JSON 数组）")
        return []
    known = {c.name for c in spec.columns}
    out: list[dict[str, Any]] = []
    for i, row in enumerate(rows):
        where = f"{base}[{i}]"
        if not isinstance(row, dict):
            problems.add(where, "应为一条记录（JSON 对象）")
            continue
        for key in row:
            if key not in known:
                problems.add(f"{where}.{key}", f"未知字段 {key}")
        clean: dict[str, Any] = {}
        for col in spec.columns:
            path = f"{where}.{col.name}"
            if col.name not in row:
                if col.default is REQUIRED:
                    problems.add(path, "缺少此字段")
                clean[col.name] = None if col.default is REQUIRED else col.default
                continue
            value = row[col.name]
            if value is None:
                if not col.nullable:
                    problems.add(path, "不能为空（null）")
                clean[col.name] = None
                continue
            try:
                value = json_to_storage(col.kind, value)
            except ValueError as exc:
                problems.add(path, str(exc))
                continue
            if col.kind == "text":
                value = _clean(value, col.multiline)
                if col.name == "id" and (not value or len(value) > 36 or value != value.strip()):
                    problems.add(path, f"“{value}”不是有效的记录编号")
                if col.allowed is not None and value not in col.allowed:
                    choices = "、".join(sorted(v for v in col.allowed if v))
                    problems.add(path, f"“{value}”不是有效值（可选：{choices}）")
            clean[col.name] = value
        out.append(clean)
    return out


def _check_keys(tables: dict[str, list[dict[str, Any]]], problems: _Problems) -> None:
    """Unique ids and unique constraints per table; every foreign key resolves within the dump."""
    ids: dict[str, set[str]] = {}
    for name, rows in tables.items():
        spec = TABLES[name]
        for key in (("id",), *spec.unique):
            seen: dict[tuple, int] = {}
            for i, row in enumerate(rows):
                value = tuple(row.get(c) for c in key)
                if any(v is None for v in value):
                    continue
                if value in seen:
                    problems.add(
                        f"$.tables.{name}[{i}].{key[-1]}",
                        f"与 $.tables.{name}[{seen[value]}] 重复（{'、'.join(key)} 必须唯一）",
                    )
                else:
                    seen[value] = i
        ids[name] = {row["id"] for row in rows if row.get("id")}
    for name, rows in tables.items():
        for col in TABLES[name].columns:
            if col.references is None:
                continue
            targets = ids.get(col.references, set())
            for i, row in enumerate(rows):
                ref = row.get(col.name)
                if ref is not None and ref not in targets:
                    problems.add(f"$.tables.{name}[{i}].{col.name}", f"引用的 {col.references} 记录 {ref} 不存在")


def _check_history(tables: dict[str, list[dict[str, Any]]], problems: _Problems) -> None:
    """The change history: one current copy (if any copies), and changes name a known table and
    one of its columns (``+`` created, ``-`` removed)."""
    copies = tables.get("ledger_copy", [])
    current = [i for i, row in enumerate(copies) if row.get("current")]
    if copies and len(current) != 1:
        problems.add("$.tables.ledger_copy", f"应有且只有一条 current 为 true 的副本记录（现有 {len(current)} 条）")
    record_tables = {name: {c.name for c in spec.columns} for name, spec in TABLES.items()}
    for i, row in enumerate(tables.get("change", [])):
        table, field = row.get("tbl"), row.get("field")
        if table is None or field is None:
            continue
        if table not in record_tables or table in ("ledger_copy", "change_set", "change"):
            problems.add(f"$.tables.change[{i}].tbl", f"未知的表 {table}")
        elif field not in ("+", "-") and field not in record_tables[table]:
            problems.add(f"$.tables.change[{i}].field", f"表 {table} 没有字段 {field}")


def validate_dump(data: Any) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows in storage form, parents first; DumpInvalid lists every problem."""
    problems = _Problems()
    if not isinstance(data, dict):
        raise DumpInvalid(["$: 应为 JSON 对象 {\"format\": \"zhibu-dump\", …}"])
    for key in data:
        if key not in ("format", "schema", "tables"):
            problems.add(f"$.{key}", f"未知字段 {key}")
    if data.get("format") != FORMAT_NAME:
        problems.add("$.format", f"应为 \"{FORMAT_NAME}\"（这不是支部台账的导出数据）")
    schema = data.get("schema")
    if isinstance(schema, bool) or not isinstance(schema, int) or schema < 1:
        problems.add("$.schema", "应为数据格式版本号（正整数）")
    elif schema > SCHEMA_VERSION:
        problems.add("$.schema", f"数据格式第 {schema} 版比本程序支持的第 {SCHEMA_VERSION} 版新，请升级本程序")
    tables = data.get("tables")
    if not isinstance(tables, dict):
        problems.add("$.tables", "缺少 tables 对象")
        raise DumpInvalid(problems)
    for name in tables:
        if name not in TABLES:
            problems.add(f"$.tables.{name}", f"未知的表 {name}")
    if isinstance(schema, int) and schema < 5:  # 党内职务 became post holdings in schema 5
        upgrade_dump_posts(tables)
    parsed = {name: _validate_rows(name, spec, tables.get(name, []), problems) for name, spec in TABLES.items()}
    _check_keys(parsed, problems)
    _check_history(parsed, problems)
    if problems:
        raise DumpInvalid(problems)
    return parsed
