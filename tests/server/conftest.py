"""Tests of the server back end: ``ledger`` (and ``org_ledger``) is a server ledger here."""

import pytest


@pytest.fixture
def ledger(pg_ledger):
    return pg_ledger
