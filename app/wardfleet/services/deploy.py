"""Configuration deploys: plan (dry-run diff), apply, verify by reading back, roll back.

No Qt. A deploy is a list of ``DeviceJob``s, each an ``Endpoint`` (how to read and write
one device's settings over one protocol with one credential) and its desired settings.

- ``Deployer.plan`` reads current values and diffs them against the desired ones.
- ``Deployer.apply`` works through the devices at most ``concurrency`` at once. Per
  device, settings go in order: SET, then read back to verify. When a setting fails, the
  settings already changed on that device are set back to the values read before (newest
  first) and the rollback is verified too. Other devices are unaffected.
- Every plan, apply, verify and rollback step writes an audit entry (``Tx.audit``), which
  reaches the outbox in the same transaction; each device's outcome is also queued as a
  ``deploy.result`` change. Nothing here needs the hub: only the ward network.
- Only ``ward-lead`` and ``admin`` may apply (``can_apply``); a caller that knows the
  user's role passes it and ``apply`` refuses others. The desktop does not know roles
  until sync settings say, so ``role=None`` means "unknown" and is allowed locally.
"""

from __future__ import annotations

import asyncio
import binascii
import enum
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from wardfleet.domain.change import ChangeKind
from wardfleet.protocols.ipp import IppClient, IppError, IppNotSupported, IppStatusError
from wardfleet.protocols.oids import SYS_CONTACT, SYS_LOCATION, SYS_NAME
from wardfleet.protocols.snmp import (
    SetKind,
    SnmpAgentError,
    SnmpAuthError,
    SnmpError,
    SnmpSession,
    SnmpTimeout,
)
from wardfleet.protocols.snmp_types import Missing, Oid, SnmpValue, oid_str, parse_oid
from wardfleet.store.store import Store

APPLY_ROLES = frozenset({"ward-lead", "admin"})


def can_apply(role: str | None) -> bool:
    """Whether a user with ``role`` may apply changes (``None``: role unknown locally)."""
    return role is None or role in APPLY_ROLES


class PermissionDenied(Exception):
    pass


# --- settings -----------------------------------------------------------------------------

# snmpset's type letters → SnmpSession.set kinds ("x" is an OCTET STRING given in hex).
SNMP_TYPES: dict[str, SetKind] = {
    "i": "integer",
    "u": "unsigned32",
    "s": "string",
    "x": "string",
    "o": "oid",
    "a": "ipaddress",
    "t": "timeticks",
}


@dataclass(frozen=True, slots=True)
class Setting:
    """One thing that can be set: ``key`` is stable ("name", "oid:1.3.6...", "ipp:info")."""

    key: str
    label: str
    protocol: str  # "snmp" | "ipp"
    oid: Oid | None = None
    type_letter: str = "s"  # snmpset's letter; SNMP only


SNMP_NAME = Setting("name", "sysName", "snmp", SYS_NAME)
SNMP_LOCATION = Setting("location", "sysLocation", "snmp", SYS_LOCATION)
SNMP_CONTACT = Setting("contact", "sysContact", "snmp", SYS_CONTACT)
SNMP_SETTINGS = {s.key: s for s in (SNMP_NAME, SNMP_LOCATION, SNMP_CONTACT)}
IPP_LOCATION = Setting("ipp:location", "printer-location", "ipp")
IPP_INFO = Setting("ipp:info", "printer-info", "ipp")
IPP_SETTINGS = {"location": IPP_LOCATION, "info": IPP_INFO}


class SettingError(ValueError):
    """A desired setting cannot be understood; the message says why."""


def parse_expert(entry: str) -> tuple[Setting, str]:
    """``"1.3.6.1.2.1.1.6.0 = s:Ward 4"`` → (setting, "Ward 4"), types as snmpset."""
    oid_text, sep, typed = entry.partition("=")
    letter, colon, value = typed.strip().partition(":")
    if not sep or not colon:
        raise SettingError(f"expected 'OID = type:value', got {entry!r}")
    try:
        oid = parse_oid(oid_text)
    except ValueError as exc:
        raise SettingError(str(exc)) from exc
    if letter not in SNMP_TYPES:
        raise SettingError(f"unknown type {letter!r} in {entry!r} (use one of i u s x o a t)")
    setting = Setting(f"oid:{oid_str(oid)}", oid_str(oid), "snmp", oid, letter)
    encode_snmp(setting, value)  # refuse bad values now, not half-way through a deploy
    return setting, value


