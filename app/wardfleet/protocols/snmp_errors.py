"""SNMP errors, each with a message for a person.

Transport errors (errorIndication: no usable answer) and agent errors (errorStatus: the
agent answered and refused) are kept apart, as pysnmp reports them.
"""

from __future__ import annotations

from collections.abc import Sequence

from wardfleet.protocols.snmp_types import Oid, oid_str


class SnmpError(Exception):
    """Something went wrong with one SNMP exchange; ``str()`` is a sentence for a person."""


class SnmpTransportError(SnmpError):
    """errorIndication: no usable answer (transport, security, protocol)."""


class SnmpTimeout(SnmpTransportError):
    pass


class SnmpMalformedReply(SnmpTimeout):
    """The device answered, but with nothing decodable: still no usable answer, so every
    caller that retries or gives up on a timeout does the same here."""


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


# Built the same way by both request paths (snmp_v1v2c and snmp_engine).


def timed_out(address: str, timeout_s: float, retries: int) -> SnmpTimeout:
    tries = retries + 1
    return SnmpTimeout(
        f"No answer from {address} within {timeout_s:g} s "
        f"({tries} {'try' if tries == 1 else 'tries'})"
    )


def malformed_reply(
    address: str, detail: str, timeout_s: float, retries: int
) -> SnmpMalformedReply:
    tries = retries + 1
    return SnmpMalformedReply(
        f"The device at {address} answered with a malformed SNMP reply ({detail}); "
        f"no usable answer within {timeout_s:g} s ({tries} {'try' if tries == 1 else 'tries'})"
    )


def unreachable(address: str, exc: BaseException) -> SnmpTransportError:
    return SnmpTransportError(f"Cannot reach {address}: {exc}")


def refused(status: int, index: int, oid_list: Sequence[Oid], address: str) -> SnmpAgentError:
    """The agent's errorStatus, naming the OID its 1-based errorIndex points at."""
    position = index - 1
    oid = oid_list[position] if 0 <= position < len(oid_list) else None
    return SnmpAgentError(status, oid, address)
