"""Fixtures shared by every test package. Keep it small and tidy: one fixture per need.

- Qt runs headless (offscreen) and never touches the user's real settings or data: QSettings,
  the data dir and the log dir all point into a per-session temp dir before anything starts.
- ``ledger``: a fresh, empty ledger file per test (closed afterwards).
- ``org_ledger``: a ledger with a committee, two branches (one with two 党小组) and members.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Hypothesis: CI is derandomized and bounded (the same examples every run, no deadline on a
# shared machine); HYPOTHESIS_PROFILE=long (scripts/property_long_run.sh) explores at random.
hypothesis_settings.register_profile(
    "ci", derandomize=True, max_examples=25, deadline=None, print_blob=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: a failure is reported at once
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
hypothesis_settings.register_profile(
    "long", derandomize=False, max_examples=200, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
_SESSION_HOME = Path(tempfile.mkdtemp(prefix="zhibu-tests-"))
os.environ["XDG_CONFIG_HOME"] = str(_SESSION_HOME / "config")
os.environ["ZHIBU_DATA_DIR"] = str(_SESSION_HOME / "data")
os.environ["ZHIBU_LOG_DIR"] = str(_SESSION_HOME / "logs")


# The offscreen platform warns whenever a top-level window with a layout is shown; that is the
# test platform talking, not our code (qt_log_level_fail=WARNING would fail every window test).
OFFSCREEN_NOISE = r"^This plugin does not support propagateSizeHints\(\)$"


def pytest_collection_modifyitems(config, items):
    for item in items:
        item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))
    # tests/backends.py: a test about the file itself (backups, the lock …) runs on the file only
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_server = callspec is not None and callspec.params.get("backend") == "server"
        (dropped if on_server and item.get_closest_marker("file_only") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True, scope="session")
def _gc_on_main_thread():
    """As in the app (desktop/ui/gccollect.py): no automatic collection, so a background
    task's thread never destroys Qt objects of the GUI thread; the main thread collects
    between tests instead."""
    import gc

    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def _collect_between_tests():
    import gc

    yield
    threshold, counts = gc.get_threshold(), gc.get_count()
    for gen in (2, 1, 0):
        if counts[gen] > threshold[gen]:
            gc.collect(gen)
            break


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    """Each test gets its own data and log dir (default ledger, backups, logs)."""
    monkeypatch.setenv("ZHIBU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ZHIBU_LOG_DIR", str(tmp_path / "logs"))


# ------------------------------------------------------------------ PostgreSQL (tests/pgcluster.py)
@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL cluster for the whole session (stopped and removed at its end).
    Without the server binaries every test that needs it FAILS, saying what to install."""
    from pgcluster import Cluster, PostgresMissing

    try:
        cluster = Cluster()
    except PostgresMissing as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def pg_template(pg_cluster):
    """A database holding a new, empty server ledger: each test's database is a copy of it."""
    from desktop.store.opening import open_ledger

    pg_cluster.execute("CREATE DATABASE zhibu_template")
    open_ledger(pg_cluster.url("zhibu_template"), create=True).close()
    return "zhibu_template"


_PG_DBS = iter(range(1, 1 << 30))
_DERIVED = ("meeting_search", "meeting_text", "meeting_fts", "meeting_index_v2")  # desktop.services.search


def _tables(cluster, dbname: str) -> set[str]:
    """Tables and their columns (``table`` and ``table.column``): a test that dropped a column
    gets the next one a database remade from the template, not the damaged one."""
    with cluster.connect(dbname) as conn:
        rows = conn.execute("SELECT table_name, column_name FROM information_schema.columns"
                            " WHERE table_schema = 'public'").fetchall()
    return {t for t, _c in rows} | {f"{t}.{c}" for t, c in rows}


@pytest.fixture(scope="session")
def _pg_shared(pg_cluster, pg_template):
    """One database reused by the tests: emptied back to the template's state before each test
    (TRUNCATE is ~10x faster than copying the template); remade from the template when a test
    changed its tables."""
    with pg_cluster.connect(pg_template) as conn:  # the new ledger's own copy id (desktop.store.server)
        copies = conn.execute("SELECT * FROM ledger_copy").fetchall()
    state = {"name": None, "tables": _tables(pg_cluster, pg_template), "copies": copies}
    return state


@pytest.fixture
def pg_url(pg_cluster, pg_template, _pg_shared):
    """``postgresql://`` URL of a database with a new, empty ledger."""
    name = _pg_shared["name"]
    have = _tables(pg_cluster, name) if name is not None else set()
    if name is not None and {t for t in have if t.split(".")[0] not in _DERIVED} != _pg_shared["tables"]:
        pg_cluster.execute(f"DROP DATABASE {name} WITH (FORCE)")
        name = None
    if name is None:
        name = _pg_shared["name"] = f"t{next(_PG_DBS)}"
        pg_cluster.execute(f"CREATE DATABASE {name} TEMPLATE {pg_template}")
    else:
        with pg_cluster.connect(name) as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                         " WHERE datname = current_database() AND pid <> pg_backend_pid()")
            conn.execute("DROP TABLE IF EXISTS " + ", ".join(_DERIVED))
            tables = sorted(t for t in _pg_shared["tables"] - {"zhibu_meta"} if "." not in t)
            conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
            conn.execute("UPDATE zhibu_meta SET value = '0' WHERE key = 'changes'")
            for row in _pg_shared["copies"]:
                conn.execute(f"INSERT INTO ledger_copy VALUES ({', '.join(['%s'] * len(row))})", row)
    yield pg_cluster.url(name)


