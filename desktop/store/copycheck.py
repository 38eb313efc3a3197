"""Conflict checks for a working copy: what the original looked like when it was copied
(:class:`Fingerprint`: size, modification time, SQLite header) and whether it still does
(:func:`origin_changed`); :class:`OriginChanged` / :class:`OriginUnavailable` say why nothing was
written back (desktop.store.workcopy).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import errors


class OriginChanged(errors.LedgerFileError):
    title = "台账已在别处被修改"
    advice = "为了不覆盖别处的修改，本机的修改没有写回。可以把本机的修改另存为副本。"


class OriginUnavailable(errors.LedgerFileError):
    title = "无法写回台账"
    advice = "本机的修改仍保存在工作副本中；插回 U 盘或连上网络后再保存，或下次打开时会再次写回。"

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



def origin_changed(origin: Path, baseline: Fingerprint) -> Fingerprint | None:
    """The original's fingerprint when it no longer matches ``baseline``, else None.
    Raises OriginUnavailable when it cannot be read (stick pulled, share gone)."""
    try:
        now = Fingerprint.of(origin)
    except FileNotFoundError as exc:
        raise OriginUnavailable(origin, f"找不到原来的台账文件：{origin}（U 盘是否已拔出？）。",
                                str(exc)) from exc
    except OSError as exc:
        raise OriginUnavailable(origin, f"无法读取原来的台账文件：{origin}（{exc.strerror}）。",
                                str(exc)) from exc
    return None if now == baseline else now
