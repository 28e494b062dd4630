"""Scheduled conformance: re-read devices against their assigned profiles, report drift.

``ConformanceWatch`` (owned by ``WardRuntime``) runs ``check_conformance`` every N hours
(local setting, default 6) and soon after an outage ends: when the hub link comes back or a
device answers again. Triggers are debounced, so forty printers coming back after a power
cut cause one run, not forty. Drift becomes activity events in words; the last run is kept
in memory and, summarised, in the local settings (so the CLI can show it too).

Re-applying drift is off by default. When on, it goes through the ``Deployer`` (plan, apply,
verify, rollback, audited) with the role the hub gave this desktop; a role that may not
apply gets the drift reported and nothing written. ``stop()`` never cuts a re-apply off
between two SETs: it asks the Deployer to cancel (which rolls back what it wrote) and
waits up to ``stop_grace_s`` before cancelling hard (then the device is logged and
audited as possibly half-changed).
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wardfleet.services.conformance_endpoints import EndpointsFactory, saved_credential_endpoints
from wardfleet.store.local import get_setting, set_setting
from wardfleet.store.store import Store
from wardfleet.sync.settings import load_identity

if TYPE_CHECKING:  # these load pysnmp and the IPP client: only once a check runs
    from wardfleet.services.deploy import Deployer
    from wardfleet.services.profiles import Conformance

log = logging.getLogger(__name__)

INTERVAL_KEY = "conformance.interval_hours"
REAPPLY_KEY = "conformance.reapply"
LAST_RUN_KEY = "conformance.last_run"  # wall time of the last run (schedule survives restarts)
LAST_REPORT_KEY = "conformance.last_report"  # JSON summary of the last run
DEFAULT_INTERVAL_H = 6.0
MIN_INTERVAL_H = 0.25
# How long stop() waits for a re-apply to roll back: ample for a device that answers (its
# SET in flight, the undo and the read-back take milliseconds). One that stops answering
# can need 3 x 4 s (2 s timeout, 1 retry) and is then audited as possibly half-changed.
STOP_GRACE_S = 6.0

Emit = Callable[[str, str | None, str], None]  # (kind, device id, text): an activity line


# --- local settings -------------------------------------------------------------------------


def interval_hours(store: Store) -> float:
    try:
        hours = float(get_setting(store, INTERVAL_KEY) or DEFAULT_INTERVAL_H)
    except ValueError:
        return DEFAULT_INTERVAL_H
    return max(MIN_INTERVAL_H, hours)


def set_interval_hours(store: Store, hours: float) -> None:
    set_setting(store, INTERVAL_KEY, repr(max(MIN_INTERVAL_H, float(hours))))


def reapply_enabled(store: Store) -> bool:
    """Off unless someone turned it on at this desktop."""
    return get_setting(store, REAPPLY_KEY) == "1"


def set_reapply(store: Store, on: bool) -> None:
    set_setting(store, REAPPLY_KEY, "1" if on else "0")


def last_report(store: Store) -> dict[str, Any] | None:
    """The last run's summary as stored (see ``ConformanceRun.summary``)."""
    try:
        report = json.loads(get_setting(store, LAST_REPORT_KEY) or "null")
    except ValueError:
        return None
    return report if isinstance(report, dict) else None


# --- one run ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConformanceRun:
    started: float
    finished: float
    reason: str  # "schedule", "hub link back", "device answers again", ...
    reports: tuple[Conformance, ...]
    reapply: bool  # re-applying was on and the role allowed it
    note: str = ""  # e.g. why drift was not re-applied

    @property
    def drifted(self) -> list[Conformance]:
        return [r for r in self.reports if r.drift]

    def summary(self) -> dict[str, Any]:
        return {
            "started": self.started,
            "finished": self.finished,
            "reason": self.reason,
            "reapply": self.reapply,
            "note": self.note,
            "devices": [
                {
                    "device_id": r.device.id,
                    "device": r.device.display_name,
                    "profile": r.profile.name,
                    "conforms": r.conforms,
                    "error": r.error,
                    "drift": [
                        {"setting": d.setting.label, "expected": d.expected, "actual": d.actual}
                        for d in r.drift
                    ],
                    "reapplied": [res.outcome.value for res in r.reapplied],
                }
                for r in self.reports
            ],
        }


def drift_text(report: Conformance) -> list[str]:
    """One sentence per drifting setting: device, setting, expected → actual."""
    name = report.device.display_name
    return [
        f"{name}: {d.setting.label} is “{d.actual if d.actual is not None else '(not set)'}”,"
        f" profile “{report.profile.name}” wants “{d.expected}”"
        for d in report.drift
    ]


# --- the watch -------------------------------------------------------------------------------


def _default_actor(store: Store) -> str:
    identity = load_identity(store)
    user = identity.user if identity and identity.user else getpass.getuser()
    return f"{user} (scheduled conformance check)"


@dataclass
class _Triggers:
    reasons: list[str] = field(default_factory=list)
    wake: asyncio.Event = field(default_factory=asyncio.Event)


