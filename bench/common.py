"""Helpers shared by benchmarks: a scratch database, timing, the result table."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Row:
    benchmark: str
    figure: str
    value: float
    unit: str
    ratio: float | None = None  # against the baseline measured in the same run
    baseline: str = ""


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """The fastest of `repeat` runs, in seconds (the least disturbed by noise)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def print_table(rows: list[Row]) -> None:
    header = f"{'benchmark':<28} {'figure':<44} {'value':>12} {'unit':<10} {'ratio':>7}  baseline"
    print()
    print(header)
    print("-" * len(header))
    for row in rows:
        ratio = f"{row.ratio:.2f}" if row.ratio is not None else ""
        print(f"{row.benchmark:<28} {row.figure:<44} {row.value:>12.2f} {row.unit:<10} "
              f"{ratio:>7}  {row.baseline}")
