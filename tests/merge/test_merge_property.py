"""Property: for random edit sequences on two copies of one ledger, the merge never loses a change
made on one side only, and lists a conflict wherever both sides changed the same field to
different values (hypothesis; bounded, derandomized profile "ci" in tests/conftest.py)."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.services.merge import merge_files
from desktop.store import models as M
from desktop.store.ledger import Ledger

from .conftest import one

FIELDS = {"member": ("phone", "education", "notes", "job_title"), "meeting": ("place", "host", "content")}
VALUES = st.sampled_from(["", "甲", "乙", "丙", "第一党支部会议室", "大学本科", "13800000000"])


@pytest.fixture(scope="module")
def small_base(tmp_path_factory):
    path = tmp_path_factory.mktemp("prop") / "base.zhibu"
    with Ledger.open(path, create=True) as led, led.write() as s:
        c = M.Committee(name="机关党委")
        b = M.Branch(committee=c, name="第一党支部")
        s.add_all([c, b])
        s.flush()
        members = [M.Member(name=n, branch_id=b.id, join_date=date(2000 + i, 7, 1)) for i, n in enumerate("赵钱孙李")]
        meetings = [M.Meeting(branch_id=b.id, kind="支部委员会", number=i + 1, title=f"第{i + 1}次支委会",
                              date=date(2026, i + 1, 5)) for i in range(3)]  # fmt: skip
        s.add_all(members + meetings)
        s.flush()
        ids = {"member": [m.id for m in members], "meeting": [m.id for m in meetings]}
    return path, ids


EDIT = st.tuples(st.sampled_from(["member", "meeting"]), st.integers(0, 2), st.integers(0, 3), VALUES)
SIDE = st.lists(st.one_of(EDIT, st.tuples(st.just("delete"), st.sampled_from(["member", "meeting"]), st.integers(0, 2))),
                max_size=6)  # fmt: skip


def _apply(path, ids, edits) -> tuple[dict, set]:
    """Each edit its own write (as the program saves); returns final values and deleted ids."""
    changed: dict[tuple[str, str, str], str] = {}
    deleted: set[str] = set()
    model = {"member": M.Member, "meeting": M.Meeting}
    with Ledger.open(path) as led:
        for edit in edits:
            with led.write() as s:
                if edit[0] == "delete":
                    rid = ids[edit[1]][edit[2]]
                    s.get(model[edit[1]], rid).tombstone()
                    deleted.add(rid)
                    continue
                table, i, f, value = edit
                field = FIELDS[table][f % len(FIELDS[table])]
                rid = ids[table][i]
                setattr(s.get(model[table], rid), field, value)
                changed[(table, rid, field)] = value
    return changed, deleted


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mine_edits=SIDE, theirs_edits=SIDE)
def test_merge_keeps_one_sided_changes_and_lists_both_sided(small_base, tmp_path_factory, mine_edits, theirs_edits):
    base, ids = small_base
    work = tmp_path_factory.mktemp("ex")
    mine, theirs = work / "mine" / "t.zhibu", work / "theirs" / "t.zhibu"
    for p in (mine, theirs):
        p.parent.mkdir()
        shutil.copyfile(base, p)
    m_changed, m_deleted = _apply(mine, ids, mine_edits)
    t_changed, t_deleted = _apply(theirs, ids, theirs_edits)
    result = merge_files(mine, theirs, work / "out.zhibu", backup_dir=work / "b")
    out = result.out
    keys = {c.key for c in result.plan.conflicts}
    for (table, rid, field), value in m_changed.items():
        if (table, rid, field) in t_changed:
            if t_changed[(table, rid, field)] != value:
                assert f"{table}:{rid}:{field}" in keys
            continue
        assert one(out, f'SELECT "{field}" FROM {table} WHERE id = ?', rid) == value, (table, field)
    for (table, rid, field), value in t_changed.items():
        if (table, rid, field) in m_changed:
            continue
        assert one(out, f'SELECT "{field}" FROM {table} WHERE id = ?', rid) == value, (table, field)
    # a delete on one side with no edit of that record on the other is taken; with an edit, it is
    # a listed conflict (default: keep the record with the edit)
    edited = {"mine": {rid for (_t, rid, _f) in m_changed}, "theirs": {rid for (_t, rid, _f) in t_changed}}
    for side, gone, other in (("mine", m_deleted, "theirs"), ("theirs", t_deleted, "mine")):
        for rid in gone:
            table = "member" if rid in ids["member"] else "meeting"
            is_deleted = one(out, f"SELECT deleted_at IS NOT NULL FROM {table} WHERE id = ?", rid)
            if rid in edited[other]:
                assert any(k.startswith(f"{table}:{rid}:deleted") for k in keys) or rid in (m_deleted & t_deleted)
            elif rid not in edited[other]:
                assert is_deleted == 1, (side, table)
    assert result.check.ok, result.check.problems