def encode_snmp(setting: Setting, text: str) -> int | str | bytes | Oid:
    """The value to send for ``text`` (a person's spelling) under the setting's type."""
    letter = setting.type_letter
    try:
        if letter in "iut":
            return int(text, 0)
        if letter == "x":
            return binascii.unhexlify("".join(text.split()).removeprefix("0x"))
        if letter == "o":
            return parse_oid(text)
        if letter == "a":
            parts = text.split(".")
            if len(parts) != 4 or not all(p.isdigit() and int(p) < 256 for p in parts):
                raise ValueError(f"not an IPv4 address: {text!r}")
            return text
    except (ValueError, binascii.Error) as exc:
        raise SettingError(f"{setting.label}: bad value {text!r} ({exc})") from exc
    return text.encode("utf-8")


def snmp_text(setting: Setting, value: SnmpValue) -> str | None:
    """A value read from the agent in the same spelling ``encode_snmp`` takes."""
    if value is None or isinstance(value, Missing):
        return None
    if isinstance(value, bytes):
        if setting.type_letter == "x":
            return value.hex()
        return value.decode("utf-8", errors="replace")
    if isinstance(value, tuple):
        return oid_str(value)
    return str(value)


def same_value(setting: Setting, current: str | None, desired: str) -> bool:
    if current is None:
        return False
    if setting.protocol == "snmp" and setting.type_letter != "s":
        try:
            return encode_snmp(setting, current) == encode_snmp(setting, desired)
        except SettingError:
            return False
    return current == desired


# --- endpoints: one device over one protocol -------------------------------------------------


class Endpoint(Protocol):
    device: str  # what a person calls it (address or name)
    device_id: str | None  # inventory id, when known
    protocol: str
    credential: str  # credential label (never a secret)

    async def read(self, settings: Sequence[Setting]) -> dict[str, str | None]: ...

    async def write(self, setting: Setting, value: str) -> None: ...


class SnmpEndpoint:
    protocol = "snmp"

    def __init__(self, session: SnmpSession, device_id: str | None = None) -> None:
        self.session = session
        self.device = session.target.address
        self.device_id = device_id
        self.credential = session.credential.label

    async def read(self, settings: Sequence[Setting]) -> dict[str, str | None]:
        oids = [s.oid for s in settings if s.oid is not None]
        values = await self.session.get(oids)
        return {s.key: snmp_text(s, values.get(s.oid)) for s in settings if s.oid is not None}

    async def write(self, setting: Setting, value: str) -> None:
        assert setting.oid is not None
        await self.session.set(
            setting.oid, encode_snmp(setting, value), SNMP_TYPES[setting.type_letter]
        )


class IppEndpoint:
    protocol = "ipp"

    def __init__(self, client: IppClient, uri: str, device_id: str | None = None) -> None:
        self.client = client
        self.uri = uri
        self.device = uri
        self.device_id = device_id
        self.credential = f"IPP user {client.user}"

    async def read(self, settings: Sequence[Setting]) -> dict[str, str | None]:
        names = {s.label: s.key for s in settings}
        attrs = await self.client.get_printer_attributes(self.uri, list(names))
        out: dict[str, str | None] = {}
        for name, key in names.items():
            attr = attrs.get(name)
            first = attr.first if attr is not None else None
            out[key] = None if first is None else str(getattr(first, "text", first))
        return out

    async def write(self, setting: Setting, value: str) -> None:
        if setting is IPP_LOCATION or setting.key == IPP_LOCATION.key:
            await self.client.set_printer_attributes(self.uri, location=value)
        else:
            await self.client.set_printer_attributes(self.uri, info=value)


