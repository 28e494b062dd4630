from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wardfleet.domain.hlc import HybridLogicalClock, Timestamp


class FakeWall:
    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_local_events_are_strictly_increasing_even_when_the_wall_clock_stalls() -> None:
    wall = FakeWall(1_000)
    clock = HybridLogicalClock("a", wall)
    stamps = [clock.now() for _ in range(5)]
    assert stamps == sorted(stamps) and len(set(stamps)) == 5
    assert [s.counter for s in stamps] == [0, 1, 2, 3, 4]


def test_wall_clock_going_backwards_never_moves_the_hlc_back() -> None:
    wall = FakeWall(5_000)
    clock = HybridLogicalClock("a", wall)
    first = clock.now()
    wall.ms = 1_000  # NTP stepped the clock back
    second = clock.now()
    assert second > first
    assert second.physical_ms == 5_000


def test_receiving_a_timestamp_from_a_clock_one_hour_fast_orders_later_events_after_it() -> None:
    hour_ms = 3_600_000
    fast = HybridLogicalClock("fast", FakeWall(10_000 + hour_ms))
    normal = HybridLogicalClock("normal", FakeWall(10_000))
    remote = fast.now()
    merged = normal.observe(remote)
    assert merged > remote
    # The normal node's next local edit still wins over the fast node's earlier one.
    assert normal.now() > remote


def test_encoding_sorts_like_the_timestamps() -> None:
    a = Timestamp(1, 2, "node-b")
    b = Timestamp(1, 10, "node-a")
    c = Timestamp(20, 0, "node-a")
    assert sorted([c.encode(), b.encode(), a.encode()]) == [a.encode(), b.encode(), c.encode()]
    assert Timestamp.decode(b.encode()) == b


def test_decode_rejects_garbage() -> None:
    with pytest.raises(ValueError, match="not an HLC timestamp"):
        Timestamp.decode("12-3-x")


def test_restore_continues_after_a_restart() -> None:
    wall = FakeWall(100)
    before = HybridLogicalClock("n", wall)
    last = max(before.now() for _ in range(3))
    after = HybridLogicalClock("n", wall)
    after.restore(last)
    assert after.now() > last


@given(
    st.lists(
        st.tuples(st.sampled_from(["local", "remote"]), st.integers(0, 10_000), st.integers(0, 5)),
        max_size=60,
    )
)
def test_hlc_is_monotonic_under_any_mix_of_events_and_skew(
    events: list[tuple[str, int, int]],
) -> None:
    wall = FakeWall(0)
    clock = HybridLogicalClock("me", wall)
    previous = clock.last
    for kind, wall_ms, remote_counter in events:
        wall.ms = wall_ms
        if kind == "local":
            stamp = clock.now()
        else:
            remote = Timestamp(wall_ms + 3_600_000, remote_counter, "other")
            stamp = clock.observe(remote)
            assert stamp > remote
        assert stamp > previous
        previous = stamp
