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

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import threading
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from . import errors, paths
from .changes import ChangeEvent
from .header import APPLICATION_ID, read_header
from .holder import NAME_MAX_BYTES, HolderLock
from .ledger import Ledger, open_ledger_at, translate_sqlite_error
from .media import LOCAL, Medium, medium_of
from .tempfiles import clean_stale, fsync_dir, fsync_file, temp_path

log = logging.getLogger(__name__)

MODES = {"auto": "自动（U 盘和网络位置）", "always": "总是使用", "never": "从不使用"}
PREV_SUFFIX = ".prev"

_OPEN: dict[str, WorkingCopy] = {}
_OPEN_LOCK = threading.Lock()


class OriginChanged(errors.LedgerFileError):
    title = "台账已在别处被修改"
    advice = "为了不覆盖别处的修改，本机的修改没有写回。可以把本机的修改另存为副本。"


class OriginUnavailable(errors.LedgerFileError):
    title = "无法写回台账"
    advice = "本机的修改仍保存在工作副本中；插回 U 盘或连上网络后再保存，或下次打开时会再次写回。"


def _key(path: Path) -> str:
    return hashlib.sha1(os.path.normcase(os.path.realpath(path)).encode("utf-8")).hexdigest()[:16]


def work_root() -> Path:
    return paths.data_dir() / "working"


def _beside(origin: Path, suffix: str, hidden: bool) -> Path:
    """``[.]<name><suffix>`` beside the original, or a short hashed name over the 255-byte limit."""
    name = f"{'.' if hidden else ''}{origin.name}{suffix}"
    if len(name.encode("utf-8")) > NAME_MAX_BYTES:
        name = f".zhibu-{_key(origin)}{suffix}"
    return origin.with_name(name)


def prev_path(origin: Path) -> Path:
    return _beside(origin, PREV_SUFFIX, hidden=False)


@dataclass(frozen=True)
class Fingerprint:
    """What the original looked like when copied: changes whenever anything writes it."""

    size: int
    mtime_ns: int
    header: str  # hex of the first 100 bytes (change counter at offset 24)

    @classmethod
    def of(cls, path: Path) -> Fingerprint:
        with open(path, "rb") as fh:
            head = fh.read(100)
            st = os.fstat(fh.fileno())
        return cls(st.st_size, st.st_mtime_ns, head.hex())

    @property
    def change_counter(self) -> int:
        return int(self.header[48:56], 16) if len(self.header) >= 56 else -1

    def describe(self) -> str:
        when = datetime.fromtimestamp(self.mtime_ns / 1e9).strftime("%Y-%m-%d %H:%M")
        return f"大小 {self.size:,} 字节，修改于 {when}，修改计数 {self.change_counter}"


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
        if _key(path) in _OPEN:
            raise errors.InUse(path, "这个台账已经在本程序中打开。")
    medium = wanted(path, mode) if mode != "never" else None
    if medium is None:
        return Ledger.open(path, create=create, backup_dir=backup_dir)
    if create:
        Ledger.open(path, create=True).close()
    return WorkingCopy.open(path, backup_dir=backup_dir, medium=medium)


def working_copy_of(origin: Path | str) -> WorkingCopy | None:
    with _OPEN_LOCK:
        return _OPEN.get(_key(Path(origin).absolute()))


def _remove_quietly(*files: Path) -> None:
    for f in files:
        for p in (f, Path(f"{f}-journal")):
            try:
                p.unlink(missing_ok=True)
            except OSError:
                log.warning("could not remove %s", p, exc_info=True)


