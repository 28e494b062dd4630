"""When a supply runs out: a robust line through its recent consumption.

Input is a supply's percent series (from 5-minute or daily rollups, ``(ts, percent)``).
A refill is a jump up; it starts a new segment, and only the newest segment is fitted.
The fit is Theil–Sen (the median of pairwise slopes), so a few odd readings (a toner
"rocking" back up by 2 %, a cartridge swapped and swapped back) do not swing it.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

DAY_S = 86_400.0


class ForecastKind(StrEnum):
    ESTIMATE = "estimate"
    NOT_ENOUGH_DATA = "not-enough-data"
    NOT_CONSUMING = "not-consuming"  # flat or rising: no run-out in sight
    EMPTY = "empty"


@dataclass(frozen=True, slots=True)
class Forecast:
    kind: ForecastKind
    days_left: float | None = None
    per_day: float | None = None  # percent used per day (positive while consuming)

    @property
    def has_estimate(self) -> bool:
        return self.days_left is not None


@dataclass(frozen=True, slots=True)
class ForecastPolicy:
    refill_jump_pct: float = 5.0  # a rise larger than this is a refill
    min_points: int = 4
    min_span_s: float = 6 * 3600.0  # less than this is not a trend
    max_points: int = 200  # Theil–Sen is O(n²): thin longer series evenly
    flat_per_day: float = 0.05  # slower than this is "not consuming"


def last_segment(
    points: Sequence[tuple[float, float]], refill_jump_pct: float
) -> list[tuple[float, float]]:
    """The points since the last refill (a jump up larger than ``refill_jump_pct``)."""
    ordered = sorted(points)
    start = 0
    for i in range(1, len(ordered)):
        if ordered[i][1] - ordered[i - 1][1] > refill_jump_pct:
            start = i
    return ordered[start:]


def theil_sen(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """Slope and intercept of the Theil–Sen line; needs two distinct x values."""
    slopes = [
        (y2 - y1) / (x2 - x1)
        for i, (x1, y1) in enumerate(points)
        for x2, y2 in points[i + 1 :]
        if x2 != x1
    ]
    if not slopes:
        raise ValueError("need two points with different x")
    slope = statistics.median(slopes)
    intercept = statistics.median(y - slope * x for x, y in points)
    return slope, intercept


def _thin(points: list[tuple[float, float]], limit: int) -> list[tuple[float, float]]:
    if len(points) <= limit:
        return points
    step = (len(points) - 1) / (limit - 1)
    return [points[round(i * step)] for i in range(limit)]


def forecast_run_out(
    points: Sequence[tuple[float, float]], now: float, policy: ForecastPolicy | None = None
) -> Forecast:
    """Days until the supply reaches 0 %, or why there is no estimate."""
    policy = policy or ForecastPolicy()
    segment = last_segment(points, policy.refill_jump_pct)
    if not segment:
        return Forecast(ForecastKind.NOT_ENOUGH_DATA)
    last_ts, last_value = segment[-1]
    if last_value <= 0:
        return Forecast(ForecastKind.EMPTY, 0.0)
    if len(segment) < policy.min_points or last_ts - segment[0][0] < policy.min_span_s:
        return Forecast(ForecastKind.NOT_ENOUGH_DATA)
    # Fit in days from the segment's start: keeps the numbers well conditioned.
    t0 = segment[0][0]
    slope, intercept = theil_sen(
        [((ts - t0) / DAY_S, v) for ts, v in _thin(segment, policy.max_points)]
    )
    per_day = -slope
    if per_day < policy.flat_per_day:
        return Forecast(ForecastKind.NOT_CONSUMING, per_day=per_day)
    # From the fitted level now, not the last raw reading: one odd reading moves nothing.
    level_now = min(100.0, max(0.0, intercept + slope * (now - t0) / DAY_S))
    return Forecast(ForecastKind.ESTIMATE, level_now / per_day, per_day)
