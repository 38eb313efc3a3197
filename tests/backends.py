"""The ``ledger`` fixture on both back ends: a ``.zhibu`` file and a PostgreSQL server database.

A test package opts in with ``from backends import ledger  # noqa: F401`` in its conftest: every
test there that uses ``ledger`` (or ``org_ledger``, built on it) runs twice, ``[file]`` and
``[server]`` (a fresh database copied from a template, see tests/conftest.py).
"""

from __future__ import annotations

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
