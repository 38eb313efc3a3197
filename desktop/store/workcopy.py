"""Working copy: a ledger on a USB stick or a network share is edited as a local copy and written
back atomically at save points (see docs/file-format.md, "Working copy").

- Opening: the holder lock is taken *beside the original* (so other PCs see who has it), the
  original is copied with SQLite's backup API into ``<data dir>/working/<key>/<name>`` and
  verified; the program then works on that copy (``Ledger.working_copy`` is this object).
- Writing back (:meth:`WorkingCopy.write_back`): the original must still be exactly what was
  copied (size, modification time and the 100-byte SQLite header, whose change counter at
  offset 24 moves on every write by SQLite); otherwise :class:`OriginChanged` and nothing is
  written. Then: a temporary file on the same medium (``.zhibu-tmp-<pid>-<token>.part``,
  desktop.store.tempfiles), written with the backup API, fsync'd and verified
  (``integrity_check``, application id, schema version); the original is copied to
  ``<name>.prev`` (the previous version, via another temporary file); the temporary file is
  renamed over the original and the folder fsync'd. A pulled stick or a kill
  at any moment leaves the old or the new file, never half of one.
- Changes not yet written back survive a crash: ``meta.json`` beside the local copy says
  "dirty"; the next open keeps that copy when the original is unchanged, or sets it aside (never
  deletes it) when the original changed meanwhile.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from . import errors, paths
from .changes import ChangeEvent
from .copycheck import Fingerprint, OriginChanged, origin_changed
from .header import read_header
from .holder import HolderLock
from .ledger import Ledger, open_ledger_at
from .media import LOCAL, Medium, medium_of
from .tempfiles import clean_stale, fsync_dir, temp_path
from .writeback import (
    copy_in,
    keep_previous,
    path_key,
    recover_journal,
    remove_quietly,
    write_error,
    write_verified,
)

MODES = {"auto": "自动（U 盘和网络位置）", "always": "总是使用", "never": "从不使用"}

_OPEN: dict[str, WorkingCopy] = {}
_OPEN_LOCK = threading.Lock()


def work_root() -> Path:
    return paths.data_dir() / "working"


def wanted(path: Path, mode: str, medium: Medium | None = None) -> Medium | None:
    """The medium when ``path`` should be worked on as a local copy under ``mode``, else None."""
    medium = medium or medium_of(path)
    if mode == "always" or (mode == "auto" and medium.needs_working_copy):
        return medium
    return None


def open_ledger(path: Path | str, *, create: bool = False, backup_dir: Path | None = None,
                mode: str = "auto") -> Ledger:
    """Open ``path`` the way the window does: directly, or as a working copy on removable and
    network media (``mode``: auto / always / never)."""
    path = Path(path).expanduser().absolute()
    with _OPEN_LOCK:
        if path_key(path) in _OPEN:
            raise errors.InUse(path, "这个台账已经在本程序中打开。")
    medium = wanted(path, mode) if mode != "never" else None
    if medium is None:
        return Ledger.open(path, create=create, backup_dir=backup_dir)
    if create:
        Ledger.open(path, create=True).close()
    return WorkingCopy.open(path, backup_dir=backup_dir, medium=medium)


def working_copy_of(origin: Path | str) -> WorkingCopy | None:
    with _OPEN_LOCK:
        return _OPEN.get(path_key(Path(origin).absolute()))


class WorkingCopy:
    """The local copy of a ledger on removable or network media, and how to write it back."""

    def __init__(self, origin: Path, local: Path, holder: HolderLock, baseline: Fingerprint, medium: Medium):
        self.origin = origin
        self.local = local
        self.folder = local.parent
        self.holder = holder
        self.baseline = baseline
        self.medium = medium
        self.dirty = False
        self.copied_at = datetime.now().astimezone()
        self.last_written: datetime | None = None
        self.kept_unsaved = False  # the last session's unwritten changes were kept
        self.set_aside: Path | None = None  # ... or set aside here (the original changed meanwhile)
        self.ledger: Ledger | None = None
        self._meta_lock = threading.Lock()

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, origin: Path | str, *, backup_dir: Path | None = None, medium: Medium | None = None) -> Ledger:
        origin = Path(origin).expanduser().absolute()
        if open_ledger_at(origin) is not None or working_copy_of(origin) is not None:
            raise errors.InUse(origin, "这个台账已经在本程序中打开。")
        if not origin.is_file():
            read_header(origin)  # missing, a folder: named before a lock file is made
        holder = HolderLock.acquire(origin)
        try:
            wc, ledger = cls._open_locked(origin, holder, backup_dir, medium or medium_of(origin))
        except BaseException:
            holder.release()
            raise
        with _OPEN_LOCK:
            _OPEN[path_key(origin)] = wc
        return ledger

    @classmethod
    def _open_locked(cls, origin: Path, holder: HolderLock, backup_dir: Path | None, medium: Medium):
        clean_stale(origin.parent)  # temporary files of a write-back that was killed
        recover_journal(origin)
        read_header(origin)
        folder = work_root() / path_key(origin)
        folder.mkdir(parents=True, exist_ok=True)
        local = folder / ("ledger" + origin.suffix if len(origin.name.encode()) > 200 else origin.name)
        meta = _read_meta(folder / "meta.json")
        current = Fingerprint.of(origin)
        kept, set_aside = False, None
        if meta.get("dirty") and local.exists() and meta.get("pending") != asdict(current):
            # (a "pending" original equal to the current one: the write-back finished, then a crash)
            if meta.get("baseline") == asdict(current):
                kept = True  # our unwritten changes of last time; the original is as we left it
            else:
                set_aside = _set_aside(local, origin)
        if not kept:
            copy_in(origin, local)
            current = Fingerprint.of(origin)
        wc = cls(origin, local, holder, current, medium)
        wc.kept_unsaved, wc.set_aside, wc.dirty = kept, set_aside, kept
        wc._save_meta()
        ledger = Ledger.open(local, backup_dir=backup_dir)
        ledger.working_copy = wc
        wc.ledger = ledger
        ledger.subscribe(wc._changed)
        if ledger.upgraded_from is not None:
            wc._changed({"upgrade"})
        return wc, ledger

    @property
    def place(self) -> str:
        """Where the original lies, for messages: U 盘或移动硬盘上 / 网络共享文件夹中 / 原位置."""
        return {"removable": "U 盘或移动硬盘上", "network": "网络共享文件夹中"}.get(self.medium.kind, "原位置")

    # ------------------------------------------------------------------ changes
    def _changed(self, event: ChangeEvent) -> None:
        if event and not self.dirty:
            self.dirty = True
            self._save_meta()

    def _save_meta(self, pending: Fingerprint | None = None) -> None:
        data = {"origin": str(self.origin), "baseline": asdict(self.baseline), "dirty": self.dirty,
                "pending": asdict(pending) if pending else None,
                "copied_at": self.copied_at.isoformat(),
                "last_written": self.last_written.isoformat() if self.last_written else None}
        with self._meta_lock:
            tmp = self.folder / "meta.json.tmp"
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(tmp, self.folder / "meta.json")

    # ------------------------------------------------------------------ writing back
    def origin_changed(self) -> Fingerprint | None:
        """The original's fingerprint when it no longer matches what was copied, else None.
        Raises OriginUnavailable when it cannot be read (stick pulled, share gone)."""
        return origin_changed(self.origin, self.baseline)

    def write_back(self, *, force: bool = False) -> bool:
        """Write the working copy back over the original (atomically, previous version kept).
        False when there was nothing to write. Raises OriginChanged (nothing written) or a
        LedgerFileError naming why it could not be written (the working copy is untouched)."""
        ledger = self.ledger
        if ledger is None:
            raise RuntimeError("working copy is not open")
        with ledger._lock:
            if not (self.dirty or force):
                return False
            changed = self.origin_changed()
            if changed is not None:
                raise OriginChanged(
                    self.origin,
                    f"{self.place}的台账在 {self.copied_at:%Y-%m-%d %H:%M} 复制到本机之后被别处修改过：\n"
                    f"{self.origin}\n复制时：{self.baseline.describe()}\n现在：{changed.describe()}")
            tmp = temp_path(self.origin)
            try:
                raw = ledger.engine.raw_connection()
                try:
                    write_verified(raw.driver_connection, tmp)
                finally:
                    raw.close()
                keep_previous(self.origin)
                self._save_meta(pending=Fingerprint.of(tmp))  # what the original is about to become
                os.replace(tmp, self.origin)
                fsync_dir(self.origin.parent)
                self.baseline = Fingerprint.of(self.origin)
            except errors.LedgerFileError:
                remove_quietly(tmp)
                raise
            except (OSError, sqlite3.Error) as exc:
                remove_quietly(tmp)
                raise write_error(self.origin, exc) from exc
            self.dirty = False
            self.last_written = datetime.now().astimezone()
            self._save_meta()
            return True

    def discard_changes(self) -> None:
        """Forget that the working copy differs from the original (e.g. saved as a copy instead)."""
        self.dirty = False
        self._save_meta()

    # ------------------------------------------------------------------ closing
    def closed(self) -> None:
        """Called by Ledger.close: drop the local copy unless it holds unwritten changes, which
        stay for the next open; release the original's lock."""
        try:
            if not self.dirty:
                for p in (self.local, Path(f"{self.local}-journal"), self.folder / "meta.json"):
                    p.unlink(missing_ok=True)
                try:
                    self.folder.rmdir()
                except OSError:
                    pass
        finally:
            self.holder.release()
            with _OPEN_LOCK:
                if _OPEN.get(path_key(self.origin)) is self:
                    del _OPEN[path_key(self.origin)]

    def __repr__(self) -> str:
        return f"<WorkingCopy {self.origin} -> {self.local}{' dirty' if self.dirty else ''}>"


def _set_aside(local: Path, origin: Path) -> Path:
    """Keep a working copy whose changes were never written back, out of the way."""
    folder = work_root() / "未写回的修改"
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / f"{origin.stem[:60]}-未写回的修改-{datetime.now():%Y%m%d-%H%M%S}{origin.suffix}"
    os.replace(local, dest)
    return dest


def _read_meta(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def is_local(path: Path) -> bool:
    return medium_of(path).kind == LOCAL
