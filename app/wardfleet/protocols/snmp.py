"""Async SNMP session over pysnmp 7 (v3arch asyncio hlapi).

- One ``SnmpEngine`` per event loop (``engine_for_loop``/``close_engine``): an engine
  used from a second loop hangs, and a closed engine is dead.
- GET takes many OIDs and sends them in chunks; walks use GETBULK (v2c/v3) or GETNEXT
  (v1), stop at the end of the subtree and refuse non-increasing OIDs.
- SNMPv1/v2c GET/GETNEXT/GETBULK go through ``snmp_ber``/``snmp_udp`` (a plain BER codec
  on one shared socket: pyasn1 decoding was most of a poll's CPU); SNMPv3 and SET use
  pysnmp's engine.
- Errors keep pysnmp's two channels apart: ``SnmpTransportError`` (errorIndication:
  timeout, authentication, …) versus ``SnmpAgentError`` (errorStatus: the agent
  answered "no", with the OID).
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

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

from wardfleet.protocols.snmp_ber import (
    GET,
    GETBULK,
    GETNEXT,
    VERSION_1,
    VERSION_2C,
    encode_varbind,
)
from wardfleet.protocols.snmp_credentials import ResolvedCredential, SnmpVersion

# Re-exported: callers import the errors and plain_value from here.
from wardfleet.protocols.snmp_errors import ERROR_STATUS as ERROR_STATUS
from wardfleet.protocols.snmp_errors import SnmpAgentError as SnmpAgentError
from wardfleet.protocols.snmp_errors import SnmpAuthError as SnmpAuthError
from wardfleet.protocols.snmp_errors import SnmpError as SnmpError
from wardfleet.protocols.snmp_errors import SnmpTimeout as SnmpTimeout
from wardfleet.protocols.snmp_errors import SnmpTransportError as SnmpTransportError
from wardfleet.protocols.snmp_errors import SnmpWalkError as SnmpWalkError
from wardfleet.protocols.snmp_pysnmp import SetKind as SetKind
from wardfleet.protocols.snmp_pysnmp import auth_data, typed_value
from wardfleet.protocols.snmp_pysnmp import plain_value as plain_value
from wardfleet.protocols.snmp_types import Missing, Oid, SnmpValue, oid_str, under
from wardfleet.protocols.snmp_udp import (
    Address,
    RequestTimeout,
    client_for_loop,
    close_client,
    resolve,
)

# --- engine per event loop ---------------------------------------------------------------

_ENGINES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, SnmpEngine] = (
    weakref.WeakKeyDictionary()
)


def engine_for_loop() -> SnmpEngine:
    """The SnmpEngine of the running event loop, made on first use."""
    loop = asyncio.get_running_loop()
    engine = _ENGINES.get(loop)
    if engine is None:
        engine = _ENGINES[loop] = SnmpEngine()
    return engine


def close_engine(loop: asyncio.AbstractEventLoop | None = None) -> None:
    """Close the engine and the v1/v2c socket of ``loop`` (default: the running one); the
    next use makes new ones."""
    loop = loop or asyncio.get_running_loop()
    close_client(loop)
    engine = _ENGINES.pop(loop, None)
    if engine is not None:
        engine.close_dispatcher()


# --- targets and sessions ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SnmpTarget:
    host: str
    port: int = 161
    timeout: float = 1.0
    retries: int = 1

    @property
    def address(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


@dataclass(frozen=True, slots=True)
class WalkResult:
    """Rows read before the walk ended, and why it ended early (None: subtree done)."""

    varbinds: dict[Oid, SnmpValue] = field(default_factory=dict)
    error: SnmpError | None = None


class SnmpSession:
    """Requests to one agent with one credential. Cheap; reuse it for a device's polls."""

    # Varbinds per GET PDU: well under a 1472-byte UDP payload for typical values.
    MAX_VARBINDS = 48  # a tooBig answer halves it
    MAX_CACHED_VARBINDS = 2048

    def __init__(
        self,
        target: SnmpTarget,
        credential: ResolvedCredential,
        engine: SnmpEngine | None = None,
    ) -> None:
        self.target = target
        self.credential = credential
        self._engine = engine
        self._auth = auth_data(credential)
        self._context = ContextData()
        self._transports: dict[tuple[float, int], UdpTransportTarget] = {}
        self._varbinds: dict[Oid, Any] = {}
        # v1/v2c: our own codec and socket (see snmp_udp); v3 needs pysnmp's USM.
        self._plain = credential.version is not SnmpVersion.V3
        self._version = VERSION_1 if credential.version is SnmpVersion.V1 else VERSION_2C
        self._community = (credential.community or "").encode()
        self._address: Address | None = None
        self._encoded: dict[Oid, bytes] = {}

    @property
    def engine(self) -> SnmpEngine:
        if self._engine is None:
            self._engine = engine_for_loop()
        return self._engine

    @property
    def bulk(self) -> bool:
        return self.credential.version is not SnmpVersion.V1

    async def _transport(self, timeout_s: float | None, retries: int | None) -> UdpTransportTarget:
        key = (
            self.target.timeout if timeout_s is None else timeout_s,
            self.target.retries if retries is None else retries,
        )
        transport = self._transports.get(key)
        if transport is None:
            try:
                transport = await UdpTransportTarget.create(
                    (self.target.host, self.target.port), timeout=key[0], retries=key[1]
                )
            except Exception as exc:  # pysnmp wraps resolver failures in PySnmpError
                raise SnmpTransportError(f"Cannot reach {self.target.address}: {exc}") from exc
            self._transports[key] = transport
        return transport

    def _timeout(self, timeout_s: float, retries: int) -> SnmpTimeout:
        tries = retries + 1
        return SnmpTimeout(
            f"No answer from {self.target.address} within {timeout_s:g} s "
            f"({tries} {'try' if tries == 1 else 'tries'})"
        )

    def _indication(self, indication: Any, transport: UdpTransportTarget) -> SnmpTransportError:
        address = self.target.address
        if isinstance(indication, errind.RequestTimedOut):
            return self._timeout(transport.timeout, transport.retries)
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

    async def _request(
        self,
        command: Any,
        oid_list: Sequence[Oid],
        *extra: int,
        timeout_s: float | None = None,
        retries: int | None = None,
    ) -> list[tuple[Oid, SnmpValue]]:
        """One exchange: ``command`` is pysnmp's get_cmd/next_cmd/bulk_cmd (naming the PDU;
        v1/v2c send it with snmp_ber), ``extra`` GETBULK's non-repeaters and repetitions."""
        if self._plain:
            return await self._plain_request(command, oid_list, extra, timeout_s, retries)
        varbinds = (
            self._get_varbinds(oid_list) if command is get_cmd else self._null_varbinds(oid_list)
        )
        return await self._pysnmp_request(
            command, varbinds, *extra, timeout_s=timeout_s, retries=retries
        )

    async def _pysnmp_request(
        self,
        command: Any,
        varbinds: Sequence[Any],
        *extra: int,
        timeout_s: float | None = None,
        retries: int | None = None,
    ) -> list[tuple[Oid, SnmpValue]]:
        transport = await self._transport(timeout_s, retries)
        args = (self.engine, self._auth, transport, self._context, *extra, *varbinds)
        indication, status, index, answer = await command(*args, lookupMib=False)
        if indication:
            raise self._indication(indication, transport)
        if status:
            self._refused(int(status), int(index), [tuple(vb[0]) for vb in varbinds])
        return [(tuple(name), plain_value(value)) for name, value in answer]

    def _refused(self, status: int, index: int, oid_list: Sequence[Oid]) -> NoReturn:
        position = index - 1
        oid = oid_list[position] if 0 <= position < len(oid_list) else None
        raise SnmpAgentError(status, oid, self.target.address)

    async def _plain_request(
        self,
        command: Any,
        oid_list: Sequence[Oid],
        bulk: tuple[int, ...],
        timeout_s: float | None,
        retries: int | None,
    ) -> list[tuple[Oid, SnmpValue]]:
        timeout = self.target.timeout if timeout_s is None else timeout_s
        tries = self.target.retries if retries is None else retries
        if self._address is None:
            try:
                self._address = await resolve(self.target.host, self.target.port)
            except OSError as exc:
                raise SnmpTransportError(f"Cannot reach {self.target.address}: {exc}") from exc
        pdu = GETBULK if command is bulk_cmd else GETNEXT if command is next_cmd else GET
        try:
            response = await client_for_loop().request(
                self._address, self._version, self._community, pdu,
                self._encoded_varbinds(oid_list), timeout_s=timeout, retries=tries,
                non_repeaters=bulk[0] if bulk else 0,
                max_repetitions=bulk[1] if bulk else 0,
            )  # fmt: skip
        except RequestTimeout:
            raise self._timeout(timeout, tries) from None
        except OSError as exc:  # no route, unreachable network: said at once by the kernel
            raise SnmpTransportError(f"Cannot reach {self.target.address}: {exc}") from exc
        if response.error_status:
            self._refused(response.error_status, response.error_index, oid_list)
        return response.varbinds

    def _encoded_varbinds(self, oid_list: Iterable[Oid]) -> list[bytes]:
        """BER varbinds, kept per session: a poll asks the same cells every time."""
        if len(self._encoded) > self.MAX_CACHED_VARBINDS:
            self._encoded.clear()
        out = []
        for oid in oid_list:
            varbind = self._encoded.get(oid)
            if varbind is None:
                try:
                    varbind = self._encoded[oid] = encode_varbind(oid)
                except ValueError as exc:
                    raise SnmpError(f"cannot ask {self.target.address} for {exc}") from exc
            out.append(varbind)
        return out

    @staticmethod
    def _null_varbinds(oid_list: Iterable[Oid]) -> list[Any]:
        return [ObjectType(ObjectIdentity(oid), v2c.null) for oid in oid_list]

    def _get_varbinds(self, oid_list: Iterable[Oid]) -> list[Any]:
        """Request varbinds for GETs, kept per session: pysnmp resolves each new one
        against its MIB tree (most of a poll's CPU), a resolved one it reuses as is."""
        if len(self._varbinds) > self.MAX_CACHED_VARBINDS:
            self._varbinds.clear()
        out = []
        for oid in oid_list:
            varbind = self._varbinds.get(oid)
            if varbind is None:
                varbind = self._varbinds[oid] = ObjectType(ObjectIdentity(oid), v2c.null)
            out.append(varbind)
        return out

    async def get(
        self, oid_list: Sequence[Oid], *, timeout_s: float | None = None, retries: int | None = None
    ) -> dict[Oid, SnmpValue]:
        """Values of the given OIDs, in as few PDUs as fit; missing ones are ``Missing``."""
        out: dict[Oid, SnmpValue] = {}
        pending = list(dict.fromkeys(oid_list))
        size = self.MAX_VARBINDS
        while pending:
            chunk, rest = pending[:size], pending[size:]
            try:
                answer = await self._request(get_cmd, chunk, timeout_s=timeout_s, retries=retries)
            except SnmpAgentError as exc:
                if exc.code == 1 and size > 1:  # tooBig: smaller PDUs
                    size = max(1, size // 2)
                    continue
                if exc.code == 2 and exc.oid in chunk:  # SNMPv1 fails the whole PDU
                    out[exc.oid] = Missing.NO_SUCH_OBJECT
                    pending = [o for o in chunk if o != exc.oid] + rest
                    continue
                raise
            out.update(answer)
            pending = rest
        return out

    async def next(
        self, oid_list: Sequence[Oid], *, timeout_s: float | None = None, retries: int | None = None
    ) -> list[tuple[Oid, SnmpValue]]:
        """One GETNEXT: the lexicographic successor of each OID."""
        try:
            return await self._request(next_cmd, oid_list, timeout_s=timeout_s, retries=retries)
        except SnmpAgentError as exc:
            if exc.code == 2:  # SNMPv1 noSuchName: nothing after it
                return []
            raise

    async def walk(
        self,
        root: Oid,
        *,
        max_repetitions: int = 24,
        max_rows: int = 10_000,
        timeout_s: float | None = None,
        retries: int | None = None,
        first_repetitions: int | None = None,
    ) -> WalkResult:
        """Everything under ``root``. Errors end the walk and are returned with the rows read.

        ``first_repetitions`` starts GETBULK smaller, growing ×4 per request up to
        ``max_repetitions``: for a table that is usually empty.

        A GETBULK that times out is retried once as single GETNEXTs: some agents die on
        one bad value past the table's end (zebra's hrDeviceID), and GETBULK reads ahead.
        """
        rows: dict[Oid, SnmpValue] = {}
        last = root
        stepping = not self.bulk
        repetitions = min(first_repetitions or max_repetitions, max_repetitions)
        while True:
            try:
                if stepping:
                    answer = await self.next([last], timeout_s=timeout_s, retries=retries)
                else:
                    answer = await self._request(
                        bulk_cmd, [last], 0, repetitions, timeout_s=timeout_s, retries=retries
                    )
                    repetitions = min(repetitions * 4, max_repetitions)
            except SnmpTimeout as exc:
                if stepping:
                    return WalkResult(rows, exc)
                stepping = True
                continue
            except SnmpError as exc:
                return WalkResult(rows, exc)
            if not answer:
                return WalkResult(rows)
            for oid, value in answer:
                if value is Missing.END_OF_MIB_VIEW or not under(oid, root):
                    return WalkResult(rows)
                if oid <= last:
                    return WalkResult(
                        rows,
                        SnmpWalkError(
                            f"{self.target.address} answered a walk of {oid_str(root)} with "
                            f"{oid_str(oid)} after {oid_str(last)} (OIDs must increase)"
                        ),
                    )
                rows[oid] = value
                last = oid
                if len(rows) >= max_rows:
                    return WalkResult(
                        rows,
                        SnmpWalkError(f"walk of {oid_str(root)} stopped after {max_rows} rows"),
                    )

    async def set(
        self,
        oid: Oid,
        value: int | str | bytes | Oid,
        kind: SetKind | None = None,
        *,
        timeout_s: float | None = None,
        retries: int | None = None,
    ) -> SnmpValue:
        """SET one object; returns the value the agent echoed. Raises SnmpAgentError on refusal."""
        varbind = ObjectType(ObjectIdentity(oid), typed_value(value, kind))
        answer = await self._pysnmp_request(
            set_cmd, [varbind], timeout_s=timeout_s, retries=retries
        )
        return answer[0][1] if answer else None

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


async def first_answering(
    target: SnmpTarget,
    credentials: Sequence[ResolvedCredential],
    engine: SnmpEngine | None = None,
) -> SnmpSession:
    """A session with the first credential the agent answers (tried in order).

    Raises the last SnmpError, its message listing why each credential failed. A wrong
    v1/v2c community looks like silence, so each one costs a full timeout.
    """
    reasons: list[str] = []
    last: SnmpError | None = None
    for credential in credentials:
        session = SnmpSession(target, credential, engine)
        try:
            await session.get([(1, 3, 6, 1, 2, 1, 1, 2, 0)])  # sysObjectID.0
        except SnmpTransportError as exc:
            session.release()
            reasons.append(f"{credential.label}: {exc}")
            last = exc
            continue
        except BaseException:  # cancelled (a sweep stopping): leave no target behind
            session.release()
            raise
        return session
    if last is None:
        raise SnmpError("no SNMP credentials to try")
    message = str(last) if len(reasons) == 1 else "; ".join(reasons)
    raise type(last)(message)
