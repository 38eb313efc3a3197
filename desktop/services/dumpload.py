"""``zhibu dump`` / ``zhibu load``: every record of a ledger as deterministic JSON, and back.

Format (docs/file-format.md)::

    {"format": "zhibu-dump", "schema": 2, "tables": {
    "committee": [
    {"name": "…", "unit_name": "…", "id": "…", "version": 1, "modified_at": "…Z", "deleted_at": null}
    ],
    …}}

Tables come parents-first (``MODELS_IN_ORDER``), rows sorted by ``id``, keys in column order,
one row per line; tombstoned rows are included. The same ledger always gives the same bytes,
so ``dump → load → dump`` is identical.

Loading validates everything first and reports EVERY problem with its JSON path
(``$.tables.member[3].join_date: 2023-02-30 不是有效日期``); only a fully valid dump is written,
into a temporary file beside the destination that is renamed into place at the end, so a failed
load leaves nothing behind. Text passes through ``desktop.domain.text.clean_text`` (one-line
columns with ``multiline=False``), exactly as typed input would.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from desktop.domain.text import clean_text
from desktop.store import errors
from desktop.store.header import SCHEMA_VERSION, read_header
from desktop.store.ledger import Ledger, open_ledger_at, translate_sqlite_error

from .ledger_format import FORMAT_NAME, REQUIRED, TABLES, TableSpec, json_to_storage, storage_to_json

MAX_ERRORS = 1000


class DumpInvalid(Exception):
    """The JSON is not a loadable dump; ``errors`` lists every problem with its JSON path."""

    def __init__(self, problems: list[str]):
        self.errors = problems
        super().__init__("\n".join(problems))


@dataclass
class LoadResult:
    path: Path
    counts: dict[str, int] = field(default_factory=dict)


# --------------------------------------------------------------------------- reading
@contextmanager
def _connection(source: Ledger | Path | str) -> Iterator[sqlite3.Connection]:
    """A connection to read from without changing anything: the open ledger's own (under its lock),
    or a read-only one (``mode=ro``) to a file this process does not hold."""
    ledger = source if isinstance(source, Ledger) else open_ledger_at(source)
    if ledger is not None:
        with ledger._lock:
            raw = ledger.engine.raw_connection()
            try:
                db = raw.driver_connection
                db.execute("BEGIN")
                try:
                    yield db
                finally:
                    db.execute("ROLLBACK")
            finally:
                raw.close()
        return
    path = Path(source).absolute()
    read_header(path)  # names the problem for an empty, foreign, newer or truncated file
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1.0, isolation_level=None)
    except sqlite3.Error as exc:
        raise _mapped(exc, path) from exc
    try:
        db.execute("BEGIN")
        yield db
        db.execute("ROLLBACK")
    except sqlite3.Error as exc:
        raise _mapped(exc, path) from exc
    finally:
        db.close()


def _mapped(exc: sqlite3.Error, path: Path) -> Exception:
    return translate_sqlite_error(exc, path) or exc


def file_columns(db: sqlite3.Connection) -> dict[str, list[str]]:
    """Known tables present in the file → their known columns, in model order."""
    present = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    out: dict[str, list[str]] = {}
    for name, spec in TABLES.items():
        if name in present:
            have = {r[1] for r in db.execute(f'PRAGMA table_info("{name}")')}
            out[name] = [c.name for c in spec.columns if c.name in have]
    return out


def _write_dump(db: sqlite3.Connection, out: IO[str], progress: Callable[[str], None] | None) -> None:
    (schema,) = db.execute("PRAGMA user_version").fetchone()
    out.write(f'{{"format": "{FORMAT_NAME}", "schema": {int(schema)}, "tables": {{')
    for t, (name, columns) in enumerate(file_columns(db).items()):
        if progress:
            progress(name)
        spec = TABLES[name]
        kinds = [spec.column(c).kind for c in columns]
        convert = [k not in ("text", "int", "date") for k in kinds]
        out.write(("," if t else "") + f"\n{json.dumps(name)}: [")
        select = f'SELECT {", ".join(chr(34) + c + chr(34) for c in columns)} FROM "{name}" ORDER BY id'
        for i, row in enumerate(db.execute(select)):
            values = {
                col: storage_to_json(kind, v) if conv else v
                for col, kind, conv, v in zip(columns, kinds, convert, row, strict=True)
            }
            out.write(("," if i else "") + "\n" + json.dumps(values, ensure_ascii=False))
        out.write("\n]")
    out.write("\n}}\n")


def dump_ledger(
    source: Ledger | Path | str, out: IO[str] | None = None, progress: Callable[[str], None] | None = None
) -> str | None:
    """Write the dump of ``source`` (an open ledger or a ledger file) to ``out``; return it as a
    string when ``out`` is None. Never modifies the file. Raises LedgerFileError for a file that
    is not a usable ledger (including one another program holds: InUse)."""
    buffer = io.StringIO() if out is None else out
    with _connection(source) as db:
        _write_dump(db, buffer, progress)
    return buffer.getvalue() if out is None else None


# --------------------------------------------------------------------------- loading
class _Problems(list):
    def add(self, path: str, message: str) -> None:
        if len(self) < MAX_ERRORS:
            self.append(f"{path}: {message}")
        elif len(self) == MAX_ERRORS:
            self.append("……错误过多，其余未列出")


def _parse(text: str | bytes) -> Any:
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
    parsed = {name: _validate_rows(name, spec, tables.get(name, []), problems) for name, spec in TABLES.items()}
    _check_keys(parsed, problems)
    if problems:
        raise DumpInvalid(problems)
    return parsed


def load_ledger(source: str | bytes | Path | Any, dest: Path | str) -> LoadResult:
    """Build a new ledger at ``dest`` from a dump (JSON text/bytes, a path to a JSON file, or the
    parsed object). Refuses to overwrite ``dest``; writes nothing unless the whole dump is valid."""
    dest = Path(dest).absolute()
    if dest.exists():
        raise errors.FileExists(dest, f"文件已存在：{dest}。")
    if not dest.parent.is_dir():
        raise errors.FileUnreadable(dest, f"文件夹不存在：{dest.parent}。")
    if isinstance(source, Path):
        source = source.read_bytes()
    data = _parse(source) if isinstance(source, str | bytes) else source
    tables = validate_dump(data)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.loading")
    for leftover in (tmp, Path(f"{tmp}-journal")):
        leftover.unlink(missing_ok=True)
    result = LoadResult(dest)
    try:
        ledger = Ledger.open(tmp, create=True)
        try:
            result.counts = _insert(ledger, tables)
        finally:
            ledger.close()
        _move_into_place(tmp, dest)
    except BaseException:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)
        raise
    return result


def _insert(ledger: Ledger, tables: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    with ledger._lock:
        raw = ledger.engine.raw_connection()
        try:
            db = raw.driver_connection
            db.execute("BEGIN IMMEDIATE")
            try:
                for name, rows in tables.items():
                    columns = [c.name for c in TABLES[name].columns]
                    sql = (
                        f'INSERT INTO "{name}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) '
                        f"VALUES ({', '.join('?' * len(columns))})"
                    )
                    db.executemany(sql, ([row[c] for c in columns] for row in rows))
                    counts[name] = len(rows)
                problems = db.execute("PRAGMA foreign_key_check").fetchall()
                if problems:  # validated above; this is a safety net
                    raise RuntimeError(f"foreign key violations after load: {problems[:3]}")
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise _mapped(exc, ledger.path) from exc
        finally:
            raw.close()
    return counts


def _move_into_place(tmp: Path, dest: Path) -> None:
    """Rename without ever replacing a file that appeared at ``dest`` meanwhile."""
    try:
        os.link(tmp, dest)  # fails if dest exists
    except FileExistsError:
        raise errors.FileExists(dest, f"文件已存在：{dest}。") from None
    except OSError:  # file systems without hard links (FAT USB sticks)
        if dest.exists():
            raise errors.FileExists(dest, f"文件已存在：{dest}。") from None
        os.replace(tmp, dest)
        return
    tmp.unlink()
