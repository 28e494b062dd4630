"""One session's SNMPv1/v2c reads: GET, GETNEXT and GETBULK through ``snmp_ber`` on the
event loop's shared socket (``snmp_udp``). pyasn1 decoding was most of a poll's CPU."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from wardfleet.protocols.snmp_ber import VERSION_1, VERSION_2C, encode_varbind
from wardfleet.protocols.snmp_credentials import ResolvedCredential, SnmpVersion
from wardfleet.protocols.snmp_errors import (
    SnmpError,
    malformed_reply,
    refused,
    timed_out,
    unreachable,
)
from wardfleet.protocols.snmp_types import Oid, SnmpTarget, SnmpValue
from wardfleet.protocols.snmp_udp import (
    Address,
    MalformedReply,
    RequestTimeout,
    client_for_loop,
    resolve,
)


class CommunityRequests:
    """Requests with one community to one agent; keeps the resolved address and the
    encoded varbinds (a poll asks the same cells every time)."""

    MAX_CACHED_VARBINDS = 2048

    def __init__(self, target: SnmpTarget, credential: ResolvedCredential) -> None:
        self.target = target
        self._version = VERSION_1 if credential.version is SnmpVersion.V1 else VERSION_2C
        self._community = (credential.community or "").encode()
        self._address: Address | None = None
        self._encoded: dict[Oid, bytes] = {}

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
        if self._address is None:
            try:
                self._address = await resolve(self.target.host, self.target.port)
            except OSError as exc:
                raise unreachable(self.target.address, exc) from exc
        try:
            response = await client_for_loop().request(
                self._address, self._version, self._community, pdu,
                self._encoded_varbinds(oid_list), timeout_s=timeout_s, retries=retries,
                max_repetitions=max_repetitions,
            )  # fmt: skip
        except MalformedReply as exc:
            raise malformed_reply(self.target.address, exc.detail, timeout_s, retries) from None
        except RequestTimeout:
            raise timed_out(self.target.address, timeout_s, retries) from None
        except OSError as exc:  # no route, unreachable network: said at once by the kernel
            raise unreachable(self.target.address, exc) from exc
        if response.error_status:
            raise refused(
                response.error_status, response.error_index, oid_list, self.target.address
            )
        return response.varbinds

    def _encoded_varbinds(self, oid_list: Iterable[Oid]) -> list[bytes]:
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
