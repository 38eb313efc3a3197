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
