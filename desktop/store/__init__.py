"""Persistence: SQLAlchemy models, the ledger file, migrations and queries (no Qt)."""
