"""A ledger on a PostgreSQL server: the same API as a ``.zhibu`` file (``Ledger.open(url)``).

What differs from the file (desktop.store.ledger), and why:

- no file lock, no journal, no header: several programs (the secretaries of each branch and the
  committee's office) use the database at once; the server keeps it consistent;
- the schema version and the application mark live in ``zhibu_meta`` (a file has them in its
  header); an older schema is upgraded by the same steps after a ``pg_dump`` backup
  (desktop.store.serverschema);
- the change history records each database user as its own copy, per database (``ledger_copy.place``
  is ``server:<database id>:<user>:<where>``, origin 服务器用户, desktop.store.serverid): that is
  who changed a record, where, and when;
- every write bumps a change counter and logs which record types it changed
  (``zhibu_change_log``) in the same transaction; :meth:`ServerLedger.poll_changes` tells this
  program's listeners what other programs changed since it last looked (the window polls it);
- errors: an unreachable server, a refused login or a missing database are
  :class:`~desktop.store.errors.ServerUnavailable`; a write the server's roles refuse is
  :class:`~desktop.store.errors.PermissionDenied`.
"""

from __future__ import annotations

import json
import threading
from pathlib import PurePosixPath

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from . import errors, history, serverid
from .changes import ChangeEvent, Op, RecordChange, RecordKind
from .header import SCHEMA_VERSION
from .ledger import Ledger
from .pgcompat import CompatConnection
from .servererrors import map_error, unavailable
from .serverroles import LoginRights
from .target import driver_url, parts_of, without_password

APPLICATION = "zhibu-ledger"
META_DDL = (
    "CREATE TABLE IF NOT EXISTS zhibu_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS zhibu_change_log (n BIGINT PRIMARY KEY, names TEXT NOT NULL,"
    " at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'), by_user TEXT NOT NULL DEFAULT current_user)",
    # names: the write's records as JSON [[kind, id, op], …] (desktop.store.changes)
)


CONNECT_TIMEOUT = 10  # seconds: a server that accepts the connection but never answers is reported, not waited for

