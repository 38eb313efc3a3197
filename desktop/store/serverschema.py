"""Upgrading a server ledger's schema: the file's steps, after a ``pg_dump`` backup.

``upgrade_server(ledger, from_version, backup_dir)`` (called by ``ServerLedger.open``):

1. ``pg_dump --format=custom`` of the whole database into ``backup_dir`` (default
   ``paths.backup_dir()``) as ``<db>.v<from>.<timestamp>.pgdump``, written under a temp name,
   checked with ``pg_restore --list`` and only then renamed: the path is returned (and shown);
2. in ONE transaction, with the version row locked (two programs opening at once: the second
   finds the work done), the steps of desktop.store.migrations.steps run, their SQLite spellings
   translated (``DATETIME`` → ``TIMESTAMP``, ``BLOB`` → ``BYTEA``, no ``WITHOUT ROWID``), and
   ``schema_version`` is set. Any failure rolls everything back.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from . import errors, paths
from .header import SCHEMA_VERSION
from .migrations.steps import STEPS
from .pgcompat import CompatConnection

if TYPE_CHECKING:
    from .server import ServerLedger  # noqa: F401

_TRANSLATE = ((re.compile(r"\bDATETIME\b", re.I), "TIMESTAMP"), (re.compile(r"\bBLOB\b", re.I), "BYTEA"),
              (re.compile(r"\)\s*WITHOUT ROWID\s*$", re.I), ")"))


def pg_sql(statement: str) -> str:
    """One statement of an upgrade step as PostgreSQL takes it."""
    for pattern, repl in _TRANSLATE:
        statement = pattern.sub(repl, statement)
    return statement


class _StepConnection(CompatConnection):
    """What a step calls ``db.execute(sql, params)`` on: the upgrade's transaction, with the
    step's SQLite spellings translated and rows in SQLite's storage form."""

    def execute(self, sql: str, params=()):
        return super().execute(pg_sql(sql), params)

    def executemany(self, sql: str, rows):
        return super().executemany(pg_sql(sql), rows)


def tool(name: str) -> str:
    """Path of a PostgreSQL client program (pg_dump, pg_restore): PATH, then Debian's newest."""
    found = shutil.which(name)
    if found:
        return found
    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True):
        if os.access(Path(d) / name, os.X_OK):
            return str(Path(d) / name)
    raise errors.ServerUnavailable(None, f"找不到 {name}（PostgreSQL 客户端程序），升级前无法备份服务器上的台账。"
                                         "请安装 postgresql-client。")


def libpq_target(ledger: ServerLedger) -> tuple[str, dict]:
    """(libpq URL without the password, environment with PGPASSWORD) for the client programs."""
    url = ledger.engine.url
    env = dict(os.environ)
    query = dict(url.query)
    password = url.password or query.pop("password", None)  # never on a command line (ps shows it)
    if password:
        env["PGPASSWORD"] = str(password)
    plain = url.set(drivername="postgresql", password=None, query=query).render_as_string(hide_password=False)
    return plain, env


def dump(ledger: ServerLedger, dest: Path, before: str = "升级前") -> Path:
    """``pg_dump`` the ledger's database to ``dest`` (temp name, checked, renamed). Rows are read
    through the row-level security policies (a branch secretary may back up before a merge: the
    policies let every role read every row; the owner is not subject to them)."""
    target, env = libpq_target(ledger)
    tmp = dest.with_name(dest.name + ".tmp")
    proc = subprocess.run([tool("pg_dump"), "--format=custom", "--enable-row-security", f"--file={tmp}",
                           f"--dbname={target}"], capture_output=True, text=True, env=env)  # fmt: skip
    if proc.returncode != 0:
        tmp.unlink(missing_ok=True)
        raise errors.ServerUnavailable(ledger.url, f"{before}备份服务器上的台账（pg_dump）失败，台账保持原样。",
                                       proc.stderr.strip())
    check = subprocess.run([tool("pg_restore"), "--list", str(tmp)], capture_output=True, text=True)
    if check.returncode != 0 or "TABLE DATA" not in check.stdout:
        tmp.unlink(missing_ok=True)
        raise errors.ServerUnavailable(ledger.url, f"{before}的备份（pg_dump）无法读回，台账保持原样。", check.stderr.strip())
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, dest)
    return dest


def upgrade_server(ledger: ServerLedger, from_version: int, backup_dir: Path | None = None) -> Path:
    if not 1 <= from_version < SCHEMA_VERSION:
        raise ValueError(f"cannot upgrade from schema {from_version} to {SCHEMA_VERSION}")
    missing = [v for v in range(from_version, SCHEMA_VERSION) if v not in STEPS]
    if missing:
        raise RuntimeError(f"no upgrade step from schema {missing[0]}")
    folder = Path(backup_dir) if backup_dir is not None else paths.backup_dir()
    folder.mkdir(parents=True, exist_ok=True)
    db = ledger.engine.url.database or "ledger"
    backup = dump(ledger, folder / f"{db}.v{from_version}.{datetime.now():%Y%m%d-%H%M%S}.pgdump")
    try:
        with ledger.engine.begin() as conn:
            found = int(conn.execute(text("SELECT value FROM zhibu_meta WHERE key = 'schema_version' FOR UPDATE"))
                        .scalar_one())
            if found >= SCHEMA_VERSION:  # another program upgraded it meanwhile
                return backup
            if found != from_version:
                raise RuntimeError(f"expected schema {from_version}, found {found}")
            step_db = _StepConnection(conn.connection.driver_connection)
            for version in range(from_version, SCHEMA_VERSION):
                STEPS[version](step_db)  # type: ignore[arg-type]
            conn.execute(text("UPDATE zhibu_meta SET value = :v WHERE key = 'schema_version'"),
                         {"v": str(SCHEMA_VERSION)})
    except (DBAPIError, psycopg.Error) as exc:  # rolled back: said plainly, as a file's failed upgrade is
        what = f"台账从第 {from_version} 版升级到第 {SCHEMA_VERSION} 版时出错"
        mapped = ledger._map_error(exc)  # no right to change the schema, the connection lost
        if mapped is not None:
            raise type(mapped)(ledger.url, f"{what}：{mapped.message}服务器上的台账保持原样。", str(exc)) from exc
        raise errors.CorruptFile(ledger.url, f"{what}，服务器上的台账保持原样（备份：{backup}）。", str(exc)) from exc
    return backup
