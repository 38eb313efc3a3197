"""Stale whole-ledger temp files are removed only when their creating process is gone (or has our
pid but predates this run); a live process's temp file, and anything else, stays."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from desktop.store import tempfiles

pytestmark = pytest.mark.file_only(reason="temp files beside the ledger file")


def test_only_stale_temp_files_are_removed(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        names = {
            "dead": f".zhibu-tmp-{dead.pid}-0a1b2c3d.part",
            "dead journal": f".zhibu-tmp-{dead.pid}-0a1b2c3d.part-journal",
            "old naming": f".副本.zhibu.{dead.pid}.tmp",
            "alive": f".zhibu-tmp-{alive.pid}-0a1b2c3d.part",
            "ours, this run": f".zhibu-tmp-{os.getpid()}-0a1b2c3d.part",
            "ours, earlier run": f".zhibu-tmp-{os.getpid()}-99999999.part",
            "a ledger": "台账.zhibu",
            "a user's file": "zhibu-tmp-notes.part",
        }
        for name in names.values():
            (tmp_path / name).write_bytes(b"SQLite format 3\x00")
        earlier = tempfiles._STARTED - 60  # before this run started
        os.utime(tmp_path / names["ours, earlier run"], (earlier, earlier))
        removed = {p.name for p in tempfiles.clean_stale(tmp_path)}
    finally:
        alive.kill()
        alive.wait()
    assert removed == {names[k] for k in ("dead", "dead journal", "old naming", "ours, earlier run")}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        names[k] for k in ("alive", "ours, this run", "a ledger", "a user's file")
    )


def test_temp_names_are_short_and_never_look_like_a_ledger(tmp_path):
    name = tempfiles.temp_path(tmp_path / ("很长的台账名称" * 10 + ".zhibu")).name
    assert name.startswith(".zhibu-tmp-") and name.endswith(".part") and not name.endswith(".zhibu")
    assert len(name.encode()) <= 40 and tempfiles.is_temp_name(name)