class ServerLedger(Ledger):
    """A ledger in a PostgreSQL database. ``path`` is ``host/dbname`` (shown, never a file)."""

    is_server = True

    def __init__(self, url: str, engine: Engine):
        p = parts_of(url)
        super().__init__(PurePosixPath(f"{p['host']}/{p['dbname']}"), engine)  # type: ignore[arg-type]
        self.url = without_password(url)
        self.user = p["user"]
        self.rights = LoginRights()  # what this login may change (desktop.store.serverroles)
        self.database_id: str | None = None  # this database's id (desktop.store.serverid)
        self._seen = 0  # the change counter as of our last write or poll
        self._poll_lock = threading.Lock()

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(cls, url: str, *, create: bool = False, backup_dir=None) -> ServerLedger:  # type: ignore[override]
        args = {} if "connect_timeout=" in url else {"connect_timeout": CONNECT_TIMEOUT}
        if "keepalives" not in url:  # a connection whose server or network went silent fails in ~20 s, not hours
            args.update(keepalives=1, keepalives_idle=10, keepalives_interval=3, keepalives_count=3)
        engine = create_engine(driver_url(url), pool_pre_ping=True, pool_size=2, max_overflow=4, connect_args=args)
        ledger = cls(url, engine)
        try:
            with engine.connect() as conn:
                ledger.user = conn.execute(text("SELECT current_user")).scalar_one()
                version = ledger._meta_version(conn)
            if create:
                if version is not None:
                    exists = errors.FileExists(ledger.url, f"服务器上的这个数据库里已经有台账：{ledger.url}。")
                    exists.advice = "为避免覆盖，什么都没有写入；请换一个新建的空数据库（createdb）。"
                    raise exists
                ledger._create()
            elif version is None:
                raise errors.NoLedgerOnServer(ledger.url, f"这个数据库里没有台账：{ledger.url}。")
            elif version > SCHEMA_VERSION:
                raise errors.NewerSchema(
                    ledger.url, f"服务器上的台账由较新版本的支部台账创建（数据格式第 {version} 版，本程序支持到第 {SCHEMA_VERSION} 版）。")
            elif version < SCHEMA_VERSION:
                from .serverschema import upgrade_server

                ledger.backup_path = upgrade_server(ledger, version, backup_dir)
                ledger.upgraded_from = version
            ledger.database_id = serverid.ensure(engine)
            with engine.connect() as conn:
                ledger._verify_structure(conn)
                ledger._seen = ledger._counter(conn)
                ledger.rights = LoginRights.read(conn)  # the pages disable what it may not do
        except OperationalError as exc:
            engine.dispose()
            raise unavailable(url, exc) from exc
        except BaseException:
            engine.dispose()
            raise
        return ledger

    @staticmethod
    def _meta_version(conn) -> int | None:
        """The schema version in ``zhibu_meta``; None for a database without a ledger. Another
        application's tables without our mark: refused, nothing touched."""
        tables = set(conn.execute(text(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")).scalars())
        if "zhibu_meta" not in tables:
            if tables:
                raise errors.ForeignDatabase(None, "这个数据库里有其他程序的数据，不是支部台账。")
            return None
        meta = dict(conn.execute(text("SELECT key, value FROM zhibu_meta")).all())
        if meta.get("application") != APPLICATION:
            raise errors.ForeignDatabase(None, "这个数据库里有其他程序的数据，不是支部台账。")
        return int(meta["schema_version"])

    @property
    def access(self) -> str:
        return self.rights.access

    @property
    def read_only(self) -> bool:  # type: ignore[override]
        return self.rights.read_only

    @property
    def writable_branches(self) -> frozenset[str] | None:  # type: ignore[override]
        return self.rights.writable_branches

    def _verify_structure(self, conn) -> None:
        """Refuse a database that lost a table or a column of its schema (a restore gone wrong, a
        hand edit) with 台账已损坏, as a damaged file is: never a traceback at the first read."""
        from .recovery import missing_structure

        problems = missing_structure(conn.execute(text(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()")),
            SCHEMA_VERSION)
        if problems:
            more = f"等 {len(problems)} 处" if len(problems) > 3 else ""
            raise errors.CorruptFile(self.url, f"台账已损坏：{'、'.join(problems[:3])}{more}：{self.url}。")

    def _create(self) -> None:
        from .models import Base

        with self.engine.begin() as conn:
            for ddl in META_DDL:
                conn.execute(text(ddl))
            Base.metadata.create_all(conn)
            conn.execute(text("INSERT INTO zhibu_meta VALUES ('application', :a), ('schema_version', :v),"
                              " ('changes', '0')"), {"a": APPLICATION, "v": str(SCHEMA_VERSION)})
            serverid.mint(conn)  # a loaded dump too: a database of its own, never its source's id
            # the database's own copy id, as a new file has one: a dump of it names its current copy
            # (a load refuses a dump without one); each user's writes go under their own copy
            history.mint_copy(CompatConnection(conn.connection.driver_connection), history.CopyOrigin.CREATED,
                              f"server-db:{self.path}")

    def undo_create(self) -> None:
        """Empty the database again after :meth:`open` with ``create=True`` made the ledger in it
        (a load that failed part-way): it had no table before (else open refused), so every table
        goes, in one transaction; a retry finds the database as it was."""
        with self.engine.begin() as conn:
            names = conn.execute(text("SELECT table_name FROM information_schema.tables"
                                      " WHERE table_schema = current_schema()")).scalars().all()
            if names:
                conn.execute(text("DROP TABLE " + ", ".join(f'"{n}"' for n in names) + " CASCADE"))

    def wrap_dbapi(self, db):
        return CompatConnection(db)

    # ----------------------------------------------------------------- writing
    def _record_history(self, session: Session, pending) -> None:
        db = CompatConnection(session.connection().connection.driver_connection)
        copy = serverid.user_copy(db, self.database_id, self.user, self.user_place)
        history.record(db, self.path, pending, copy=copy)  # type: ignore[arg-type]

    @property
    def user_place(self) -> str:
        """The place of this login's copy on this database (desktop.store.history.server_place)."""
        return history.server_place(self.database_id, self.user, self.server_name)

    def _before_commit(self, session: Session, changed: ChangeEvent) -> None:
        """Bump the change counter and log what changed, record by record (same transaction)."""
        if not changed:
            return
        n = session.execute(text("UPDATE zhibu_meta SET value = (value::bigint + 1)::text WHERE key = 'changes'"
                                 " RETURNING value::bigint")).scalar_one()
        records = sorted([r.kind.value, r.id, r.op.value] for r in changed.records)
        session.execute(text("INSERT INTO zhibu_change_log (n, names) VALUES (:n, :names)"),
                        {"n": n, "names": json.dumps(records, ensure_ascii=False, separators=(",", ":"))})
        session.info["change_n"] = n

    def _after_commit(self, n: int | None) -> None:
        if n is not None:
            with self._poll_lock:
                if n == self._seen + 1:  # nobody else wrote in between: nothing to poll for
                    self._seen = n

    def _map_error(self, exc: BaseException) -> errors.LedgerFileError | None:
        return map_error(self.url, self.user, self.rights, exc)

    # ------------------------------------------------------------ other programs
    @staticmethod
    def _counter(conn) -> int:
        return int(conn.execute(text("SELECT value FROM zhibu_meta WHERE key = 'changes'")).scalar_one())

    def poll_changes(self) -> ChangeEvent | None:
        """What other programs changed since we last looked, told to the listeners like our own
        writes (a :class:`ChangeEvent`); None when nothing changed. One small query when idle."""
        with self._poll_lock:
            try:
                with self.engine.connect() as conn:
                    n = self._counter(conn)
                    if n <= self._seen:
                        return None
                    rows = conn.execute(text("SELECT names FROM zhibu_change_log WHERE n > :a AND n <= :b"),
                                        {"a": self._seen, "b": n}).scalars().all()
            except DBAPIError as exc:  # never a crash report from the window's timer: a plain message
                raise self._map_error(exc) or errors.CorruptFile(
                    self.url, "服务器上的台账读不出其他人的修改（数据库的结构不完整，请联系系统管理员）。",
                    str(getattr(exc, "orig", exc))) from exc
            self._seen = n
        changed = ChangeEvent(frozenset(RecordChange(RecordKind(kind), rid, Op(op))
                                        for r in rows for kind, rid, op in json.loads(r)))
        if changed:
            self._notify(changed)
        return changed or None

    # ----------------------------------------------------------------- closing
    def close(self) -> None:
        with self._lock:
            self.engine.dispose()

    @property
    def location(self) -> str:
        return self.url

    @property
    def host_label(self) -> str:
        """The server as the user reads it: ``host[:port]`` (a unix socket folder is 本机)."""
        p = parts_of(self.url)
        host = "本机" if p["host"].startswith("/") else p["host"]
        return host + ("" if p["port"] == 5432 else f":{p['port']}")

    @property
    def server_name(self) -> str:
        return f"服务器 {self.host_label} 的数据库 {self.path.name}"

    @property
    def description(self) -> str:
        """The server, the database and who is logged in (title bar, status bar, 设置)."""
        return f"{self.server_name}，登录用户 {self.user}"

    @property
    def shown_path(self):
        return self.path

    def __repr__(self) -> str:
        return f"<ServerLedger {self.url}>"

