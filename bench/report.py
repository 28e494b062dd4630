"""Uniform printing of benchmark results."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall seconds of each of ``repeat`` runs."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def verdict(value: float, target: float) -> str:
    """PASS when a lower-is-better value meets its target, else MISS (never asserted)."""
    return "PASS" if value <= target else "MISS"


def line(
    name: str,
    ours: list[float],
    baseline: list[float] | None = None,
    target: float | None = None,
    unit: str = "ms",
) -> str:
    scale = 1000.0 if unit == "ms" else 1.0
    med = statistics.median(ours) * scale
    parts = [f"{name:<48} median {med:8.1f} {unit}"]
    if baseline:
        base = statistics.median(baseline) * scale
        parts.append(f"baseline {base:8.1f} {unit}  ratio {med / base:5.2f}x")
    if target is not None:
        parts.append(
            f"target ≤ {target:g} {unit}  ({med / target:4.2f} of target)  {verdict(med, target)}"
        )
    return "  ".join(parts)
