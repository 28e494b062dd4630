"""services.deploy against real peers: net-snmp snmpd (v2c, v3, refusals, rollback) and
ippeveprinter (Set-Printer-Attributes not supported). Every value the engine claims to
have set or restored is confirmed with net-snmp's own ``snmpget``."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import TypeVar

import httpx
import pytest

from tests.peers.ipp import IppPrinter
from tests.peers.snmp import SnmpdAgent
from tests.peers.snmp_strings import LOCATION, location_kept, snmpget
from wardfleet.domain.change import ChangeKind
from wardfleet.protocols.ipp import IppClient
from wardfleet.protocols.snmp import SnmpSession, SnmpTarget, close_engine
from wardfleet.protocols.snmp_credentials import (
    AuthProtocol,
    PrivProtocol,
    ResolvedCredential,
    community,
    usm,
)
from wardfleet.services.deploy import (
    IPP_LOCATION,
    SNMP_CONTACT,
    SNMP_LOCATION,
    SNMP_NAME,
    Deployer,
    DeviceJob,
    DeviceResult,
    IppEndpoint,
    Outcome,
    PermissionDenied,
    Plan,
    Setting,
    SettingError,
    SnmpEndpoint,
    can_apply,
    parse_expert,
)
from wardfleet.store import Store

T = TypeVar("T")


def run(make: Callable[[], Awaitable[T]]) -> T:
    async def wrapped() -> T:
        try:
            return await make()
        finally:
            close_engine()

    return asyncio.run(wrapped())


@pytest.fixture
def restore_snmpd(snmpd_agent: SnmpdAgent) -> Iterator[SnmpdAgent]:
    """The agent is shared by the session: put sysLocation back (sysName and sysContact
    are fixed in its config, so nothing can change them)."""
    with location_kept(snmpd_agent):
        yield snmpd_agent
    assert snmpget(snmpd_agent, "1.3.6.1.2.1.1.5.0") == snmpd_agent.sys_name


def session(agent: SnmpdAgent, credential: ResolvedCredential) -> SnmpSession:
    return SnmpSession(SnmpTarget(agent.host, agent.port, 1.0, 1), credential)


def v3(agent: SnmpdAgent) -> ResolvedCredential:
    return usm(
        agent.v3_user,
        auth_protocol=AuthProtocol.SHA,
        auth_key=agent.v3_auth_key,
        priv_protocol=PrivProtocol.AES128,
        priv_key=agent.v3_priv_key,
    )


def deploy(
    store: Store | None,
    endpoint: SnmpEndpoint | IppEndpoint | FlakyEndpoint,
    desired: Sequence[tuple[Setting, str]],
    **kwargs: object,
) -> tuple[Plan, list[DeviceResult]]:
    async def go() -> tuple[Plan, list[DeviceResult]]:
        deployer = Deployer(store, actor="tester", **kwargs)  # type: ignore[arg-type]
        plan = await deployer.plan([DeviceJob(endpoint, tuple(desired))])
        return plan, await deployer.apply(plan)

    return run(go)


# --- SNMP: success ------------------------------------------------------------------------


@pytest.mark.peer("snmpd")
@pytest.mark.parametrize("version", ["v2c", "v3"])
def test_set_and_read_back(restore_snmpd: SnmpdAgent, store: Store, version: str) -> None:
    agent = restore_snmpd
    cred = community(agent.rw_community) if version == "v2c" else v3(agent)
    before = snmpget(agent)
    wanted = f"Ward 4 bay {version} — north"
    plan, results = deploy(store, SnmpEndpoint(session(agent, cred)), [(SNMP_LOCATION, wanted)])

    [row] = plan.rows
    assert (row.current, row.new, row.protocol, row.changes) == (before, wanted, "snmp", True)
    assert row.credential == cred.label and row.device == agent.target
    [result] = results
    assert result.outcome is Outcome.APPLIED, result.reason
    [item] = result.settings
    assert (item.status, item.verified) == ("applied", wanted)
    assert snmpget(agent) == wanted  # net-snmp's own client agrees

    actions = [(e.action, e.result) for e in store.audit_entries()]
    assert actions[0][0] == "deploy.plan"
    assert ("deploy.apply", "set") in actions and ("deploy.verify", "verified") in actions
    assert all(e.actor == "tester" for e in store.audit_entries())
    kinds = [c.kind for c in store.outbox_pending()]
    assert kinds.count(ChangeKind.AUDIT) == len(actions)
    assert kinds.count(ChangeKind.DEPLOY_RESULT) == 1
    assert store.verify_audit() is None


@pytest.mark.peer("snmpd")
def test_unchanged_is_not_written(restore_snmpd: SnmpdAgent, store: Store) -> None:
    agent = restore_snmpd
    current = snmpget(agent)
    plan, results = deploy(
        store,
        SnmpEndpoint(session(agent, community(agent.rw_community))),
        [(SNMP_LOCATION, current), (SNMP_NAME, agent.sys_name)],
    )
    assert plan.change_count == 0
    assert results[0].outcome is Outcome.UNCHANGED
    assert [s.status for s in results[0].settings] == ["unchanged", "unchanged"]
    assert not any(e.action == "deploy.apply" for e in store.audit_entries())


@pytest.mark.peer("snmpd")
def test_expert_oid_entry(restore_snmpd: SnmpdAgent, store: Store) -> None:
    agent = restore_snmpd
    setting, value = parse_expert(f"{LOCATION} = s:Expert ward")
    _, [result] = deploy(
        store, SnmpEndpoint(session(agent, community(agent.rw_community))), [(setting, value)]
    )
    assert result.outcome is Outcome.APPLIED and snmpget(agent) == "Expert ward"


def test_expert_entries_are_checked() -> None:
    assert parse_expert("1.3.6.1.4.1.9.1.0 = i:42")[0].type_letter == "i"
    assert parse_expert(".1.3.6.1.4.1.9.2.0 = x:de ad")[1] == "de ad"
    for bad in ("1.3.6.x = s:a", "1.3.6.1 = q:1", "1.3.6.1 s:1", "1.3.6.1 = i:ten",
                "1.3.6.1 = a:300.1.1.1", "1.3.6.1 = x:zz"):  # fmt: skip
        with pytest.raises(SettingError):
            parse_expert(bad)


# --- SNMP: refusals in words ------------------------------------------------------------------


@pytest.mark.peer("snmpd")
def test_not_writable_in_words(restore_snmpd: SnmpdAgent, store: Store) -> None:
    agent = restore_snmpd
    _, [result] = deploy(
        store,
        SnmpEndpoint(session(agent, community(agent.rw_community))),
        [(SNMP_CONTACT, "Someone else")],
    )
    assert result.outcome is Outcome.FAILED
    assert result.reason == "sysContact: notWritable"
    assert result.settings[0].error == "notWritable"
    assert snmpget(agent, "1.3.6.1.2.1.1.4.0") == agent.sys_contact
    assert any(e.result == "notWritable" for e in store.audit_entries())


@pytest.mark.peer("snmpd")
def test_read_only_community_is_no_access(restore_snmpd: SnmpdAgent, store: Store) -> None:
    agent = restore_snmpd
    before = snmpget(agent)
    _, [result] = deploy(
        store,
        SnmpEndpoint(session(agent, community(agent.ro_community))),
        [(SNMP_LOCATION, "not allowed")],
    )
    assert (result.outcome, result.reason) == (Outcome.FAILED, "sysLocation: noAccess")
    assert snmpget(agent) == before


@pytest.mark.peer("snmpd")
def test_wrong_v3_key_is_wrong_credentials(restore_snmpd: SnmpdAgent, store: Store) -> None:
    agent = restore_snmpd
    cred = usm(agent.v3_user, auth_protocol=AuthProtocol.SHA, auth_key="not-the-key",
               priv_protocol=PrivProtocol.AES128, priv_key=agent.v3_priv_key)  # fmt: skip
    plan, [result] = deploy(store, SnmpEndpoint(session(agent, cred)), [(SNMP_LOCATION, "x")])
    assert plan.devices[0].error == "wrong credentials"
    assert (result.outcome, result.reason) == (Outcome.NO_ANSWER, "wrong credentials")
    assert store.audit_entries()[0].result == "failed: wrong credentials"


# --- SNMP: rollback -------------------------------------------------------------------------


@pytest.mark.peer("snmpd")
@pytest.mark.parametrize("version", ["v2c", "v3"])
def test_rollback_when_the_second_of_three_fails(
    restore_snmpd: SnmpdAgent, store: Store, version: str
) -> None:
    """location (applied) → contact (notWritable, the agent's own refusal) → name: the
    location goes back to what it was, and the name is never attempted."""
    agent = restore_snmpd
    cred = community(agent.rw_community) if version == "v2c" else v3(agent)
    before = snmpget(agent)
    _, [result] = deploy(
        store,
        SnmpEndpoint(session(agent, cred)),
        [(SNMP_LOCATION, "Half-way ward"), (SNMP_CONTACT, "nobody"), (SNMP_NAME, "renamed")],
    )
    assert result.outcome is Outcome.ROLLED_BACK
    assert result.reason == "sysContact: notWritable"
    location, contact, name = result.settings
    assert (location.status, location.verified) == ("rolled-back", "Half-way ward")
    assert location.rollback_verified == before
    assert (contact.status, contact.error) == ("failed", "notWritable")
    assert name.status == "not-attempted"
    assert snmpget(agent) == before
    assert snmpget(agent, "1.3.6.1.2.1.1.4.0") == agent.sys_contact
    assert snmpget(agent, "1.3.6.1.2.1.1.5.0") == agent.sys_name
    assert [e.action for e in store.audit_entries()] == [
        "deploy.plan", "deploy.apply", "deploy.verify", "deploy.apply", "deploy.rollback",
    ]  # fmt: skip
    assert store.audit_entries()[-1].result == "rolled back, verified"


class FlakyEndpoint:
    """A real SNMP endpoint whose ``fail_after_set``-th write succeeds on the wire but whose
    read-back then fails: a failure between SET and verify."""

    def __init__(self, inner: SnmpEndpoint, fail_after_set: int) -> None:
        self.inner = inner
        self.device, self.device_id = inner.device, inner.device_id
        self.protocol, self.credential = inner.protocol, inner.credential
        self.writes = 0
        self.fail_after_set = fail_after_set
        self._armed = False

    async def read(self, settings: Sequence[Setting]) -> dict[str, str | None]:
        if self._armed:
            self._armed = False
            from wardfleet.protocols.snmp import SnmpTimeout

            raise SnmpTimeout("injected: no answer to the read-back")
        return await self.inner.read(settings)

    async def write(self, setting: Setting, value: str) -> None:
        await self.inner.write(setting, value)
        self.writes += 1
        self._armed = self.writes == self.fail_after_set


@pytest.mark.peer("snmpd")
def test_rollback_when_the_read_back_fails(restore_snmpd: SnmpdAgent, store: Store) -> None:
    """The SET went through but its verify did not: that setting is undone too."""
    agent = restore_snmpd
    before = snmpget(agent)
    flaky = FlakyEndpoint(SnmpEndpoint(session(agent, community(agent.rw_community))), 1)
    _, [result] = deploy(store, flaky, [(SNMP_LOCATION, "first write"), (SNMP_NAME, "never")])
    assert result.outcome is Outcome.ROLLED_BACK
    assert result.reason == "sysLocation: verify failed: timeout"
    assert result.settings[0].status == "failed, rolled back"
    assert result.settings[0].rollback_verified == before
    assert result.settings[1].status == "not-attempted"
    assert snmpget(agent) == before
    assert flaky.writes == 2  # the SET and its undo


@pytest.mark.peer("snmpd")
def test_cancel_before_start_changes_nothing(restore_snmpd: SnmpdAgent, store: Store) -> None:
    agent = restore_snmpd
    before = snmpget(agent)
    seen: list[tuple[int, int, str]] = []

    async def go() -> list[DeviceResult]:
        deployer = Deployer(store, actor="tester")
        ep = SnmpEndpoint(session(agent, community(agent.rw_community)))
        plan = await deployer.plan([DeviceJob(ep, ((SNMP_LOCATION, "cancelled"),))])
        cancel = asyncio.Event()
        cancel.set()
        return await deployer.apply(
            plan, cancel=cancel, progress=lambda d, t, r: seen.append((d, t, r.outcome.value))
        )

    [result] = run(go)
    assert result.outcome is Outcome.CANCELLED and snmpget(agent) == before
    assert seen == [(1, 1, "cancelled")]


class CancellingEndpoint(FlakyEndpoint):
    """Someone presses Cancel while the first setting is being written."""

    def __init__(self, inner: SnmpEndpoint, cancel: asyncio.Event) -> None:
        super().__init__(inner, fail_after_set=0)
        self.cancel = cancel

    async def write(self, setting: Setting, value: str) -> None:
        await super().write(setting, value)
        self.cancel.set()


@pytest.mark.peer("snmpd")
def test_cancel_mid_device_rolls_it_back(restore_snmpd: SnmpdAgent, store: Store) -> None:
    agent = restore_snmpd
    before = snmpget(agent)

    async def go() -> DeviceResult:
        cancel = asyncio.Event()
        ep = CancellingEndpoint(SnmpEndpoint(session(agent, community(agent.rw_community))), cancel)
        deployer = Deployer(store, actor="tester")
        plan = await deployer.plan([DeviceJob(ep, ((SNMP_LOCATION, "mid"), (SNMP_NAME, "n")))])
        [result] = await deployer.apply(plan, cancel=cancel)
        return result

    result = run(go)
    assert (result.outcome, result.reason) == (Outcome.CANCELLED, "cancelled")
    assert [s.status for s in result.settings] == ["rolled-back", "not-attempted"]
    assert snmpget(agent) == before


def test_roles() -> None:
    assert can_apply("ward-lead") and can_apply("admin") and can_apply(None)
    assert not can_apply("helpdesk")
    deployer = Deployer(None, actor="helpdesk-user", role="helpdesk")
    with pytest.raises(PermissionDenied, match="helpdesk"):
        asyncio.run(deployer.apply(Plan(())))


# --- IPP ------------------------------------------------------------------------------------


@pytest.mark.peer("ippeveprinter")
def test_ipp_set_not_supported(ippeveprinter_host: IppPrinter, store: Store) -> None:
    async def go() -> tuple[Plan, list[DeviceResult]]:
        async with httpx.AsyncClient() as http:
            client = IppClient(http, timeout=5)
            try:
                deployer = Deployer(store, actor="tester")
                ep = IppEndpoint(client, ippeveprinter_host.uri)
                plan = await deployer.plan([DeviceJob(ep, ((IPP_LOCATION, "Ward 9"),))])
                return plan, await deployer.apply(plan)
            finally:
                await client.aclose()

    plan, [result] = asyncio.run(go())
    assert plan.rows[0].current == ippeveprinter_host.location
    assert plan.rows[0].protocol == "ipp"
    assert (result.outcome, result.reason) == (
        Outcome.FAILED, "printer-location: IPP not-supported",
    )  # fmt: skip
    assert store.verify_audit() is None


class SlowFirstReply(FlakyEndpoint):
    """The first SET goes through on the wire, then its reply lingers: an owner stops
    the Deployer right then."""

    def __init__(self, inner: SnmpEndpoint) -> None:
        super().__init__(inner, fail_after_set=0)
        self.first_set = asyncio.Event()

    async def write(self, setting: Setting, value: str) -> None:
        await super().write(setting, value)
        if self.writes == 1:
            self.first_set.set()
            await asyncio.sleep(0.2)


@pytest.mark.peer("snmpd")
def test_stop_rolls_back_an_apply_in_progress_and_cancels_later_ones(
    restore_snmpd: SnmpdAgent, store: Store
) -> None:
    """What an owner shutting down (the runtime, a closing window) calls: the apply that
    passed no cancel event of its own is still cancelled the safe way."""
    agent = restore_snmpd
    before = snmpget(agent)

    async def go() -> tuple[list[str], DeviceResult, DeviceResult, int]:
        deployer = Deployer(store, actor="tester")
        ep = SlowFirstReply(SnmpEndpoint(session(agent, community(agent.rw_community))))
        desired = ((SNMP_LOCATION, "stopping"), (SNMP_NAME, "n"))
        plan = await deployer.plan([DeviceJob(ep, desired)])
        running = asyncio.ensure_future(deployer.apply(plan))
        await asyncio.wait_for(ep.first_set.wait(), 10)
        left = await deployer.stop(5.0)
        assert running.done() and not deployer.busy
        [stopped] = running.result()
        [later] = await deployer.apply(await deployer.plan([DeviceJob(ep, desired)]))
        return left, stopped, later, ep.writes

    left, stopped, later, writes = run(go)
    assert left == []
    assert (stopped.outcome, stopped.reason) == (Outcome.CANCELLED, "cancelled")
    assert [s.status for s in stopped.settings] == ["rolled-back", "not-attempted"]
    assert (later.outcome, later.reason) == (Outcome.CANCELLED, "cancelled before start")
    assert writes == 2  # the SET and its undo; nothing after stop()
    assert snmpget(agent) == before
    assert not [e for e in store.audit_entries() if e.action == "deploy.stop"]


def test_failure_words_tell_a_malformed_reply_from_silence() -> None:
    from wardfleet.protocols.snmp_errors import SnmpMalformedReply, SnmpTimeout
    from wardfleet.services.deploy_settings import failure_words

    assert failure_words(SnmpMalformedReply("garbage from 10.0.0.1")) == "malformed reply"
    assert failure_words(SnmpTimeout("no answer")) == "timeout"
