"""tests/pgcluster.py works when the test process itself is an unprivileged user (a developer's
account, a CI runner that is not root), not only as root handing the cluster to ``nobody``.

The child runs as ``nobody`` (from root) or as this very user (not root), from a copy of
pgcluster.py in a folder that user can read (the checkout may sit in a home folder it cannot
enter), with a bare environment: no HOME, PATH without the PostgreSQL binaries. It starts a
cluster, queries it through its socket and stops it; nothing is left in /tmp. pgcluster needs the
standard library only, so any Python 3.11+ the user can run will do."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent(
    """
    import os, subprocess, sys
    sys.path.insert(0, sys.argv[1])
    import pgcluster

    cluster = pgcluster.Cluster()
    assert cluster.run_as is None, cluster.run_as  # not root: no runuser, the server runs as us
    try:
        cluster.start()
        out = subprocess.run([str(cluster.bindir / "psql"), "-h", str(cluster.root), "-p", str(cluster.port),
                              "-U", pgcluster.SUPERUSER, "-d", "postgres", "-Atc",
                              "SELECT current_user || ' ' || pg_has_role(current_user, 'pg_write_server_files', 'MEMBER')"],
                             capture_output=True, text=True, check=True).stdout.strip()
        print("UID", os.geteuid(), "QUERY", out, "ROOT", cluster.root, flush=True)
    finally:
        cluster.stop()
    print("GONE", not cluster.root.exists())
    """
)


def _python_for(user_cmd: list[str]) -> str:
    """This interpreter if the child user may run it, else a python3 from the system's PATH."""
    for candidate in (sys.executable, shutil.which("python3.11"), shutil.which("python3"), "/usr/bin/python3"):
        if candidate and subprocess.run([*user_cmd, candidate, "-c", "pass"], capture_output=True).returncode == 0:
            return candidate
    raise AssertionError("no Python the unprivileged user can run")


@pytest.fixture
def readable_copy():
    """A folder in /tmp (pytest's own tmp folders are private to this user) holding pgcluster.py."""
    folder = Path(tempfile.mkdtemp(prefix="zhibu-pgcluster-"))
    shutil.copy(TESTS / "pgcluster.py", folder / "pgcluster.py")
    folder.chmod(0o755)
    (folder / "pgcluster.py").chmod(0o644)
    yield folder
    shutil.rmtree(folder)


def test_cluster_starts_queries_and_stops_as_an_unprivileged_user(readable_copy):
    user_cmd = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
    folder = readable_copy
    python = _python_for(user_cmd)
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}  # no HOME, no PostgreSQL on PATH
    proc = subprocess.run([*user_cmd, "env", "-i", *(f"{k}={v}" for k, v in env.items()), python, "-I", "-c", CHILD,
                           str(folder)], capture_output=True, text=True, timeout=120, cwd="/")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    words = proc.stdout.split()
    uid = int(words[words.index("UID") + 1])
    assert uid != 0 and (os.geteuid() == 0 or uid == os.geteuid())
    assert words[words.index("QUERY") + 1:words.index("QUERY") + 3] == ["zhibu", "true"], proc.stdout  # superuser of its own cluster
    assert words[-1] == "True", proc.stdout  # the cluster's folder removed


def test_a_cluster_of_a_killed_session_is_swept_by_the_next(tmp_path):
    """Was: a test session killed outright (SIGKILL, ``timeout``) runs no atexit and left its
    PostgreSQL server running in /tmp (three were found after a day of killed runs). The next
    cluster's start stops and removes every cluster whose owning process is gone."""
    import signal

    sys.path.insert(0, str(TESTS))
    import pgcluster

    child = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; sys.path.insert(0, sys.argv[1]); import pgcluster;"
         " c = pgcluster.Cluster().start(); print(c.root, flush=True); time.sleep(600)", str(TESTS)],
        stdout=subprocess.PIPE, text=True)
    try:
        root = Path(child.stdout.readline().strip())
        assert (root / "owner").read_text() == str(child.pid)
        postmaster = int((root / "data" / "postmaster.pid").read_text().split()[0])
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert pgcluster._alive(postmaster) and root.exists()  # left behind: no atexit ran
    mine = pgcluster.Cluster().start()  # a live session's cluster is never swept
    try:
        assert not root.exists() and not pgcluster._alive(postmaster)
        assert pgcluster.sweep_stale(str(mine.root.parent)) == [] and mine.root.exists()
    finally:
        mine.stop()
