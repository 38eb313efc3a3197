"""Service tests run on both back ends (tests/backends.py)."""

from backends import backend, ledger  # noqa: F401
