"""A safe merge of two ledger files into a new one.

``prepare(mine, theirs, out)``:
1. refuses an ``out`` that exists or is one of the inputs, and two files that are not copies of
   one ledger (no shared copy id or committee) unless ``combine`` (two branches' ledgers into
   one committee ledger: their committee folds into ours);
2. backs up both inputs, at the same time (desktop.services.backups: SQLite backup API, verified
   with ``quick_check``, reason 合并前, in each ledger's backup folder) — before anything else
   is written;
3. works on the backups, never on the inputs: MINE's backup is copied beside ``out`` (the result
   is written there), THEIRS' backup is read in place (attached read-only); an input of an older
   schema is copied and the copy upgraded first;
4. works out the plan (:mod:`.plan`): the conflicts are listed for the caller to decide.

``MergeSession.finish()`` applies the decisions (:mod:`.apply`), checks the result on the same
connection — ``quick_check`` of every page, ``foreign_key_check`` of the whole file, the tables
and columns, and the ``zhibu check`` rules (those that read every attendance row or every value
only for the records the merge wrote, see ledger_checks.run_domain_checks) — syncs it and only
then moves it to ``out``. ``cancel()`` removes the temporary files. Nothing half-written is ever
left at ``out``. Timings: docs/performance.md (合并).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from desktop.store import errors
from desktop.store.header import SCHEMA_VERSION, read_header
from desktop.store.ledger import Ledger, open_ledger_at, translate_sqlite_error
from desktop.store.recovery import verify_structure
from desktop.store.sqlcopy import BackupFailed
from desktop.store.tempfiles import fsync_dir, fsync_file

from ..files import CheckReport, check_connection
from .apply import Applied, apply
from .plan import MergePlan, compute, shared_origin


class MergeRefused(Exception):
    """The merge cannot be done; ``message`` says why in Chinese (exit 2 on the command line)."""

    def __init__(self, message: str, *, unrelated: bool = False):
        super().__init__(message)
        self.message = message
        self.unrelated = unrelated  # no shared origin: combining the two ledgers is possible


@dataclass
class MergeResult:
    mine: Path
    theirs: Path
    out: Path
    plan: MergePlan
    applied: Applied
    backups: list[Path]
    check: CheckReport
    upgraded: list[str] = field(default_factory=list)
    at: datetime = field(default_factory=datetime.now)
    on_server: str = ""  # merged into this server ledger (desktop.services.merge.onserver): no result file


def _backup(source: Path, root: Path | None) -> Path:
    """A verified backup of an input before the merge (desktop.services.backups, reason 合并前)."""
    from desktop.store.backups import make_file_backup

    from ..backups import backup_before

    ledger = open_ledger_at(source)
    try:
        if ledger is not None:
            return backup_before(ledger, "merge", root=root, quick=True, rotate_after=False).path  # rotating could remove the other input's backup
        with closing(sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True, timeout=1.0, isolation_level=None)) as db:
            # a file another program holds: "in use" now (sqlite3's backup() would retry forever)
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return make_file_backup(db, source, "merge", root).path
    except errors.LedgerFileError as exc:
        raise MergeRefused(f"合并前无法备份 {source.name}：{exc.message}没有合并。") from exc
    except BackupFailed as exc:
        raise MergeRefused(f"{source.name} 未通过完整性检查，可能已损坏，没有合并。") from exc
    except sqlite3.Error as exc:
        mapped = translate_sqlite_error(exc, source)
        why = mapped.message if mapped is not None else str(exc)
        raise MergeRefused(f"合并前无法备份 {source.name}：{why}没有合并。") from exc
    except OSError as exc:
        raise MergeRefused(f"合并前无法写入备份（{exc.strerror or exc}），没有合并。") from exc


def _backups(inputs: tuple[Path, Path], root: Path | None) -> list[Path]:
    """Both backups at once (the copy and its check mostly run in SQLite, outside the GIL)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(_backup, p, root) for p in inputs]
        return [f.result() for f in futures]  # the first failure (MINE's before THEIRS') is raised


def _working_file(src: Path, backup: Path, dest: Path, work: Path, always_copy: bool) -> tuple[Path, str | None]:
    """The file the merge reads ``src`` from: its backup itself (read only) or a copy at ``dest``
    (``always_copy``: the result is written there; or an older schema, upgraded on the copy).
    Returns it and, when upgraded, the note for the report."""
    version = read_header(backup).user_version
    if version >= SCHEMA_VERSION and not always_copy:
        path = backup
    else:
        shutil.copyfile(backup, dest)  # from the verified backup just made: no second pass over the input
        path = dest
    if version < SCHEMA_VERSION:
        ledger = Ledger.open(dest, backup_dir=work / "upgrade-backups")  # upgrades the copy
        ledger.close()
        shutil.rmtree(work / "upgrade-backups", ignore_errors=True)  # the inputs' backups are made above
        return path, f"{src.name}：第 {version} 版已在副本上升级"
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
        verify_structure(db, src, version, pages=False)  # its pages were checked with the backup
    return path, None


