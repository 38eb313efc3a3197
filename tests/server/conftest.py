"""Tests of the server back end: ``ledger`` (and ``org_ledger``) is a server ledger here."""

import pytest


@pytest.fixture
def ledger(pg_ledger):
    return pg_ledger


@pytest.fixture
def wang_url(org_ledger, pg_cluster) -> str:
    """The ledger's URL for a second database user, wangfang (another secretary's login)."""
    url = org_ledger.location
    pg_cluster.execute("DO $$ BEGIN CREATE ROLE wangfang LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    dbname = url.split("/")[3].split("?")[0]
    pg_cluster.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO wangfang;"
                       " GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO wangfang", dbname)
    return url.replace("zhibu@", "wangfang@")


@pytest.fixture
def wang(org_ledger, wang_url):
    """The ledger opened by wangfang: another program saving what the tested one has open."""
    from desktop.store.opening import open_ledger

    led = open_ledger(wang_url)
    yield led
    led.close()


@pytest.fixture
def asked(monkeypatch):
    """Answer the shared question (desktop.ui.conflicts.ask_conflict) with ``asked["choice"]``;
    ``asked["calls"]`` holds the conflicts it was asked about."""
    from desktop.ui import conflicts

    seen: dict = {"choice": "cancel", "calls": []}

    def ask(parent, exc):
        seen["calls"].append(exc)
        return seen["choice"]

    monkeypatch.setattr(conflicts, "ask_conflict", ask)
    return seen
