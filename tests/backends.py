"""The ``ledger`` fixture on both back ends: a ``.zhibu`` file and a PostgreSQL server database.

A test package opts in with ``from backends import ledger  # noqa: F401`` in its conftest: every
test there that uses ``ledger`` (or ``org_ledger``, built on it) runs twice, ``[file]`` and
``[server]`` (a fresh database copied from a template, see tests/conftest.py). ``new_target`` is
where a new ledger goes on the same back end (a file path not there yet, or an empty database), and
``sql_rows`` reads with plain SQL through the ledger's own session on either.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(params=["file", "server"])
def backend(request) -> str:
    return request.param


@pytest.fixture
def ledger(request, backend, tmp_path):
    from desktop.store.opening import open_ledger

    if backend == "server":
        led = open_ledger(request.getfixturevalue("pg_url"))
    else:
        led = open_ledger(tmp_path / "t.zhibu", create=True)
    yield led
    led.close()


@pytest.fixture
def new_target(request, backend, tmp_path):
    """``make() -> str``: where a new ledger can be made on this back end, a new one each call: a
    path that does not exist yet, or the URL of an empty database (no tables)."""
    if backend == "server":
        return request.getfixturevalue("pg_new_database")
    names = iter(range(1, 1 << 20))
    return lambda: str(tmp_path / f"new{next(names)}.zhibu")


def nothing_at(target: str) -> bool:
    """Nothing was written at ``target``: no file (nor a temp file beside it), or a database
    without a single table."""
    from desktop.store import errors
    from desktop.store.opening import open_ledger
    from desktop.store.target import is_server_url

    if not is_server_url(target):
        folder = Path(target).parent
        return not any(p.name.startswith(Path(target).stem) for p in folder.iterdir())
    try:
        open_ledger(target).close()
    except errors.NoLedgerOnServer:  # no zhibu_meta and no other table (ForeignDatabase otherwise)
        return True
    return False


def sql_rows(ledger, sql: str, **params) -> list[tuple]:
    """Rows of a plain SQL query (``:name`` parameters) through ``ledger``'s read session."""
    from sqlalchemy import text

    with ledger.read() as s:
        return [tuple(r) for r in s.execute(text(sql), params)]
