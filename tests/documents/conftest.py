"""Fixtures for the document tests."""

from __future__ import annotations

import pytest

from desktop.documents.fonts import resolve_fonts


@pytest.fixture(scope="session")
def fonts():
    return resolve_fonts()