# --- errors in words --------------------------------------------------------------------------


def failure_words(exc: BaseException) -> str:
    """What went wrong, the way the results table and the audit log say it."""
    if isinstance(exc, SnmpAgentError):
        return exc.status  # notWritable, noAccess, wrongType, ...
    if isinstance(exc, SnmpAuthError):
        return "wrong credentials"
    if isinstance(exc, SnmpTimeout):
        return "timeout"
    if isinstance(exc, IppNotSupported):
        return "IPP not-supported"
    if isinstance(exc, IppStatusError):
        return f"IPP refused ({exc})"
    if isinstance(exc, SnmpError | IppError):
        return f"error ({exc})"
    return f"error ({type(exc).__name__}: {exc})"


def _no_answer(exc: BaseException) -> bool:
    return isinstance(exc, SnmpTimeout | SnmpAuthError) or (
        isinstance(exc, IppError) and not isinstance(exc, IppStatusError)
    )


def _refused(exc: BaseException) -> bool:
    """The device answered "no": the setting is certainly unchanged."""
    return isinstance(exc, SnmpAgentError | IppStatusError)


# --- plan -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeviceJob:
    endpoint: Endpoint
    desired: tuple[tuple[Setting, str], ...]


@dataclass(frozen=True, slots=True)
class PlanRow:
    device: str
    device_id: str | None
    setting: Setting
    current: str | None
    new: str
    protocol: str
    credential: str

    @property
    def changes(self) -> bool:
        return not same_value(self.setting, self.current, self.new)


@dataclass(frozen=True, slots=True)
class DevicePlan:
    job: DeviceJob
    rows: tuple[PlanRow, ...]
    error: str | None = None  # reading failed: nothing will be applied
    no_answer: bool = False


@dataclass(frozen=True, slots=True)
class Plan:
    devices: tuple[DevicePlan, ...]

    @property
    def rows(self) -> list[PlanRow]:
        return [row for d in self.devices for row in d.rows]

    @property
    def change_count(self) -> int:
        return sum(row.changes for row in self.rows)


# --- results ----------------------------------------------------------------------------------


class Outcome(enum.StrEnum):
    APPLIED = "applied"
    UNCHANGED = "unchanged"  # nothing differed
    ROLLED_BACK = "rolled-back"  # a setting failed; the device is as it was
    FAILED = "failed"  # a setting failed and nothing had changed, or rollback failed
    NO_ANSWER = "no-answer"
    CANCELLED = "cancelled"  # not started (or rolled back) because the deploy was cancelled


@dataclass(slots=True)
class SettingResult:
    setting: Setting
    before: str | None
    desired: str
    status: str = "pending"  # applied, unchanged, failed, rolled-back, not-attempted
    verified: str | None = None  # value read back after the SET
    error: str | None = None
    rollback_verified: str | None = None


@dataclass(slots=True)
class DeviceResult:
    device: str
    device_id: str | None
    outcome: Outcome
    reason: str | None = None
    settings: list[SettingResult] = field(default_factory=list)


Progress = Callable[[int, int, DeviceResult], None]


class VerifyMismatch(Exception):
    def __init__(self, expected: str, got: str | None) -> None:
        self.expected, self.got = expected, got
        super().__init__(f"read back {got!r}, expected {expected!r}")


