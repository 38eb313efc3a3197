"""Store tests run on both back ends where the behaviour is meant for both (tests/backends.py):
a test using ``ledger``, ``new_target`` or ``rich`` runs ``[file]`` and ``[server]``. Tests about the
file itself (header, journal, lock, backups, path limits, working copy) are marked ``file_only``
with their reason; their server counterparts, where there is one, are in tests/server/."""

from __future__ import annotations

import pytest
from backends import backend, ledger, new_target  # noqa: F401

from .util import fill_rich


@pytest.fixture
def rich(ledger):  # noqa: F811
    """``ledger`` holding a record of every table (tests/store/util.py:fill_rich); ``.ids`` names some."""
    ledger.ids = fill_rich(ledger)  # type: ignore[attr-defined]
    return ledger
