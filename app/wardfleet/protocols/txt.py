"""Tolerant DNS-SD TXT decoding (RFC 6763 §6), and what a printer's or scanner's TXT says.

TXT records are device-supplied and untrusted. Anything malformed (invalid UTF-8, empty or
duplicate keys, oversized records, control characters) is decoded as far as possible and
reported in ``warnings``; nothing here raises on bad input. Values stay plain text: a
``<b>`` is kept verbatim, and the UI shows device text as plain text only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from wardfleet.domain.kinds import DeviceKind
from wardfleet.protocols.dnssd_kind import canonical_vendor, service_kind, strip_vendor

# RFC 6763 §6.2: records over 1300 bytes are NOT RECOMMENDED; 8900 bytes is what still fits
# in one mDNS packet (RFC 6762 §17), so more than that is decoded no further.
RECOMMENDED_RECORD_BYTES = 1300
MAX_RECORD_BYTES = 8900
# A key is meant to be short (≤ 9 characters, §6.4). A 255-byte "key" is a long value that
# a server split over several strings, not an attribute.
MAX_KEY_CHARS = 64
# Longer values are cut: no printer needs 1 KB in one attribute, and it would end up in the
# inventory, logs and UI.
MAX_VALUE_CHARS = 1024
MAX_WARNINGS = 20

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_TRUE = {"t", "true", "1", "yes", "y", "on"}
_FALSE = {"f", "false", "0", "no", "n", "off"}


@dataclass(frozen=True, slots=True)
class TxtRecord:
    """Decoded key/value attributes in wire order, each key's first occurrence only.

    Keys keep the case they were sent in; look-ups ignore case (RFC 6763 §6.4).
    A key sent without ``=`` is a boolean attribute and reads as ``""``.
    """

    entries: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = ()
    size: int = 0  # bytes on the wire

    def get(self, key: str) -> str | None:
        wanted = key.casefold()
        for name, value in self.entries:
            if name.casefold() == wanted:
                return value
        return None

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.entries)

    def flag(self, key: str) -> bool | None:
        """``Color=T``, ``Duplex=F``, ``TLS``-style booleans; None when absent or unclear."""
        value = self.get(key)
        if value is None:
            return None
        text = value.strip().casefold()
        if text in _TRUE or text == "":
            return True
        return False if text in _FALSE else None

    def as_dict(self) -> dict[str, str]:
        return dict(self.entries)


class _Decoder:
    def __init__(self) -> None:
        self.entries: list[tuple[str, str]] = []
        self.seen: set[str] = set()
        self.warnings: list[str] = []
        self.size = 0
        self.cut = False

    def warn(self, text: str) -> None:
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(text)
        elif len(self.warnings) == MAX_WARNINGS:
            self.warnings.append("more problems not listed")

    def add(self, raw: bytes) -> bool:
        """Decode one string; False once the record is too big to go on."""
        budget = MAX_RECORD_BYTES - self.size - 1
        more = len(raw) <= budget
        if not more:
            self.cut = True
            raw = raw[: max(budget, 0)]
        self.size += len(raw) + 1
        if raw:
            self._entry(raw)
        return more  # an empty string carries nothing (a lone one means "no TXT")

    def _entry(self, raw: bytes) -> None:
        key_bytes, has_value, value_bytes = raw.partition(b"=")
        if not key_bytes:
            self.warn("attribute without a key ignored")
            return
        key = _text(key_bytes)
        if key != key_bytes.decode("ascii", "ignore") or not key.isprintable():
            self.warn(f"key {_shown(key)} is not printable ASCII")
            key = _CONTROL.sub("\ufffd", key)
        if len(key) > MAX_KEY_CHARS:
            self.warn(f"over-long key {_shown(key)} ignored (a value split over strings?)")
            return
        if key.casefold() in self.seen:
            self.warn(f"duplicate key {_shown(key)}: the first one counts")
            return
        self.seen.add(key.casefold())
        value = _text(value_bytes) if has_value else ""
        if not _is_utf8(value_bytes):
            self.warn(f"{_shown(key)} is not valid UTF-8")
        if _CONTROL.search(value):
            self.warn(f"{_shown(key)} holds control characters")
            value = _CONTROL.sub("\ufffd", value)
        if len(value) > MAX_VALUE_CHARS:
            self.warn(f"{_shown(key)} cut to {MAX_VALUE_CHARS} of {len(value)} characters")
            value = value[:MAX_VALUE_CHARS]
        self.entries.append((key, value))

    def record(self) -> TxtRecord:
        # About the whole record: always reported, however many per-key warnings came first.
        overall = []
        if self.size > RECOMMENDED_RECORD_BYTES:
            overall.append(f"oversized record: {self.size} bytes (RFC 6763 suggests ≤ 1300)")
        if self.cut:
            overall.append(f"record longer than {MAX_RECORD_BYTES} bytes; the rest was ignored")
        return TxtRecord(tuple(self.entries), (*self.warnings, *overall), self.size)


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _shown(key: str) -> str:
    """A key for a warning: quoted, short, and free of anything a log could misread."""
    short = key if len(key) <= 24 else key[:24] + "…"
    return repr(_CONTROL.sub("\ufffd", short))


def decode_txt(strings: Iterable[bytes]) -> TxtRecord:
    """Decode the character-strings of one TXT record (as dnspython gives them)."""
    decoder = _Decoder()
    for raw in strings:
        if not decoder.add(raw):
            break
    return decoder.record()


def decode_txt_wire(rdata: bytes | None) -> TxtRecord:
    """Decode TXT RDATA: length-prefixed strings (as python-zeroconf's ``info.text``)."""
    strings: list[bytes] = []
    problem = None
    data = rdata or b""
    i = 0
    while i < len(data):
        length = data[i]
        chunk = data[i + 1 : i + 1 + length]
        if len(chunk) < length:
            problem = "last string cut short"
        strings.append(chunk)
        i += 1 + length
    record = decode_txt(strings)
    if problem:
        return TxtRecord(record.entries, (*record.warnings, problem), record.size)
    return record


@dataclass(frozen=True, slots=True)
class TxtFacts:
    """What a printer's (IPP Everywhere) or scanner's (eSCL) TXT record says."""

    kind: DeviceKind
    vendor: str | None
    model: str | None
    uuid: str | None  # as sent; Identity.of normalises ``urn:uuid:`` forms
    location: str | None
    adminurl: str | None
    adminurl_host: str | None


def _clean(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    return text or None


def _url_host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return urlsplit(url).hostname or None
    except ValueError:  # a malformed port or IPv6 literal
        return None


def facts_from_txt(
    service_type: str,
    txt: TxtRecord,
    *,
    related_types: Iterable[str] = (),
    declared_kind: DeviceKind | None = None,
) -> TxtFacts:
    """Read the IPP Everywhere keys (txtvers, ty, product, rp, pdl, URF, UUID, note,
    adminurl, Color, Duplex, TLS, kind, PaperMax, usb_MFG, usb_MDL) and the eSCL ones
    (ty, uuid, rs, representation, note, cs, is, duplex, vers, adminurl)."""
    ty = _clean(txt.get("ty"))
    product = _clean((txt.get("product") or "").strip().strip("()"))
    usb_model = _clean(txt.get("usb_MDL"))
    usb_maker = _clean(txt.get("usb_MFG"))
    vendor = (
        canonical_vendor(usb_maker)
        or usb_maker
        or canonical_vendor(ty)
        or canonical_vendor(product)
    )
    model = usb_model or product or ty
    if model:
        model = strip_vendor(model, vendor)
    described = " ".join(filter(None, (ty, product, usb_model)))
    kind = service_kind(
        service_type,
        text=described,
        vendor=vendor,
        scan=txt.flag("Scan"),
        fax=txt.flag("Fax"),
        media=txt.get("kind"),
        related_types=related_types,
        declared=declared_kind,
    )
    adminurl = _clean(txt.get("adminurl"))
    return TxtFacts(
        kind=kind,
        vendor=vendor,
        model=model,
        uuid=_clean(txt.get("UUID")),
        location=_clean(txt.get("note")),
        adminurl=adminurl,
        adminurl_host=_url_host(adminurl),
    )
