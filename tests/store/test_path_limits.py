"""Names and paths a ledger cannot have are refused with the exact reason (issue 9), not
「文件夹不存在或没有权限」 and not a traceback: the file-system name limit is 255 *bytes* (a Chinese
character is 3), less the 8 of ``-journal``; SQLite's Unix VFS takes paths up to 504 bytes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.services.files import dump_ledger, load_ledger, save_copy
from desktop.store import errors
from desktop.store.ledger import Ledger
from desktop.store.models import Committee
from desktop.store.pathlimits import SQLITE_MAX_PATH

from .util import folder_listing

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.skipif(sys.platform == "win32", reason="byte limits of Linux/macOS file systems"),
              pytest.mark.file_only(reason="file and path name limits")]


def _name(nbytes: int) -> str:
    """A Chinese ledger name of exactly ``nbytes`` UTF-8 bytes."""
    body = nbytes - len(".zhibu")
    return "支" * (body // 3) + "a" * (body % 3) + ".zhibu"


def _deep(base: Path, nbytes: int, name: str = "台账.zhibu") -> Path:
    """A path of exactly ``nbytes`` bytes under ``base`` (folders of 60 Chinese characters)."""
    folder = base
    while len(os.fsencode(str(folder / "文" / name))) + 183 < nbytes:
        folder = folder / ("文" * 60)
    rest = nbytes - len(os.fsencode(str(folder / name))) - 1
    folder = folder / ("文" * (rest // 3) + "b" * (rest % 3))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    assert len(os.fsencode(str(path))) == nbytes
    return path


@pytest.mark.parametrize("nbytes", [258, 250])
def test_new_ledger_with_a_too_long_name_says_so(tmp_path, nbytes):
    path = tmp_path / _name(nbytes)
    with pytest.raises(errors.PathTooLong) as caught:
        Ledger.open(path, create=True)
    assert "文件名太长" in caught.value.message and f"{nbytes} 字节" in caught.value.message
    assert "247 字节" in caught.value.message and "汉字" in caught.value.message
    assert list(tmp_path.iterdir()) == []


def test_the_longest_name_allowed_works(tmp_path):
    path = tmp_path / _name(247)
    with Ledger.open(path, create=True) as ledger, ledger.write() as s:
        s.add(Committee(name="机关党委"))
    Ledger.open(path).close()


def test_paths_over_sqlites_limit_are_refused_exactly(tmp_path):
    ok = _deep(tmp_path / "a", SQLITE_MAX_PATH)
    with Ledger.open(ok, create=True) as ledger, ledger.write() as s:  # the boundary itself works
        s.add(Committee(name="机关党委"))
    too_long = _deep(tmp_path / "b", SQLITE_MAX_PATH + 1)
    shutil.copyfile(ok, too_long)
    for attempt in (lambda: Ledger.open(too_long), lambda: Ledger.open(too_long.with_name("新账.zhibu"), create=True),
                    lambda: dump_ledger(too_long)):  # fmt: skip
        with pytest.raises(errors.PathTooLong) as caught:
            attempt()
        assert "文件路径太长" in caught.value.message and f"{SQLITE_MAX_PATH} 字节" in caught.value.message
        assert "文件夹不存在" not in caught.value.full_message()


def test_save_copy_and_load_to_a_too_long_destination(tmp_path):
    with Ledger.open(tmp_path / "台账.zhibu", create=True) as ledger:
        with pytest.raises(errors.PathTooLong, match="文件名太长"):
            save_copy(ledger, tmp_path / _name(255))
        with pytest.raises(errors.PathTooLong, match="文件路径太长"):
            save_copy(ledger, _deep(tmp_path / "d", SQLITE_MAX_PATH + 3, "副本.zhibu"))
    with pytest.raises(errors.PathTooLong, match="文件名太长"):
        load_ledger('{"format": "zhibu-dump", "schema": 1, "tables": {}}', tmp_path / _name(300))
    assert folder_listing(tmp_path) == ["d", "台账.zhibu"]


@pytest.mark.parametrize("command", ["check", "summary", "dump"])
def test_cli_says_the_name_is_too_long(tmp_path, command):
    proc = subprocess.run([sys.executable, "-m", "desktop", command, str(tmp_path / _name(300))],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)  # fmt: skip
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2 and "文件名太长" in out and "Traceback" not in out, out
