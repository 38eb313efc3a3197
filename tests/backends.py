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
    from desktop.store.ledger import Ledger

    if backend == "server":
        led = Ledger.open(request.getfixturevalue("pg_url"))
    else:
        led = Ledger.open(tmp_path / "t.zhibu", create=True)
    yield led
    led.close()