class Deployer:
    """Plans and applies deploys; writes audit entries as ``actor`` into ``store``."""

    def __init__(
        self,
        store: Store | None,
        *,
        actor: str,
        role: str | None = None,
        concurrency: int = 4,
    ) -> None:
        self.store = store
        self.actor = actor
        self.role = role
        self.concurrency = max(1, concurrency)

    async def _audit(
        self, action: str, device_id: str | None, before: Any, after: Any, result: str
    ) -> None:
        if self.store is None:
            return
        store = self.store

        def write() -> None:
            with store.transaction() as tx:
                tx.audit(
                    actor=self.actor,
                    action=action,
                    device_id=device_id,
                    before=before,
                    after=after,
                    result=result,
                )

        await asyncio.to_thread(write)

    async def _device_result(self, result: DeviceResult) -> None:
        if self.store is None:
            return
        store = self.store
        payload = {
            "device": result.device,
            "device_id": result.device_id,
            "outcome": result.outcome.value,
            "reason": result.reason,
            "settings": {s.setting.key: s.status for s in result.settings},
            "actor": self.actor,
        }

        def write() -> None:
            with store.transaction() as tx:
                entity = f"deploy:{result.device_id or result.device}"
                tx.emit(ChangeKind.DEPLOY_RESULT, entity, payload)

        await asyncio.to_thread(write)

    @staticmethod
    def _who(endpoint: Endpoint) -> str:
        return endpoint.device_id or endpoint.device

    # plan ---------------------------------------------------------------------------------

    async def plan(self, jobs: Sequence[DeviceJob]) -> Plan:
        limit = asyncio.Semaphore(self.concurrency)

        async def one(job: DeviceJob) -> DevicePlan:
            async with limit:
                return await self._plan_one(job)

        return Plan(tuple(await asyncio.gather(*(one(job) for job in jobs))))

    async def _plan_one(self, job: DeviceJob) -> DevicePlan:
        ep = job.endpoint
        settings = [s for s, _ in job.desired]
        try:
            current = await ep.read(settings)
        except (SnmpError, IppError) as exc:
            words = failure_words(exc)
            await self._audit(
                "deploy.plan", self._who(ep), None, _desired_dict(job), f"failed: {words}"
            )
            return DevicePlan(job, (), words, _no_answer(exc))
        rows = tuple(
            PlanRow(
                ep.device, ep.device_id, s, current.get(s.key), value, ep.protocol, ep.credential
            )
            for s, value in job.desired
        )
        await self._audit(
            "deploy.plan",
            self._who(ep),
            {r.setting.key: r.current for r in rows},
            _desired_dict(job),
            f"planned: {sum(r.changes for r in rows)} change(s) via {ep.credential}",
        )
        return DevicePlan(job, rows)

    # apply --------------------------------------------------------------------------------

    async def apply(
        self,
        plan: Plan,
        *,
        progress: Progress | None = None,
        cancel: asyncio.Event | None = None,
    ) -> list[DeviceResult]:
        """Apply a plan; returns one result per device, in the plan's order."""
        if not can_apply(self.role):
            await self._audit("deploy.apply", None, None, None, f"refused: role {self.role}")
            raise PermissionDenied(
                f"role '{self.role}' may not apply changes (only ward-lead or admin)"
            )
        cancel = cancel or asyncio.Event()
        limit = asyncio.Semaphore(self.concurrency)
        done = 0
        total = len(plan.devices)

        async def one(device: DevicePlan) -> DeviceResult:
            nonlocal done
            async with limit:
                result = await self._apply_one(device, cancel)
            await self._device_result(result)
            done += 1
            if progress is not None:
                progress(done, total, result)
            return result

        return list(await asyncio.gather(*(one(d) for d in plan.devices)))

    async def _apply_one(self, device: DevicePlan, cancel: asyncio.Event) -> DeviceResult:
        ep = device.job.endpoint
        who = self._who(ep)
        result = DeviceResult(ep.device, ep.device_id, Outcome.UNCHANGED)
        result.settings = [SettingResult(r.setting, r.current, r.new) for r in device.rows]
        if device.error is not None:
            result.outcome = Outcome.NO_ANSWER if device.no_answer else Outcome.FAILED
            result.reason = device.error
            return result
        if cancel.is_set():
            result.outcome, result.reason = Outcome.CANCELLED, "cancelled before start"
            for s in result.settings:
                s.status = "not-attempted"
            return result
        touched: list[SettingResult] = []
        failure: tuple[SettingResult, BaseException] | None = None
        for item in result.settings:
            if failure is not None or cancel.is_set():
                item.status = "not-attempted"
                continue
            if same_value(item.setting, item.before, item.desired):
                item.status = "unchanged"
                continue
            change = {item.setting.key: item.desired}
            try:
                await ep.write(item.setting, item.desired)
            except (SnmpError, IppError) as exc:
                item.status, item.error = "failed", failure_words(exc)
                await self._audit(
                    "deploy.apply", who, {item.setting.key: item.before}, change, item.error
                )
                if not _refused(exc):
                    touched.append(item)  # it may have taken effect: undo it too
                failure = (item, exc)
                continue
            touched.append(item)
            await self._audit("deploy.apply", who, {item.setting.key: item.before}, change, "set")
            try:
                got = (await ep.read([item.setting])).get(item.setting.key)
                item.verified = got
                if not same_value(item.setting, got, item.desired):
                    raise VerifyMismatch(item.desired, got)
            except (SnmpError, IppError, VerifyMismatch) as exc:
                words = str(exc) if isinstance(exc, VerifyMismatch) else failure_words(exc)
                item.status, item.error = "failed", f"verify failed: {words}"
                await self._audit(
                    "deploy.verify", who, change, {item.setting.key: item.verified}, item.error
                )
                failure = (item, exc)
                continue
            item.status = "applied"
            await self._audit("deploy.verify", who, change, {item.setting.key: got}, "verified")
        if failure is None and not cancel.is_set():
            changed = any(s.status == "applied" for s in result.settings)
            result.outcome = Outcome.APPLIED if changed else Outcome.UNCHANGED
            return result
        failed_item, cause = failure if failure else (None, None)
        reason = (
            f"{failed_item.setting.label}: {failed_item.error}"
            if failed_item is not None
            else "cancelled"
        )
        if not touched:
            result.outcome = (
                Outcome.CANCELLED
                if failed_item is None
                else (
                    Outcome.NO_ANSWER if cause is not None and _no_answer(cause) else Outcome.FAILED
                )
            )
            result.reason = reason
            return result
        ok = await self._rollback(ep, touched)
        result.reason = reason
        if ok:
            result.outcome = Outcome.ROLLED_BACK if failed_item else Outcome.CANCELLED
        else:
            no_answer = cause is not None and _no_answer(cause)
            result.outcome = Outcome.NO_ANSWER if no_answer else Outcome.FAILED
            result.reason = f"{reason}; rollback failed, the device may be half-changed"
        return result

    async def _rollback(self, ep: Endpoint, touched: list[SettingResult]) -> bool:
        """Set ``touched`` back to their values from before (newest first) and verify."""
        who = self._who(ep)
        ok = True
        for item in reversed(touched):
            key = item.setting.key
            if item.before is None:
                ok = False
                item.error = f"{item.error or ''}; cannot roll back: no value read before".lstrip(
                    "; "
                )
                await self._audit("deploy.rollback", who, None, None, f"{key}: nothing to restore")
                continue
            try:
                await ep.write(item.setting, item.before)
                got = (await ep.read([item.setting])).get(key)
            except (SnmpError, IppError) as exc:
                ok = False
                words = failure_words(exc)
                await self._audit(
                    "deploy.rollback", who, {key: item.desired}, {key: item.before}, words
                )
                continue
            item.rollback_verified = got
            good = same_value(item.setting, got, item.before)
            ok = ok and good
            if good and item.status == "applied":
                item.status = "rolled-back"
            elif good:
                item.status = "failed, rolled back"
            await self._audit(
                "deploy.rollback",
                who,
                {key: item.desired},
                {key: got},
                "rolled back, verified" if good else f"rollback verify failed: read {got!r}",
            )
        return ok


def _desired_dict(job: DeviceJob) -> dict[str, str]:
    return {s.key: value for s, value in job.desired}


async def run_deploy(
    deployer: Deployer,
    jobs: Sequence[DeviceJob],
    confirm: Callable[[Plan], Awaitable[bool]],
    **apply_kwargs: Any,
) -> tuple[Plan, list[DeviceResult] | None]:
    """Plan, ask ``confirm``, then apply (None: declined)."""
    plan = await deployer.plan(jobs)
    if not await confirm(plan):
        return plan, None
    return plan, await deployer.apply(plan, **apply_kwargs)
