"""Files that are not (usable) ledgers: each is refused with a message that names the problem,
and its bytes stay exactly as they were (sha256 before/after), with no journal left beside it."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
import sys
import textwrap
import time
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop.store import errors
from desktop.store import ledger as ledger_module
from desktop.store.header import SCHEMA_VERSION
from desktop.store.ledger import Ledger, translate_sqlite_error
from desktop.store.models import Committee

from .util import folder_listing, sha256

ROOT = Path(__file__).resolve().parents[2]
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8ffff3f0005fe02fea7d6a4e10000000049454e44ae426082"
)

pytestmark = pytest.mark.file_only(reason="the file's header, permissions and the lock beside it")


def _real_ledger(path: Path) -> Path:
    with Ledger.open(path, create=True) as led, led.write() as s:
        s.add(Committee(name="机关党委"))
    return path


def _foreign_sqlite(path: Path) -> Path:
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
        db.execute("INSERT INTO photos (name) VALUES ('假期.jpg')")
        db.commit()
    return path


def _newer(path: Path) -> Path:
    _real_ledger(path)
    with closing(sqlite3.connect(path)) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    return path


def _truncated(path: Path) -> Path:
    full = _real_ledger(path.with_name("full.zhibu"))
    path.write_bytes(full.read_bytes()[:4096])
    full.unlink()
    return path


def _bytes(data: bytes):
    def make(path: Path) -> Path:
        path.write_bytes(data)
        return path

    return make


CASES = {
    # name: (make(path) -> path, expected error type, words the message must contain)
    "empty": (_bytes(b""), errors.EmptyFile, ["空的", "0 字节"]),
    "text": (_bytes("三会一课记录\n".encode()), errors.NotSQLite, ["不是 SQLite"]),
    "png": (_bytes(PNG), errors.NotSQLite, ["不是台账文件"]),
    "foreign_sqlite": (_foreign_sqlite, errors.ForeignDatabase, ["其他程序"]),
    "newer_schema": (_newer, errors.NewerSchema, ["较新版本", f"第 {SCHEMA_VERSION + 1} 版"]),
    "truncated": (_truncated, errors.CorruptFile, ["不完整", "4096 字节"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_refused_and_untouched(tmp_path, case):
    make, error_type, words = CASES[case]
    path = make(tmp_path / "bad.zhibu")
    before = sha256(path)
    with pytest.raises(error_type) as info:
        Ledger.open(path)
    for word in words:
        assert word in info.value.message, info.value.message
    assert sha256(path) == before
    assert folder_listing(tmp_path) == ["bad.zhibu"]  # no journal, no backup, nothing else


def test_directory_refused(tmp_path):
    folder = tmp_path / "台账.zhibu"
    folder.mkdir()
    with pytest.raises(errors.NotSQLite) as info:
        Ledger.open(folder)
    assert "文件夹" in info.value.message
    assert folder_listing(folder) == []


def test_missing_path_refused(tmp_path):
    with pytest.raises(errors.FileMissing) as info:
        Ledger.open(tmp_path / "没有这个文件.zhibu")
    assert "找不到" in info.value.message and "没有这个文件.zhibu" in info.value.message
    assert folder_listing(tmp_path) == []  # nothing created


def test_create_refuses_existing_file(tmp_path):
    path = _real_ledger(tmp_path / "a.zhibu")
    before = sha256(path)
    with pytest.raises(errors.FileExists):
        Ledger.open(path, create=True)
    assert sha256(path) == before


def test_read_only_open_maps_to_read_only_error(tmp_path, monkeypatch):
    """A real read-only SQLite open (mode=ro, what SQLite falls back to for a read-only file):
    reading works, a write gives ReadOnlyFile with a message that says so; the file is untouched."""
    path = _real_ledger(tmp_path / "r.zhibu")
    before = sha256(path)
    real = ledger_module._make_engine

    def read_only_engine(p):
        engine = real(Path(f"file:{p}?mode=ro&uri=true"))
        return engine

    monkeypatch.setattr(ledger_module, "_make_engine", read_only_engine)
    with Ledger.open(path) as led:
        with led.read() as s:
            assert s.execute(text("SELECT count(*) FROM committee")).scalar() == 1
        with pytest.raises(errors.ReadOnlyFile) as info, led.write() as s:
            s.add(Committee(name="新增"))
    assert "只读" in info.value.message
    assert sha256(path) == before
    assert folder_listing(tmp_path) == ["r.zhibu"]


def test_translate_read_only_error_from_sqlite(tmp_path):
    path = _real_ledger(tmp_path / "r.zhibu")
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        with pytest.raises(sqlite3.OperationalError) as info:
            db.execute("DELETE FROM committee")
    mapped = translate_sqlite_error(info.value, path)
    assert isinstance(mapped, errors.ReadOnlyFile) and "只读" in mapped.message


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write a chmod 444 file anyway")
def test_chmod_read_only_file(tmp_path):
    path = _real_ledger(tmp_path / "r.zhibu")
    path.chmod(0o444)
    before = sha256(path)
    try:
        with Ledger.open(path) as led, pytest.raises(errors.ReadOnlyFile), led.write() as s:
            s.add(Committee(name="新增"))
    finally:
        path.chmod(0o644)
    assert sha256(path) == before


OPENER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from desktop.store.ledger import Ledger
    from desktop.store import errors
    t = time.perf_counter()
    try:
        Ledger.open({path!r}).close()
        print("OPENED", time.perf_counter() - t)
    except errors.InUse as exc:
        print("INUSE", time.perf_counter() - t, exc.message)
    """
)


