"""Alert damping: N in a row, hysteresis, transitions only, unknown is not good."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wardfleet.domain.alerts import (
    AlertDamper,
    AlertPolicy,
    AlertRule,
    Transition,
    alert_key,
    parse_key,
)
from wardfleet.domain.kinds import DeviceState
from wardfleet.domain.status import DeviceStatus, Supply

POLL_S = 60.0


def up(ts: float, *, toner: int = 50, bits: tuple[str, ...] = (), waste: int = 10) -> DeviceStatus:
    state = DeviceState.ERROR if bits else DeviceState.OK
    return DeviceStatus(
        state=state,
        polled_at=ts,
        error_bits=bits,
        supplies=(
            Supply("1", "Black toner", type="toner", level=toner, capacity=100),
            Supply("2", "Waste box", type="wasteToner", level=waste, capacity=100),
        ),
    )


def down(ts: float) -> DeviceStatus:
    return DeviceStatus.unreachable(ts, "timeout")


def run(damper: AlertDamper, statuses: list[DeviceStatus]) -> list[tuple[str, str]]:
    out = []
    for s in statuses:
        out += [(e.transition.value, e.key) for e in damper.feed("d1", s, s.polled_at)]
    return out


def test_single_blip_never_raises() -> None:
    d = AlertDamper(AlertPolicy(raise_after=3))
    statuses = [up(0), down(60), up(120), up(180, bits=("jammed",)), up(240), up(300, toner=5)]
    assert run(d, statuses) == []


def test_sustained_jam_raises_once_and_clears_once() -> None:
    d = AlertDamper(AlertPolicy(raise_after=3, clear_after=2))
    statuses = [up(i * POLL_S, bits=("jammed",)) for i in range(10)]
    statuses += [up((10 + i) * POLL_S) for i in range(10)]
    assert run(d, statuses) == [("raised", "jam"), ("cleared", "jam")]


def test_supply_hysteresis_raise_below_low_clear_above_clear() -> None:
    d = AlertDamper(AlertPolicy(raise_after=1, clear_after=1))
    levels = [20, 9, 12, 8, 14, 15, 11, 16, 9]
    events = run(d, [up(i, toner=t) for i, t in enumerate(levels)])
    key = alert_key(AlertRule.SUPPLY_LOW, "1")
    assert events == [("raised", key), ("cleared", key), ("raised", key)]


def test_receptacle_alerts_when_full_not_when_empty() -> None:
    d = AlertDamper(AlertPolicy(raise_after=1, clear_after=1))
    events = run(d, [up(0, waste=0), up(1, waste=95), up(2, waste=85), up(3, waste=50)])
    key = alert_key(AlertRule.RECEPTACLE_FULL, "2")
    assert events == [("raised", key), ("cleared", key)]


def test_night_off_printer_one_raise_one_clear() -> None:
    """Off for 10 h (polled each minute), nothing else is raised or cleared meanwhile."""
    d = AlertDamper(AlertPolicy())
    evening = [up(i * POLL_S, toner=5) for i in range(5)]  # a low toner alert stands
    night = [down((5 + i) * POLL_S) for i in range(600)]
    morning = [up((605 + i) * POLL_S, toner=5) for i in range(5)]
    events = run(d, evening + night + morning)
    low = alert_key(AlertRule.SUPPLY_LOW, "1")
    assert events == [("raised", low), ("raised", "unreachable"), ("cleared", "unreachable")]


def test_one_good_poll_mid_outage_does_not_clear() -> None:
    d = AlertDamper(AlertPolicy(unreachable_after=3, clear_after=2))
    statuses = [down(i) for i in range(5)] + [up(5)] + [down(6 + i) for i in range(5)]
    assert run(d, statuses) == [("raised", "unreachable")]


def test_error_state_without_specific_bits() -> None:
    d = AlertDamper(AlertPolicy(raise_after=1))
    s = DeviceStatus(state=DeviceState.ERROR, polled_at=0)
    assert [e.key for e in d.feed("d1", s, 0)] == ["error-state"]


def test_restore_prevents_double_raise() -> None:
    d = AlertDamper(AlertPolicy(raise_after=1))
    d.restore("d1", ["jam"])
    assert run(d, [up(0, bits=("jammed",))]) == []
    assert run(d, [up(1), up(2)]) == [("cleared", "jam")]


def test_device_text_kept_verbatim_in_message() -> None:
    d = AlertDamper(AlertPolicy(raise_after=1))
    s = DeviceStatus(
        state=DeviceState.OK,
        polled_at=0,
        supplies=(Supply("1", "<img src=x><b>Toner</b>", level=1, capacity=100),),
    )
    (event,) = d.feed("d1", s, 0)
    assert event.message.startswith("<img src=x><b>Toner</b>")


def test_policy_validation_and_keys() -> None:
    with pytest.raises(ValueError):
        AlertPolicy(raise_after=0)
    with pytest.raises(ValueError):
        AlertPolicy(supply_low_pct=20, supply_clear_pct=10)
    assert parse_key("supply-low:1.1") == (AlertRule.SUPPLY_LOW, "1.1")
    assert parse_key("jam") == (AlertRule.JAM, None)


# Property tests -------------------------------------------------------------------------
_kinds = st.sampled_from(["ok", "jam", "down", "low"])


def _status(kind: str, ts: float) -> DeviceStatus:
    if kind == "down":
        return down(ts)
    if kind == "jam":
        return up(ts, bits=("jammed",))
    return up(ts, toner=5 if kind == "low" else 50)


@settings(max_examples=300, deadline=None)
@given(st.lists(_kinds, max_size=80), st.integers(1, 4), st.integers(1, 4))
def test_transitions_alternate_and_need_streaks(
    kinds: list[str], n_raise: int, n_clear: int
) -> None:
    policy = AlertPolicy(raise_after=n_raise, clear_after=n_clear, unreachable_after=n_raise)
    d = AlertDamper(policy)
    per_key: dict[str, list[Transition]] = {}
    for i, kind in enumerate(kinds):
        for e in d.feed("d1", _status(kind, float(i)), float(i)):
            per_key.setdefault(e.key, []).append(e.transition)
    for transitions in per_key.values():
        # Raised, cleared, raised...: never two of the same in a row, and a raise first.
        assert transitions[0] is Transition.RAISED
        assert all(a is not b for a, b in itertools.pairwise(transitions))
    # No alert is raised without a streak of bad polls at least n_raise long; polls of an
    # unreachable device are unknown for a jam, so they neither extend nor break a streak.
    jam_streak = max(
        (
            len(r)
            for r in "".join("j" if k == "jam" else "." for k in kinds if k != "down").split(".")
        ),
        default=0,
    )
    if jam_streak < n_raise:
        assert "jam" not in per_key


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["ok", "jam"]), st.integers(1, 30)), max_size=12),
    st.integers(1, 4),
)
def test_exactly_one_raise_per_sustained_episode(runs: list[tuple[str, int]], n: int) -> None:
    """Merged runs of jam/ok: each jam run of >= n polls raises once, each ok run clears."""
    d = AlertDamper(AlertPolicy(raise_after=n, clear_after=n))
    expected: list[str] = []
    active = False
    seq: list[str] = []
    for kind, length in runs:
        seq += [kind] * length
    # Reference model: count streaks directly.
    streak = 0
    for kind in seq:
        bad = kind == "jam"
        if bad == active:
            streak = 0
            continue
        streak += 1
        if streak >= n:
            active, streak = not active, 0
            expected.append("raised" if active else "cleared")
    got = [
        e.transition.value
        for i, kind in enumerate(seq)
        for e in d.feed("d1", _status(kind, float(i)), float(i))
        if e.key == "jam"
    ]
    assert got == expected
    # A sustained episode (>= n + n polls each) gives exactly one raise per jam run.
    if all(length >= n for _, length in runs):
        merged = [k for i, (k, _) in enumerate(runs) if i == 0 or runs[i - 1][0] != k]
        assert got.count("raised") == merged.count("jam")
