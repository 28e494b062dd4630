"""Alert rules and damping: when a poll's status becomes an alert a person should see.

Pure and deterministic, no I/O. ``AlertDamper.feed`` takes one device's status per poll
and returns only *transitions* (raised/cleared):

- **N in a row.** A condition must hold for ``raise_after`` consecutive polls before it
  is raised, and be gone for ``clear_after`` consecutive polls before it clears. One
  blip never raises; one good poll in the middle of an outage never clears.
- **Hysteresis.** Supply levels raise below ``supply_low_pct`` and clear only above
  ``supply_clear_pct`` (receptacles: raise above ``receptacle_full_pct``, clear below
  ``receptacle_clear_pct``), so a level wobbling around the threshold stays quiet.
- **Unknown is not good.** While a device is unreachable its supplies and error bits are
  unknown: they neither raise nor clear. A printer switched off for the night gives one
  "unreachable" alert and one clear when it comes back, nothing else.
- **No news is not good news.** Each rule names the tables that carry its condition
  (``RULE_TABLES``). When one of them could not be read (a ``TableError`` with that
  ``table``), or the device's state is UNKNOWN, the rule can still *see* a problem in
  what was read, but not seeing one is unknown rather than good: a malformed eSCL reply
  or a failed prtAlertTable walk never clears a jam.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from wardfleet.domain.kinds import DeviceState
from wardfleet.domain.status import DeviceStatus, Severity


class AlertRule(StrEnum):
    SUPPLY_LOW = "supply-low"
    RECEPTACLE_FULL = "receptacle-full"
    UNREACHABLE = "unreachable"
    JAM = "jam"
    DOOR_OPEN = "door-open"
    NO_PAPER = "no-paper"
    ERROR_STATE = "error-state"
    RUN_OUT = "run-out"  # forecast: a supply runs out within N days


class Transition(StrEnum):
    RAISED = "raised"
    CLEARED = "cleared"


# hrPrinterDetectedErrorState bits that have a rule of their own.
ERROR_BIT_RULES: dict[str, AlertRule] = {
    "jammed": AlertRule.JAM,
    "doorOpen": AlertRule.DOOR_OPEN,
    "noPaper": AlertRule.NO_PAPER,
}

# The tables (``TableError.table``) whose failure leaves a rule blind. "reachability"
# is there for a device one of whose protocols did not answer at all, "snmp" / "ipp" /
# "escl" for a protocol that failed while another answered (services/status_combine.py).
_STATE_TABLES = frozenset({"reachability", "snmp", "ipp", "escl", "hrDeviceTable",
                           "hrPrinterTable", "prtAlertTable"})  # fmt: skip
_SUPPLY_TABLES = frozenset({"reachability", "snmp", "ipp", "prtMarkerSuppliesTable"})
RULE_TABLES: dict[AlertRule, frozenset[str]] = {
    # Error bits: hrPrinterDetectedErrorState (read with hrDeviceTable) and eSCL's feeder
    # state; the device explains a jam in prtAlertTable / IPP state reasons.
    AlertRule.JAM: _STATE_TABLES,
    AlertRule.DOOR_OPEN: _STATE_TABLES,
    AlertRule.NO_PAPER: _STATE_TABLES,
    AlertRule.ERROR_STATE: _STATE_TABLES,
    AlertRule.SUPPLY_LOW: _SUPPLY_TABLES,
    AlertRule.RECEPTACLE_FULL: _SUPPLY_TABLES,
    AlertRule.RUN_OUT: _SUPPLY_TABLES,
    AlertRule.UNREACHABLE: frozenset(),  # any answer at all is news
}

_SEVERITY: dict[AlertRule, Severity] = {
    AlertRule.SUPPLY_LOW: Severity.WARNING,
    AlertRule.RECEPTACLE_FULL: Severity.WARNING,
    AlertRule.UNREACHABLE: Severity.CRITICAL,
    AlertRule.JAM: Severity.CRITICAL,
    AlertRule.DOOR_OPEN: Severity.CRITICAL,
    AlertRule.NO_PAPER: Severity.CRITICAL,
    AlertRule.ERROR_STATE: Severity.CRITICAL,
    AlertRule.RUN_OUT: Severity.INFO,
}


def alert_key(rule: AlertRule, subject: str | None = None) -> str:
    """The identity of one alert on one device: ``supply-low:1``, ``jam``."""
    return f"{rule.value}:{subject}" if subject else rule.value


def parse_key(key: str) -> tuple[AlertRule, str | None]:
    rule, _, subject = key.partition(":")
    return AlertRule(rule), subject or None


@dataclass(frozen=True, slots=True)
class AlertPolicy:
    raise_after: int = 3  # consecutive bad polls before raising
    clear_after: int = 2  # consecutive good polls before clearing
    unreachable_after: int = 3  # consecutive failed polls before "unreachable"
    supply_low_pct: float = 10.0
    supply_clear_pct: float = 15.0
    receptacle_full_pct: float = 90.0
    receptacle_clear_pct: float = 80.0
    run_out_days: float = 7.0  # forecast: raise when a supply runs out sooner than this
    run_out_clear_days: float = 10.0

    def __post_init__(self) -> None:
        if min(self.raise_after, self.clear_after, self.unreachable_after) < 1:
            raise ValueError("streak lengths must be at least 1")
        if self.supply_clear_pct < self.supply_low_pct:
            raise ValueError("supply_clear_pct must not be below supply_low_pct")
        if self.receptacle_clear_pct > self.receptacle_full_pct:
            raise ValueError("receptacle_clear_pct must not be above receptacle_full_pct")
        if self.run_out_clear_days < self.run_out_days:
            raise ValueError("run_out_clear_days must not be below run_out_days")


@dataclass(frozen=True, slots=True)
class Reading:
    """One rule's verdict on one poll: bad (True), good (False) or unknown (None)."""

    bad: bool | None
    message: str = ""


