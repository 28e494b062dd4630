from __future__ import annotations

import statistics

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.store.factories import device, status
from wardfleet.domain.change import ChangeKind
from wardfleet.store import Store
from wardfleet.store.samples import DAY, FIVE_MIN, RAW_KEEP_S

T0 = 1_790_000_000.0 - (1_790_000_000 % DAY)  # midnight, so buckets are easy to reason about


def _seed(store: Store, n: int = 1) -> None:
    with store.transaction() as tx:
        for i in range(n):
            tx.create_device(device(i))


def test_a_poll_cycle_writes_status_samples_and_both_rollups(store: Store) -> None:
    _seed(store, 3)
    written = store.write_poll_cycle(
        [(f"dev-{i}", status(T0 + 10, toner=40 + i)) for i in range(3)]
    )
    assert written == 3 * 6  # reachable, urgency, latency, pages, 2 supplies
    overview = {o.device.id: o for o in store.list_overview()}
    assert overview["dev-2"].status is not None
    assert overview["dev-2"].status.supplies[0].percent == 42.0
    series = store.rollup_series("dev-1", "supply:1.1", T0, T0 + FIVE_MIN)
    assert [(p.n, p.last) for p in series] == [(1, 41.0)]


def test_unreachable_poll_keeps_last_seen_and_shows_unreachable(store: Store) -> None:
    _seed(store)
    store.write_poll_cycle([("dev-0", status(T0, toner=40))])
    store.write_poll_cycle([("dev-0", status(T0 + 60, reachable=False))])
    row = store.list_overview()[0]
    assert row.device.state.value == "unreachable"
    assert row.device.last_seen == T0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 2 * DAY - 1), st.floats(0, 100)), min_size=1, max_size=80))
def test_rollups_equal_the_raw_data_they_summarise(tmp_path_factory, points) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(tmp_path_factory.mktemp("r") / "w.sqlite3")
    _seed(store)
    unique = {T0 + round(offset, 3): value for offset, value in points}
    for ts, value in unique.items():
        store.write_poll_cycle([("dev-0", status(ts, toner=round(value)))])
    raw: dict[int, list[tuple[float, float]]] = {}
    for ts, value in unique.items():
        raw.setdefault(int(ts // FIVE_MIN) * FIVE_MIN, []).append((ts, float(round(value))))
    series = store.rollup_series("dev-0", "supply:1.1", T0, T0 + 2 * DAY)
    assert [p.bucket for p in series] == sorted(raw)
    for point in series:
        values = [v for _, v in sorted(raw[point.bucket])]
        assert point.n == len(values)
        assert point.min == min(values) and point.max == max(values)
        assert abs(point.avg - statistics.fmean(values)) < 1e-9
        assert point.last == values[-1]
    store.close_finished_buckets(T0 + 3 * DAY)
    daily = store.rollup_series("dev-0", "supply:1.1", T0, T0 + 2 * DAY, daily=True)
    for day in daily:
        values = [v for b, pts in raw.items() if b // DAY * DAY == day.bucket for _, v in pts]
        assert (day.n, day.min, day.max) == (len(values), min(values), max(values))
    assert sum(p.n for p in daily) == len(unique)
    store.close()


def test_closed_buckets_are_queued_once_and_raw_samples_are_pruned(store: Store) -> None:
    _seed(store, 2)
    for minute in range(0, 12):
        ts = T0 + minute * 60
        store.write_poll_cycle([(f"dev-{i}", status(ts)) for i in range(2)])
    # Buckets 0-5 and 5-10 min are closed at 11 min; 10-15 is still filling.
    assert store.close_finished_buckets(T0 + 11 * 60) == 4
    assert store.close_finished_buckets(T0 + 11 * 60) == 0  # not twice
    rollups = [c for c in store.outbox_pending(1000) if c.kind is ChangeKind.ROLLUP]
    assert len(rollups) == 4
    assert rollups[0].payload["metrics"]["supply:1.1"][0] == 5  # n samples in the bucket
    raw, _, _ = store.prune(T0 + RAW_KEEP_S + 6 * 60)
    assert raw == 2 * 6 * 6  # the first 6 minutes of both devices
