"""What the device graphs draw, read from rollups: no Qt, no pyqtgraph (cheap to import).

``load_graph_data`` runs off the UI thread (``asyncio.to_thread``). Ranges up to 30 days
read 5-minute rollups; longer ones read daily rollups.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import Enum

from wardfleet.domain.status import DeviceStatus, Supply
from wardfleet.store import Store

DAY_S = 86_400.0
DAILY_FROM_S = 31 * DAY_S  # ranges longer than this read daily rollups
MAX_POINTS = 1500  # per line: more than a graph has pixels across


class GraphRange(Enum):
    HOUR = 3600.0
    DAY = DAY_S
    WEEK = 7 * DAY_S
    MONTH = 30 * DAY_S
    QUARTER = 90 * DAY_S

    @property
    def seconds(self) -> float:
        return float(self.value)

    @property
    def daily(self) -> bool:
        return self.seconds > DAILY_FROM_S


@dataclass(slots=True)
class Series:
    """One line: x in epoch seconds, y in the series' unit; optional min/max band."""

    key: str
    label: str  # may be device-supplied (a supply's description): plain text only
    xs: list[float] = field(default_factory=list)
    ys: list[float] = field(default_factory=list)
    lo: list[float] | None = None
    hi: list[float] | None = None
    supply: Supply | None = None

    def append(self, x: float, y: float) -> bool:
        """Add a newer point (live polling); False when it is not newer than the last."""
        if self.xs and x <= self.xs[-1]:
            return False
        self.xs.append(x)
        self.ys.append(y)
        if self.lo is not None and self.hi is not None:
            self.lo.append(y)
            self.hi.append(y)
        return True


@dataclass(slots=True)
class GraphData:
    device_id: str
    since: float
    until: float
    supplies: list[Series]
    pages: Series
    latency: Series


def page_rate(xs: list[float], counts: list[float]) -> tuple[list[float], list[float]]:
    """Pages per day between consecutive readings; a counter that went back is skipped."""
    out_x: list[float] = []
    out_y: list[float] = []
    for i in range(1, len(xs)):
        dt, dn = xs[i] - xs[i - 1], counts[i] - counts[i - 1]
        if dt > 0 and dn >= 0:
            out_x.append(xs[i])
            out_y.append(dn / dt * DAY_S)
    return out_x, out_y


def load_graph_data(
    store: Store,
    device_id: str,
    status: DeviceStatus | None,
    graph_range: GraphRange,
    now: float | None = None,
) -> GraphData:
    until = time.time() if now is None else now
    since = until - graph_range.seconds
    daily = graph_range.daily
    supplies_shown = list(status.supplies) if status is not None else []
    metrics = [f"supply:{s.index}" for s in supplies_shown] + ["page_count", "latency_ms"]
    step = int(DAY_S) if daily else bin_seconds(graph_range.seconds)
    rows = store.binned_series(
        device_id, metrics, since, until + 1, step, daily=daily, banded=("latency_ms",)
    )

    supplies = [
        Series(
            f"supply:{supply.index}",
            supply.description or supply.index,
            [float(r[0]) for r in rows[f"supply:{supply.index}"]],
            [r[4] for r in rows[f"supply:{supply.index}"]],
            supply=supply,
        )
        for supply in supplies_shown
    ]
    counts = rows["page_count"]
    px, py = page_rate([float(r[0]) for r in counts], [r[4] for r in counts])
    lat = rows["latency_ms"]
    latency = Series(
        "latency_ms",
        "",
        [float(r[0]) for r in lat],
        [r[1] for r in lat],
        [r[2] for r in lat],
        [r[3] for r in lat],
    )
    return GraphData(device_id, since, until, supplies, Series("pages", "", px, py), latency)


def bin_seconds(range_s: float, max_points: int = MAX_POINTS) -> int:
    """The smallest multiple of 5 minutes that keeps a range under ``max_points`` bins."""
    five = 300
    return max(five, -(-int(range_s) // (max_points * five)) * five)