@dataclass(frozen=True, slots=True)
class AlertEvent:
    transition: Transition
    device_id: str
    key: str
    severity: Severity
    message: str  # English and may hold device-supplied text: show as plain text only
    at: float

    @property
    def rule(self) -> AlertRule:
        return parse_key(self.key)[0]

    @property
    def subject(self) -> str | None:
        return parse_key(self.key)[1]


def blind_rules(status: DeviceStatus) -> frozenset[AlertRule]:
    """The rules for which this status is no news: not seeing their problem is unknown.

    All of them on an unreachable device; all but UNREACHABLE when the state is UNKNOWN
    (the device answered, we could not tell what it is doing); otherwise the rules one of
    whose ``RULE_TABLES`` has a read error.
    """
    if not status.reachable:
        return frozenset(AlertRule)
    if status.state is DeviceState.UNKNOWN:
        return frozenset(AlertRule) - {AlertRule.UNREACHABLE}
    failed = {error.table for error in status.errors}
    return frozenset(rule for rule, tables in RULE_TABLES.items() if tables & failed)


def evaluate(
    status: DeviceStatus, active: frozenset[str], policy: AlertPolicy
) -> dict[str, Reading]:
    """Every rule's reading of one status. ``active``: keys currently raised (hysteresis).

    A key missing from the result means "not seen"; the damper reads that as good unless
    the rule is blind on this status (``blind_rules``), then as unknown.
    """
    blind = blind_rules(status)
    readings: dict[str, Reading] = {
        AlertRule.UNREACHABLE.value: Reading(not status.reachable, "Device not reachable")
    }
    if not status.reachable:
        return readings
    for supply in status.supplies:
        pct = supply.percent
        if supply.is_receptacle:
            key = alert_key(AlertRule.RECEPTACLE_FULL, supply.index)
            if pct is None:
                readings[key] = Reading(None)
            else:
                full = (
                    not pct < policy.receptacle_clear_pct
                    if key in active
                    else pct > policy.receptacle_full_pct
                )
                readings[key] = Reading(full, f"{supply.description} nearly full ({pct:.0f} %)")
            continue
        left = supply.remaining_percent
        key = alert_key(AlertRule.SUPPLY_LOW, supply.index)
        if left is None:
            readings[key] = Reading(None)
        else:
            low = (
                not left > policy.supply_clear_pct
                if key in active
                else left < policy.supply_low_pct
            )
            readings[key] = Reading(low, f"{supply.description} low ({left:.0f} %)")
    bits = set(status.error_bits)
    for bit, rule in ERROR_BIT_RULES.items():
        if bit in bits:
            readings[rule.value] = Reading(True, _BIT_MESSAGES[rule])
        elif rule not in blind:
            readings[rule.value] = Reading(False)
    specific = any(bit in bits for bit in ERROR_BIT_RULES)
    # In the device's own words when it gives them ("Scanner down" on an MFD that prints).
    worst = next((a.description for a in status.alerts if a.severity is Severity.CRITICAL), None)
    in_error = status.state is DeviceState.ERROR and not specific
    if in_error or AlertRule.ERROR_STATE not in blind:
        readings[AlertRule.ERROR_STATE.value] = Reading(in_error, worst or "Device in error")
    return readings


