"""The open ledger: one SQLite file, one connection, one writer at a time.

File settings (see docs/file-format.md):
- rollback journal (``journal_mode=DELETE``), never WAL: a copied ``.zhibu`` is always complete,
  and nothing but the file remains beside it once closed;
- ``synchronous=FULL``; ``foreign_keys=ON`` on the connection;
- ``locking_mode=EXCLUSIVE`` with an exclusive lock taken at open: a second program (or a second
  copy of this one, on this or another PC over a share) gets :class:`InUse` within
  ``BUSY_TIMEOUT_MS`` instead of hanging or writing beside us;
- before SQLite touches the file, the holder lock (desktop.store.holder: ``<name>.zhibu.lock``,
  a lock nothing else in this process can drop) is taken; a second copy of this program is told
  who holds the ledger and since when.

Because the exclusive lock also shuts out other connections of this process, the ledger owns a
single connection shared by all threads; ``self._lock`` serialises sessions, so background work
(export, check, import) and the GUI never use the connection at the same time.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import StaticPool

from desktop.domain.errors import RecordConflict

from . import cleanclose, errors, history
from .backups import is_backup_file
from .changes import SESSION_KEY, ChangeEvent, Op, RecordChange, RecordKind
from .header import APPLICATION_ID, SCHEMA_VERSION, read_header
from .holder import HolderLock
from .migrations import upgrade
from .models import Base, Record
from .pathlimits import check_path
from .recovery import judge_after_lock, verify_structure
from .sqlerrors import translate_sqlite_error
from .target import is_server_url
from .tempfiles import clean_stale, clean_stale_backups

BUSY_TIMEOUT_MS = 1000
Listener = Callable[[ChangeEvent], None]

# Ledgers open in this process, by real path. POSIX drops ALL of a process's fcntl locks on a file
# when ANY descriptor of that file is closed, so nothing in this process may open() an open
# ledger's file (read_header, hashing, copying): that would silently release our exclusive lock.
# Ledger.open and desktop.services.files consult this table instead of touching the file.
_OPEN: dict[str, Ledger] = {}
_OPEN_LOCK = threading.Lock()


def _file_key(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def open_ledger_at(path: Path | str) -> Ledger | None:
    """The ledger this process has open at ``path`` (same file, however spelled), or None."""
    with _OPEN_LOCK:
        return _OPEN.get(_file_key(Path(path)))


def _hold(path: Path) -> HolderLock:
    """The holder lock of ``path`` (errors.InUse naming the holder when another program has it)."""
    try:
        return HolderLock.acquire(path)
    except errors.LedgerFileError:
        raise
    except OSError as exc:
        raise errors.FileUnreadable(path, f"无法在 {path.parent} 中建立锁文件（{exc.strerror}）。", str(exc)) from exc


def _configure(dbapi_conn: sqlite3.Connection, _record) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _begin)
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA locking_mode = EXCLUSIVE")
    cur.execute("PRAGMA journal_mode = DELETE")
    cur.execute("PRAGMA synchronous = FULL")
    cur.close()


def _make_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        poolclass=StaticPool,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _configure)
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
    return engine


def _collect_changes(session: Session, _flush_context) -> None:
    """Remember which records each flush wrote (after the flush, so new records have their ids):
    ``write()`` tells its listeners after the commit (services flush inside the block, so
    session.new/dirty are empty by its end)."""
    records = session.info.setdefault(SESSION_KEY, set())
    for objs, op in ((session.new, Op.ADDED), (session.dirty, Op.CHANGED), (session.deleted, Op.DELETED)):
        for obj in objs:
            # dirty holds every object a value was assigned to, the same value too: not a change
            if isinstance(obj, Record) and (op is not Op.CHANGED or session.is_modified(obj)):
                records.add(RecordChange(RecordKind.of(obj), obj.id, op))


class Ledger:
    """An open ledger file. Use :meth:`read` / :meth:`write` for sessions; call :meth:`close`."""

    def __init__(self, path: Path, engine: Engine):
        self.path = path
        self.engine = engine
        self._lock = threading.RLock()
        self._factory = sessionmaker(engine, expire_on_commit=False, autoflush=True)
        event.listen(self._factory, "after_flush", _collect_changes)
        event.listen(self._factory, "after_flush", history.collect)
        self._listeners: list[Listener] = []
        self.upgraded_from: int | None = None
        self.recovered = False  # a hot journal was rolled back at open (the last save was undone)
        self._clean = False  # verified at open: record its fingerprint when closed (cleanclose)
        self.backup_path: Path | None = None
        self.holder: HolderLock | None = None
        self.working_copy = None  # desktop.store.workcopy.WorkingCopy when this is a local working copy

    # ----------------------------------------------------------------- opening
    is_server = False  # a ledger on a PostgreSQL server (desktop.store.server.ServerLedger)
    read_only = False  # the login may change nothing (a server's committee office; a file never is)
    writable_branches: frozenset[str] | None = None  # a secretary's login: the branches it may change; None: any

    @classmethod
    def open(cls, path: Path | str, *, create: bool = False, backup_dir: Path | None = None) -> Ledger:
        """Open an existing ledger (upgrading an older schema after a backup) or create a new one.
        (A ``postgresql://`` URL: desktop.store.opening.open_ledger, same API.)

        Raises a :class:`~desktop.store.errors.LedgerFileError` naming the problem; a file that is
        refused is left byte-for-byte unchanged.
        """
        if isinstance(path, str) and is_server_url(path):
            raise ValueError("a server URL: open it with desktop.store.opening.open_ledger")
        path = Path(path).expanduser().absolute()
        if open_ledger_at(path) is not None:  # checked before touching the file (see _OPEN)
            raise errors.InUse(path, "这个台账已经在本程序中打开。")
        check_path(path)  # a name or path SQLite (or the file system) cannot take: say so exactly
        if create:
            if path.exists() and path.stat().st_size > 0:
                raise errors.FileExists(path, f"文件已存在：{path}。")
            if not path.parent.is_dir():
                raise errors.FileUnreadable(path, f"文件夹不存在：{path.parent}。")
            holder = _hold(path)
            try:
                ledger = cls._create(path)
            except BaseException:
                holder.release()
                raise
            ledger.holder = holder
            return ledger
        if not path.is_file():
            read_header(path)  # names the problem (missing, a folder) before a lock file is made
        holder = _hold(path)
        try:
            info = read_header(path)
        except BaseException:
            holder.release()
            raise
        clean_stale(path.parent)  # whole-ledger temp files a killed copy or backup left behind
        if backup_dir is not None:
            clean_stale_backups(Path(backup_dir))
        # before SQLite locks the file (fingerprint() opens it): a file exactly as we closed it
        trusted = not info.hot_journal and cleanclose.is_known_clean(_file_key(path), path)
        ledger = cls(path, _make_engine(path))
        ledger.holder = holder
        try:
            ledger._acquire()  # SQLite rolls a hot journal back here, under our exclusive lock
            version = ledger._verify(info.user_version, info.hot_journal, full=not trusted)
            ledger.recovered = info.hot_journal
            if version < SCHEMA_VERSION:
                if is_backup_file(path, backup_dir):  # a backup stays as it was made
                    raise errors.IsBackup(
                        path, f"这是一份自动备份（第 {version} 版数据格式），不能直接升级。文件保持原样。"
                    )

                ledger.backup_path = upgrade(ledger, version, backup_dir)
                ledger.upgraded_from = version
        except BaseException:
            ledger.close()
            raise
        ledger._register()
        ledger._clean = True
        return ledger

    @classmethod
    def _create(cls, path: Path) -> Ledger:
        ledger = cls(path, _make_engine(path))
        try:
            ledger._acquire()
            with ledger.engine.begin() as conn:
                Base.metadata.create_all(conn)
                conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
                history.mint_copy(conn.connection.driver_connection, history.CopyOrigin.CREATED, "")
            ledger._register()
            ledger._clean = True
        except BaseException as exc:
            ledger.close()
            path.unlink(missing_ok=True)
            mapped = translate_sqlite_error(exc, path) if isinstance(exc, DBAPIError) else None
            if mapped:
                raise mapped from exc
            raise
        return ledger

    def _acquire(self) -> None:
        """Take the exclusive lock now, so a second opener is told "in use" at once."""
        try:
            raw = self.engine.raw_connection()
            try:
                db = raw.driver_connection
                db.execute("BEGIN EXCLUSIVE")
                db.execute("SELECT count(*) FROM sqlite_master").fetchall()
                db.execute("COMMIT")
            finally:
                raw.close()  # back to the StaticPool; the connection and its lock stay open
        except sqlite3.Error as exc:
            mapped = translate_sqlite_error(exc, self.path)
            if mapped:
                raise mapped from exc
            raise
        except DBAPIError as exc:
            mapped = translate_sqlite_error(exc, self.path)
            if mapped:
                raise mapped from exc
            raise

    def _verify(self, version: int, after_recovery: bool, *, full: bool = True) -> int:
        """Judge the (rolled-back) file through our connection: header after a recovery, then the
        tables of its version and (``full``: a file we cannot vouch for, see cleanclose) its pages."""
        with self._lock:
            raw = self.engine.raw_connection()
            try:
                db = raw.driver_connection
                if after_recovery:
                    version = judge_after_lock(db, self.path)
                verify_structure(db, self.path, version, pages=full)
            except sqlite3.Error as exc:
                raise translate_sqlite_error(exc, self.path) or exc from exc
            finally:
                raw.close()
        return version

    # ---------------------------------------------------------------- sessions
    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it changes is committed."""
        with self._lock, self._factory() as session:
            try:
                yield session
            except DBAPIError as exc:  # a damaged page found while reading: a plain message
                mapped = self._map_error(exc)
                if mapped:
                    raise mapped from exc
                raise
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any exception.
        Listeners get the :class:`ChangeEvent` after the commit."""
        changed = ChangeEvent()
        with self._lock, self._factory() as session:
            try:
                yield session
                session.flush()  # the after_flush hook (_collect_changes) has seen every write
                changed = ChangeEvent(frozenset(session.info.pop(SESSION_KEY, ())))
                pending = session.info.pop("history", None)
                if pending:  # the change history, in the same transaction (desktop.store.history)
                    self._record_history(session, pending)
                self._before_commit(session, changed)
                change_n = session.info.pop("change_n", None)
                session.commit()
            except DBAPIError as exc:
                session.rollback()
                mapped = self._map_error(exc)
                if mapped:
                    raise mapped from exc
                raise
            except StaleDataError as exc:  # another program saved a record this write changed
                session.rollback()
                raise RecordConflict("记录", "其他用户", None) from exc
            except BaseException:
                session.rollback()
                raise
        self._after_commit(change_n)
        self._notify(changed)

    def wrap_dbapi(self, db):
        """The DB-API connection code written against ``sqlite3`` uses: the file's own; a server
        ledger wraps its psycopg connection (desktop.store.server.CompatConnection)."""
        return db

    def _record_history(self, session: Session, pending) -> None:
        history.record(session.connection().connection.driver_connection, self.path, pending)

    def _map_error(self, exc: BaseException) -> errors.LedgerFileError | None:
        return translate_sqlite_error(exc, self.path)

    def _before_commit(self, session: Session, changed: ChangeEvent) -> None:
        """Hook for a server ledger (desktop.store.server): a file has nothing to add."""

    def _after_commit(self, change_n: int | None) -> None:
        """Hook for a server ledger (desktop.store.server)."""

    def busy(self) -> bool:
        """True while another thread (a background task) holds the ledger: a GUI-thread read now
        would wait for that work to finish (the window would freeze)."""
        if self._lock.acquire(blocking=False):
            self._lock.release()
            return False
        return True

    # --------------------------------------------------------------- listeners
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _notify(self, changed: ChangeEvent) -> None:
        for listener in list(self._listeners):
            listener(changed)

    # ----------------------------------------------------------------- closing
    def _register(self) -> None:
        with _OPEN_LOCK:
            _OPEN[_file_key(self.path)] = self

    def close(self) -> None:
        """Release the lock and the file handle; nothing but the file remains beside it."""
        with self._lock:
            self.engine.dispose()
            with _OPEN_LOCK:
                if _OPEN.get(_file_key(self.path)) is self:
                    del _OPEN[_file_key(self.path)]
            if self._clean:  # opened and verified; SQLite's locks are gone, our holder lock is not
                self._clean = False
                cleanclose.remember(_file_key(self.path), self.path)
            if self.holder is not None:
                self.holder.release()
                self.holder = None
            working_copy, self.working_copy = self.working_copy, None
            if working_copy is not None:
                working_copy.closed()

    @property
    def location(self) -> str:
        """What names this ledger on a command line: the file path, or a server's URL."""
        return str(self.path)

    @property
    def shown_path(self) -> Path:
        """The file the user opened: the original for a working copy, else :attr:`path`."""
        return self.working_copy.origin if self.working_copy is not None else self.path

    @property
    def description(self) -> str:
        """Where this ledger is, as the user reads it (a server names its host, database and user)."""
        return str(self.shown_path)

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Ledger {self.path}>"