@pytest.fixture
def pg_fresh_url(pg_cluster, pg_template):
    """A database of its own (copied from the template, dropped afterwards): for tests that
    change the schema or need two databases."""
    name = f"f{next(_PG_DBS)}"
    pg_cluster.execute(f"CREATE DATABASE {name} TEMPLATE {pg_template}")
    yield pg_cluster.url(name)
    pg_cluster.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def pg_new_database(pg_cluster):
    """``make() -> url``: a new, empty database (no ledger, no tables) each call, all dropped
    afterwards: where load, demo or push put a new ledger."""
    names: list[str] = []

    def make() -> str:
        names.append(f"e{next(_PG_DBS)}")
        pg_cluster.execute(f"CREATE DATABASE {names[-1]}")
        return pg_cluster.url(names[-1])

    yield make
    for name in names:
        pg_cluster.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def pg_ledger(pg_url):
    from desktop.store.opening import open_ledger

    led = open_ledger(pg_url)
    yield led
    led.close()


@pytest.fixture
def ledger(tmp_path):
    from desktop.store.opening import open_ledger

    led = open_ledger(tmp_path / "t.zhibu", create=True)
    yield led
    led.close()


ORG_TODAY = date(2026, 6, 15)


@pytest.fixture
def org_ledger(ledger):
    """机关党委 with 第一党支部 (支委会, two 党小组) and 第二党支部 (small, no 支委会), 5 members."""
    from desktop.services.members import MemberInput, save_member
    from desktop.services.organization import (
        BranchInput,
        PostInput,
        save_branch,
        save_committee,
        save_group,
        save_post,
    )

    save_committee(ledger, "某某局机关党委", "某某局")
    b1 = save_branch(ledger, BranchInput("第一党支部", has_committee=True, has_groups=True, theme_day_of_month=10))
    b2 = save_branch(ledger, BranchInput("第二党支部", has_committee=False))
    g1 = save_group(ledger, b1, "第一党小组")
    g2 = save_group(ledger, b1, "第二党小组")
    people = [
        ("张建国", "男", b1, g1, "1968-03-12", "1990-07-01", "1991-07-01", "正式党员", "110105196803121237"),
        ("李秀英", "女", b1, g1, "1975-09-20", "2001-06-28", "2002-06-28", "正式党员", ""),
        ("王磊", "男", b1, g2, "1990-01-05", "2015-11-20", "2016-11-20", "正式党员", ""),
        ("赵敏", "女", b1, g2, "1998-04-18", "2025-12-01", None, "预备党员", ""),
        ("陈志强", "男", b2, None, "1950-05-04", "1975-05-04", "1976-05-04", "正式党员", ""),
    ]
    ids = {}
    for name, gender, branch, group, born, joined, full, cat, idn in people:
        ids[name] = save_member(
            ledger,
            MemberInput(name=name, gender=gender, branch_id=branch, group_id=group, birth_date=born,
                        join_date=joined, full_date=full, category=cat, id_number=idn, phone="13812345678"),
            today=ORG_TODAY,
        )
    save_post(ledger, PostInput(b1, ids["张建国"], "书记", "2021-01-01"))
    save_post(ledger, PostInput(b1, ids["李秀英"], "组织委员", "2021-01-01"))
    save_post(ledger, PostInput(b2, ids["陈志强"], "书记", "2022-03-01"))
    ledger.ids = {"branch1": b1, "branch2": b2, "group1": g1, "group2": g2, **ids}  # type: ignore[attr-defined]
    return ledger


@pytest.fixture
def app_ctx(qapp):
    """An AppContext without a ledger; background tasks are waited for at teardown."""
    from desktop.ui.context import AppContext

    ctx = AppContext()
    yield ctx
    ctx.tasks.wait(30000)
    qapp.processEvents()
    ctx.set_ledger(None)


@pytest.fixture
def main_window(qtbot, app_ctx, org_ledger, tmp_path):
    """The main window on ``org_ledger`` (1366×768), per-test QSettings in an INI file."""
    from PySide6.QtCore import QSettings

    from desktop.ui.main_window import MainWindow

    app_ctx.set_ledger(org_ledger)
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(app_ctx, settings)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    # 首页 reads in the background; pages first shown while that holds the ledger read once it
    # lets go (pages never wait on the GUI thread): tests start from a settled window.
    qtbot.waitUntil(lambda: not app_ctx.tasks._jobs, timeout=30000)
    qtbot.wait(10)
    yield window
    app_ctx.tasks.wait(30000)


def wait_tasks(qtbot, ctx, timeout: int = 30000) -> None:
    """Wait until every background task of ``ctx`` has delivered its result."""
    qtbot.waitUntil(lambda: not ctx.tasks._jobs, timeout=timeout)


@pytest.fixture
def small_disk(tmp_path):
    """``make(free_bytes) -> Path``: a folder on a fresh tmpfs with about ``free_bytes`` left
    (a filler file takes the rest). Needs root (mount); skipped where mounting is not permitted."""
    import subprocess

    mounts: list[Path] = []

    def make(free_bytes: int, size_kb: int = 4096) -> Path:
        mnt = tmp_path / f"disk{len(mounts)}"
        mnt.mkdir()
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0777", "tmpfs", str(mnt)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip() or proc.returncode}")
        mounts.append(mnt)
        st = os.statvfs(mnt)
        filler = st.f_bavail * st.f_frsize - free_bytes
        if filler > 0:
            with open(mnt / "filler.bin", "wb") as fh:
                fh.write(b"\0" * filler)
        return mnt

    yield make
    for mnt in mounts:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)