class ConformanceWatch:
    """``start()`` inside the running loop, ``await stop()`` to cancel; ``soon(reason)``
    asks for a debounced run (the quiet period restarts with each trigger, capped)."""

    def __init__(
        self,
        store: Store,
        emit: Emit,
        *,
        endpoints: EndpointsFactory | None = None,
        actor: Callable[[], str] | None = None,
        clock: Callable[[], float] = time.time,
        interval_s: float | None = None,  # overrides the local setting (tests, demo)
        debounce_s: float = 60.0,
        max_delay_s: float = 300.0,
        concurrency: int = 4,
        stop_grace_s: float = STOP_GRACE_S,
    ) -> None:
        self.store = store
        self._emit = emit
        self._endpoints = endpoints or saved_credential_endpoints(store)
        self._actor = actor or (lambda: _default_actor(store))
        self._clock = clock
        self._interval_s = interval_s
        self._debounce_s = debounce_s
        self._max_delay_s = max_delay_s
        self._concurrency = concurrency
        self._stop_grace_s = stop_grace_s
        self._deployer: Deployer | None = None  # the running check's, while it runs
        self._triggers = _Triggers()
        self._task: asyncio.Task[None] | None = None
        self._running = asyncio.Lock()
        self.last_run: ConformanceRun | None = None
        self.runs = 0

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="wardfleet-conformance")

    async def stop(self) -> None:
        task, self._task = self._task, None
        deployer = self._deployer
        if deployer is not None and deployer.busy:
            # Cancel the re-apply the safe way first (it rolls back), bounded; stop()
            # audits any device still mid-change before the hard cancel below.
            await deployer.stop(self._stop_grace_s)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def soon(self, reason: str) -> None:
        """An outage ended (hub link back, a device answers again): check soon, once."""
        if reason not in self._triggers.reasons:
            self._triggers.reasons.append(reason)
        self._triggers.wake.set()

    def reschedule(self) -> None:
        """The interval setting changed: work out the next due time again."""
        self._triggers.wake.set()

    async def _loop(self) -> None:
        while True:
            try:
                await self._turn()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a bad run must not end the schedule; it is logged
                log.exception("conformance check failed")
                self._emit("error", None, f"conformance check failed: {exc}")
                with contextlib.suppress(Exception):  # next try a full interval later
                    await asyncio.to_thread(
                        set_setting, self.store, LAST_RUN_KEY, repr(self._clock())
                    )
                await asyncio.sleep(self._debounce_s)  # never spin on a failing store

    async def _turn(self) -> None:
        """Wait for the schedule or a trigger (then for quiet), and run once."""
        due = await self._due()
        try:
            await asyncio.wait_for(self._triggers.wake.wait(), max(0.0, due - self._clock()))
        except TimeoutError:
            reason = "schedule"
        else:
            if not self._triggers.reasons:  # only a reschedule
                self._triggers.wake.clear()
                return
            await self._debounce()
            reason = ", ".join(self._triggers.reasons)
        self._triggers.reasons.clear()
        self._triggers.wake.clear()
        await self.run_once(reason)

    async def _due(self) -> float:
        def read() -> tuple[float, float | None]:
            hours = interval_hours(self.store)
            last = get_setting(self.store, LAST_RUN_KEY)
            if last is None:  # first start: count the interval from now, durably
                set_setting(self.store, LAST_RUN_KEY, repr(self._clock()))
            return hours, float(last) if last else None

        hours, last = await asyncio.to_thread(read)
        interval = self._interval_s if self._interval_s is not None else hours * 3600.0
        return (last if last is not None else self._clock()) + interval

    async def _debounce(self) -> None:
        """Wait until triggers stop for ``debounce_s``, at most ``max_delay_s`` in all."""
        loop = asyncio.get_running_loop()
        give_up = loop.time() + self._max_delay_s
        while True:
            self._triggers.wake.clear()
            wait = min(self._debounce_s, give_up - loop.time())
            if wait <= 0:
                return
            try:
                await asyncio.wait_for(self._triggers.wake.wait(), wait)
            except TimeoutError:
                return

    async def run_once(self, reason: str = "asked") -> ConformanceRun:
        """One check of every device that follows a profile; drift goes out as events."""
        from wardfleet.services.deploy import Deployer, can_apply
        from wardfleet.services.profiles import check_conformance

        async with self._running:
            started = self._clock()
            wanted, role = await asyncio.to_thread(
                lambda: (reapply_enabled(self.store), self.store.sync_value("role"))
            )
            reapply = wanted and can_apply(role)
            note = "" if reapply or not wanted else f"role “{role}” may not apply changes"
            actor = await asyncio.to_thread(self._actor)
            deployer = Deployer(self.store, actor=actor, role=role, concurrency=self._concurrency)
            self._deployer = deployer
            try:
                async with self._endpoints() as endpoint_for:
                    reports = await check_conformance(
                        self.store,
                        endpoint_for,
                        actor=actor,
                        reapply=reapply,
                        deployer=deployer,
                        concurrency=self._concurrency,
                    )
            finally:
                self._deployer = None
            run = ConformanceRun(started, self._clock(), reason, tuple(reports), reapply, note)
            self.last_run = run
            self.runs += 1
            await asyncio.to_thread(self._remember, run)
            self._announce(run)
            return run

    def _remember(self, run: ConformanceRun) -> None:
        set_setting(self.store, LAST_RUN_KEY, repr(run.finished))
        set_setting(self.store, LAST_REPORT_KEY, json.dumps(run.summary()))

    def _announce(self, run: ConformanceRun) -> None:
        for report in run.reports:
            device_id = report.device.id
            if report.error is not None:
                name = report.device.display_name
                self._emit("error", device_id, f"{name}: conformance not checked: {report.error}")
            for line in drift_text(report):
                self._emit("drift", device_id, line)
            for result in report.reapplied:
                outcome = result.outcome.value + (f" ({result.reason})" if result.reason else "")
                self._emit(
                    "drift", device_id, f"{report.device.display_name}: re-applied: {outcome}"
                )
            if report.drift and not run.reapply and run.note:
                self._emit(
                    "drift", device_id, f"{report.device.display_name}: not re-applied: {run.note}"
                )
        if run.reports:
            self._emit(
                "conformance",
                None,
                f"profile conformance checked ({run.reason}): {len(run.reports)} device(s),"
                f" {len(run.drifted)} with drift",
            )
