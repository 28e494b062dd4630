"""Alerts for each poll round: damp the statuses, store the transitions, tell listeners.

The damping itself is pure (``domain.alerts.AlertDamper``); this applies it to what the
monitor reports and writes every raise and clear, each with its outbox row, in one
transaction per round. Nothing is written on a round without transitions.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence

from wardfleet.domain.alerts import (
    Alert,
    AlertDamper,
    AlertEvent,
    AlertPolicy,
    AlertRule,
    Reading,
    alert_key,
    run_out_reading,
)
from wardfleet.domain.forecast import ForecastKind, forecast_run_out
from wardfleet.domain.status import DeviceStatus
from wardfleet.store import Store

log = logging.getLogger(__name__)


FORECAST_EVERY_S = 3600.0
FORECAST_WINDOW_S = 14 * 86_400.0
FORECAST_BELOW_PCT = 40.0  # only supplies this low are worth a forecast


class AlertService:
    def __init__(
        self,
        store: Store,
        policy: AlertPolicy | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.damper = AlertDamper(policy or AlertPolicy())
        self._clock = clock
        self._restored = False
        # Forecasts are worked out at most once per FORECAST_EVERY_S per supply.
        self._forecasts: dict[tuple[str, str], tuple[float, float | None]] = {}

    def restore(self) -> None:
        """Pick up alerts left open by an earlier run, so they are not raised twice."""
        by_device: dict[str, list[str]] = {}
        for alert in self.store.list_alerts():
            by_device.setdefault(alert.device_id, []).append(alert.key)
        for device_id, keys in by_device.items():
            self.damper.restore(device_id, keys)
        self._restored = True

    def on_round(self, results: Sequence[tuple[str, DeviceStatus]]) -> list[AlertEvent]:
        """Feed one poll round; store and return the transitions it caused."""
        if not self._restored:
            self.restore()
        now = self._clock()
        events = [
            event
            for device_id, status in results
            for event in self.damper.feed(
                device_id, status, now, self._forecast_readings(device_id, status, now)
            )
        ]
        if events:
            self.store.apply_alert_events(events)
        return events

    def _forecast_readings(
        self, device_id: str, status: DeviceStatus, now: float
    ) -> dict[str, Reading]:
        """Run-out readings for the device's low supplies, from their 5-minute rollups."""
        readings: dict[str, Reading] = {}
        if not status.reachable:
            return readings
        active = self.damper.active(device_id)
        for supply in status.supplies:
            left = supply.remaining_percent
            key = alert_key(AlertRule.RUN_OUT, supply.index)
            if left is None:
                readings[key] = Reading(None)  # level not read: no news for the forecast
                continue
            if left > FORECAST_BELOW_PCT:
                if key in active:
                    readings[key] = Reading(False)  # refilled: good, forecast or not
                continue
            cached = self._forecasts.get((device_id, supply.index))
            if cached is None or now - cached[0] >= FORECAST_EVERY_S:
                points = self.store.rollup_series(
                    device_id, f"supply:{supply.index}", now - FORECAST_WINDOW_S, now + 1
                )
                forecast = forecast_run_out([(float(p.bucket), p.last) for p in points], now)
                # Not being used up is as good as "runs out in a long time".
                not_consuming = forecast.kind is ForecastKind.NOT_CONSUMING
                cached = (now, math.inf if not_consuming else forecast.days_left)
                self._forecasts[(device_id, supply.index)] = cached
            readings[key] = run_out_reading(
                supply.description, cached[1], active=key in active, policy=self.damper.policy
            )
        return readings

    def acknowledge(self, alert_id: str, *, by: str) -> bool:
        return self.store.acknowledge_alert(alert_id, by=by, at=self._clock())

    def snooze(self, alert_id: str, for_s: float) -> bool:
        now = self._clock()
        return self.store.snooze_alert(alert_id, now + for_s, at=now)

    def open_alerts(self, device_ids: Sequence[str] | None = None) -> list[Alert]:
        return self.store.list_alerts(device_ids)

    def needing_attention(self) -> list[Alert]:
        now = self._clock()
        return [a for a in self.store.list_alerts() if a.needs_attention(now)]
