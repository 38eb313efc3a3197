"""Fixtures for the document tests."""

from __future__ import annotations

import pytest

from desktop.documents.fonts import resolve_fonts


@pytest.fixture(scope="session")
def fonts():
    return resolve_fonts()


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """The demo ledger (``zhibu demo``), opened once for the document tests, which only read it."""
    from desktop.services.demo import build_demo
    from desktop.store.ledger import Ledger

    path = tmp_path_factory.mktemp("demo") / "demo.zhibu"
    info = build_demo(path)
    led = Ledger.open(path)
    yield led, info
    led.close()
