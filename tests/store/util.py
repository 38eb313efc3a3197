"""Helpers for the file tests: fingerprints and "nothing else beside the file"."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LEDGER_V1 = FIXTURES / "ledger_v1.zhibu"


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def folder_listing(folder: Path) -> list[str]:
    return sorted(p.name for p in Path(folder).iterdir())


def table_rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, read without locking or changing the file."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.5)) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        out = {}
        for t in tables:
            cols = [r[1] for r in db.execute(f'PRAGMA table_info("{t}")')]
            rows = db.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in sorted(cols))} FROM "{t}"').fetchall()
            out[t] = sorted(rows, key=repr)
        return out


def pragma(path: Path, name: str):
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.5)) as db:
        return db.execute(f"PRAGMA {name}").fetchone()[0]


def schema_shape(path: Path) -> dict[str, object]:
    """Tables → columns (name, declared type, not null, pk), foreign keys and index names."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.5)) as db:
        shape: dict[str, object] = {}
        for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            cols = sorted((r[1], r[2], r[3], r[5]) for r in db.execute(f'PRAGMA table_info("{t}")'))
            fks = sorted((r[2], r[3], r[4]) for r in db.execute(f'PRAGMA foreign_key_list("{t}")'))
            idx = sorted((r[1], r[2]) for r in db.execute(f'PRAGMA index_list("{t}")'))
            shape[t] = {"columns": cols, "fks": fks, "indexes": idx}
        return shape
