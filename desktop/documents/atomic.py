"""Write a file completely or not at all, and make readable Windows-safe file names."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_file_stem(stem: str, max_chars: int = 120) -> str:
    """``stem`` without characters Windows forbids, trailing dots/spaces or reserved names."""
    s = _ILLEGAL.sub("", stem.replace("/", "／").replace("\\", "＼").replace(":", "："))
    s = re.sub(r"\s+", " ", s).strip().rstrip(". ")[:max_chars].rstrip(". ")
    if not s or s.upper().split(".")[0] in _RESERVED:
        s = f"文档{s}" if s else "文档"
    return s


@contextlib.contextmanager
def atomic_target(path: Path) -> Iterator[BinaryIO]:
    """Yield a temp file in ``path``'s folder; on success it replaces ``path``, on error it is removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~", suffix=path.suffix + ".part", dir=path.parent)
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
