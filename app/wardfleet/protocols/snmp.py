"""Async SNMP session: one agent, one credential.

- GET takes many OIDs and sends them in chunks; walks use GETBULK (v2c/v3) or GETNEXT
  (v1), stop at the end of the subtree and refuse non-increasing OIDs.
- SNMPv1/v2c GET/GETNEXT/GETBULK go through ``snmp_v1v2c`` (a plain BER codec on one
  shared socket: pyasn1 decoding was most of a poll's CPU); SNMPv3 and SET go through
  pysnmp's engine (``snmp_engine``, one per event loop).
- Errors keep pysnmp's two channels apart: ``SnmpTransportError`` (errorIndication:
  timeout, authentication, …) versus ``SnmpAgentError`` (errorStatus: the agent
  answered "no", with the OID).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pysnmp.hlapi.v3arch.asyncio import SnmpEngine

from wardfleet.protocols.snmp_ber import GET, GETBULK, GETNEXT
from wardfleet.protocols.snmp_credentials import ResolvedCredential, SnmpVersion
from wardfleet.protocols.snmp_engine import EngineRequests

# Re-exported: callers import the session's whole vocabulary from here.
from wardfleet.protocols.snmp_engine import close_engine as close_engine
from wardfleet.protocols.snmp_engine import engine_for_loop as engine_for_loop
from wardfleet.protocols.snmp_errors import ERROR_STATUS as ERROR_STATUS
from wardfleet.protocols.snmp_errors import SnmpAgentError as SnmpAgentError
from wardfleet.protocols.snmp_errors import SnmpAuthError as SnmpAuthError
from wardfleet.protocols.snmp_errors import SnmpError as SnmpError
from wardfleet.protocols.snmp_errors import SnmpMalformedReply as SnmpMalformedReply
from wardfleet.protocols.snmp_errors import SnmpTimeout as SnmpTimeout
from wardfleet.protocols.snmp_errors import SnmpTransportError as SnmpTransportError
from wardfleet.protocols.snmp_errors import SnmpWalkError as SnmpWalkError
from wardfleet.protocols.snmp_pysnmp import SetKind as SetKind
from wardfleet.protocols.snmp_pysnmp import plain_value as plain_value
from wardfleet.protocols.snmp_types import Missing, Oid, SnmpValue, oid_str, under
from wardfleet.protocols.snmp_types import SnmpTarget as SnmpTarget
from wardfleet.protocols.snmp_v1v2c import CommunityRequests


@dataclass(frozen=True, slots=True)
class WalkResult:
    """Rows read before the walk ended, and why it ended early (None: subtree done)."""

    varbinds: dict[Oid, SnmpValue] = field(default_factory=dict)
    error: SnmpError | None = None


class SnmpSession:
    """Requests to one agent with one credential. Cheap; reuse it for a device's polls."""

    # Varbinds per GET PDU: well under a 1472-byte UDP payload for typical values.
    MAX_VARBINDS = 48  # a tooBig answer halves it

    def __init__(
        self,
        target: SnmpTarget,
        credential: ResolvedCredential,
        engine: SnmpEngine | None = None,
    ) -> None:
        self.target = target
        self.credential = credential
        # SET always needs the engine; v1/v2c reads use our own codec (v3 needs USM).
        self._engine_requests = EngineRequests(target, credential, engine)
        self._reads: CommunityRequests | EngineRequests = (
            self._engine_requests
            if credential.version is SnmpVersion.V3
            else CommunityRequests(target, credential)
        )

    @property
    def bulk(self) -> bool:
        return self.credential.version is not SnmpVersion.V1

    async def _request(
        self,
        pdu: int,
        oid_list: Sequence[Oid],
        *,
        timeout_s: float | None,
        retries: int | None,
        max_repetitions: int = 0,
    ) -> list[tuple[Oid, SnmpValue]]:
        timeout, tries = self._limits(timeout_s, retries)
        return await self._reads.request(
            pdu, oid_list, timeout_s=timeout, retries=tries, max_repetitions=max_repetitions
        )

    def _limits(self, timeout_s: float | None, retries: int | None) -> tuple[float, int]:
        """A request's timeout and retries: the target's unless given."""
        return (
            self.target.timeout if timeout_s is None else timeout_s,
            self.target.retries if retries is None else retries,
        )

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
                answer = await self._request(GET, chunk, timeout_s=timeout_s, retries=retries)
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
            return await self._request(GETNEXT, oid_list, timeout_s=timeout_s, retries=retries)
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
                        GETBULK, [last], timeout_s=timeout_s, retries=retries,
                        max_repetitions=repetitions,
                    )  # fmt: skip
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
        timeout, tries = self._limits(timeout_s, retries)
        answer = await self._engine_requests.set(oid, value, kind, timeout_s=timeout, retries=tries)
        return answer[0][1] if answer else None

    def release(self) -> None:
        """Drop this target from the engine's tables (a sweep touches thousands of hosts)."""
        self._engine_requests.release()


async def first_answering(
    target: SnmpTarget, credentials: Sequence[ResolvedCredential]
) -> SnmpSession:
    """A session with the first credential the agent answers (tried in order).

    Raises the last SnmpError, its message listing why each credential failed. A wrong
    v1/v2c community looks like silence, so each one costs a full timeout.
    """
    reasons: list[str] = []
    last: SnmpError | None = None
    for credential in credentials:
        session = SnmpSession(target, credential)
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
