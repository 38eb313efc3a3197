"""The ledger file as a whole: check it (never modifying it), save a verified copy, dump and load.

- :func:`check_ledger` — header, schema version, SQLite integrity, foreign keys, the tables and
  columns this program expects, record counts, and domain problems (desktop.services.ledger_checks).
  Works on a file (opened read-only, ``mode=ro``) or on the ledger this process has open (through
  its own connection — opening the file a second time would drop our lock, see ledger._OPEN).
- :func:`save_copy` — "另存副本": SQLite backup API into a temporary file beside ``dest``,
  ``integrity_check`` on the copy, then ``os.replace``.
- :func:`dump_ledger`, :func:`load_ledger` — see desktop.services.dumpload.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from desktop.store import errors, history
from desktop.store.header import SCHEMA_VERSION, read_header
from desktop.store.holder import in_use_error, probe
from desktop.store.ledger import Ledger, open_ledger_at, translate_sqlite_error
from desktop.store.migrations.steps import added_in
from desktop.store.opening import open_ledger
from desktop.store.pathlimits import check_path
from desktop.store.sqlcopy import BackupFailed, copy_database
from desktop.store.target import is_server_url, without_password
from desktop.store.tempfiles import temp_path

from .dump_validate import DumpInvalid
from .dumpload import LoadResult, dump_ledger, file_columns, load_ledger
from .ledger_checks import TABLE_LABEL, run_domain_checks, run_inspection_notes
from .ledger_format import TABLES

__all__ = [
    "CheckReport", "check_ledger", "save_copy", "dump_ledger", "load_ledger", "DumpInvalid", "LoadResult",
]  # fmt: skip

MAX_SQLITE_MESSAGES = 50


@dataclass
class CheckReport:
    """``ok``: usable and no problems. ``usable`` False: not a ledger this program can open (the
    reason is ``problems[0]``). ``counts``: live records per table; ``deleted``: tombstones."""

    path: Path
    ok: bool = False
    usable: bool = True
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    schema_version: int | None = None
    size: int = 0
    notes: list[str] = field(default_factory=list)
    damaged: bool = False  # SQLite's own checks failed: pages, foreign keys, tables or columns

    @property
    def exit_code(self) -> int:
        """0 fine, 1 problems found, 2 not a usable ledger."""
        return 0 if self.ok else (1 if self.usable else 2)

    def summary_lines(self) -> list[str]:
        """The report as the command line and the GUI show it (Chinese)."""
        where = "服务器台账" if is_server_url(str(self.path)) else "台账文件"
        lines = [f"{where}：{self.path}"]
        if self.size:
            lines.append(f"大小：{_human_size(self.size)}")
        if self.schema_version is not None:
            lines.append(f"数据格式：第 {self.schema_version} 版（本程序：第 {SCHEMA_VERSION} 版）")
        lines += self.notes
        if self.counts:
            lines.append("记录数：")
            for table, count in self.counts.items():
                deleted = self.deleted.get(table, 0)
                extra = f"（另有已删除 {deleted}）" if deleted else ""
                lines.append(f"  {TABLE_LABEL.get(table, table)}：{count}{extra}")
        if not self.usable:
            lines.append(f"无法使用：{self.problems[0] if self.problems else '未知原因'}")
        elif self.problems:
            lines.append(f"发现 {len(self.problems)} 个问题：")
            lines += [f"  {p}" if not p.startswith("  ") else p for p in self.problems]
        else:
            lines.append("检查通过，没有发现问题。")
        return lines


def _human_size(size: int) -> str:
    for unit in ("字节", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "字节" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


def check_ledger(target: Path | str | Ledger) -> CheckReport:
    """Check a ledger file (or the open ``Ledger``, or a server URL) without modifying it."""
    if is_server_url(target):
        try:
            with open_ledger(target) as server:
                return check_ledger(server)
        except errors.LedgerFileError as exc:
            report = CheckReport(without_password(str(target)))  # type: ignore[arg-type] # a URL is no Path
            report.usable, report.problems = False, [exc.message]
            return report
    ledger = target if isinstance(target, Ledger) else open_ledger_at(target)
    path = ledger.path if ledger is not None else Path(target).absolute()
    report = CheckReport(path)
    if ledger is not None and getattr(ledger, "is_server", False):
        report.path = ledger.url  # type: ignore[assignment]
    try:
        if ledger is None or not getattr(ledger, "is_server", False):
            report.size = os.stat(path).st_size
    except OSError:
        pass
    if ledger is not None:
        with ledger._lock:
            raw = ledger.engine.raw_connection()
            try:
                check_connection(ledger.wrap_dbapi(raw.driver_connection), report)
            finally:
                raw.close()
        return report
    try:
        held = probe(path)  # another program has it open: say who, as opening it would
        if held is not False:
            raise in_use_error(path, held or None)
        read_header(path)
    except errors.LedgerFileError as exc:
        report.usable, report.problems = False, [exc.message]
        return report
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1.0, isolation_level=None)
    except sqlite3.Error as exc:
        return _unusable(report, exc)
    try:
        check_connection(db, report)
    except sqlite3.Error as exc:
        return _unusable(report, exc)
    finally:
        db.close()
    return report


def _unusable(report: CheckReport, exc: sqlite3.Error) -> CheckReport:
    if getattr(exc, "sqlite_errorname", "") == "SQLITE_READONLY_ROLLBACK":
        message = "台账旁有未完成的日志文件（上次可能异常退出）。用本程序打开一次即可自动恢复。"
    else:
        mapped = translate_sqlite_error(exc, report.path)
        message = mapped.message if mapped is not None else f"无法读取台账：{exc}"
    report.ok, report.usable = False, False
    report.problems = [message]
    return report


def check_connection(db: sqlite3.Connection, report: CheckReport, *, quick: bool = False,
                      only: str | None = None) -> None:  # fmt: skip
    """``quick`` and ``only``: a merge's check of its result — ``quick_check`` (every page and
    record; the indexes were written by SQLite in this run) and the domain rules for the records
    listed in the table ``only`` (ledger_checks.run_domain_checks)."""
    db.execute("BEGIN")  # one consistent snapshot; never committed
    try:
        (report.schema_version,) = db.execute("PRAGMA user_version").fetchone()
        if report.schema_version < SCHEMA_VERSION:
            report.notes.append(f"这是较旧的第 {report.schema_version} 版数据格式，用本程序打开时会先备份再自动升级。")
        pragma = "quick_check" if quick else "integrity_check"
        integrity = [r[0] for r in db.execute(f"PRAGMA {pragma}({MAX_SQLITE_MESSAGES})")]
        if integrity != ["ok"]:
            report.problems += [f"完整性检查：{m}" for m in integrity]
        columns = file_columns(db)
        missing = _schema_problems(db, columns, report.schema_version)
        report.problems += missing
        fk_problems = _foreign_key_problems(db)
        report.problems += fk_problems
        report.damaged = integrity != ["ok"] or bool(missing) or bool(fk_problems)
        for table in columns if only is None else ():  # a merge's check reports problems, not counts
            live, deleted = db.execute(
                f'SELECT count(*) - count(deleted_at), count(deleted_at) FROM "{table}"'
            ).fetchone()
            report.counts[table] = live
            if deleted:
                report.deleted[table] = deleted
        if integrity == ["ok"]:
            report.problems += run_domain_checks(db, columns, only)
            report.notes += run_inspection_notes(db, columns)
    finally:
        db.execute("ROLLBACK")
    report.ok = not report.problems
    if missing:  # the program cannot open it: exit 2 with the plain reason first
        report.usable = False
        report.problems.insert(0, f"台账已损坏：{'、'.join(missing[:3])}{f'等 {len(missing)} 处' if len(missing) > 3 else ''}。")


def _schema_problems(db: sqlite3.Connection, columns: dict[str, list[str]], version: int) -> list[str]:
    later_tables, later_columns = added_in(version)
    problems = []
    for table, spec in TABLES.items():
        if table in later_tables:
            continue
        if table not in columns:
            problems.append(f"缺少数据表 {table}（{TABLE_LABEL.get(table, table)}）")
            continue
        for col in spec.columns:
            if col.name not in columns[table] and (table, col.name) not in later_columns:
                problems.append(f"数据表 {table} 缺少字段 {col.name}")
    return problems


def _foreign_key_problems(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("PRAGMA foreign_key_check").fetchall()
    problems = []
    fk_columns: dict[tuple[str, int], str] = {}
    for table, rowid, parent, fkid in rows[:MAX_SQLITE_MESSAGES]:
        if (table, fkid) not in fk_columns:
            for fk in db.execute(f'PRAGMA foreign_key_list("{table}")'):
                fk_columns[(table, fk[0])] = fk[3]
        column = fk_columns.get((table, fkid), "?")
        found = db.execute(f'SELECT id, "{column}" FROM "{table}" WHERE rowid = ?', (rowid,)).fetchone()
        rid, ref = found if found else (f"rowid {rowid}", "?")
        problems.append(
            f"{TABLE_LABEL.get(table, table)}记录 {rid} 的 {column} 指向不存在的"
            f"{TABLE_LABEL.get(parent, parent)}记录 {ref}"
        )
    if len(rows) > MAX_SQLITE_MESSAGES:
        problems.append(f"  ……外键问题另有 {len(rows) - MAX_SQLITE_MESSAGES} 条")
    return problems


def _new_copy_id(db: sqlite3.Connection) -> None:
    """另存副本 makes a new copy of the ledger: it gets its own copy id (bound to its place at its
    first write), the open ledger keeps its own."""
    history.mint_copy(db, history.CopyOrigin.SAVED_AS, "")


def save_copy(ledger: Ledger, dest: Path | str) -> Path:
    """Save a verified copy of the open ledger at ``dest`` (replacing a file there) and return it.

    Refuses the ledger's own file and any ledger open in this process. The copy is made with the
    SQLite backup API from the ledger's connection under its lock, checked, then renamed into place.
    """
    dest = Path(dest).expanduser().absolute()
    check_path(dest, extra_name=temp_path(dest).name)
    shown = ledger.shown_path  # a working copy's original counts as the open file too
    in_use = dest.exists() and any(os.path.samefile(dest, p) for p in {ledger.path, shown} if p.exists())
    if open_ledger_at(dest) is not None or in_use:
        raise errors.CopyOntoOpenLedger(dest)
    if not dest.parent.is_dir():
        raise errors.FileUnreadable(dest, f"文件夹不存在：{dest.parent}。")
    with ledger._lock:
        raw = ledger.engine.raw_connection()
        try:
            return copy_database(raw.driver_connection, dest, prepare=_new_copy_id)
        except BackupFailed as exc:
            raise errors.CorruptFile(dest, "副本未通过完整性检查，没有保存。台账文件可能已损坏。", str(exc)) from exc
        except sqlite3.Error as exc:
            mapped = translate_sqlite_error(exc, dest)
            if mapped is None:
                raise
            raise type(mapped)(dest, f"副本没有保存：{mapped.message}", str(exc)) from exc
        except PermissionError as exc:
            raise errors.ReadOnlyFile(dest, f"没有权限在 {dest.parent} 中保存副本。", str(exc)) from exc
        except OSError as exc:
            raise errors.FileUnreadable(dest, f"副本没有保存：{exc.strerror}。", str(exc)) from exc
        finally:
            raw.close()
