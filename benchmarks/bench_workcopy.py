"""Working copy write-back and the in-use refusal, each against a baseline in the same run.

| operation | measured | baseline |
|---|---|---|
| write-back, 2 MB ledger | ``WorkingCopy.write_back()`` after one change: backup API into a temp file on the same medium, fsync, integrity_check + application id, ``.prev`` copy (+fsync), rename, folder fsync | ``shutil.copyfile`` of the same file + fsync of the copy |
| refusal | ``Ledger.open`` of a ledger another process holds, until ``InUse`` names the holder | ``Ledger.open`` + ``close`` of the same ledger when nobody holds it |

Runs are interleaved (measured, baseline, measured, …). Usage:
``python -m benchmarks.bench_workcopy [--runs N] [--dir FOLDER]`` (FOLDER: where the "stick" is,
e.g. a mounted USB stick; default a temporary folder on the local disk). Results in docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from desktop.store import errors, workcopy
from desktop.store.ledger import Ledger
from desktop.store.models import Committee

ROOT = Path(__file__).resolve().parents[1]
TARGET = 2 * 1024 * 1024


def make_ledger(path: Path, size: int = TARGET) -> Path:
    with Ledger.open(path, create=True) as led:
        i = 0
        while path.stat().st_size < size:
            with led.write() as s:
                s.add_all(Committee(name=f"某某局第{i + j}党委" * 12, unit_name="某某局" * 20) for j in range(500))
            i += 500
    return path


def copy_and_fsync(src: Path, dest: Path) -> None:
    shutil.copyfile(src, dest)
    fd = os.open(dest, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def stats(values: list[float]) -> str:
    return f"{min(values):.1f} / {statistics.median(values):.1f} / {max(values):.1f}"


def bench_write_back(folder: Path, runs: int) -> None:
    (folder / "stick").mkdir()
    origin = make_ledger(folder / "stick" / "台账.zhibu")
    size = origin.stat().st_size
    measured, baseline = [], []
    led = workcopy.open_ledger(origin, mode="always")
    try:
        wc = led.working_copy
        for i in range(runs):
            with led.write() as s:
                s.add(Committee(name=f"第{i}次修改"))
            t0 = time.perf_counter()
            assert wc.write_back()
            measured.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            copy_and_fsync(origin, folder / "stick" / "plain-copy.bin")
            baseline.append((time.perf_counter() - t0) * 1000)
    finally:
        led.close()
    ratio = statistics.median(measured) / statistics.median(baseline)
    print(f"\nwrite-back of a {size / 1024 / 1024:.2f} MB ledger, {runs} runs (ms, min / median / max)\n")
    print("| operation | min / median / max ms |\n|---|---:|")
    print(f"| `WorkingCopy.write_back()` | {stats(measured)} |")
    print(f"| baseline `shutil.copyfile` + fsync | {stats(baseline)} |")
    print(f"| ratio of medians | {ratio:.2f}× |")


HOLDER = "import sys; from desktop.store.ledger import Ledger\nled = Ledger.open(sys.argv[1])\nprint('READY', flush=True)\nsys.stdin.readline()"


def bench_refusal(folder: Path, runs: int) -> None:
    path = make_ledger(folder / "held.zhibu", 64 * 1024)
    free = []
    for _ in range(runs):
        t0 = time.perf_counter()
        Ledger.open(path).close()
        free.append((time.perf_counter() - t0) * 1000)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    refused, message = [], ""
    try:
        assert holder.stdout.readline().strip() == "READY"
        for _ in range(runs):
            t0 = time.perf_counter()
            try:
                Ledger.open(path).close()
                raise AssertionError("a held ledger opened")
            except errors.InUse as exc:
                refused.append((time.perf_counter() - t0) * 1000)
                message = exc.message
    finally:
        holder.communicate("\n", timeout=30)
    print(f"\nrefusal of a held ledger, {runs} runs (ms, min / median / max): {message}\n")
    print("| operation | min / median / max ms |\n|---|---:|")
    print(f"| `Ledger.open` of a held ledger → `InUse` with the holder | {stats(refused)} |")
    print(f"| baseline `Ledger.open` + `close`, not held | {stats(free)} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zhibu-bench-wc-", dir=args.dir) as tmp:
        os.environ["ZHIBU_DATA_DIR"] = str(Path(tmp) / "data")
        bench_write_back(Path(tmp), args.runs)
        bench_refusal(Path(tmp), args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