def test_second_opener_gets_in_use_quickly(tmp_path):
    path = _real_ledger(tmp_path / "shared.zhibu")
    with Ledger.open(path) as led:
        with led.write() as s:  # the holder keeps working while the other program tries
            s.add(Committee(name="第二个"))
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", OPENER.format(root=str(ROOT), path=str(path))],
            capture_output=True, text=True, timeout=30, cwd=ROOT,
        )  # fmt: skip
        wall = time.perf_counter() - started
        assert proc.returncode == 0, proc.stderr
        verdict, seconds, *message = proc.stdout.split(maxsplit=2)
        assert verdict == "INUSE", proc.stdout
        assert float(seconds) < 2.0, f"the second opener waited {seconds} s"  # spec: within 2 s, never a hang
        assert f"台账正在被 {platform.node()}（" in message[0]
        assert wall < 15  # interpreter start-up included; a hang would hit the timeout
        with led.read() as s:  # the holder is unaffected
            assert s.execute(text("SELECT count(*) FROM committee")).scalar() == 2
    proc = subprocess.run(
        [sys.executable, "-c", OPENER.format(root=str(ROOT), path=str(path))],
        capture_output=True, text=True, timeout=30, cwd=ROOT,
    )  # fmt: skip
    assert proc.stdout.startswith("OPENED"), proc.stdout + proc.stderr  # free again once closed


def test_only_the_file_remains_after_close(tmp_path):
    path = tmp_path / "台账.zhibu"
    with Ledger.open(path, create=True) as led:
        for i in range(3):
            with led.write() as s:
                s.add(Committee(name=f"党委{i}"))
        with pytest.raises(RuntimeError), led.write() as s:  # a rolled-back transaction too
            s.add(Committee(name="回滚"))
            s.flush()
            raise RuntimeError("boom")
    assert folder_listing(tmp_path) == ["台账.zhibu"]
    with Ledger.open(path) as led, led.read() as s:
        assert s.execute(text("SELECT count(*) FROM committee")).scalar() == 3
    assert folder_listing(tmp_path) == ["台账.zhibu"]


def test_file_settings(tmp_path):
    path = tmp_path / "s.zhibu"
    with Ledger.open(path, create=True) as led:
        raw = led.engine.raw_connection()
        try:
            db = raw.driver_connection
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
            assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
            assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            assert db.execute("PRAGMA locking_mode").fetchone()[0] == "exclusive"
        finally:
            raw.close()


def test_same_process_reopen_is_refused_without_touching_the_file(tmp_path):
    """Reading the file with open()/close() in the holding process would drop its POSIX lock;
    Ledger.open must see the ledger is already open here and refuse before reading anything."""
    path = _real_ledger(tmp_path / "once.zhibu")
    with Ledger.open(path) as led:
        with pytest.raises(errors.InUse) as info:
            Ledger.open(tmp_path / "." / "once.zhibu")
        assert "本程序中打开" in info.value.message
        assert ledger_module.open_ledger_at(path) is led
        proc = subprocess.run(
            [sys.executable, "-c", OPENER.format(root=str(ROOT), path=str(path))],
            capture_output=True, text=True, timeout=30, cwd=ROOT,
        )  # fmt: skip
        assert proc.stdout.startswith("INUSE"), proc.stdout + proc.stderr  # our lock is still held
    assert ledger_module.open_ledger_at(path) is None
    Ledger.open(path).close()
