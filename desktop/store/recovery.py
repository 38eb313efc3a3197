"""After a crash: let SQLite roll back a hot journal first, then judge the file.

A kill or power cut inside a commit leaves a *hot* ``-journal`` beside the file: the original
content of every page the commit was changing. Until SQLite plays it back, the file itself is a
mix of old and new pages, and its header may already claim the new page count (a growing save)
or the new ``user_version`` (an upgrade). So the header is judged only *after* SQLite has rolled
the journal back, under our exclusive lock (:meth:`Ledger.open`):

1. ``read_header`` checks what cannot change in a commit (SQLite magic, our application id) and,
   when a hot journal lies beside the file, defers the page-count and version checks;
2. taking the exclusive lock makes SQLite play the journal back;
3. :func:`judge_after_lock` judges page count, size and version through the connection
   (never ``open()``: closing a second descriptor would drop our POSIX lock, see ledger._OPEN);
4. :func:`verify_structure` compares the tables and columns with what the file's version must
   have and runs ``PRAGMA quick_check`` on files up to ``QUICK_CHECK_MAX_BYTES`` that this program
   cannot vouch for (not exactly as it closed them, see :mod:`.cleanclose`): a file copied
   *without* its hot journal (copied while the program was saving) is refused with a plain
   message instead of failing later.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from . import errors
from .header import SCHEMA_VERSION, has_hot_journal

__all__ = ["has_hot_journal", "judge_after_lock", "verify_structure", "structure_problems", "expected_columns"]

# quick_check reads the whole file: 0.25 s for the 36 MB ten-year ledger (docs/performance-store.md)
QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024


def _damaged(path: Path, what: str, detail: str = "") -> errors.CorruptFile:
    return errors.CorruptFile(path, f"台账已损坏：{what}：{path}。", detail)


def judge_after_lock(db: sqlite3.Connection, path: Path) -> int:
    """Header checks on the rolled-back file, read through ``db``; returns its user_version."""
    (version,) = db.execute("PRAGMA user_version").fetchone()
    (page_count,) = db.execute("PRAGMA page_count").fetchone()
    (page_size,) = db.execute("PRAGMA page_size").fetchone()
    if version > SCHEMA_VERSION:
        raise errors.NewerSchema(
            path, f"这个台账由较新版本的支部台账创建（数据格式第 {version} 版，本程序支持到第 {SCHEMA_VERSION} 版）。"
        )
    if version < 1:
        raise errors.CorruptFile(path, f"台账文件缺少数据格式版本号，可能已损坏：{path}。")
    size = os.stat(path).st_size
    if size != page_count * page_size:
        raise _damaged(path, f"文件大小（{size} 字节）与文件头（{page_count * page_size} 字节）不一致")
    return version


def expected_columns(version: int) -> dict[str, set[str]]:
    """Tables and columns a ledger of schema ``version`` must have (later additions left out)."""
    from .migrations.steps import added_in
    from .models import Base

    later_tables, later_columns = added_in(version)
    out: dict[str, set[str]] = {}
    for name, table in Base.metadata.tables.items():
        if name not in later_tables:
            out[name] = {c.name for c in table.columns if (name, c.name) not in later_columns}
    return out


def structure_problems(db: sqlite3.Connection, version: int) -> list[str]:
    """Missing tables and columns for a file of schema ``version`` (empty when complete)."""
    return missing_structure(db.execute(  # one statement for every table (not one PRAGMA per table)
        "SELECT m.name, p.name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p WHERE m.type = 'table'"
    ), version)


def missing_structure(table_columns, version: int) -> list[str]:
    """What a ledger of schema ``version`` lacks, given its (table, column) pairs (a file's or a
    server database's)."""
    have: dict[str, set[str]] = {}
    for table, column in table_columns:
        have.setdefault(table, set()).add(column)
    problems = []
    for table, columns in expected_columns(version).items():
        if table not in have:
            problems.append(f"缺少数据表 {table}")
            continue
        problems += [f"数据表 {table} 缺少字段 {c}" for c in sorted(columns - have[table])]
    return problems


def verify_structure(db: sqlite3.Connection, path: Path, version: int, *, pages: bool = True) -> None:
    """Refuse a file whose tables do not match its version, or (``pages``, up to
    QUICK_CHECK_MAX_BYTES) whose pages do not fit together: typically a file copied while it was
    being saved. ``pages`` is False for a file exactly as this program closed it (cleanclose)."""
    problems = structure_problems(db, version)
    if problems:
        more = f"等 {len(problems)} 处" if len(problems) > 3 else ""
        raise _damaged(path, "、".join(problems[:3]) + more)
    if pages and os.stat(path).st_size <= QUICK_CHECK_MAX_BYTES:
        result = [r[0] for r in db.execute("PRAGMA quick_check(5)")]
        if result != ["ok"]:
            raise _damaged(
                path, "文件内部结构不一致（可能是在程序保存时复制的，或复制时缺少旁边的 -journal 日志文件）",
                "; ".join(result),
            )
