"""Timing helpers shared by the benchmarks: wall times in milliseconds and their min / median / max."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def time_ms(fn: Callable[[], object]) -> float:
    """One call of ``fn``: wall time in milliseconds."""
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def times_ms(fn: Callable[[], object], runs: int) -> list[float]:
    """``runs`` calls of ``fn``: each one's wall time in milliseconds."""
    return [time_ms(fn) for _ in range(runs)]


def spread(values: list[float]) -> tuple[float, float, float]:
    return min(values), statistics.median(values), max(values)


def stats(values: list[float]) -> str:
    """``min / median / max`` to one decimal, as the tables in docs/performance.md print them."""
    return " / ".join(f"{v:.1f}" for v in spread(values))


def median_ms(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    """Call ``fn`` ``runs`` times; the median wall time in milliseconds and the last result."""
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result
