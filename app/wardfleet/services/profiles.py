"""Profiles in use: what a profile asks of a device, and conformance checks for drift.

``check_conformance`` re-reads every device that follows a profile (its own assignment,
else its ward's, for its kind) and reports each setting whose value differs — drift made
behind the app's back, by hand at the device or with another tool. Re-applying is off by
default; with ``reapply=True`` the drifting settings go through ``Deployer`` (plan, apply,
verify, rollback, audited) like any deploy. Each check writes a ``profile.check`` audit
entry.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from wardfleet.domain.device import Device
from wardfleet.protocols.ipp import IppError
from wardfleet.protocols.snmp import SnmpError
from wardfleet.services.deploy import (
    IPP_SETTINGS,
    SNMP_SETTINGS,
    Deployer,
    DeviceJob,
    DeviceResult,
    Endpoint,
    Setting,
    SettingError,
    failure_words,
    parse_expert,
    same_value,
)
from wardfleet.services.print_queues import PrintQueueError, PrintQueues, QueueSpec, queue_name_for
from wardfleet.store import profiles
from wardfleet.store.profiles import Profile
from wardfleet.store.store import Store

EndpointFor = Callable[[Device, str], Endpoint | None]  # (device, "snmp"/"ipp") → endpoint


def _named_setting(key: str) -> Setting | None:
    """The deploy setting a stored key names ("location", "ipp:info"); None if none."""
    if key.startswith("ipp:"):
        return IPP_SETTINGS.get(key[4:])
    return SNMP_SETTINGS.get(key)


def desired_settings(profile: Profile) -> list[tuple[Setting, str]]:
    """The profile's settings as deploy settings, in order; SettingError if one is bad."""
    out: list[tuple[Setting, str]] = []
    for key, value in profile.settings:
        if key == "expert":
            out.append(parse_expert(value))
        elif (setting := _named_setting(key)) is not None:
            out.append((setting, value))
        else:
            raise SettingError(f"profile {profile.name!r}: unknown setting {key!r}")
    return out


@dataclass(frozen=True, slots=True)
class Drift:
    setting: Setting
    expected: str
    actual: str | None


@dataclass(slots=True)
class Conformance:
    device: Device
    profile: Profile
    drift: list[Drift] = field(default_factory=list)
    error: str | None = None  # the device could not be read (or the profile is bad)
    reapplied: list[DeviceResult] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return self.error is None and not self.drift


async def check_device(
    device: Device, profile: Profile, endpoint_for: EndpointFor
) -> tuple[Conformance, dict[str, Endpoint]]:
    report = Conformance(device, profile)
    endpoints: dict[str, Endpoint] = {}
    try:
        desired = desired_settings(profile)
    except SettingError as exc:
        report.error = str(exc)
        return report, endpoints
    by_protocol: dict[str, list[tuple[Setting, str]]] = {}
    for setting, value in desired:
        by_protocol.setdefault(setting.protocol, []).append((setting, value))
    for protocol, items in by_protocol.items():
        endpoint = endpoint_for(device, protocol)
        if endpoint is None:
            report.error = f"no {protocol} access to this device"
            continue
        endpoints[protocol] = endpoint
        try:
            current = await endpoint.read([s for s, _ in items])
        except (SnmpError, IppError) as exc:
            report.error = failure_words(exc)
            continue
        for setting, value in items:
            actual = current.get(setting.key)
            if not same_value(setting, actual, value):
                report.drift.append(Drift(setting, value, actual))
    return report, endpoints


async def check_conformance(
    store: Store,
    endpoint_for: EndpointFor,
    *,
    actor: str,
    reapply: bool = False,
    deployer: Deployer | None = None,
    concurrency: int = 4,
) -> list[Conformance]:
    """Check every device that follows a profile; re-apply drift only when asked."""

    def read_followed() -> list[tuple[Device, Profile]]:
        devices = store.list_devices()
        return [(d, p) for d in devices if (p := profiles.profile_for(store, d)) is not None]

    followed = await asyncio.to_thread(read_followed)
    limit = asyncio.Semaphore(max(1, concurrency))
    deployer = deployer or Deployer(store, actor=actor, concurrency=concurrency)

    async def one(device: Device, profile: Profile) -> Conformance:
        async with limit:
            report, endpoints = await check_device(device, profile, endpoint_for)
        await _audit(store, actor, report)
        if reapply and report.drift:
            jobs = _jobs(report, endpoints)
            plan = await deployer.plan(jobs)
            report.reapplied = await deployer.apply(plan)
        return report

    return list(await asyncio.gather(*(one(d, p) for d, p in followed)))


