"""Keep the inventory in step with a live discoverer (mDNS) while the app runs.

A live discoverer reports adverts as they appear, change and go away, instead of in
rounds. Each sighting is merged like any observation (off the loop thread); a withdrawn
advert marks its device "not seen via mDNS since …" once no other advert of that protocol
still names it. Devices are never deleted for going quiet: a printer switched off for the
weekend is still the ward's printer.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from wardfleet.domain.observation import Observation
from wardfleet.services.discovery import MergeOutcome, merge_observation
from wardfleet.services.events import ActivityEvent
from wardfleet.store import Store

log = logging.getLogger(__name__)

# key: which advert (e.g. an mDNS service's full name); removals name the same key.
OnObservation = Callable[[str, Observation], Awaitable[object]]
OnRemoved = Callable[[str, float], Awaitable[object]]

_PROTOCOL_LABELS = {"mdns": "mDNS", "dns-sd": "DNS-SD"}


class LiveDiscoverer(Protocol):
    """A source that reports until stopped (``protocols.mdns.MdnsDiscoverer``)."""

    async def start(self, on_observation: OnObservation, on_removed: OnRemoved) -> None: ...
    async def stop(self) -> None: ...


class WatchListener(Protocol):
    """The part of ``RuntimeListener`` a watch talks to."""

    def inventory_changed(self, device_ids: list[str]) -> None: ...
    def activity(self, event: ActivityEvent) -> None: ...


class FanOut:
    """A WatchListener for a list of listeners that may still grow (the runtime's)."""

    def __init__(self, listeners: Sequence[WatchListener]) -> None:
        self._listeners = listeners

    def inventory_changed(self, device_ids: list[str]) -> None:
        for listener in self._listeners:
            listener.inventory_changed(device_ids)

    def activity(self, event: ActivityEvent) -> None:
        for listener in self._listeners:
            listener.activity(event)


def record_removal(
    store: Store, removed: Observation, remaining: Sequence[Observation], ts: float
) -> str | None:
    """Mark the device of a withdrawn advert as gone for its protocol, unless another
    advert still names it (a printer's _ipps going while _ipp stays). Returns the device
    marked, or None.

    The device is looked up by the advert's identifiers now, not remembered: it may have
    been merged into another record since it was seen.
    """
    device_id = store.device_for_keys(removed.identity.keys())
    if device_id is None:
        return None
    for other in remaining:
        if store.device_for_keys(other.identity.keys()) == device_id:
            return None
    return device_id if store.mark_protocol_gone(device_id, removed.protocol.value, ts) else None


class LiveWatch:
    """Runs one live discoverer, merging what it reports and telling ``listener``."""

    def __init__(
        self,
        store: Store,
        discoverer: LiveDiscoverer,
        listener: WatchListener,
        *,
        on_new_device: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.discoverer = discoverer
        self._listener = listener
        self._on_new_device = on_new_device
        self._clock = clock
        self._live: dict[str, Observation] = {}  # adverts present now, by key
        self._gone: set[str] = set()  # devices this watch marked gone
        self.running = False

    async def start(self) -> bool:
        """Start the discoverer. A failure (no network, port taken) is reported as an
        activity and False, so the rest of the runtime still starts."""
        try:
            await self.discoverer.start(self.observed, self.removed)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("live discovery did not start")
            self._activity("error", None, f"live discovery did not start: {exc}")
            return False
        self.running = True
        return True

    async def stop(self) -> None:
        if not self.running:
            return
        self.running = False
        try:
            await self.discoverer.stop()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("live discovery did not stop cleanly")

    async def observed(self, key: str, obs: Observation) -> MergeOutcome | None:
        """Merge one sighting; returns the outcome, or None when the store refused it."""
        try:
            outcome = await asyncio.to_thread(merge_observation, self.store, obs)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a full disk must not end the watch
            log.exception("merging %s failed", key)
            self._activity("error", None, f"could not record {_label(obs)}: {exc}")
            return None
        self._live[key] = obs
        device_id = outcome.device_id
        via = _PROTOCOL_LABELS.get(obs.protocol.value, obs.protocol.value)
        if outcome.created:
            self._listener.inventory_changed([device_id])
            self._activity("discovered", device_id, f"{_label(obs)} ({obs.address}) via {via}")
            if self._on_new_device is not None:
                self._on_new_device(device_id)
        elif device_id in self._gone:
            self._gone.discard(device_id)
            self._listener.inventory_changed([device_id, *outcome.absorbed])
            self._activity("updated", device_id, f"{_label(obs)} is advertised again via {via}")
        elif outcome.changed_fields or outcome.absorbed:
            self._listener.inventory_changed([device_id, *outcome.absorbed])
            changed = ", ".join(outcome.changed_fields) or "merged"
            self._activity("updated", device_id, f"{_label(obs)}: {changed} (via {via})")
        return outcome

    async def removed(self, key: str, ts: float) -> str | None:
        """Bookkeeping for a withdrawn advert; returns the device now marked gone."""
        obs = self._live.pop(key, None)
        if obs is None:
            return None  # never merged (no address, or the store refused it)
        remaining = list(self._live.values())
        try:
            device_id = await asyncio.to_thread(record_removal, self.store, obs, remaining, ts)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("recording the removal of %s failed", key)
            self._activity("error", None, f"could not record {_label(obs)} leaving: {exc}")
            return None
        if device_id is not None:
            self._gone.add(device_id)
            via = _PROTOCOL_LABELS.get(obs.protocol.value, obs.protocol.value)
            self._listener.inventory_changed([device_id])
            self._activity("gone", device_id, f"{_label(obs)}: no longer advertised via {via}")
        return device_id

    def _activity(self, kind: str, device_id: str | None, text: str) -> None:
        self._listener.activity(ActivityEvent(self._clock(), kind, device_id, text))


def _label(obs: Observation) -> str:
    return obs.name or obs.model or obs.address
