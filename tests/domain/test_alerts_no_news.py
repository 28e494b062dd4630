"""Issue #6: a poll that could not read the source of a condition is no news about it.

Unreadable polls (an eSCL scanner's malformed reply, an SNMP poll whose prtAlertTable or
supplies table failed, an MFD whose eSCL stopped answering) neither raise nor clear, and
keep every streak as it was; the damping properties hold around them.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.domain.test_alerts import down, up
from wardfleet.domain.alerts import (
    RULE_TABLES,
    AlertDamper,
    AlertEvent,
    AlertPolicy,
    AlertRule,
    blind_rules,
)
from wardfleet.domain.kinds import DeviceState
from wardfleet.domain.status import DeviceStatus, Supply, TableError


def escl_unreadable(ts: float) -> DeviceStatus:
    """What services/escl_watch.py makes of a malformed ScannerStatus."""
    error = TableError("escl", "scanner status unreadable: not well-formed", "escl")
    return DeviceStatus(DeviceState.UNKNOWN, ts, errors=(error,))


def snmp_tables_failed(ts: float) -> DeviceStatus:
    """An SNMP poll that answered sysUpTime but not the tables that carry the conditions."""
    errors = tuple(
        TableError(t, "timeout") for t in ("hrDeviceTable", "prtMarkerSuppliesTable",
                                           "prtAlertTable")
    )  # fmt: skip
    return DeviceStatus(DeviceState.OK, ts, uptime_s=1000.0, errors=errors)


def mfd_escl_and_snmp_gone(ts: float) -> DeviceStatus:
    """An MFD whose IPP still answers (state idle) while SNMP and eSCL did not."""
    errors = (TableError("snmp", "timeout", "snmp"), TableError("escl", "HTTP 404", "escl"))
    return DeviceStatus(DeviceState.OK, ts, device_status="idle", errors=errors,
                        sources={"state": "ipp"})  # fmt: skip


def levels_unknown(ts: float) -> DeviceStatus:
    """Supplies there, their levels not (the poll's supplies GET timed out)."""
    return DeviceStatus(
        DeviceState.UNKNOWN,
        ts,
        supplies=(Supply("1", "Black toner", type="toner"),
                  Supply("2", "Waste box", type="wasteToner")),
        errors=(TableError("prtMarkerSuppliesTable", "timeout"),),
    )  # fmt: skip


UNREADABLE = [escl_unreadable, snmp_tables_failed, mfd_escl_and_snmp_gone, levels_unknown]


def real(kind: str, ts: float) -> DeviceStatus:
    if kind == "down":
        return down(ts)
    if kind == "error":
        return DeviceStatus(DeviceState.ERROR, ts)  # no bits: error-state
    bits = {"jam": ("jammed",), "door": ("doorOpen",), "jam+paper": ("jammed", "noPaper")}
    return up(ts, bits=bits.get(kind, ()), toner=5 if kind == "low" else 50,
              waste=95 if kind == "full" else 10)  # fmt: skip


_REACHABLE = ["ok", "jam", "door", "jam+paper", "low", "full", "error"]
# A poll: a real reading (its kind) or an unreadable one (an index into UNREADABLE).
_polls = st.lists(
    st.one_of(st.sampled_from(_REACHABLE), st.integers(0, len(UNREADABLE) - 1)), max_size=60
)


def _moves(events: list[AlertEvent]) -> list[tuple[str, str, str]]:
    return [(e.transition.value, e.key, e.message) for e in events]


def _status(poll: str | int, ts: float) -> DeviceStatus:
    return UNREADABLE[poll](ts) if isinstance(poll, int) else real(poll, ts)


@settings(max_examples=300, deadline=None)
@given(_polls, st.integers(1, 4), st.integers(1, 4))
def test_unreadable_polls_never_change_open_alerts_nor_the_outcome(
    polls: list[str | int], n_raise: int, n_clear: int
) -> None:
    policy = AlertPolicy(raise_after=n_raise, clear_after=n_clear)
    mixed, only_real = AlertDamper(policy), AlertDamper(policy)
    mixed_moves, real_moves = [], []
    for i, poll in enumerate(polls):
        before = mixed.active("d1")
        events = mixed.feed("d1", _status(poll, float(i)), float(i))
        if isinstance(poll, int):
            assert events == []
            assert mixed.active("d1") == before
        else:
            mixed_moves += _moves(events)
            real_moves += _moves(only_real.feed("d1", real(poll, float(i)), float(i)))
    # Unknown keeps the streak: the same transitions as if the unreadable polls never were.
    assert mixed_moves == real_moves


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from([*_REACHABLE, "down"]), st.integers(0, 3)), max_size=60),
    st.integers(1, 4),
)
def test_with_outages_too_only_unreachable_may_move(polls: list[str | int], n: int) -> None:
    """An unreadable reply still is an answer: it may clear "unreachable", nothing else."""
    damper = AlertDamper(AlertPolicy(raise_after=n, clear_after=n, unreachable_after=n))
    for i, poll in enumerate(polls):
        before = damper.active("d1") - {"unreachable"}
        events = damper.feed("d1", _status(poll, float(i)), float(i))
        if isinstance(poll, int):
            assert {e.key for e in events} <= {"unreachable"}
            assert damper.active("d1") - {"unreachable"} == before


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["ok", "jam"]), st.integers(1, 12)), max_size=10),
    st.lists(st.integers(0, 3), max_size=40),
    st.integers(2, 4),
    st.randoms(use_true_random=False),
)
def test_blips_stay_quiet_and_each_sustained_episode_raises_once(
    runs: list[tuple[str, int]], noise: list[int], n: int, rnd: random.Random
) -> None:
    """Jam/ok runs with unreadable polls sprinkled anywhere: a run shorter than n never
    raises; with every run at least n long, exactly one raise per jam run."""
    seq: list[str | int] = [k for kind, length in runs for k in [kind] * length]
    for u in noise:
        seq.insert(rnd.randint(0, len(seq)), u)
    damper = AlertDamper(AlertPolicy(raise_after=n, clear_after=n))
    got = [
        e.transition.value
        for i, poll in enumerate(seq)
        for e in damper.feed("d1", _status(poll, float(i)), float(i))
        if e.key == "jam"
    ]
    merged: list[tuple[str, int]] = []
    for kind, length in runs:
        if merged and merged[-1][0] == kind:
            merged[-1] = (kind, merged[-1][1] + length)
        else:
            merged.append((kind, length))
    if all(length < n for kind, length in merged if kind == "jam"):
        assert got == []
    if all(length >= n for _, length in merged):
        jam_runs = sum(1 for kind, _ in merged if kind == "jam")
        assert got.count("raised") == jam_runs
        assert got.count("cleared") == jam_runs - bool(merged and merged[-1][0] == "jam")


