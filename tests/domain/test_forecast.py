"""Run-out forecasts from synthetic consumption, refills included."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wardfleet.domain.forecast import (
    DAY_S,
    ForecastKind,
    forecast_run_out,
    last_segment,
    theil_sen,
)

HOUR = 3600.0


def consumption(
    start: float, per_day: float, days: float, step_s: float = HOUR
) -> list[tuple[float, float]]:
    n = int(days * DAY_S / step_s)
    return [(i * step_s, max(0.0, start - per_day * i * step_s / DAY_S)) for i in range(n + 1)]


def test_steady_use_gives_the_right_days() -> None:
    points = consumption(80, 2.0, 10)  # 80 % → 60 % over ten days
    f = forecast_run_out(points, now=points[-1][0])
    assert f.kind is ForecastKind.ESTIMATE
    assert f.days_left == pytest.approx(30, rel=0.01)
    assert f.per_day == pytest.approx(2.0, rel=0.01)


def test_refill_starts_a_new_segment() -> None:
    before = consumption(30, 5.0, 5)  # fast use, down to 5 %
    after = [(ts + before[-1][0] + HOUR, v) for ts, v in consumption(100, 1.0, 4)]
    f = forecast_run_out(before + after, now=after[-1][0])
    assert f.kind is ForecastKind.ESTIMATE
    assert f.per_day == pytest.approx(1.0, rel=0.02)  # the old, faster rate is ignored
    assert f.days_left == pytest.approx(96, rel=0.02)


def test_just_after_a_refill_is_not_enough_data() -> None:
    before = consumption(30, 5.0, 5)
    after = [(before[-1][0] + HOUR, 100.0), (before[-1][0] + 2 * HOUR, 99.9)]
    assert forecast_run_out(before + after, now=after[-1][0]).kind is ForecastKind.NOT_ENOUGH_DATA


def test_few_points_or_short_span_is_not_enough_data() -> None:
    assert forecast_run_out([], now=0).kind is ForecastKind.NOT_ENOUGH_DATA
    short = consumption(50, 10, 0.1, step_s=60)  # 2.4 h
    assert forecast_run_out(short, now=short[-1][0]).kind is ForecastKind.NOT_ENOUGH_DATA


def test_flat_or_empty() -> None:
    flat = [(i * HOUR, 70.0) for i in range(48)]
    assert forecast_run_out(flat, now=flat[-1][0]).kind is ForecastKind.NOT_CONSUMING
    empty = consumption(10, 5, 3)
    assert forecast_run_out(empty, now=empty[-1][0]).kind is ForecastKind.EMPTY


def test_outliers_do_not_swing_the_fit() -> None:
    rng = random.Random(6)
    points = consumption(90, 3.0, 7)
    noisy = [(ts, v + rng.uniform(-0.5, 0.5)) for ts, v in points]
    for i in range(5, len(noisy), 20):  # a few wild readings (small, under the refill jump)
        noisy[i] = (noisy[i][0], noisy[i][1] + 4.5)
    f = forecast_run_out(noisy, now=noisy[-1][0])
    assert f.per_day == pytest.approx(3.0, rel=0.05)


def test_later_now_counts_down() -> None:
    points = consumption(80, 2.0, 10)
    soon = forecast_run_out(points, now=points[-1][0])
    later = forecast_run_out(points, now=points[-1][0] + 5 * DAY_S)
    assert soon.days_left is not None and later.days_left is not None
    assert soon.days_left - later.days_left == pytest.approx(5, rel=0.02)


def test_helpers() -> None:
    assert last_segment([(0, 50), (1, 40), (2, 90), (3, 85)], 5.0) == [(2, 90), (3, 85)]
    assert theil_sen([(0, 1), (1, 3), (2, 5)]) == (2.0, 1.0)
    with pytest.raises(ValueError):
        theil_sen([(1, 1), (1, 2)])


@settings(max_examples=40, deadline=None)
@given(
    st.floats(40, 100),
    st.floats(0.5, 10),
    st.lists(st.floats(1, 4), max_size=3),
)
def test_rate_recovered_whatever_the_refills(
    start: float, per_day: float, refills: list[float]
) -> None:
    """Several consume-refill cycles, then a final one of 3 days: its rate is found."""
    points: list[tuple[float, float]] = []
    t = 0.0
    # Each earlier cycle uses at least 6 %, so its refill is a jump the forecast can see.
    for days in [*(max(d, 6 / per_day) for d in refills), 3.0]:
        cycle = consumption(start, per_day, days)
        points += [(t + ts, v) for ts, v in cycle]
        t = points[-1][0] + HOUR
    f = forecast_run_out(points, now=points[-1][0])
    if f.kind is ForecastKind.ESTIMATE:
        assert f.per_day == pytest.approx(per_day, rel=0.05)
    else:
        assert f.kind is ForecastKind.EMPTY  # a fast rate used it all up
