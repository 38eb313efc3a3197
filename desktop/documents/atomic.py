"""Write a file completely or not at all, and make readable Windows-safe file names."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

_ILLEGAL = re.compile('[<>:"/\\\\|?*\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_file_stem(stem: str, max_chars: int = 120) -> str:
    """``stem`` without characters Windows forbids, trailing dots/spaces or reserved names."""
    s = _ILLEGAL.sub("", stem.replace("/", "／").replace("\\", "＼").replace(":", "："))
    s = re.sub(r"\s+", " ", s).strip().rstrip(". ")[:max_chars].rstrip(". ")
    if not s or s.upper().split(".")[0] in _RESERVED:
        s = f"文档{s}" if s else "文档"
    return s


NAME_MAX = 255  # bytes of one name on Linux/macOS; UTF-16 units on NTFS, FAT32/exFAT (USB sticks)
WIN_PATH_MAX = 259  # characters of a whole path for Windows programs without long-path support
POSIX_PATH_MAX = 4095  # bytes
# room kept for what follows the stem: the longest suffix and a counter ``（99）`` of unique_path
_TAIL = "（99）.docx"


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def fit_file_stem(stem: str, folder: Path | str | None = None, platform: str = sys.platform) -> str:
    """``safe_file_stem(stem)`` short enough that ``stem（99）.docx`` is a valid name on every
    platform (255 UTF-8 bytes and 255 UTF-16 units) and, in ``folder``, a valid whole path
    (260 characters on Windows, 4096 bytes elsewhere). A stem that is cut keeps its meaningful
    start and ends ``…`` plus a short hash of the whole name, so two long titles that differ
    only at the end still get different names."""
    s = safe_file_stem(stem, max_chars=10_000)
    room_bytes = NAME_MAX - len(_TAIL.encode())
    room_units = NAME_MAX - _utf16(_TAIL)
    if folder is not None:
        base = os.path.abspath(folder)
        if platform == "win32":
            room_units = min(room_units, WIN_PATH_MAX - _utf16(base) - 1 - _utf16(_TAIL))
        else:
            room_bytes = min(room_bytes, POSIX_PATH_MAX - len(os.fsencode(base)) - 1 - len(_TAIL.encode()))

    def fits(t: str) -> bool:
        return len(t.encode("utf-8", "surrogatepass")) <= room_bytes and _utf16(t) <= room_units

    if fits(s):
        return s
    mark = "…" + hashlib.sha1(s.encode("utf-8", "surrogatepass")).hexdigest()[:6]
    keep = s[:max(room_units, 0)]
    while keep and not fits(keep + mark):
        keep = keep[:-1]
    keep = keep.rstrip(". ")
    # a folder too deep for any readable name: the hash alone (the OS reports what is still too long)
    return (keep + mark) if keep else mark.lstrip("…")


def _create_temp(folder: Path, suffix: str) -> tuple[int, str]:
    """A new temp file beside the target, created with mode 0666 minus the umask (mkstemp's
    0600 would survive the rename: exported files unreadable for the user's group)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOINHERIT", 0)
    for _ in range(100):
        tmp = os.path.join(folder, f".~{os.urandom(4).hex()}{suffix}.part")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temp name in {folder}")


@contextlib.contextmanager
def atomic_target(path: Path) -> Iterator[BinaryIO]:
    """Yield a temp file in ``path``'s folder; on success it replaces ``path``, on error it is removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_temp(path.parent, path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_atomic(path: Path, writer: Callable[[BinaryIO], object]) -> object:
    with atomic_target(path) as fh:
        return writer(fh)


def unique_path(folder: Path, stem: str, suffix: str, taken: set[Path]) -> Path:
    """``folder/stem.suffix``, or ``stem（2）.suffix`` … if an earlier file of this export took it."""
    p = Path(folder) / f"{stem}{suffix}"
    n = 2
    while p in taken:
        p = Path(folder) / f"{stem}（{n}）{suffix}"
        n += 1
    taken.add(p)
    return p
