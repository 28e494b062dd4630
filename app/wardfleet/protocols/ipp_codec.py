"""IPP/2.0 message encoding (RFC 8010): every value tag, collections and 1setOf.

Pure bytes in, bytes out, no I/O. Decoding is defensive: a printer's reply is untrusted
input, so lengths are checked against what is left, and ``Limits`` caps the total size,
the number of attributes and values, and how deep collections nest. Anything wrong is an
``IppDecodeError`` naming the offset, never an IndexError or a hang.

Values keep their tag, so a decoded message encodes back to the same bytes (the tests
round-trip random messages through both directions).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from enum import IntEnum
from typing import TypeAlias


class IppDecodeError(ValueError):
    """The bytes are not a well-formed IPP message, or exceed a safety limit."""


class IppEncodeError(ValueError):
    """A value cannot be put on the wire (wrong type for its tag, too long)."""


class GroupTag(IntEnum):
    """Delimiter tags (0x00-0x0F) that begin an attribute group."""

    OPERATION = 0x01
    JOB = 0x02
    END = 0x03
    PRINTER = 0x04
    UNSUPPORTED = 0x05
    SUBSCRIPTION = 0x06
    EVENT_NOTIFICATION = 0x07
    RESOURCE = 0x08
    DOCUMENT = 0x09
    SYSTEM = 0x0A


class Tag(IntEnum):
    """Value tags (RFC 8010 §3.5.2, plus RFC 3380's out-of-band additions)."""

    UNSUPPORTED = 0x10
    DEFAULT = 0x11
    UNKNOWN = 0x12
    NO_VALUE = 0x13
    NOT_SETTABLE = 0x15
    DELETE_ATTRIBUTE = 0x16
    ADMIN_DEFINE = 0x17
    INTEGER = 0x21
    BOOLEAN = 0x22
    ENUM = 0x23
    OCTET_STRING = 0x30
    DATE_TIME = 0x31
    RESOLUTION = 0x32
    RANGE_OF_INTEGER = 0x33
    BEG_COLLECTION = 0x34
    TEXT_WITH_LANGUAGE = 0x35
    NAME_WITH_LANGUAGE = 0x36
    END_COLLECTION = 0x37
    TEXT = 0x41
    NAME = 0x42
    KEYWORD = 0x44
    URI = 0x45
    URI_SCHEME = 0x46
    CHARSET = 0x47
    NATURAL_LANGUAGE = 0x48
    MIME_MEDIA_TYPE = 0x49
    MEMBER_ATTR_NAME = 0x4A
    EXTENSION = 0x7F


OUT_OF_BAND = frozenset(range(0x10, 0x20))  # values without content ("unknown", "no-value")
STRING_TAGS = frozenset(
    {Tag.TEXT, Tag.NAME, Tag.KEYWORD, Tag.URI, Tag.URI_SCHEME, Tag.CHARSET,
     Tag.NATURAL_LANGUAGE, Tag.MIME_MEDIA_TYPE}
)  # fmt: skip
INT_TAGS = frozenset({Tag.INTEGER, Tag.ENUM})
MAX_WIRE_LENGTH = 0x7FFF  # name-length and value-length are SIGNED-SHORT


@dataclass(frozen=True, slots=True)
class DateTime:
    """RFC 2579 DateAndTime, kept field by field: a printer with a broken clock (month 0)
    must not make the whole reply unreadable. ``as_datetime()`` gives None for those."""

    year: int
    month: int
    day: int
    hour: int
    minute: int
    second: int
    deciseconds: int = 0
    utc_direction: str = "+"
    utc_hours: int = 0
    utc_minutes: int = 0

    @classmethod
    def of(cls, when: datetime) -> DateTime:
        offset = when.utcoffset() or timedelta(0)
        minutes = int(abs(offset.total_seconds()) // 60)
        return cls(
            when.year, when.month, when.day, when.hour, when.minute, when.second,
            when.microsecond // 100_000, "-" if offset < timedelta(0) else "+",
            minutes // 60, minutes % 60,
        )  # fmt: skip

    def as_datetime(self) -> datetime | None:
        sign = -1 if self.utc_direction == "-" else 1
        try:
            tz = timezone(sign * timedelta(hours=self.utc_hours, minutes=self.utc_minutes))
            return datetime(
                self.year, self.month, self.day, self.hour, self.minute,
                min(self.second, 59), self.deciseconds * 100_000, tzinfo=tz,
            ).astimezone(UTC)  # fmt: skip
        except (ValueError, OverflowError):
            return None


@dataclass(frozen=True, slots=True)
class Resolution:
    x: int
    y: int
    units: int = 3  # 3 dots per inch, 4 dots per centimetre

    def __str__(self) -> str:
        unit = {3: "dpi", 4: "dpcm"}.get(self.units, f"units{self.units}")
        return f"{self.x}{unit}" if self.x == self.y else f"{self.x}x{self.y}{unit}"


@dataclass(frozen=True, slots=True)
class Range:
    lower: int
    upper: int


@dataclass(frozen=True, slots=True)
class TextLang:
    """textWithLanguage / nameWithLanguage."""

    text: str
    language: str


@dataclass(frozen=True, slots=True)
class Collection:
    members: tuple[Attribute, ...] = ()

    def get(self, name: str) -> Attribute | None:
        return next((m for m in self.members if m.name == name), None)

    def first(self, name: str) -> PyValue:
        member = self.get(name)
        return member.first if member is not None else None


PyValue: TypeAlias = (
    int | bool | bytes | str | DateTime | Resolution | Range | TextLang | Collection | None
)


@dataclass(frozen=True, slots=True)
class Value:
    tag: int
    value: PyValue = None


@dataclass(frozen=True, slots=True)
class Attribute:
    """One attribute with its values (more than one: a 1setOf)."""

    name: str
    values: tuple[Value, ...]

    @classmethod
    def of(cls, name: str, tag: int, *values: PyValue) -> Attribute:
        return cls(name, tuple(Value(tag, v) for v in values) or (Value(tag),))

    @property
    def first(self) -> PyValue:
        return self.values[0].value if self.values else None

    @property
    def tag(self) -> int:
        return self.values[0].tag if self.values else Tag.NO_VALUE

    def all(self) -> list[PyValue]:
        return [v.value for v in self.values]


@dataclass(frozen=True, slots=True)
class Group:
    tag: int
    attributes: tuple[Attribute, ...] = ()

    def get(self, name: str) -> Attribute | None:
        return next((a for a in self.attributes if a.name == name), None)


@dataclass(frozen=True, slots=True)
class Message:
    """A request (``code`` is the operation-id) or a response (``code`` is the status)."""

    code: int
    request_id: int
    groups: tuple[Group, ...] = ()
    version: tuple[int, int] = (2, 0)
    data: bytes = b""

    def groups_of(self, tag: int) -> Iterator[Group]:
        return (g for g in self.groups if g.tag == tag)

    def attribute(self, name: str, group: int | None = None) -> Attribute | None:
        for g in self.groups:
            if group is None or g.tag == group:
                found = g.get(name)
                if found is not None:
                    return found
        return None


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps on what a reply may make us hold in memory or recurse into."""

    max_bytes: int = 8 * 1024 * 1024
    max_depth: int = 10  # media-col → media-size is 2; nobody needs 10
    max_attributes: int = 20_000  # attributes plus collection members, whole message
    max_values: int = 200_000
    max_groups: int = 10_000  # one job group per job in Get-Jobs


# --- encoding ------------------------------------------------------------------------------


def _lengthed(data: bytes, what: str) -> bytes:
    if len(data) > MAX_WIRE_LENGTH:
        raise IppEncodeError(
            f"{what} is {len(data)} bytes, more than IPP allows ({MAX_WIRE_LENGTH})"
        )
    return struct.pack(">H", len(data)) + data


def _require(value: PyValue, kind: type | tuple[type, ...], tag: int) -> None:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise IppEncodeError(f"tag 0x{tag:02x} needs {kind}, got {type(value).__name__}")


def _encode_value(tag: int, value: PyValue) -> bytes:
    if tag in OUT_OF_BAND or tag in (Tag.BEG_COLLECTION, Tag.END_COLLECTION):
        return b""
    if tag in INT_TAGS:
        _require(value, int, tag)
        assert isinstance(value, int)
        try:
            return struct.pack(">i", value)
        except struct.error as exc:
            raise IppEncodeError(f"integer {value} does not fit 32 bits") from exc
    if tag == Tag.BOOLEAN:
        _require(value, bool, tag)
        return b"\x01" if value else b"\x00"
    if tag == Tag.DATE_TIME:
        _require(value, DateTime, tag)
        assert isinstance(value, DateTime)
        try:
            return struct.pack(
                ">HBBBBBBcBB", value.year, value.month, value.day, value.hour, value.minute,
                value.second, value.deciseconds, value.utc_direction.encode("ascii"),
                value.utc_hours, value.utc_minutes,
            )  # fmt: skip
        except (struct.error, UnicodeEncodeError) as exc:
            raise IppEncodeError(f"bad dateTime {value}: {exc}") from exc
    if tag == Tag.RESOLUTION:
        _require(value, Resolution, tag)
        assert isinstance(value, Resolution)
        return _pack(">iib", value.x, value.y, value.units)
    if tag == Tag.RANGE_OF_INTEGER:
        _require(value, Range, tag)
        assert isinstance(value, Range)
        return _pack(">ii", value.lower, value.upper)
    if tag in (Tag.TEXT_WITH_LANGUAGE, Tag.NAME_WITH_LANGUAGE):
        _require(value, TextLang, tag)
        assert isinstance(value, TextLang)
        return _lengthed(value.language.encode(), "language") + _lengthed(
            value.text.encode(), "text"
        )
    if tag in STRING_TAGS or tag == Tag.MEMBER_ATTR_NAME:
        _require(value, str, tag)
        assert isinstance(value, str)
        return value.encode()
    # octetString, the extension tag and unknown tags carry raw bytes.
    _require(value, bytes, tag)
    assert isinstance(value, bytes)
    return value


def _pack(fmt: str, *values: int) -> bytes:
    try:
        return struct.pack(fmt, *values)
    except struct.error as exc:
        raise IppEncodeError(f"{values} do not fit {fmt}: {exc}") from exc


def _encode_one(out: list[bytes], tag: int, name: str, value: PyValue, depth: int) -> None:
    if not 0x10 <= tag <= 0xFF:
        raise IppEncodeError(f"0x{tag:02x} is not a value tag")
    out.append(bytes([tag]) + _lengthed(name.encode(), "name"))
    if tag == Tag.BEG_COLLECTION:
        _require(value, Collection, tag)
        assert isinstance(value, Collection)
        out.append(b"\x00\x00")
        for member in value.members:
            out.append(bytes([Tag.MEMBER_ATTR_NAME]) + b"\x00\x00")
            out.append(_lengthed(member.name.encode(), "member name"))
            _encode_values(out, "", member.values, depth + 1)
        out.append(bytes([Tag.END_COLLECTION]) + b"\x00\x00\x00\x00")
        return
    out.append(_lengthed(_encode_value(tag, value), "value"))


def _encode_values(out: list[bytes], name: str, values: Sequence[Value], depth: int) -> None:
    if not values:
        raise IppEncodeError(f"attribute {name!r} has no values")
    for i, v in enumerate(values):
        _encode_one(out, v.tag, name if i == 0 else "", v.value, depth)


def encode_attributes(attributes: Iterable[Attribute]) -> bytes:
    out: list[bytes] = []
    for attr in attributes:
        if not attr.name:
            raise IppEncodeError("an attribute needs a name")
        _encode_values(out, attr.name, attr.values, 0)
    return b"".join(out)


def encode_message(message: Message) -> bytes:
    major, minor = message.version
    head = _pack(">BBHi", major, minor, message.code, message.request_id)
    body = []
    for group in message.groups:
        if not 0x00 <= group.tag <= 0x0F or group.tag == GroupTag.END:
            raise IppEncodeError(f"0x{group.tag:02x} is not a group tag")
        body.append(bytes([group.tag]) + encode_attributes(group.attributes))
    return head + b"".join(body) + bytes([GroupTag.END]) + message.data


# --- decoding ------------------------------------------------------------------------------


class _Reader:
    __slots__ = ("attributes", "buf", "limits", "pos", "values")

    def __init__(self, buf: bytes, limits: Limits) -> None:
        self.buf = buf
        self.pos = 0
        self.limits = limits
        self.attributes = 0
        self.values = 0

    def take(self, n: int, what: str) -> bytes:
        end = self.pos + n
        if end > len(self.buf):
            raise IppDecodeError(
                f"truncated message: {what} needs {n} bytes at offset {self.pos}, "
                f"{len(self.buf) - self.pos} left"
            )
        chunk = self.buf[self.pos : end]
        self.pos = end
        return chunk

    def byte(self, what: str) -> int:
        return self.take(1, what)[0]

    def short(self, what: str) -> int:
        value: int = struct.unpack(">H", self.take(2, what))[0]
        return value

    def peek(self) -> int | None:
        return self.buf[self.pos] if self.pos < len(self.buf) else None

    def count(self, attributes: int = 0, values: int = 0) -> None:
        self.attributes += attributes
        self.values += values
        if self.attributes > self.limits.max_attributes:
            raise IppDecodeError(f"more than {self.limits.max_attributes} attributes")
        if self.values > self.limits.max_values:
            raise IppDecodeError(f"more than {self.limits.max_values} values")


def _text(raw: bytes) -> str:
    # Printers do send Latin-1 in "utf-8" replies; a replacement character beats failing.
    return raw.decode("utf-8", errors="replace")


def _fixed(raw: bytes, size: int, tag: int, at: int) -> None:
    if len(raw) != size:
        raise IppDecodeError(
            f"value with tag 0x{tag:02x} at offset {at} is {len(raw)} bytes, expected {size}"
        )


def _decode_value(tag: int, raw: bytes, at: int) -> PyValue:
    if tag in OUT_OF_BAND:
        return None
    if tag in INT_TAGS:
        _fixed(raw, 4, tag, at)
        value: int = struct.unpack(">i", raw)[0]
        return value
    if tag == Tag.BOOLEAN:
        _fixed(raw, 1, tag, at)
        if raw[0] > 1:
            raise IppDecodeError(f"boolean at offset {at} is {raw[0]}, not 0 or 1")
        return raw[0] == 1
    if tag == Tag.DATE_TIME:
        _fixed(raw, 11, tag, at)
        y, mo, d, h, mi, s, ds, direction, uh, um = struct.unpack(">HBBBBBBcBB", raw)
        return DateTime(y, mo, d, h, mi, s, ds, direction.decode("latin-1"), uh, um)
    if tag == Tag.RESOLUTION:
        _fixed(raw, 9, tag, at)
        x, yres, units = struct.unpack(">iib", raw)
        return Resolution(x, yres, units)
    if tag == Tag.RANGE_OF_INTEGER:
        _fixed(raw, 8, tag, at)
        lower, upper = struct.unpack(">ii", raw)
        return Range(lower, upper)
    if tag in (Tag.TEXT_WITH_LANGUAGE, Tag.NAME_WITH_LANGUAGE):
        inner = _Reader(raw, Limits())
        language = _text(inner.take(inner.short("language length"), "language"))
        text = _text(inner.take(inner.short("text length"), "text"))
        if inner.pos != len(raw):
            raise IppDecodeError(f"textWithLanguage at offset {at} has trailing bytes")
        return TextLang(text, language)
    if tag in STRING_TAGS or tag == Tag.MEMBER_ATTR_NAME:
        return _text(raw)
    return raw  # octetString, extension and unassigned tags: the bytes as they came


def _read_value_header(r: _Reader) -> tuple[int, str, bytes, int]:
    at = r.pos
    tag = r.byte("value tag")  # 0x7F (extension): the real tag is in the value; kept raw
    name = _text(r.take(r.short("name length"), "name"))
    raw = r.take(r.short("value length"), "value")
    return tag, name, raw, at


def _read_collection(r: _Reader, depth: int) -> Collection:
    if depth > r.limits.max_depth:
        raise IppDecodeError(f"collections nested deeper than {r.limits.max_depth}")
    members: list[Attribute] = []
    name: str | None = None
    values: list[Value] = []

    def flush() -> None:
        if name is not None:
            if not values:
                raise IppDecodeError(f"collection member {name!r} has no value")
            members.append(Attribute(name, tuple(values)))

    while True:
        if r.peek() is None:
            raise IppDecodeError("truncated message: collection without endCollection")
        if r.buf[r.pos] < 0x10:
            raise IppDecodeError(f"group tag inside a collection at offset {r.pos}")
        tag, attr_name, raw, at = _read_value_header(r)
        if attr_name:
            raise IppDecodeError(f"collection value at offset {at} has a name ({attr_name!r})")
        if tag == Tag.END_COLLECTION:
            flush()
            return Collection(tuple(members))
        if tag == Tag.MEMBER_ATTR_NAME:
            flush()
            name, values = _text(raw), []
            if not name:
                raise IppDecodeError(f"empty member name at offset {at}")
            r.count(attributes=1)
            continue
        if name is None:
            raise IppDecodeError(f"collection value before any member name at offset {at}")
        r.count(values=1)
        if tag == Tag.BEG_COLLECTION:
            values.append(Value(tag, _read_collection(r, depth + 1)))
        else:
            values.append(Value(tag, _decode_value(tag, raw, at)))


def _read_group(r: _Reader, tag: int) -> Group:
    attributes: list[Attribute] = []
    name: str | None = None
    values: list[Value] = []
    while (nxt := r.peek()) is not None and nxt >= 0x10:
        vtag, attr_name, raw, at = _read_value_header(r)
        if vtag in (Tag.END_COLLECTION, Tag.MEMBER_ATTR_NAME):
            raise IppDecodeError(f"tag 0x{vtag:02x} outside a collection at offset {at}")
        if attr_name:
            if name is not None:
                attributes.append(Attribute(name, tuple(values)))
            name, values = attr_name, []
            r.count(attributes=1)
        elif name is None:
            raise IppDecodeError(f"additional value without an attribute at offset {at}")
        r.count(values=1)
        if vtag == Tag.BEG_COLLECTION:
            values.append(Value(vtag, _read_collection(r, 1)))
        else:
            values.append(Value(vtag, _decode_value(vtag, raw, at)))
    if name is not None:
        attributes.append(Attribute(name, tuple(values)))
    return Group(tag, tuple(attributes))


def decode_message(data: bytes, limits: Limits | None = None) -> Message:
    """Parse one IPP message; the document data after end-of-attributes is ``data``."""
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise IppDecodeError(f"message is {len(data)} bytes, more than {limits.max_bytes}")
    r = _Reader(data, limits)
    major, minor = r.byte("version"), r.byte("version")
    code = r.short("operation or status code")
    (request_id,) = struct.unpack(">i", r.take(4, "request id"))
    groups: list[Group] = []
    while True:
        tag = r.peek()
        if tag is None:
            raise IppDecodeError("truncated message: no end-of-attributes tag")
        if tag >= 0x10:
            raise IppDecodeError(f"value tag 0x{tag:02x} before any group tag at offset {r.pos}")
        r.pos += 1
        if tag == GroupTag.END:
            break
        if tag == 0x00:
            raise IppDecodeError(f"reserved group tag 0x00 at offset {r.pos - 1}")
        if len(groups) >= limits.max_groups:
            raise IppDecodeError(f"more than {limits.max_groups} attribute groups")
        groups.append(_read_group(r, tag))
    return Message(code, request_id, tuple(groups), (major, minor), data[r.pos :])


@dataclass(frozen=True, slots=True)
class Request:
    """Builder for requests: the operation group starts with charset and language."""

    operation: int
    request_id: int
    operation_attributes: list[Attribute] = field(default_factory=list)
    other_groups: list[Group] = field(default_factory=list)
    data: bytes = b""

    def encode(self) -> bytes:
        head = [
            Attribute.of("attributes-charset", Tag.CHARSET, "utf-8"),
            Attribute.of("attributes-natural-language", Tag.NATURAL_LANGUAGE, "en"),
        ]
        groups = (Group(GroupTag.OPERATION, (*head, *self.operation_attributes)),)
        return encode_message(
            Message(
                self.operation, self.request_id, groups + tuple(self.other_groups), data=self.data
            )
        )
