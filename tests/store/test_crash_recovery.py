"""A kill -9 at any write or sync of a save or of a schema upgrade never costs the ledger.

Real processes (tests/store/crash_child.py) are killed by strace fault injection at a chosen
syscall. Every resulting file must reopen, pass ``zhibu check`` and hold the old or the new state,
never a mix. The file as it lay on disk at the kill, copied WITHOUT its ``-journal`` (what a user
copying the ledger while the program saves gets), must either open with the old or the new
state or be refused with a plain message — never open damaged.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.services.files import check_ledger
from desktop.store import errors
from desktop.store.ledger import Ledger
from desktop.store.models import Member
from desktop.store.tempfiles import is_temp_name

from . import crash_child, faults
from .util import LEDGER_V1, fill_rich

pytestmark = [pytest.mark.skipif(not faults.strace_works(), reason="strace cannot trace here (no ptrace)"),
              pytest.mark.file_only(reason="the rollback journal after a killed save (a server's killed client: tests/server/test_killed_client.py)")]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("base") / "台账.zhibu"
    with Ledger.open(path, create=True) as ledger:
        fill_rich(ledger)
    return path


def _members(ledger: Ledger) -> tuple[int, bool]:
    """(members, whether the save's rename of an existing member is there)."""
    with ledger.read() as s:
        count = s.scalar(select(func.count()).select_from(Member))
        renamed = s.scalar(select(func.count()).where(Member.name == crash_child.NEW_NAME).select_from(Member))
        return count, bool(renamed)


def _save_state(path: Path, old: tuple[int, bool], backups: Path) -> str:
    """Open ``path`` with the program's code; 'old' or 'new' (anything else fails the test)."""
    with Ledger.open(path, backup_dir=backups) as ledger:
        state = _members(ledger)
    new = (old[0] + crash_child.GROW_MEMBERS, True)
    assert state in (old, new), f"{path.name}: neither old {old} nor new {new}: {state}"
    return "old" if state == old else "new"


def _upgrade_state(path: Path, backups: Path) -> str:
    """'old' (still schema 1: upgraded now) or 'new' (the killed run had committed the upgrade);
    the records are the fixture's either way."""
    with Ledger.open(path, backup_dir=backups) as ledger:
        state = "old" if ledger.upgraded_from == 1 else "new"
        with ledger.read() as s:
            names = sorted(m.name + m.job_title for m in s.scalars(select(Member)))
    assert names == _V1_NAMES, f"{path.name}: the members changed: {names}"
    return state


def _v1_names() -> list[str]:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(f"file:{LEDGER_V1}?mode=ro", uri=True)) as db:
        return sorted(r[0] for r in db.execute("SELECT name FROM member"))


_V1_NAMES = _v1_names()


def _assert_checked(path: Path) -> None:
    report = check_ledger(path)
    assert report.ok, report.summary_lines()


def _run_point(mode: str, source: Path, work: Path, point: tuple[str, int], old) -> tuple[str, str]:
    """Kill at ``point``; return (state of the reopened file, outcome of the journal-less copy)."""
    syscall, n = point
    folder = work / f"{mode}-{syscall}-{n}"
    folder.mkdir()
    file = folder / "台账.zhibu"
    shutil.copyfile(source, file)
    backups = folder / "backups"
    extra = [str(backups)] if mode == "upgrade" else []
    status = faults.run_killed(mode, file, extra, syscall, n)
    assert status in (-9, 137), f"{syscall}#{n}: the child was not killed (status {status})"
    copy = folder / "copied-without-journal.zhibu"
    shutil.copyfile(file, copy)  # the bytes on disk at the kill, without the -journal beside them
    state = _save_state(file, old, backups) if mode == "save" else _upgrade_state(file, backups)
    _assert_checked(file)
    leftovers = [p.name for p in (*folder.iterdir(), *backups.rglob("*")) if is_temp_name(p.name)]
    assert not leftovers, f"{syscall}#{n}: temporary copies left after reopening: {leftovers}"
    try:
        copied = _save_state(copy, old, folder / "b2") if mode == "save" else _upgrade_state(copy, folder / "b2")
        _assert_checked(copy)
    except errors.LedgerFileError as exc:
        assert "台账" in exc.message, exc.message
        copied = "refused"
    return state, copied


