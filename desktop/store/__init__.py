"""Persistence: SQLAlchemy models, the ledger file, migrations and queries (no Qt)."""

from . import server as _server  # noqa: E402,F401  registers Ledger.open's postgresql:// opener
