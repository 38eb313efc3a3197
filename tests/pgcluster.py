"""A throwaway PostgreSQL cluster for the tests (Debian's ``postgresql`` package, see scripts/setup.sh).

``Cluster.start()`` runs ``initdb`` into a fresh temp dir and starts ``postgres`` listening only
on a unix socket inside that dir (no TCP port, nothing shared with other runs), trust auth,
durability off (``fsync=off``: a test cluster is thrown away). ``initdb`` refuses to run as root,
so as root the dir is handed to an unprivileged user (``nobody``) and the server runs as that
user through ``runuser``; not as root it runs as the current user. :meth:`Cluster.stop` stops the
server (immediate) and removes the dir; it is also registered with ``atexit`` so a crashed test
session does not leave a server behind. A session killed outright (SIGKILL, ``timeout``) runs no
``atexit``: each cluster's dir names the process that owns it, and :meth:`Cluster.start` first
stops and removes the clusters whose owner is gone (:func:`sweep_stale`).

Missing binaries raise :class:`PostgresMissing` (the tests FAIL with its message: CI must
install the package, a silently skipped back end would prove nothing).
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

SUPERUSER = "zhibu"


class PostgresMissing(RuntimeError):
    pass


def find_bindir() -> Path:
    """The directory of initdb/pg_ctl/postgres: $ZHIBU_PG_BINDIR, Debian's newest
    /usr/lib/postgresql/N/bin, or the one on PATH."""
    env = os.environ.get("ZHIBU_PG_BINDIR")
    candidates = [Path(env)] if env else []
    candidates += sorted((Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")),
                         key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(os.path.realpath(on_path)).parent)
    for d in candidates:
        if all((d / b).is_file() for b in ("initdb", "pg_ctl", "postgres")):
            return d
    raise PostgresMissing(
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found: install Debian's 'postgresql' "
        "package (scripts/setup.sh does) or set ZHIBU_PG_BINDIR. The PostgreSQL back-end tests cannot run.")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def sweep_stale(tmp: str | None = None) -> list[Path]:
    """Stop (immediate shutdown: SIGQUIT to the postmaster) and remove the test clusters whose
    owning process is gone; returns their dirs. Clusters of live sessions are left alone."""
    swept = []
    for owner in glob.glob(os.path.join(tmp or tempfile.gettempdir(), "zhibu-pg-*", "owner")):
        root = Path(owner).parent
        try:
            if _alive(int(Path(owner).read_text().strip())):
                continue
            postmaster = int((root / "data" / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            postmaster = None
        if postmaster and _alive(postmaster):
            try:
                os.kill(postmaster, signal.SIGQUIT)
                deadline = time.monotonic() + 10
                while _alive(postmaster) and time.monotonic() < deadline:
                    time.sleep(0.05)
            except OSError:
                continue  # not ours to stop: leave it
        shutil.rmtree(root, ignore_errors=True)
        swept.append(root)
    return swept


class Cluster:
    def __init__(self) -> None:
        self.bindir = find_bindir()
        self.root = Path(tempfile.mkdtemp(prefix="zhibu-pg-", dir="/tmp" if os.path.isdir("/tmp") else None))
        self.data = self.root / "data"
        self.port = 5432
        self.run_as: str | None = None
        self.started = False
        if os.geteuid() == 0:
            self.run_as = "nobody"
            pw = pwd.getpwnam(self.run_as)
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            os.chmod(self.root, 0o755)

    def _cmd(self, *args: str) -> list[str]:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        return ["runuser", "-u", self.run_as, "--", *cmd] if self.run_as else cmd

    def _run(self, *args: str) -> None:
        proc = subprocess.run(self._cmd(*args), cwd=self.root, capture_output=True, text=True,
                              env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"})
        if proc.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")

    def start(self) -> Cluster:
        sweep_stale(str(self.root.parent))
        atexit.register(self.stop)
        (self.root / "owner").write_text(str(os.getpid()))  # for sweep_stale when this session dies
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        opts = (f"-c listen_addresses='' -c unix_socket_directories={self.root} -p {self.port}"
                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
                " -c shared_buffers=32MB")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", opts, "-w", "-t", "60",
                  "start")
        self.started = True
        deadline = time.monotonic() + 30
        while not (self.root / f".s.PGSQL.{self.port}").exists():
            if time.monotonic() > deadline:
                raise RuntimeError("PostgreSQL did not open its socket: " + self.log_tail())
            time.sleep(0.05)
        return self

    def log_tail(self) -> str:
        try:
            return (self.root / "server.log").read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    def url(self, dbname: str = "postgres", user: str = SUPERUSER, password: str | None = None) -> str:
        auth = quote(user) + (f":{quote(password)}" if password else "")
        return f"postgresql://{auth}@/{dbname}?host={quote(str(self.root))}&port={self.port}"

    def connect(self, dbname: str = "postgres"):
        import psycopg

        return psycopg.connect(host=str(self.root), port=self.port, user=SUPERUSER, dbname=dbname, autocommit=True)

    def execute(self, sql: str, dbname: str = "postgres") -> None:
        with self.connect(dbname) as conn:
            conn.execute(sql)

    def stop(self) -> None:
        if self.started:
            self.started = False
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            except RuntimeError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)
