"""Merging a ledger file into the ledger on a server (``zhibu push FILE URL`` onto a database that
holds a ledger; 文件 › 合并另一份台账… with a server ledger open).

The same merge as two files (:mod:`.run`, :mod:`.plan`, :mod:`.apply`), with the server as MINE
(本方) and the file as THEIRS (对方):

1. a snapshot of the server ledger — one ``REPEATABLE READ, READ ONLY`` transaction, dumped and
   loaded into a temporary file together with the change counter it was read at;
2. ``prepare(snapshot, file, result)``: copies of one ledger (a file pulled from this server, a
   branch file pushed here before) merge record by record with their history; an unrelated ledger
   is refused unless ``combine``; the conflicts are listed, named by their records, for the caller
   to decide (the command line refuses undecided ones, as ``zhibu merge`` does);
3. ``finish()``: the decided merge is applied to the result file and checked exactly as a file
   merge is (pages, foreign keys, ``zhibu check`` rules of what it wrote); then a ``pg_dump`` of the
   server database (reason ``merge``, desktop.services.backups); then the difference between the
   snapshot and the result goes onto the server in ONE transaction (:mod:`.delta`). If another
   program changed what the merge read meanwhile, nothing is written and the merge is planned again
   on a fresh snapshot with the same decisions (at most three times); a conflict that was not
   there before stops it (decide again) unless defaults were accepted.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from desktop.store.opening import open_ledger

from ..dumpload import _write_dump, load_ledger
from .delta import StaleSnapshot, write
from .run import MergeRefused, MergeResult, MergeSession, prepare

ATTEMPTS = 3
SNAPSHOT = "服务器上的台账.zhibu"


def snapshot(ledger, dest: Path) -> tuple[int, set[str]]:
    """The server ledger as a file at ``dest``, read in one consistent transaction; returns the
    change counter that transaction saw and the copy ids the file has and the server lacks."""
    raw = ledger.engine.raw_connection()
    try:
        db = ledger.wrap_dbapi(raw.driver_connection)
        db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        (since,) = db.execute("SELECT value FROM zhibu_meta WHERE key = 'changes'").fetchone()
        buffer = io.StringIO()
        _write_dump(db, buffer, None)
        raw.driver_connection.rollback()
    finally:
        raw.close()
    from ..server_transfer import with_current_copy

    data, added = with_current_copy(json.loads(buffer.getvalue()), ledger.user_place, snapshot=True)
    load_ledger(data, dest)
    return int(since), {added} - {None}


class PushSession:
    """A merge of ``file`` into the open server ``ledger``, planned and waiting for decisions."""

    server = True

    def __init__(self, ledger, file: Path, *, combine: bool, backup_dir: Path | None, owns_ledger: bool = False):
        self.ledger, self.file, self.combine, self.backup_dir = ledger, file, combine, backup_dir
        self.owns_ledger = owns_ledger
        self.work = Path(tempfile.mkdtemp(prefix=".zhibu-push."))
        self.choices: dict[str, str] = {}
        self.accept_defaults = False
        self.backup: Path | None = None
        self.rounds = 0
        self.merge: MergeSession | None = None
        self.since = 0
        self.missing: set[str] = set()
        self.snapshot: Path | None = None

    # what the merge dialog and the command line read
    @property
    def plan(self):
        return self.merge.plan

    @property
    def conflicts(self):
        return self.merge.plan.conflicts

    @property
    def theirs(self) -> Path:
        return self.file

    @property
    def url(self) -> str:
        return self.ledger.url

    def decide(self, key: str, choice: str) -> None:
        self.merge.decide(key, choice)
        self.choices[key] = choice

    def _plan(self) -> None:
        self.rounds += 1
        folder = self.work / str(self.rounds)
        folder.mkdir()
        snap = folder / SNAPSHOT
        self.since, self.missing = snapshot(self.ledger, snap)
        try:
            self.merge = prepare(snap, self.file, folder / "合并结果.zhibu", combine=self.combine,
                                 backup_dir=folder / "backups")  # fmt: skip
        except MergeRefused as exc:
            if exc.unrelated:
                raise MergeRefused(
                    f"{self.file.name} 与服务器上的台账不是同一份台账的副本（没有共同的来源），不能合并。"
                    "如果要把这个支部的台账并入服务器上的党委台账，请选择“合并为党委台账”。", unrelated=True) from None
            raise
        self.merge.plan.onto_server = True
        self.snapshot = snap

    def _replan(self) -> None:
        self._plan()
        for c in self.conflicts:
            choice = self.choices.get(c.key)
            if choice is not None and choice in {code for code, _t in c.options}:
                c.choice = choice
            elif not self.accept_defaults:
                raise MergeRefused(f"合并期间服务器上的台账被他人修改，出现了新的冲突（{c.kind}：{c.label}），"
                                   "没有写入服务器。请重新合并并逐一选择。")  # fmt: skip

    def _watched(self) -> set[str]:
        plan = self.plan
        ids = {rid for rows in plan.theirs_rows.values() for rid in rows}
        ids |= {rid for rows in plan.mine_rows.values() for rid in rows}
        return ids | {c.other_id for c in plan.conflicts if c.other_id}

    def finish(self) -> MergeResult:
        from ..backups import backup_before

        try:
            for attempt in range(ATTEMPTS):
                if attempt:
                    self._replan()
                result = self.merge.finish()
                if self.backup is None:  # the server as it was, before the first write attempt
                    self.backup = backup_before(self.ledger, "merge", root=self.backup_dir, rotate_after=False).path
                try:
                    write(self.ledger, result.out, self.snapshot, self.since, self._watched(), self.missing)
                except StaleSnapshot:
                    continue
                return replace(result, mine=Path(SNAPSHOT), theirs=self.file, out=Path(self.ledger.path.name),
                               backups=[self.backup], on_server=self.ledger.url)  # fmt: skip
            raise MergeRefused(f"合并期间服务器上的相关记录一直在被修改，试了 {ATTEMPTS} 次都没有写入服务器。请稍后再合并。")
        finally:
            self.cancel()

    def cancel(self) -> None:
        if self.merge is not None:
            self.merge.cancel()
        shutil.rmtree(self.work, ignore_errors=True)
        if self.owns_ledger:
            self.ledger.close()
            self.owns_ledger = False


def prepare_push(file: Path | str, server, *, combine: bool = False, backup_dir: Path | None = None) -> PushSession:
    """Plan merging ``file`` into ``server`` (an open server ledger, or its URL: opened here and
    closed when the session ends). Raises MergeRefused with the reason in Chinese."""
    file = Path(file).expanduser().absolute()
    owns = isinstance(server, str)
    ledger = open_ledger(server) if owns else server
    session = PushSession(ledger, file, combine=combine, backup_dir=backup_dir, owns_ledger=owns)
    try:
        session._plan()
    except BaseException:
        session.cancel()
        raise
    return session
