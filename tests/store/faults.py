"""Fault injection with real processes: run ``tests/store/crash_child.py`` under strace and kill it
(SIGKILL) at the N-th call of one syscall (``strace -e inject=SYSCALL:signal=SIGKILL:when=N``).

``kill_points(mode, file)`` runs the child once under strace without killing and lists every
(syscall, N) that writes or syncs: each is a point where a power cut or a kill -9 can land.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("crash_child.py")
# every syscall SQLite and our file code use to change files on disk
SYSCALLS = ("pwrite64", "write", "fsync", "fdatasync", "ftruncate", "unlink", "rename", "renameat", "renameat2")
STRACE = shutil.which("strace")


def _env() -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")
    env.pop("ZHIBU_DATA_DIR", None)
    return env


def strace_works() -> bool:
    if STRACE is None:
        return False
    proc = subprocess.run([STRACE, "-f", "-o", os.devnull, "-e", "trace=none", sys.executable, "-c", "pass"],
                          capture_output=True)  # fmt: skip
    return proc.returncode == 0


def child_args(mode: str, file: Path, extra: list[str]) -> list[str]:
    return [sys.executable, str(CHILD), mode, str(file), *extra]


def kill_points(mode: str, file: Path, extra: list[str], trace: Path) -> list[tuple[str, int]]:
    """Run the child to completion under strace; every (syscall, n) it made that changes files."""
    cmd = [STRACE, "-f", "-qq", "-o", str(trace), "-e", "trace=" + ",".join(SYSCALLS),
           *child_args(mode, file, extra)]  # fmt: skip
    proc = subprocess.run(cmd, env=_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    counts: Counter[str] = Counter()
    for line in trace.read_text().splitlines():
        name = line.split(None, 1)[1].split("(", 1)[0] if " " in line else ""
        if name in SYSCALLS:
            counts[name] += 1
    return [(name, n) for name in SYSCALLS for n in range(1, counts[name] + 1)]


def run_killed(mode: str, file: Path, extra: list[str], syscall: str, when: int) -> int:
    """Run the child and kill it at the ``when``-th ``syscall``; return its exit status."""
    cmd = [STRACE, "-f", "-qq", "-o", os.devnull, "-e", f"trace={syscall}",
           "-e", f"inject={syscall}:signal=SIGKILL:when={when}", *child_args(mode, file, extra)]  # fmt: skip
    proc = subprocess.run(cmd, env=_env(), capture_output=True, text=True, timeout=120)
    return proc.returncode
