"""Requests through pysnmp's engine: SNMPv3 (USM keeps state in it) and SET for every
version.

One ``SnmpEngine`` per event loop (``engine_for_loop``/``close_engine``): an engine used
from a second loop hangs, and a closed engine is dead. pysnmp's errorIndication becomes
an ``SnmpTransportError`` (timeout, authentication, …), its errorStatus an
``SnmpAgentError``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable, Sequence
from typing import Any

from pysnmp.entity import config as pysnmp_config
from pysnmp.hlapi.v3arch.asyncio import (
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    bulk_cmd,
    get_cmd,
    next_cmd,
    set_cmd,
)
from pysnmp.proto import errind
from pysnmp.proto.api import v2c

from wardfleet.protocols.snmp_ber import GET, GETBULK, GETNEXT
from wardfleet.protocols.snmp_credentials import ResolvedCredential
from wardfleet.protocols.snmp_errors import (
    SnmpAuthError,
    SnmpTransportError,
    refused,
    timed_out,
    unreachable,
)
from wardfleet.protocols.snmp_per_loop import PerLoop
from wardfleet.protocols.snmp_pysnmp import SetKind, auth_data, plain_value, typed_value
from wardfleet.protocols.snmp_types import Oid, SnmpTarget, SnmpValue
from wardfleet.protocols.snmp_udp import close_client

_ENGINES: PerLoop[SnmpEngine] = PerLoop(lambda _loop: SnmpEngine())
_COMMANDS = {GET: get_cmd, GETNEXT: next_cmd, GETBULK: bulk_cmd}


def engine_for_loop() -> SnmpEngine:
    """The SnmpEngine of the running event loop, made on first use."""
    return _ENGINES.get()


def close_engine(loop: asyncio.AbstractEventLoop | None = None) -> None:
    """Close the engine and the v1/v2c socket of ``loop`` (default: the running one); the
    next use makes new ones."""
    loop = loop or asyncio.get_running_loop()
    close_client(loop)
    engine = _ENGINES.pop(loop)
    if engine is not None:
        engine.close_dispatcher()


class EngineRequests:
    """One session's requests through the engine; keeps its transports and the varbinds
    pysnmp has resolved."""

    MAX_CACHED_VARBINDS = 2048

    def __init__(
        self, target: SnmpTarget, credential: ResolvedCredential, engine: SnmpEngine | None
    ) -> None:
        self.target = target
        self.credential = credential
        self._engine = engine
        self._auth = auth_data(credential)
        self._context = ContextData()
        self._transports: dict[tuple[float, int], UdpTransportTarget] = {}
        self._varbinds: dict[Oid, Any] = {}

    @property
    def engine(self) -> SnmpEngine:
        if self._engine is None:
            self._engine = engine_for_loop()
        return self._engine

    async def request(
        self,
        pdu: int,
        oid_list: Sequence[Oid],
        *,
        timeout_s: float,
        retries: int,
        max_repetitions: int = 0,
    ) -> list[tuple[Oid, SnmpValue]]:
        """One exchange; ``pdu`` is snmp_ber's GET, GETNEXT or GETBULK (no non-repeaters:
        walks ask one column)."""
        varbinds = self._get_varbinds(oid_list) if pdu == GET else self._null_varbinds(oid_list)
        extra = (0, max_repetitions) if pdu == GETBULK else ()
        return await self._exchange(_COMMANDS[pdu], varbinds, extra, timeout_s, retries)

    async def set(
        self,
        oid: Oid,
        value: int | str | bytes | Oid,
        kind: SetKind | None,
        *,
        timeout_s: float,
        retries: int,
    ) -> list[tuple[Oid, SnmpValue]]:
        varbind = ObjectType(ObjectIdentity(oid), typed_value(value, kind))
        return await self._exchange(set_cmd, [varbind], (), timeout_s, retries)

    async def _exchange(
        self,
        command: Any,
        varbinds: Sequence[Any],
        extra: tuple[int, ...],
        timeout_s: float,
        retries: int,
    ) -> list[tuple[Oid, SnmpValue]]:
        transport = await self._transport(timeout_s, retries)
        args = (self.engine, self._auth, transport, self._context, *extra, *varbinds)
        indication, status, index, answer = await command(*args, lookupMib=False)
        if indication:
            raise self._indication(indication, transport)
        if status:
            oid_list = [tuple(vb[0]) for vb in varbinds]
            raise refused(int(status), int(index), oid_list, self.target.address)
        return [(tuple(name), plain_value(value)) for name, value in answer]

    async def _transport(self, timeout_s: float, retries: int) -> UdpTransportTarget:
        transport = self._transports.get((timeout_s, retries))
        if transport is None:
            try:
                transport = await UdpTransportTarget.create(
                    (self.target.host, self.target.port), timeout=timeout_s, retries=retries
                )
            except Exception as exc:  # pysnmp wraps resolver failures in PySnmpError
                raise unreachable(self.target.address, exc) from exc
            self._transports[(timeout_s, retries)] = transport
        return transport

    def _indication(self, indication: Any, transport: UdpTransportTarget) -> SnmpTransportError:
        address = self.target.address
        if isinstance(indication, errind.RequestTimedOut):
            return timed_out(address, transport.timeout, transport.retries)
        text = str(indication)
        if isinstance(indication, errind.WrongDigest | errind.AuthenticationFailure):
            return SnmpAuthError(f"Authentication failed: wrong SNMPv3 key or password ({text})")
        if isinstance(indication, errind.UnknownUserName):
            return SnmpAuthError(
                f"Authentication failed: {address} has no SNMPv3 user "
                f"'{self.credential.user}' ({text})"
            )
        if isinstance(indication, errind.UnsupportedSecurityLevel):
            return SnmpAuthError(
                f"Authentication failed: {address} does not allow this security level "
                f"for '{self.credential.user}' ({text})"
            )
        if isinstance(indication, errind.DecryptionError):
            return SnmpAuthError(
                f"Decryption failed: wrong SNMPv3 privacy key or protocol ({text})"
            )
        return SnmpTransportError(f"SNMP error talking to {address}: {text}")

    @staticmethod
    def _null_varbinds(oid_list: Iterable[Oid]) -> list[Any]:
        return [ObjectType(ObjectIdentity(oid), v2c.null) for oid in oid_list]

    def _get_varbinds(self, oid_list: Iterable[Oid]) -> list[Any]:
        """GET varbinds, kept: pysnmp resolves each new one against its MIB tree (most of
        a poll's CPU), a resolved one it reuses as is."""
        if len(self._varbinds) > self.MAX_CACHED_VARBINDS:
            self._varbinds.clear()
        out = []
        for oid in oid_list:
            varbind = self._varbinds.get(oid)
            if varbind is None:
                varbind = self._varbinds[oid] = ObjectType(ObjectIdentity(oid), v2c.null)
            out.append(varbind)
        return out

    def release(self) -> None:
        """Drop this target from the engine's tables (a sweep touches thousands of hosts)."""
        if not self._transports:
            return  # v1/v2c reads keep nothing in the engine
        cache = self.engine.get_user_context("CommandGeneratorLcdConfigurator") or {}
        addresses = cache.get("addr", {})
        for transport in self._transports.values():
            for key in [k for k in addresses if k[2] == transport.transport_address]:
                addr_name, _count = addresses.pop(key)
                with contextlib.suppress(Exception):  # already gone: nothing to release
                    pysnmp_config.delete_target_address(self.engine, addr_name)
        self._transports.clear()
