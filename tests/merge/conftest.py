"""A realistic base ledger (the demo: 3 branches, 42 members, 213 meetings) built once, and
plain OS copies of it that diverge like an office and a home copy."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.services.demo import build_demo
from desktop.store import models as M
from desktop.store.ledger import Ledger


@pytest.fixture(scope="session")
def demo_base(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("merge-base") / "支部台账.zhibu"
    build_demo(path)
    return path


@pytest.fixture
def copies(demo_base, tmp_path):
    """Two plain file copies of one ledger (as a secretary copies it to a USB stick)."""
    office, home = tmp_path / "office" / "支部台账.zhibu", tmp_path / "home" / "支部台账.zhibu"
    for p in (office, home):
        p.parent.mkdir()
        shutil.copyfile(demo_base, p)
    return office, home


def rows(path: Path, sql: str, *args) -> list[tuple]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        return db.execute(sql, args).fetchall()


def one(path: Path, sql: str, *args):
    found = rows(path, sql, *args)
    assert len(found) == 1, (sql, found)
    return found[0] if len(found[0]) > 1 else found[0][0]


def pick(path: Path) -> dict[str, str]:
    """Stable picks from the demo: members, meetings and branches the scenario edits."""
    with Ledger.open(path) as led, led.read() as s:
        branches = [b.id for b in s.scalars(select(M.Branch).order_by(M.Branch.sort_order))]
        members = [m.id for m in s.scalars(select(M.Member).where(M.Member.branch_id == branches[0],
                                                                  M.Member.deleted_at.is_(None)).order_by(M.Member.name))]  # fmt: skip
        meetings = [m.id for m in s.scalars(select(M.Meeting).where(M.Meeting.branch_id == branches[0],
                                                                    M.Meeting.deleted_at.is_(None)).order_by(M.Meeting.date))]  # fmt: skip
    return {"b1": branches[0], "b2": branches[1], "p1": members[0], "p2": members[1], "p3": members[2],
            "m1": meetings[0], "m2": meetings[1], "today": date(2026, 11, 20)}  # fmt: skip