# --- the rule, case by case ---------------------------------------------------------------


def _open_jam(damper: AlertDamper) -> None:
    for i in range(3):
        damper.feed("d1", up(float(i), bits=("jammed",)), float(i))
    assert damper.active("d1") == {"jam"}


def test_mfd_with_escl_gone_keeps_the_feeder_jam_but_reads_its_supplies() -> None:
    """SNMP answers (no bits, toner at 5 %), eSCL does not: the feeder jam stays open,
    and the real supply reading still raises supply-low."""
    damper = AlertDamper(AlertPolicy(raise_after=3, clear_after=2))
    _open_jam(damper)
    gone = TableError("escl", "no answer", "escl")
    for i in range(3, 9):
        status = up(float(i), toner=5)
        status = DeviceStatus(status.state, status.polled_at, supplies=status.supplies,
                              errors=(gone,), sources={"state": "snmp"})  # fmt: skip
        damper.feed("d1", status, float(i))
    assert damper.active("d1") == {"jam", "supply-low:1"}
    assert blind_rules(status) == {
        AlertRule.JAM, AlertRule.DOOR_OPEN, AlertRule.NO_PAPER, AlertRule.ERROR_STATE,
    }  # fmt: skip


def test_failed_alert_table_or_supplies_table_clears_nothing() -> None:
    damper = AlertDamper(AlertPolicy(raise_after=3, clear_after=1))
    for i in range(3):
        damper.feed("d1", up(float(i), bits=("jammed",), toner=5), float(i))
    assert damper.active("d1") == {"jam", "supply-low:1"}
    # The supplies read fine (still low), the alert walk did not, and no bit is set.
    alert_walk_failed = DeviceStatus(DeviceState.OK, 10.0, supplies=up(10.0, toner=5).supplies,
                                     errors=(TableError("prtAlertTable", "timeout"),))  # fmt: skip
    supplies_failed = DeviceStatus(
        DeviceState.OK, 11.0, error_bits=("jammed",),
        errors=(TableError("prtMarkerSuppliesTable", "timeout"),),
    )  # fmt: skip
    assert damper.feed("d1", alert_walk_failed, 10.0) == []
    assert damper.feed("d1", supplies_failed, 11.0) == []
    assert damper.active("d1") == {"jam", "supply-low:1"}
    # A failed table that carries neither (the input trays) is not an excuse to stay open.
    trays_failed = DeviceStatus(DeviceState.OK, 12.0, supplies=up(12.0).supplies,
                                errors=(TableError("prtInputTable", "timeout"),))  # fmt: skip
    cleared = damper.feed("d1", trays_failed, 12.0)
    assert sorted(e.key for e in cleared) == ["jam", "supply-low:1"]


def test_every_rule_names_its_tables() -> None:
    assert set(RULE_TABLES) == set(AlertRule)
    assert RULE_TABLES[AlertRule.UNREACHABLE] == frozenset()
    assert blind_rules(escl_unreadable(0.0)) == set(AlertRule) - {AlertRule.UNREACHABLE}
    assert blind_rules(down(0.0)) == set(AlertRule)
    assert blind_rules(up(0.0)) == frozenset()
