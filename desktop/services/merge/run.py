"""A safe merge of two ledger files into a new one.

``prepare(mine, theirs, out)``:
1. refuses an ``out`` that exists or is one of the inputs, and two files that are not copies of
   one ledger (no shared copy id or committee) unless ``combine`` (two branches' ledgers into
   one committee ledger: their committee folds into ours);
2. backs up both inputs (desktop.services.backups: SQLite backup API, verified, reason 合并前,
   in each ledger's backup folder) — before anything else is written;
3. copies those backups to temporary files beside ``out``, upgrading either copy
   to the current schema when older (the inputs themselves are never written);
4. works out the plan (:mod:`.plan`): the conflicts are listed for the caller to decide.

``MergeSession.finish()`` applies the decisions (:mod:`.apply`), checks the result
(``integrity_check``, foreign keys, the ``zhibu check`` rules) and only then moves it to ``out``.
``cancel()`` removes the temporary files. Nothing half-written is ever left at ``out``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from desktop.store import errors
from desktop.store.header import read_header
from desktop.store.ledger import Ledger, open_ledger_at, translate_sqlite_error
from desktop.store.sqlcopy import BackupFailed

from ..files import CheckReport, check_ledger
from .apply import Applied, apply
from .plan import MergePlan, compute, shared_origin


class MergeRefused(Exception):
    """The merge cannot be done; ``message`` says why in Chinese (exit 2 on the command line)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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


def _backup(source: Path, root: Path | None) -> Path:
    """A verified backup of an input before the merge (desktop.services.backups, reason 合并前)."""
    from desktop.store.backups import make_backup

    from ..backups import backup_before

    ledger = open_ledger_at(source)
    try:
        if ledger is not None:
            return backup_before(ledger, "merge", root=root).path
        with closing(sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True, timeout=1.0)) as db:
            # a file another program holds: "in use" now (sqlite3's backup() would retry forever)
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return make_backup(db, source, "merge", root).path
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
            integrity = [r[0] for r in self.db.execute("PRAGMA integrity_check")]
            fks = self.db.execute("PRAGMA foreign_key_check").fetchall()
            self.db.close()
            if integrity != ["ok"] or fks:
                raise MergeRefused(f"合并结果未通过完整性检查（{'; '.join(integrity[:3])}），没有保存。")
            tmp_out = self.work / "out.zhibu"
            check = check_ledger(tmp_out)
            check.path = self.out
            _move_into_place(tmp_out, self.out)
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
    backups = [_backup(p, root) for p in (mine, theirs)]
    work = Path(tempfile.mkdtemp(prefix=f".{out.stem}.merging.", dir=out.parent))
    db = None
    try:
        upgraded = []
        for src, backup, name in ((mine, backups[0], "out.zhibu"), (theirs, backups[1], "theirs.zhibu")):
            dest = work / name  # from the verified backup just made: a plain copy, no second pass over the file
            shutil.copyfile(backup, dest)
            ledger = Ledger.open(dest, backup_dir=work / "upgrade-backups")  # upgrades an older copy
            if ledger.upgraded_from:
                upgraded.append(f"{src.name}：第 {ledger.upgraded_from} 版已在副本上升级")
            ledger.close()
        shutil.rmtree(work / "upgrade-backups", ignore_errors=True)  # the inputs' backups are made above
        db = sqlite3.connect(work / "out.zhibu", isolation_level=None, check_same_thread=False)  # UI: prepare and finish run in worker threads
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA journal_mode = DELETE")
        db.execute("ATTACH DATABASE ? AS t", (str(work / "theirs.zhibu"),))
        if not shared_origin(db) and not combine:
            raise MergeRefused(
                f"{theirs.name} 与 {mine.name} 不是同一份台账的副本（没有共同的来源），不能合并。"
                "如果要把两个支部的台账合成一个党委台账，请选择“合并为党委台账”。"
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
