"""benchmarks/generate.py writes the same ledger into PostgreSQL (COPY) as into a file."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop.store.opening import open_ledger

_spec = importlib.util.spec_from_file_location(
    "benchmarks_generate", Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"
)
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)


def _rows(ledger, table: str, cols: list[str]) -> list[tuple]:
    """Every row of ``table`` in SQLite's storage form (a server's through desktop.store.pgcompat)."""
    raw = ledger.engine.raw_connection()
    try:
        db = ledger.wrap_dbapi(raw.driver_connection)
        return db.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY id").fetchall()
    finally:
        raw.close()


@pytest.fixture
def empty_db(pg_cluster):
    pg_cluster.execute("CREATE DATABASE gen_empty")
    yield pg_cluster.url("gen_empty")
    pg_cluster.execute("DROP DATABASE IF EXISTS gen_empty WITH (FORCE)")


def test_server_ledger_equals_the_file_row_for_row(empty_db, tmp_path):
    on_file = generate.make_ten_year_ledger(tmp_path / "ten.zhibu")
    on_server = generate.make_ten_year_ledger(empty_db)
    assert {k: v for k, v in on_file.items() if k != "seconds"} == {k: v for k, v in on_server.items() if k != "seconds"}
    with open_ledger(tmp_path / "ten.zhibu") as f, open_ledger(empty_db) as srv:
        for model in generate.ORDER:
            cols = [c.name for c in model.__table__.columns]
            assert _rows(f, model.__tablename__, cols) == _rows(srv, model.__tablename__, cols), model.__tablename__
        with srv.read() as s:  # the indexes dropped for the load are back, and the tables analysed
            names = set(s.execute(text(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")).scalars())
            analysed = s.execute(text(
                "SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'attendance'"
                " AND (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL)")).scalar_one()
    assert {"ix_meeting_branch_date", "ix_attendance_meeting_member", "ix_attendance_member_id"} <= names
    assert analysed == 1
