"""What a deploy sets and how it reaches a device: settings (standard and expert
``OID = type:value``), endpoints (one device over SNMP or IPP with one credential) and
failures in words. ``services.deploy`` re-exports all of it.
"""

from __future__ import annotations

import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from wardfleet.protocols.ipp import IppClient, IppError, IppNotSupported, IppStatusError
from wardfleet.protocols.oids import SYS_CONTACT, SYS_LOCATION, SYS_NAME
from wardfleet.protocols.snmp import (
    SetKind,
    SnmpAgentError,
    SnmpAuthError,
    SnmpError,
    SnmpMalformedReply,
    SnmpSession,
    SnmpTimeout,
)
from wardfleet.protocols.snmp_types import Missing, Oid, SnmpValue, oid_str, parse_oid

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
        if setting.key == IPP_LOCATION.key:
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
    if isinstance(exc, SnmpMalformedReply):
        return "malformed reply"  # it answered, so "timeout" would send IT looking elsewhere
    if isinstance(exc, SnmpTimeout):
        return "timeout"
    if isinstance(exc, IppNotSupported):
        return "IPP not-supported"
    if isinstance(exc, IppStatusError):
        return f"IPP refused ({exc})"
    if isinstance(exc, SnmpError | IppError):
        return f"error ({exc})"
    return f"error ({type(exc).__name__}: {exc})"


def is_no_answer(exc: BaseException) -> bool:
    return isinstance(exc, SnmpTimeout | SnmpAuthError) or (
        isinstance(exc, IppError) and not isinstance(exc, IppStatusError)
    )


def is_refused(exc: BaseException) -> bool:
    """The device answered "no": the setting is certainly unchanged."""
    return isinstance(exc, SnmpAgentError | IppStatusError)
