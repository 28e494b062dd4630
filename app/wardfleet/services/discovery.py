"""Turn observations from any protocol into one inventory device per physical device."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from wardfleet.domain.device import Device
from wardfleet.domain.identity import Identity
from wardfleet.domain.kinds import DeviceKind
from wardfleet.domain.merge import merged_kind, resolve
from wardfleet.domain.observation import Observation
from wardfleet.services.endpoints import observed_endpoints
from wardfleet.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MergeOutcome:
    device_id: str
    created: bool
    changed_fields: tuple[str, ...]
    possible_duplicate_of: str | None
    absorbed: tuple[str, ...] = ()


def _merged_identity(known: Identity, seen: Identity) -> Identity:
    return Identity(
        serial=known.serial or seen.serial,
        vendor=known.vendor or seen.vendor,
        mac=known.mac or seen.mac,
        uuid=known.uuid or seen.uuid,
        address=seen.address or known.address,
    )


def _observed_fields(obs: Observation, identity: Identity) -> dict[str, object]:
    """Inventory fields this observation vouches for (None means "did not say")."""
    fields: dict[str, object] = {
        "address": obs.address,
        "port": obs.port,
        "vendor": obs.vendor,
        "model": obs.model,
        "serial": identity.serial,
        "mac": identity.mac,
        "uuid": identity.uuid,
        "kind": obs.kind.value if obs.kind else None,
    }
    return {k: v for k, v in fields.items() if v is not None}


def merge_observation(store: Store, obs: Observation) -> MergeOutcome:
    """Record one observation atomically: find or create its device, update what changed.

    A person's edits (name, location, ward, notes) are never overwritten by discovery once
    set; discovery only fills them when empty.
    """
    seen = obs.identity
    with store.transaction() as tx:
        matches = tx.find_by_keys(seen.keys())
        identities = {
            device_id: device.identity
            for device_id in set(matches.values())
            if (device := tx.get_device(device_id)) is not None
        }
        decision = resolve(seen, matches, identities)
        if decision.device_id is None:
            device = Device(
                id=str(uuid.uuid4()),
                name=obs.name or obs.model or obs.address,
                kind=obs.kind or DeviceKind.OTHER,
                identity=seen,
                address=obs.address,
                port=obs.port,
                vendor=obs.vendor,
                model=obs.model,
                location=obs.location,
                first_seen=obs.seen_at,
                last_seen=obs.seen_at,
                possible_duplicate_of=decision.possible_duplicate_of,
            )
            tx.create_device(device)
            tx.link_identity(device.id, decision.link)
            tx.touch(device.id, address=obs.address, protocol=obs.protocol.value, ts=obs.seen_at)
            tx.set_endpoints(device.id, observed_endpoints(obs), obs.seen_at)
            log.info("new device %s at %s via %s", device.id, obs.address, obs.protocol.value)
            return MergeOutcome(device.id, True, (), decision.possible_duplicate_of)

        # What the absorbed records knew of the kind counts too (a scanner absorbed into a
        # printer makes an MFD), or the result would depend on the order of reports.
        absorbed_kinds = [d.kind for a in decision.absorb if (d := tx.get_device(a)) is not None]
        for absorbed in decision.absorb:
            tx.absorb_device(decision.device_id, absorbed)
            log.info("merged device %s into %s", absorbed, decision.device_id)
        current = tx.get_device(decision.device_id)
        if current is None:  # pragma: no cover - the key pointed at a deleted device
            raise LookupError(decision.device_id)
        identity = _merged_identity(current.identity, seen)
        fields = _observed_fields(obs, identity)
        # Strong identifiers, once known, are not rewritten by a weaker or later claim.
        for key in ("serial", "mac", "uuid"):
            if getattr(current.identity, key):
                fields.pop(key, None)
        kind = current.kind
        for seen_kind in (*absorbed_kinds, obs.kind):
            kind = merged_kind(kind, seen_kind)
        fields["kind"] = kind.value
        for key, value in (("name", obs.name), ("location", obs.location)):
            if value and not getattr(current, key):
                fields[key] = value
        change = tx.update_device(current.id, fields)
        tx.link_identity(current.id, decision.link)
        tx.touch(current.id, address=obs.address, protocol=obs.protocol.value, ts=obs.seen_at)
        endpoints = observed_endpoints(obs)
        tx.set_endpoints(current.id, endpoints, obs.seen_at)
        if decision.possible_duplicate_of:
            tx.set_flags(current.id, possible_duplicate_of=decision.possible_duplicate_of)
        changed = tuple(sorted(change.payload["fields"])) if change else ()
        if set(endpoints) - set(current.endpoints):  # a new Print/Scanner tab to show
            changed = (*changed, "endpoints")
        return MergeOutcome(
            current.id, False, changed, decision.possible_duplicate_of, decision.absorb
        )