def _jobs(report: Conformance, endpoints: dict[str, Endpoint]) -> Sequence[DeviceJob]:
    grouped: dict[str, list[tuple[Setting, str]]] = {}
    for drift in report.drift:
        grouped.setdefault(drift.setting.protocol, []).append((drift.setting, drift.expected))
    return [DeviceJob(endpoints[p], tuple(items)) for p, items in grouped.items()]


async def _audit(store: Store, actor: str, report: Conformance) -> None:
    if report.error is not None:
        result = f"failed: {report.error}"
    elif report.drift:
        result = "drift: " + ", ".join(d.setting.label for d in report.drift)
    else:
        result = "conforms"

    def write() -> None:
        with store.transaction() as tx:
            tx.audit(
                actor=actor,
                action="profile.check",
                device_id=report.device.id,
                before={d.setting.key: d.actual for d in report.drift},
                after={"profile": report.profile.name}
                | {d.setting.key: d.expected for d in report.drift},
                result=result,
            )

    await asyncio.to_thread(write)


# What people type (CLI ``--set`` keys, editor fields) → the keys profiles store.
FIELD_KEYS = {
    "name": "name",
    "location": "location",
    "contact": "contact",
    "ipp-location": "ipp:location",
    "ipp-info": "ipp:info",
}


def setting_label(key: str, value: str) -> str:
    """``sysLocation = Ward 4`` for one stored pair; expert lines as they were typed."""
    if key == "expert":
        return value
    setting = _named_setting(key)
    return f"{setting.label if setting is not None else key} = {value}"


def expert_errors(lines: Sequence[str]) -> list[tuple[int, str]]:
    """(line number from 1, why) for each non-blank expert line ``parse_expert`` refuses."""
    out: list[tuple[int, str]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            parse_expert(line)
        except SettingError as exc:
            out.append((number, str(exc)))
    return out


@dataclass(frozen=True, slots=True)
class QueueOutcome:
    device: Device
    queue: str
    ok: bool
    detail: str  # "created", "updated", or why not, in words


async def deploy_print_queues(
    queues: PrintQueues,
    devices: Sequence[Device],
    *,
    store: Store | None,
    actor: str,
    cancel: asyncio.Event | None = None,
) -> list[QueueOutcome]:
    """A profile's "print queue on this workstation": one driverless queue per printer
    with an IPP URI, one at a time (each waits for CUPS to build its PPD); each audited."""
    out: list[QueueOutcome] = []
    for device in devices:
        uri = device.ipp_uri
        if uri is None or (cancel is not None and cancel.is_set()):
            continue
        spec = QueueSpec(
            queue_name_for(device.display_name), uri, info=device.display_name,
            location=device.location,
        )  # fmt: skip
        try:
            done = await queues.deploy(spec)
        except PrintQueueError as exc:
            outcome = QueueOutcome(device, spec.name, False, str(exc))
        else:
            outcome = QueueOutcome(
                device, done.name, True, "created" if done.created else "updated"
            )
        out.append(outcome)
        if store is not None:
            await asyncio.to_thread(_audit_queue, store, actor, outcome, uri)
    return out


def _audit_queue(store: Store, actor: str, outcome: QueueOutcome, uri: str) -> None:
    with store.transaction() as tx:
        tx.audit(
            actor=actor,
            action="profile.print_queue",
            device_id=outcome.device.id,
            before=None,
            after={"queue": outcome.queue, "device_uri": uri},
            result=outcome.detail if outcome.ok else f"failed: {outcome.detail}",
        )