def write_verified(source: sqlite3.Connection, tmp: Path) -> None:
    """Copy the database behind ``source`` into ``tmp`` with the backup API, fsync it and verify
    it (integrity, application id, schema version); raise errors.CorruptFile when it is not
    intact. ``tmp`` is replaced if it exists."""
    for p in (tmp, Path(f"{tmp}-journal")):
        p.unlink(missing_ok=True)
    (version,) = source.execute("PRAGMA user_version").fetchone()
    with closing(sqlite3.connect(tmp, isolation_level=None)) as target:
        # a scratch file: no journal, no syncs while copying; one fsync once it is verified
        target.execute("PRAGMA journal_mode = OFF")
        target.execute("PRAGMA synchronous = OFF")
        source.backup(target)
        integrity = [r[0] for r in target.execute("PRAGMA integrity_check(5)")]
        (app_id,) = target.execute("PRAGMA application_id").fetchone()
        (copied_version,) = target.execute("PRAGMA user_version").fetchone()
    if Path(f"{tmp}-journal").exists():
        raise errors.CorruptFile(tmp, "写回的临时文件不完整（留下了日志文件），没有写回。")
    if integrity != ["ok"] or (app_id & 0xFFFFFFFF) != APPLICATION_ID or copied_version != version:
        raise errors.CorruptFile(tmp, "写回的临时文件未通过校验，没有写回。",
                                 f"integrity={integrity} application_id={app_id:#x} user_version={copied_version}")
    fsync_file(tmp)


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
            _OPEN[_key(origin)] = wc
        return ledger

    @classmethod
    def _open_locked(cls, origin: Path, holder: HolderLock, backup_dir: Path | None, medium: Medium):
        clean_stale(origin.parent)  # temporary files of a write-back that was killed
        _recover_journal(origin)
        read_header(origin)
        folder = work_root() / _key(origin)
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
            _copy_in(origin, local)
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
        try:
            now = Fingerprint.of(self.origin)
        except FileNotFoundError as exc:
            raise OriginUnavailable(self.origin, f"找不到原来的台账文件：{self.origin}（U 盘是否已拔出？）。",
                                    str(exc)) from exc
        except OSError as exc:
            raise OriginUnavailable(self.origin, f"无法读取原来的台账文件：{self.origin}（{exc.strerror}）。",
                                    str(exc)) from exc
        return None if now == self.baseline else now

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
                _remove_quietly(tmp)
                raise
            except (OSError, sqlite3.Error) as exc:
                _remove_quietly(tmp)
                raise _write_error(self.origin, exc) from exc
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
                if _OPEN.get(_key(self.origin)) is self:
                    del _OPEN[_key(self.origin)]

    def __repr__(self) -> str:
        return f"<WorkingCopy {self.origin} -> {self.local}{' dirty' if self.dirty else ''}>"


def keep_previous(origin: Path) -> Path:
    """Copy the current original to ``<name>.prev`` (via a temporary file, fsync'd, renamed)."""
    prev, tmp = prev_path(origin), temp_path(origin)
    try:
        shutil.copyfile(origin, tmp)
        fsync_file(tmp)
        os.replace(tmp, prev)
    except BaseException:
        _remove_quietly(tmp)
        raise
    return prev


def _write_error(origin: Path, exc: BaseException) -> errors.LedgerFileError:
    if isinstance(exc, sqlite3.Error):
        mapped = translate_sqlite_error(exc, origin)
        if mapped is not None:
            return OriginUnavailable(origin, f"没有写回：{mapped.message}", str(exc))
    if isinstance(exc, OSError) and exc.errno == 28:
        return errors.DiskFull(origin, f"{origin.parent} 空间不足，修改没有写回。", str(exc))
    strerror = getattr(exc, "strerror", None) or str(exc)
    return OriginUnavailable(origin, f"写回 {origin} 时出错（{strerror}），原文件未改动。", str(exc))


def _recover_journal(origin: Path) -> None:
    """A hot journal beside the original (a crash there): let SQLite roll it back under our lock."""
    journal = Path(f"{origin}-journal")
    if journal.exists() and journal.stat().st_size > 0:
        try:
            with closing(sqlite3.connect(origin, isolation_level=None, timeout=1.0)) as db:
                db.execute("PRAGMA schema_version").fetchone()
        except sqlite3.Error as exc:
            mapped = translate_sqlite_error(exc, origin)
            if mapped is not None:
                raise mapped from exc
            raise


def _copy_in(origin: Path, local: Path) -> None:
    """Copy the original to the local working copy with the backup API, verified."""
    tmp = local.with_name(local.name + ".copying")
    try:
        with closing(sqlite3.connect(f"{origin.as_uri()}?mode=ro", uri=True, isolation_level=None,
                                     timeout=1.0)) as source:
            write_verified(source, tmp)
        os.replace(tmp, local)
    except errors.LedgerFileError:
        tmp.unlink(missing_ok=True)
        raise
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        mapped = translate_sqlite_error(exc, origin)
        if mapped is not None:
            raise mapped from exc
        raise
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise errors.FileUnreadable(origin, f"无法把台账复制到本机工作副本（{exc.strerror}）。", str(exc)) from exc


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