def _sweep(mode: str, source: Path, work: Path, old, limit: int | None = None) -> dict[str, Counter]:
    probe = work / f"probe-{mode}.zhibu"
    shutil.copyfile(source, probe)
    extra = [str(work / "probe-backups")] if mode == "upgrade" else []
    points = faults.kill_points(mode, probe, extra, work / f"trace-{mode}.txt")
    if limit:
        points = points[:: max(1, len(points) // limit)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda p: _run_point(mode, source, work, p, old), points))
    tally = {"points": Counter(p[0] for p in points), "reopened": Counter(r[0] for r in results),
             "copy": Counter(r[1] for r in results)}  # fmt: skip
    print(mode, {k: dict(v) for k, v in tally.items()})
    return tally


def _old_state(base: Path) -> tuple[int, bool]:
    with Ledger.open(base) as ledger:
        return _members(ledger)


# --------------------------------------------------------------------- the two defects, for real
def test_kill_inside_a_growing_save_reopens_with_the_old_state(base, tmp_path):
    """Killed after the header claimed the new page count: the header check used to refuse the
    file as 「可能在复制过程中被截断」 before SQLite could roll its hot journal back."""
    old = _old_state(base)
    shutil.copyfile(base, tmp_path / "probe.zhibu")
    points = faults.kill_points("save", tmp_path / "probe.zhibu", [], tmp_path / "trace.txt")
    writes = [p for p in points if p[0] == "pwrite64"]
    # the journal is written and synced first, then the pages of the file from the header on:
    # halfway, the header already claims the new size
    state, copied = _run_point("save", base, tmp_path, writes[len(writes) // 2], old)
    assert state == "old"
    assert copied == "refused"


def test_kill_late_in_an_upgrade_reopens_and_upgrades_again(tmp_path):
    """Killed while the upgrade's pages were being written: the next open used to crash with
    ``no such column: member.job_title`` (header read before the rollback said schema 2)."""
    shutil.copyfile(LEDGER_V1, tmp_path / "probe.zhibu")
    points = faults.kill_points("upgrade", tmp_path / "probe.zhibu", [str(tmp_path / "pb")], tmp_path / "t.txt")
    last_sync = [p for p in points if p[0] == "fdatasync"][-3]  # every page written, journal still live
    state, _copied = _run_point("upgrade", LEDGER_V1, tmp_path, last_sync, None)
    assert state == "old"
    proc = subprocess.run([sys.executable, "-m", "desktop", "check", str(tmp_path / f"upgrade-{last_sync[0]}-"
                           f"{last_sync[1]}" / "台账.zhibu")], capture_output=True, text=True, cwd=ROOT)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_killed_save_copy_leaves_no_ledger_lookalike_and_it_is_cleaned(base, tmp_path):
    """另存副本 killed halfway used to leave ``.dest.zhibu.<pid>.tmp``, a full plaintext ledger."""
    source = tmp_path / "台账.zhibu"
    shutil.copyfile(base, source)
    dest_dir = tmp_path / "U盘"
    dest_dir.mkdir()
    points = faults.kill_points("copy", source, [str(dest_dir / "probe.zhibu")], tmp_path / "trace.txt")
    writes = [p for p in points if p[0] == "pwrite64"]
    status = faults.run_killed("copy", source, [str(dest_dir / "副本.zhibu")], *writes[-3])
    assert status in (-9, 137)
    left = sorted(p.name for p in dest_dir.iterdir() if p.name != "probe.zhibu")
    assert left and all(is_temp_name(n) for n in left), left
    assert not any(n.endswith((".zhibu", ".zhibu.tmp")) or ".zhibu." in n for n in left), left
    # the next use of the folder (opening a ledger there, or another copy into it) removes them
    shutil.copyfile(base, dest_dir / "另一个台账.zhibu")
    Ledger.open(dest_dir / "另一个台账.zhibu").close()
    assert sorted(p.name for p in dest_dir.iterdir()) == ["probe.zhibu", "另一个台账.zhibu"]


# ------------------------------------------------------------------------------- the full sweep
@pytest.mark.slow
def test_kill_at_every_write_and_sync_of_a_save_and_an_upgrade(base, tmp_path):
    old = _old_state(base)
    save = _sweep("save", base, tmp_path, old)
    upgrade = _sweep("upgrade", LEDGER_V1, tmp_path, None)
    total = sum(save["points"].values()) + sum(upgrade["points"].values())
    assert total >= 100
    for tally in (save, upgrade):
        assert tally["reopened"]["old"] and tally["reopened"]["new"], tally  # both ends were reached
        assert set(tally["copy"]) <= {"old", "new", "refused"}
