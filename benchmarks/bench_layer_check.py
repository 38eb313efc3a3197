"""The layer check: import-linter's contracts in-process (tests/test_layers.py) against the check
it replaced, a fresh interpreter per module below ``desktop/ui`` watching for PySide6 (the same
question: does anything below the UI load Qt), both in this run.

    PYTHONPATH=$PWD python benchmarks/bench_layer_check.py [--old-runs 1] [--new-runs 5]

Prints min / median / max wall seconds of each and the ratio of the medians.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LAYERS = ("desktop.domain", "desktop.store", "desktop.services", "desktop.documents")
PROBE = ("import importlib, sys; importlib.import_module(sys.argv[1]); "
         "print(sorted(m for m in sys.modules if m.split('.')[0] == 'PySide6'))")


def old_check() -> int:
    """The former tests/test_layers.py: list the modules, import each in its own interpreter."""
    names = []
    for package in LAYERS:
        pkg = importlib.import_module(package)
        names += [package] + [i.name for i in pkgutil.walk_packages(pkg.__path__, prefix=package + ".")]
    for name in names:
        out = subprocess.run([sys.executable, "-c", PROBE, name], capture_output=True, text=True, cwd=ROOT, check=True)
        assert out.stdout.strip() == "[]", (name, out.stdout)
    return len(names)


def new_check() -> int:
    from importlinter import api  # noqa: F401 - configures import-linter
    from importlinter.application.use_cases import (
        _register_built_in_contract_types,
        create_report,
        read_user_options,
    )

    _register_built_in_contract_types()
    report = create_report(read_user_options(str(ROOT / "pyproject.toml")), cache_dir=None)
    checks = list(report.get_contracts_and_checks())
    assert all(check.kept for _c, check in checks)
    return len(checks)


def timed(fn, runs: int) -> tuple[list[float], int]:
    times, result = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--old-runs", type=int, default=1)
    parser.add_argument("--new-runs", type=int, default=5)
    args = parser.parse_args()
    new, contracts = timed(new_check, args.new_runs)
    old, modules = timed(old_check, args.old_runs)
    new2, _ = timed(new_check, args.new_runs)  # after the baseline too: same load on both sides
    new += new2
    for label, t, what in (("contracts in-process", new, f"{contracts} contracts"),
                           ("interpreter per module", old, f"{modules} modules")):
        print(f"{label:24} {min(t):8.2f} / {statistics.median(t):8.2f} / {max(t):8.2f} s  ({len(t)} runs, {what})")
    print(f"ratio of medians: {statistics.median(old) / statistics.median(new):.0f}x")


if __name__ == "__main__":
    main()
