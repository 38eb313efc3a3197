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

from desktop.store import errors
from desktop.store.header import read_header
from desktop.store.holder import refuse_if_held
from desktop.store.ledger import Ledger, open_ledger_at, translate_sqlite_error
from desktop.store.opening import open_ledger
from desktop.store.pathlimits import check_path
from desktop.store.recovery import structure_problems
from desktop.store.target import is_server_url
from desktop.store.tempfiles import clean_stale, temp_path

from .dump_validate import parse_json, validate_dump
from .ledger_format import DUMP_TABLES, FORMAT_NAME, TABLES, storage_to_json


@dataclass
class LoadResult:
    path: Path
    counts: dict[str, int] = field(default_factory=dict)


# --------------------------------------------------------------------------- reading
@contextmanager
def _connection(source: Ledger | Path | str) -> Iterator[sqlite3.Connection]:
    """A connection to read from without changing anything: the open ledger's own (under its lock),
    or a read-only one (``mode=ro``) to a file this process does not hold."""
    if is_server_url(source):  # a server ledger: opened for this read only
        with open_ledger(source) as server, _connection(server) as db:
            yield db
        return
    ledger = source if isinstance(source, Ledger) else open_ledger_at(source)
    if ledger is not None:
        with ledger._lock:
            raw = ledger.engine.raw_connection()
            try:
                db = ledger.wrap_dbapi(raw.driver_connection)
                db.execute("BEGIN")
                if getattr(ledger, "is_server", False):  # one snapshot: others may write meanwhile
                    db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                try:
                    yield db
                finally:
                    db.execute("ROLLBACK")
            finally:
                raw.close()
        return
    path = Path(source).absolute()
    refuse_if_held(path)  # another program has it open (its SQLite lock may be gone; ours is not)
    read_header(path)  # names the problem for an empty, foreign, newer or truncated file
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1.0, isolation_level=None)
    except sqlite3.Error as exc:
        raise _mapped(exc, path) from exc
    try:
        db.execute("BEGIN")
        (version,) = db.execute("PRAGMA user_version").fetchone()
        missing = structure_problems(db, version)
        if missing:  # what Ledger.open refuses: a dump would silently leave tables out
            raise errors.CorruptFile(path, f"台账已损坏：{'、'.join(missing[:3])}：{path}。")
        yield db
        db.execute("ROLLBACK")
    except sqlite3.Error as exc:
        raise _mapped(exc, path) from exc
    finally:
        db.close()


def _mapped(exc: sqlite3.Error, path: Path) -> Exception:
    return translate_sqlite_error(exc, path) or exc


def file_columns(db: sqlite3.Connection, tables=None) -> dict[str, list[str]]:
    """Known record tables (or ``tables``, e.g. DUMP_TABLES) present in the file → their known
    columns, in model order."""
    present = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    out: dict[str, list[str]] = {}
    for name, spec in (TABLES if tables is None else tables).items():
        if name in present:
            have = {r[1] for r in db.execute(f'PRAGMA table_info("{name}")')}
            out[name] = [c.name for c in spec.columns if c.name in have]
    return out


# text columns a later schema dropped: an older file's dump keeps them (loading upgrades them)
DROPPED_TEXT = {"member": ("party_post",)}  # schema 5: 党内职务 are post holdings


def _write_dump(db: sqlite3.Connection, out: IO[str], progress: Callable[[str], None] | None) -> None:
    (schema,) = db.execute("PRAGMA user_version").fetchone()
    out.write(f'{{"format": "{FORMAT_NAME}", "schema": {int(schema)}, "tables": {{')
    for t, (name, columns) in enumerate(file_columns(db, DUMP_TABLES).items()):
        if progress:
            progress(name)
        spec = DUMP_TABLES[name]
        kinds = [spec.column(c).kind for c in columns]
        have = {r[1] for r in db.execute(f'PRAGMA table_info("{name}")')} if name in DROPPED_TEXT else set()
        old = [c for c in DROPPED_TEXT.get(name, ()) if c in have]
        columns, kinds = [*columns, *old], [*kinds, *("text" for _ in old)]
        convert = [k not in ("text", "int", "date") for k in kinds]
        out.write(("," if t else "") + f"\n{json.dumps(name)}: [")
        order = "id" if "id" in columns else "record_id, set_id, field"  # the change table's key
        select = f'SELECT {", ".join(chr(34) + c + chr(34) for c in columns)} FROM "{name}" ORDER BY {order}'
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
def load_ledger(source: str | bytes | Path | Any, dest: Path | str) -> LoadResult:
    """Build a new ledger at ``dest`` from a dump (JSON text/bytes, a path to a JSON file, or the
    parsed object). Refuses to overwrite ``dest``; writes nothing unless the whole dump is valid.
    ``dest`` may be a server URL: an empty database gets the ledger (one transaction)."""
    if is_server_url(dest):
        return _load_server(source, str(dest))
    dest = Path(dest).absolute()
    check_path(dest, extra_name=temp_path(dest).name)
    if dest.exists():
        raise errors.FileExists(dest, f"文件已存在：{dest}。")
    if not dest.parent.is_dir():
        raise errors.FileUnreadable(dest, f"文件夹不存在：{dest.parent}。")
    if isinstance(source, Path):
        source = source.read_bytes()
    data = parse_json(source) if isinstance(source, str | bytes) else source
    tables = validate_dump(data)
    clean_stale(dest.parent)
    tmp = temp_path(dest)
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


def _load_server(source, url: str) -> LoadResult:
    if isinstance(source, Path):
        source = source.read_bytes()
    data = parse_json(source) if isinstance(source, str | bytes) else source
    tables = validate_dump(data)
    ledger = open_ledger(url, create=True)  # refuses a database that already holds a ledger
    try:
        result = LoadResult(ledger.path, _insert(ledger, tables))
        with ledger.engine.begin() as conn:  # the change sets came with their ids: the sequence goes past them
            from sqlalchemy import text

            conn.execute(text("SELECT setval(pg_get_serial_sequence('change_set', 'id'),"
                              " coalesce((SELECT max(id) FROM change_set), 0) + 1, false)"))
        from .search import ensure_index_for

        ensure_index_for(ledger)
    except BaseException:
        ledger.undo_create()  # nothing half-made stays: a retry finds the empty database
        raise
    finally:
        ledger.close()
    return result


def _insert(ledger: Ledger, tables: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    with ledger._lock:
        raw = ledger.engine.raw_connection()
        try:
            db = ledger.wrap_dbapi(raw.driver_connection)
            db.execute("BEGIN IMMEDIATE")
            try:
                if tables.get("ledger_copy"):  # the dump's copies replace the one the new file started with
                    db.execute("DELETE FROM ledger_copy")
                for name, rows in tables.items():
                    columns = [c.name for c in DUMP_TABLES[name].columns]
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
