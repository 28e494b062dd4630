"""Configuration deploys: plan (dry-run diff), apply, verify by reading back, roll back.

No Qt. A deploy is a list of ``DeviceJob``s, each an ``Endpoint`` (how to read and write
one device's settings over one protocol with one credential) and its desired settings
(both in ``deploy_settings``, re-exported here).

- ``Deployer.plan`` reads current values and diffs them against the desired ones.
- ``Deployer.apply`` works through the devices at most ``concurrency`` at once. Per
  device, settings go in order: SET, then read back to verify. When a setting fails, the
  settings already changed on that device are set back to the values read before (newest
  first) and the rollback is verified too. Other devices are unaffected.
- Every plan, apply, verify and rollback step writes an audit entry (``Tx.audit``), which
  reaches the outbox in the same transaction; each device's outcome is also queued as a
  ``deploy.result`` change. Nothing here needs the hub: only the ward network.
- ``Deployer.stop`` is how an owner shutting down (the runtime, a closing window) ends
  applies in progress: it sets their cancel events, so each device rolls back what it
  already wrote, and waits a bounded time. A device still mid-change after that is
  logged and audited as possibly half-changed before the caller cancels hard.
- Only ``ward-lead`` and ``admin`` may apply (``can_apply``); a caller that knows the
  user's role passes it and ``apply`` refuses others. The desktop does not know roles
  until sync settings say, so ``role=None`` means "unknown" and is allowed locally.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from wardfleet.domain.change import ChangeKind
from wardfleet.protocols.ipp import IppError
from wardfleet.protocols.snmp import SnmpError
from wardfleet.services.deploy_settings import (
    IPP_INFO,
    IPP_LOCATION,
    IPP_SETTINGS,
    SNMP_CONTACT,
    SNMP_LOCATION,
    SNMP_NAME,
    SNMP_SETTINGS,
    SNMP_TYPES,
    Endpoint,
    IppEndpoint,
    Setting,
    SettingError,
    SnmpEndpoint,
    encode_snmp,
    failure_words,
    is_no_answer,
    is_refused,
    parse_expert,
    same_value,
    snmp_text,
)
from wardfleet.store.store import Store

__all__ = [  # the settings and endpoints live in deploy_settings; callers import them here
    "APPLY_ROLES", "IPP_INFO", "IPP_LOCATION", "IPP_SETTINGS", "SNMP_CONTACT",
    "SNMP_LOCATION", "SNMP_NAME", "SNMP_SETTINGS", "SNMP_TYPES", "Deployer", "DeviceJob",
    "DevicePlan", "DeviceResult", "Endpoint", "IppEndpoint", "Outcome", "PermissionDenied",
    "Plan", "PlanRow", "Progress", "Setting", "SettingError", "SettingResult", "SnmpEndpoint",
    "VerifyMismatch", "can_apply", "encode_snmp", "failure_words", "parse_expert",
    "run_deploy", "same_value", "snmp_text",
]  # fmt: skip

log = logging.getLogger(__name__)

APPLY_ROLES = frozenset({"ward-lead", "admin"})


def can_apply(role: str | None) -> bool:
    """Whether a user with ``role`` may apply changes (``None``: role unknown locally)."""
    return role is None or role in APPLY_ROLES


class PermissionDenied(Exception):
    pass


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
        self._cancels: set[asyncio.Event] = set()  # of the applies in progress
        self._busy: list[str] = []  # devices being applied (or rolled back) right now
        self._idle = asyncio.Event()
        self._idle.set()
        self._stopped = False

    @property
    def busy(self) -> list[str]:
        """Devices (id, else address) an apply is changing or rolling back right now."""
        return list(self._busy)

    async def stop(self, grace_s: float) -> list[str]:
        """Cancel every apply in progress the safe way (through its cancel event, so each
        device rolls back what it already wrote) and wait up to ``grace_s`` for them.
        Applies started later are cancelled before they write. Returns the devices still
        mid-change at the deadline (empty: all clean); those are logged and audited as
        possibly half-changed, and the caller then cancels its task hard."""
        self._stopped = True
        for cancel in self._cancels:
            cancel.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), grace_s)
        left = self.busy
        if left:
            log.error(
                "stopped while %s still mid-change after %.1f s: they may be half-changed",
                ", ".join(left),
                grace_s,
            )
            for who in left:
                await self._audit(
                    "deploy.stop",
                    who,
                    None,
                    None,
                    f"stopped before the rollback finished (waited {grace_s:g} s):"
                    " the device may be half-changed",
                )
        return left

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
            return DevicePlan(job, (), words, is_no_answer(exc))
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
        if self._stopped:
            cancel.set()  # stopping: nothing new may start writing
        limit = asyncio.Semaphore(self.concurrency)
        done = 0
        total = len(plan.devices)

        async def one(device: DevicePlan) -> DeviceResult:
            nonlocal done
            who = self._who(device.job.endpoint)
            async with limit:
                self._busy.append(who)
                self._idle.clear()
                try:
                    result = await self._apply_one(device, cancel)
                    await self._device_result(result)
                finally:
                    self._busy.remove(who)
                    if not self._busy:
                        self._idle.set()
            done += 1
            if progress is not None:
                progress(done, total, result)
            return result

        self._cancels.add(cancel)
        try:
            return list(await asyncio.gather(*(one(d) for d in plan.devices)))
        finally:
            self._cancels.discard(cancel)

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
                if not is_refused(exc):
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
                    Outcome.NO_ANSWER
                    if cause is not None and is_no_answer(cause)
                    else Outcome.FAILED
                )
            )
            result.reason = reason
            return result
        ok = await self._rollback(ep, touched)
        result.reason = reason
        if ok:
            result.outcome = Outcome.ROLLED_BACK if failed_item else Outcome.CANCELLED
        else:
            no_answer = cause is not None and is_no_answer(cause)
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
