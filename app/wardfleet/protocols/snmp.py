"""Async SNMP session over pysnmp 7 (v3arch asyncio hlapi).

- One ``SnmpEngine`` per event loop (``engine_for_loop``/``close_engine``): an engine
  used from a second loop hangs, and a closed engine is dead.
- GET takes many OIDs and sends them in chunks; walks use GETBULK (v2c/v3) or GETNEXT
  (v1), stop at the end of the subtree and refuse non-increasing OIDs.
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
from typing import Any, Literal

from pyasn1.type import univ
from pysnmp.entity import config as pysnmp_config
from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    bulk_cmd,
    get_cmd,
    next_cmd,
    set_cmd,
    usmAesBlumenthalCfb192Protocol,
    usmAesBlumenthalCfb256Protocol,
    usmAesCfb128Protocol,
    usmDESPrivProtocol,
    usmHMAC128SHA224AuthProtocol,
    usmHMAC192SHA256AuthProtocol,
    usmHMAC256SHA384AuthProtocol,
    usmHMAC384SHA512AuthProtocol,
    usmHMACMD5AuthProtocol,
    usmHMACSHAAuthProtocol,
    usmNoAuthProtocol,
    usmNoPrivProtocol,
)
from pysnmp.proto import errind, rfc1902, rfc1905
from pysnmp.proto.api import v2c

from wardfleet.protocols.snmp_credentials import (
    AuthProtocol,
    PrivProtocol,
    ResolvedCredential,
    SnmpVersion,
)
from wardfleet.protocols.snmp_types import Missing, Oid, SnmpValue, oid_str, under

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
    """Close the engine of ``loop`` (default: the running one); the next use makes a new one."""
    engine = _ENGINES.pop(loop or asyncio.get_running_loop(), None)
    if engine is not None:
        engine.close_dispatcher()


# --- errors ------------------------------------------------------------------------------


class SnmpError(Exception):
    """Something went wrong with one SNMP exchange; ``str()`` is a sentence for a person."""


class SnmpTransportError(SnmpError):
    """errorIndication: no usable answer (transport, security, protocol)."""


class SnmpTimeout(SnmpTransportError):
    pass


class SnmpAuthError(SnmpTransportError):
    pass


class SnmpWalkError(SnmpError):
    """The agent answered a walk wrongly (non-increasing OIDs, endless table)."""


# RFC 3416 error-status values, with what they mean to someone holding the device.
ERROR_STATUS = {
    1: ("tooBig", "the answer would not fit in one message"),
    2: ("noSuchName", "the agent has no such object"),
    3: ("badValue", "the value was refused"),
    4: ("readOnly", "the object is read-only"),
    5: ("genErr", "the agent failed to process the request"),
    6: ("noAccess", "these credentials may not access the object"),
    7: ("wrongType", "the value has the wrong type for the object"),
    8: ("wrongLength", "the value has the wrong length"),
    9: ("wrongEncoding", "the value is wrongly encoded"),
    10: ("wrongValue", "the value is not allowed for the object"),
    11: ("noCreation", "the object does not exist and cannot be created"),
    12: ("inconsistentValue", "the value is not allowed right now"),
    13: ("resourceUnavailable", "the agent lacks the resources to do it"),
    14: ("commitFailed", "the agent could not apply the change"),
    15: ("undoFailed", "the agent could not undo a failed change"),
    16: ("authorizationError", "these credentials are not authorised for the request"),
    17: ("notWritable", "the object cannot be changed"),
    18: ("inconsistentName", "the object cannot be created with that index"),
}


class SnmpAgentError(SnmpError):
    """errorStatus: the agent answered and refused; ``status`` is its RFC 3416 name."""

    def __init__(self, code: int, oid: Oid | None, address: str) -> None:
        self.code = code
        self.status, meaning = ERROR_STATUS.get(code, (f"error {code}", "the request failed"))
        self.oid = oid
        where = f" on {oid_str(oid)}" if oid else ""
        super().__init__(f"{address} refused: {self.status} ({meaning}){where}")


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


SetKind = Literal[
    "integer", "string", "oid", "ipaddress", "counter32", "gauge32", "timeticks", "unsigned32"
]

_AUTH = {
    AuthProtocol.MD5: usmHMACMD5AuthProtocol,
    AuthProtocol.SHA: usmHMACSHAAuthProtocol,
    AuthProtocol.SHA224: usmHMAC128SHA224AuthProtocol,
    AuthProtocol.SHA256: usmHMAC192SHA256AuthProtocol,
    AuthProtocol.SHA384: usmHMAC256SHA384AuthProtocol,
    AuthProtocol.SHA512: usmHMAC384SHA512AuthProtocol,
}
_PRIV = {
    PrivProtocol.DES: usmDESPrivProtocol,
    PrivProtocol.AES128: usmAesCfb128Protocol,
    # The "Blumenthal" key extension is what net-snmp means by AES-192/AES-256.
    PrivProtocol.AES192: usmAesBlumenthalCfb192Protocol,
    PrivProtocol.AES256: usmAesBlumenthalCfb256Protocol,
}


def _auth_data(credential: ResolvedCredential) -> CommunityData | UsmUserData:
    if credential.version is not SnmpVersion.V3:
        mp_model = 0 if credential.version is SnmpVersion.V1 else 1
        return CommunityData(credential.community or "", mpModel=mp_model)
    return UsmUserData(
        credential.user or "",
        authKey=credential.auth_key,
        privKey=credential.priv_key,
        authProtocol=_AUTH[credential.auth_protocol]
        if credential.auth_protocol
        else usmNoAuthProtocol,
        privProtocol=_PRIV[credential.priv_protocol]
        if credential.priv_protocol
        else usmNoPrivProtocol,
    )


def plain_value(value: Any) -> SnmpValue:
    """A pysnmp value as a plain Python value (see ``snmp_types.SnmpValue``)."""
    if isinstance(value, rfc1905.NoSuchInstance):
        return Missing.NO_SUCH_INSTANCE
    if isinstance(value, rfc1905.NoSuchObject):
        return Missing.NO_SUCH_OBJECT
    if isinstance(value, rfc1905.EndOfMibView):
        return Missing.END_OF_MIB_VIEW
    if isinstance(value, rfc1902.IpAddress):
        return ".".join(str(b) for b in value.asOctets())
    if isinstance(value, univ.OctetString):
        return bytes(value.asOctets())
    if isinstance(value, univ.ObjectIdentifier):
        return tuple(value)
    if isinstance(value, univ.Integer):
        return int(value)
    return None


def _typed(value: int | str | bytes | Oid, kind: SetKind | None) -> Any:
    if kind is None:
        if isinstance(value, bool):
            raise TypeError("SNMP has no boolean type; use an integer")
        kind = (
            "integer" if isinstance(value, int)
            else "oid" if isinstance(value, tuple)
            else "string"
        )  # fmt: skip
    if kind == "string":
        return rfc1902.OctetString(value.encode() if isinstance(value, str) else value)
    if kind == "oid":
        return rfc1902.ObjectIdentifier(value)
    if kind == "ipaddress":
        return rfc1902.IpAddress(value)
    numeric = {
        "integer": rfc1902.Integer32,
        "counter32": rfc1902.Counter32,
        "gauge32": rfc1902.Gauge32,
        "timeticks": rfc1902.TimeTicks,
        "unsigned32": rfc1902.Unsigned32,
    }
    return numeric[kind](value)


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
        self._auth = _auth_data(credential)
        self._context = ContextData()
        self._transports: dict[tuple[float, int], UdpTransportTarget] = {}
        self._varbinds: dict[Oid, Any] = {}

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

    def _indication(self, indication: Any, transport: UdpTransportTarget) -> SnmpTransportError:
        address = self.target.address
        if isinstance(indication, errind.RequestTimedOut):
            tries = transport.retries + 1
            return SnmpTimeout(
                f"No answer from {address} within {transport.timeout:g} s "
                f"({tries} {'try' if tries == 1 else 'tries'})"
            )
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
            position = int(index) - 1
            oid = None
            if 0 <= position < len(varbinds):
                oid = tuple(varbinds[position][0])
            raise SnmpAgentError(int(status), oid, self.target.address)
        return [(tuple(name), plain_value(value)) for name, value in answer]

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
                answer = await self._request(
                    get_cmd, self._get_varbinds(chunk), timeout_s=timeout_s, retries=retries
                )
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
            return await self._request(
                next_cmd, self._null_varbinds(oid_list), timeout_s=timeout_s, retries=retries
            )
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
    ) -> WalkResult:
        """Everything under ``root``. Errors end the walk and are returned with the rows read.

        A GETBULK that times out is retried once as single GETNEXTs: some agents die on
        one bad value past the table's end (zebra's hrDeviceID), and GETBULK reads ahead.
        """
        rows: dict[Oid, SnmpValue] = {}
        last = root
        stepping = not self.bulk
        while True:
            try:
                if stepping:
                    answer = await self.next([last], timeout_s=timeout_s, retries=retries)
                else:
                    # The root is asked every poll (prtAlertTable): keep its varbind.
                    start = self._get_varbinds([last]) if last == root else None
                    answer = await self._request(
                        bulk_cmd, start or self._null_varbinds([last]), 0, max_repetitions,
                        timeout_s=timeout_s, retries=retries,
                    )  # fmt: skip
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
        varbind = ObjectType(ObjectIdentity(oid), _typed(value, kind))
        answer = await self._request(set_cmd, [varbind], timeout_s=timeout_s, retries=retries)
        return answer[0][1] if answer else None

    def release(self) -> None:
        """Drop this target from the engine's tables (a sweep touches thousands of hosts)."""
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