def run_out_reading(
    description: str, days_left: float | None, *, active: bool, policy: AlertPolicy
) -> Reading:
    """A forecast as a reading: no estimate is unknown, not good (it may come back)."""
    if days_left is None:
        return Reading(None)
    bad = not days_left > policy.run_out_clear_days if active else days_left < policy.run_out_days
    return Reading(bad, f"{description} runs out in about {days_left:.0f} days")


_BIT_MESSAGES = {
    AlertRule.JAM: "Paper jam",
    AlertRule.DOOR_OPEN: "Door open",
    AlertRule.NO_PAPER: "Out of paper",
}


@dataclass(slots=True)
class _Track:
    active: bool = False
    streak: int = 0  # consecutive polls that argue for flipping ``active``
    message: str = ""


@dataclass(slots=True)
class AlertDamper:
    """Per device and alert key: counts streaks and reports transitions only."""

    policy: AlertPolicy = field(default_factory=AlertPolicy)
    _tracks: dict[str, dict[str, _Track]] = field(default_factory=dict)

    def restore(self, device_id: str, keys: Iterable[str]) -> None:
        """Mark alerts already open (from the store after a restart) as raised."""
        tracks = self._tracks.setdefault(device_id, {})
        for key in keys:
            tracks[key] = _Track(active=True)

    def active(self, device_id: str) -> frozenset[str]:
        tracks = self._tracks.get(device_id, {})
        return frozenset(k for k, t in tracks.items() if t.active)

    def forget(self, device_id: str) -> None:
        self._tracks.pop(device_id, None)

    def feed(
        self,
        device_id: str,
        status: DeviceStatus,
        now: float,
        extra: Mapping[str, Reading] | None = None,
    ) -> list[AlertEvent]:
        """One poll of one device. ``extra``: readings worked out elsewhere (forecasts)."""
        tracks = self._tracks.setdefault(device_id, {})
        readings = evaluate(status, self.active(device_id), self.policy)
        if extra and status.reachable:
            readings.update(extra)
        blind = blind_rules(status)
        events: list[AlertEvent] = []
        for key in sorted(set(readings) | set(tracks)):
            reading = readings.get(key)
            if reading is None:
                # Not seen: good, unless this poll could not have seen it.
                reading = Reading(None if parse_key(key)[0] in blind else False)
            track = tracks.get(key)
            if track is None:
                if not reading.bad:
                    continue  # nothing to remember about a good or unknown reading
                track = tracks[key] = _Track()
            if reading.message:
                track.message = reading.message
            if reading.bad is None:
                continue  # unknown: neither raises nor clears, and keeps the streak
            if reading.bad == track.active:
                track.streak = 0
            else:
                track.streak += 1
                if track.streak >= self._needed(key, raising=not track.active):
                    track.active = not track.active
                    track.streak = 0
                    events.append(self._event(device_id, key, track, now))
            if not track.active and track.streak == 0:
                del tracks[key]
        return events

    def _needed(self, key: str, *, raising: bool) -> int:
        if not raising:
            return self.policy.clear_after
        if key == AlertRule.UNREACHABLE.value:
            return self.policy.unreachable_after
        return self.policy.raise_after

    @staticmethod
    def _event(device_id: str, key: str, track: _Track, now: float) -> AlertEvent:
        rule = parse_key(key)[0]
        return AlertEvent(
            Transition.RAISED if track.active else Transition.CLEARED,
            device_id,
            key,
            _SEVERITY[rule],
            track.message or rule.value,
            now,
        )


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert as stored: raised, maybe acknowledged or snoozed, maybe cleared."""

    id: str
    device_id: str
    key: str
    severity: Severity
    message: str  # may hold device-supplied text: show as plain text only
    raised_at: float
    cleared_at: float | None = None
    acknowledged_at: float | None = None
    acknowledged_by: str | None = None
    snoozed_until: float | None = None

    @property
    def rule(self) -> AlertRule:
        return parse_key(self.key)[0]

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None

    def is_snoozed(self, now: float) -> bool:
        return self.snoozed_until is not None and self.snoozed_until > now

    def needs_attention(self, now: float) -> bool:
        """Open, not acknowledged and not snoozed: the ones a person must still see."""
        return self.is_open and self.acknowledged_at is None and not self.is_snoozed(now)