class MergeSession:
    def __init__(self, mine: Path, theirs: Path, out: Path, work: Path, db: sqlite3.Connection,
                 plan: MergePlan, backups: list[Path], upgraded: list[str]):  # fmt: skip
        self.mine, self.theirs, self.out, self.work = mine, theirs, out, work
        self.db, self.plan, self.backups, self.upgraded = db, plan, backups, upgraded

    @property
    def conflicts(self):
        return self.plan.conflicts

    def decide(self, key: str, choice: str) -> None:
        conflict = self.plan.conflict(key)
        if conflict is None:
            raise KeyError(key)
        if choice not in {c for c, _ in conflict.options}:
            raise ValueError(f"{choice} is not an option of {key}")
        conflict.choice = choice

    def finish(self) -> MergeResult:
        try:
            applied = apply(self.db, self.plan)
            self.db.execute("DETACH DATABASE t")
            tmp_out = self.work / "out.zhibu"
            check = CheckReport(self.out, size=tmp_out.stat().st_size)
            self.db.execute("CREATE TEMP TABLE merge_touched (id TEXT, field TEXT, PRIMARY KEY (id, field)) WITHOUT ROWID")
            self.db.executemany("INSERT INTO merge_touched VALUES (?, ?)", sorted(applied.touched))
            check_connection(self.db, check, quick=True, only="temp.merge_touched")
            check.ok = not check.problems
            self.db.close()
            if check.damaged:
                raise MergeRefused(f"合并结果未通过完整性检查（{'; '.join(check.problems[:3])}），没有保存。")
            fsync_file(tmp_out)  # written with synchronous=OFF: durable before it takes its name
            _move_into_place(tmp_out, self.out)
            fsync_dir(self.out.parent)
            return MergeResult(self.mine, self.theirs, self.out, self.plan, applied, self.backups, check, self.upgraded)
        finally:
            self.cancel()

    def cancel(self) -> None:
        try:
            self.db.close()
        except sqlite3.Error:
            pass
        shutil.rmtree(self.work, ignore_errors=True)


def _move_into_place(tmp: Path, dest: Path) -> None:
    try:
        os.link(tmp, dest)
    except FileExistsError:
        raise MergeRefused(f"文件已存在：{dest}。") from None
    except OSError:
        if dest.exists():
            raise MergeRefused(f"文件已存在：{dest}。") from None
        os.replace(tmp, dest)


def prepare(mine: Path | str, theirs: Path | str, out: Path | str, *, combine: bool = False,
            backup_dir: Path | None = None) -> MergeSession:  # fmt: skip
    mine, theirs, out = (Path(p).expanduser().absolute() for p in (mine, theirs, out))
    for p in (mine, theirs):
        if not p.is_file():
            raise MergeRefused(f"找不到台账文件：{p}。")
    if os.path.samefile(mine, theirs):
        raise MergeRefused("两个文件是同一个文件，无需合并。")
    if out.exists() or out.is_symlink():
        raise MergeRefused(f"文件已存在：{out}。合并结果总是写入一个新文件，请换一个文件名。")
    if not out.parent.is_dir():
        raise MergeRefused(f"文件夹不存在：{out.parent}。")
    for p in (mine, theirs):
        try:
            read_header(p)
        except errors.LedgerFileError as exc:
            raise MergeRefused(f"{p.name}：{exc.message}") from exc
    root = Path(backup_dir).expanduser().absolute() if backup_dir else None
    backups = _backups((mine, theirs), root)
    work = Path(tempfile.mkdtemp(prefix=f".{out.stem}.merging.", dir=out.parent))
    db = None
    try:
        upgraded = []
        for src, backup, name, writable in ((mine, backups[0], "out.zhibu", True), (theirs, backups[1], "theirs.zhibu", False)):
            try:
                path, note = _working_file(src, backup, work / name, work, writable)
            except errors.LedgerFileError as exc:
                raise MergeRefused(f"{src.name}：{exc.message}没有合并。") from exc
            if writable:
                out_path = path
            else:
                theirs_path = path
            if note:
                upgraded.append(note)
        # UI: prepare and finish run in worker threads
        db = sqlite3.connect(out_path, isolation_level=None, check_same_thread=False, uri=True)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA journal_mode = DELETE")
        db.execute("PRAGMA synchronous = OFF")  # scratch until checked; finish() syncs it before the rename
        db.execute("ATTACH DATABASE ? AS t", (f"{theirs_path.as_uri()}?mode=ro",))
        if not shared_origin(db) and not combine:
            raise MergeRefused(
                f"{theirs.name} 与 {mine.name} 不是同一份台账的副本（没有共同的来源），不能合并。"
                "如果要把两个支部的台账合成一个党委台账，请选择“合并为党委台账”。",
                unrelated=True,
            )
        plan = compute(db, combine=combine)
    except BaseException:
        if db is not None:
            db.close()
        MergeSession(mine, theirs, out, work, sqlite3.connect(":memory:"), MergePlan(), backups, []).cancel()
        raise
    return MergeSession(mine, theirs, out, work, db, plan, backups, upgraded)


def merge_files(mine, theirs, out, *, decisions: dict[str, str] | None = None, combine: bool = False,
                backup_dir: Path | None = None) -> MergeResult:  # fmt: skip
    """Merge in one go: conflicts take ``decisions`` (key → option) or their defaults."""
    session = prepare(mine, theirs, out, combine=combine, backup_dir=backup_dir)
    try:
        for key, choice in (decisions or {}).items():
            session.decide(key, choice)
    except BaseException:
        session.cancel()
        raise
    return session.finish()
