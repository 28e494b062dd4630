"""IPP codec: every value tag round-trips; hostile bytes give IppDecodeError, never a crash."""

from __future__ import annotations

import contextlib
import struct
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wardfleet.protocols.ipp_codec import (
    Attribute,
    Collection,
    DateTime,
    Group,
    GroupTag,
    IppDecodeError,
    IppEncodeError,
    Limits,
    Message,
    Range,
    Request,
    Resolution,
    Tag,
    TextLang,
    Value,
    decode_message,
    encode_message,
)

INT32 = st.integers(-(2**31), 2**31 - 1)
SHORT_TEXT = st.text(max_size=40)
NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=20)
STRING_TAGS = [
    Tag.TEXT, Tag.NAME, Tag.KEYWORD, Tag.URI, Tag.URI_SCHEME, Tag.CHARSET,
    Tag.NATURAL_LANGUAGE, Tag.MIME_MEDIA_TYPE,
]  # fmt: skip
OUT_OF_BAND = [
    Tag.UNSUPPORTED, Tag.DEFAULT, Tag.UNKNOWN, Tag.NO_VALUE, Tag.NOT_SETTABLE,
    Tag.DELETE_ATTRIBUTE, Tag.ADMIN_DEFINE,
]  # fmt: skip

date_times = st.builds(
    DateTime,
    st.integers(0, 65535), st.integers(0, 255), st.integers(0, 255), st.integers(0, 255),
    st.integers(0, 255), st.integers(0, 255), st.integers(0, 255), st.sampled_from("+-"),
    st.integers(0, 255), st.integers(0, 255),
)  # fmt: skip

scalar_values = st.one_of(
    st.builds(Value, st.sampled_from([Tag.INTEGER, Tag.ENUM]), INT32),
    st.builds(Value, st.just(Tag.BOOLEAN), st.booleans()),
    st.builds(Value, st.just(Tag.OCTET_STRING), st.binary(max_size=40)),
    st.builds(Value, st.just(Tag.DATE_TIME), date_times),
    st.builds(
        Value, st.just(Tag.RESOLUTION), st.builds(Resolution, INT32, INT32, st.integers(-128, 127))
    ),
    st.builds(Value, st.just(Tag.RANGE_OF_INTEGER), st.builds(Range, INT32, INT32)),
    st.builds(
        Value,
        st.sampled_from([Tag.TEXT_WITH_LANGUAGE, Tag.NAME_WITH_LANGUAGE]),
        st.builds(TextLang, SHORT_TEXT, st.sampled_from(["en", "cy", "de-DE"])),
    ),
    st.builds(Value, st.sampled_from(STRING_TAGS), SHORT_TEXT),
    st.builds(Value, st.sampled_from(OUT_OF_BAND), st.none()),
    # Unassigned and the extension tag: kept as raw bytes, tag and all.
    st.builds(Value, st.sampled_from([0x38, 0x4B, 0x60, Tag.EXTENSION]), st.binary(max_size=16)),
)


def values_of(children: st.SearchStrategy[Value]) -> st.SearchStrategy[tuple[Value, ...]]:
    return st.lists(children, min_size=1, max_size=4).map(tuple)


values = st.recursive(
    scalar_values,
    lambda children: st.builds(
        Value,
        st.just(Tag.BEG_COLLECTION),
        st.lists(
            st.builds(Attribute, NAMES, values_of(children)), max_size=4, unique_by=lambda a: a.name
        ).map(lambda members: Collection(tuple(members))),
    ),
    max_leaves=6,
)
attributes = st.builds(Attribute, NAMES, values_of(values))
groups = st.builds(
    Group,
    st.sampled_from([GroupTag.OPERATION, GroupTag.JOB, GroupTag.PRINTER, GroupTag.UNSUPPORTED,
                     GroupTag.SUBSCRIPTION, GroupTag.DOCUMENT, GroupTag.SYSTEM]),
    st.lists(attributes, max_size=4).map(tuple),
)  # fmt: skip
messages = st.builds(
    Message,
    st.integers(0, 0xFFFF),
    st.integers(1, 2**31 - 1),
    st.lists(groups, max_size=3).map(tuple),
    st.tuples(st.integers(1, 2), st.integers(0, 2)),
    st.binary(max_size=30),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(messages)
def test_messages_round_trip_and_every_truncation_fails_cleanly(message: Message) -> None:
    encoded = encode_message(message)
    assert decode_message(encoded) == message
    assert encode_message(decode_message(encoded)) == encoded
    # Every cut before end-of-attributes loses it: always an IppDecodeError, never
    # IndexError or struct.error.
    for cut in range(len(encoded) - len(message.data)):
        with pytest.raises(IppDecodeError):
            decode_message(encoded[:cut])


@settings(max_examples=300)
@given(st.binary(max_size=300))
def test_random_bytes_give_decode_error_or_a_message(raw: bytes) -> None:
    with contextlib.suppress(IppDecodeError):
        decode_message(raw)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(messages, st.randoms(use_true_random=False))
def test_corrupted_bytes_never_crash(message: Message, rnd: object) -> None:
    import random

    assert isinstance(rnd, random.Random)
    encoded = encode_message(message)
    for _ in range(50):
        broken = bytearray(encoded)
        for _ in range(rnd.randint(1, 4)):
            broken[rnd.randrange(len(broken))] = rnd.randrange(256)
        with contextlib.suppress(IppDecodeError):
            decode_message(bytes(broken))


def _header(code: int = 0) -> bytes:
    return struct.pack(">BBHi", 2, 0, code, 1)


def _attr(tag: int, name: bytes, value: bytes) -> bytes:
    return (
        bytes([tag]) + struct.pack(">H", len(name)) + name + struct.pack(">H", len(value)) + value
    )


def test_a_value_length_past_the_end_names_the_offset() -> None:
    raw = _header() + b"\x04" + bytes([Tag.TEXT]) + b"\x00\x04name" + b"\xff\xff" + b"short"
    with pytest.raises(
        IppDecodeError, match=r"truncated message: value needs 65535 bytes at offset 18, 5 left"
    ):
        decode_message(raw)


@pytest.mark.parametrize(
    ("tag", "value", "message"),
    [
        (Tag.INTEGER, b"\x00\x01", "expected 4"),
        (Tag.BOOLEAN, b"\x02", "not 0 or 1"),
        (Tag.DATE_TIME, b"\x00" * 10, "expected 11"),
        (Tag.RESOLUTION, b"\x00" * 8, "expected 9"),
        (Tag.RANGE_OF_INTEGER, b"\x00" * 9, "expected 8"),
        (Tag.TEXT_WITH_LANGUAGE, b"\x00\x05en", "truncated"),
        (Tag.TEXT_WITH_LANGUAGE, b"\x00\x02en\x00\x01ab", "trailing"),
    ],
)
def test_bad_fixed_lengths(tag: int, value: bytes, message: str) -> None:
    raw = _header() + b"\x04" + _attr(tag, b"x", value) + b"\x03"
    with pytest.raises(IppDecodeError, match=message):
        decode_message(raw)


def test_unknown_tags_are_kept_raw_and_re_encoded() -> None:
    raw = _header() + b"\x04" + _attr(0x5F, b"vendor-thing", b"\x01\x02") + b"\x03"
    message = decode_message(raw)
    assert message.attribute("vendor-thing") == Attribute(
        "vendor-thing", (Value(0x5F, b"\x01\x02"),)
    )
    assert encode_message(message) == raw


def test_structural_errors() -> None:
    with pytest.raises(IppDecodeError, match="before any group"):
        decode_message(_header() + _attr(Tag.TEXT, b"a", b"b") + b"\x03")
    with pytest.raises(IppDecodeError, match="additional value without an attribute"):
        decode_message(_header() + b"\x04" + _attr(Tag.TEXT, b"", b"b") + b"\x03")
    with pytest.raises(IppDecodeError, match="outside a collection"):
        decode_message(_header() + b"\x04" + _attr(Tag.END_COLLECTION, b"", b"") + b"\x03")
    with pytest.raises(IppDecodeError, match="without endCollection"):
        decode_message(_header() + b"\x04" + _attr(Tag.BEG_COLLECTION, b"c", b""))
    with pytest.raises(IppDecodeError, match="no end-of-attributes"):
        decode_message(_header() + b"\x04" + _attr(Tag.TEXT, b"a", b"b"))
    with pytest.raises(IppDecodeError, match="reserved group tag"):
        decode_message(_header() + b"\x00\x03")


def _nested(depth: int) -> bytes:
    body = _attr(Tag.BEG_COLLECTION, b"c", b"")
    for _ in range(depth - 1):
        body += _attr(Tag.MEMBER_ATTR_NAME, b"", b"m") + _attr(Tag.BEG_COLLECTION, b"", b"")
    body += _attr(Tag.END_COLLECTION, b"", b"") * depth
    return _header() + b"\x04" + body + b"\x03"


def test_collection_depth_is_capped_without_recursion_trouble() -> None:
    assert decode_message(_nested(10)).attribute("c") is not None
    with pytest.raises(IppDecodeError, match="nested deeper than 10"):
        decode_message(_nested(11))
    with pytest.raises(IppDecodeError, match="nested deeper"):
        decode_message(_nested(5000))  # far beyond Python's recursion limit: still a clean error


def test_attribute_and_value_counts_are_capped() -> None:
    many = b"".join(_attr(Tag.INTEGER, b"a%d" % i, b"\x00\x00\x00\x01") for i in range(300))
    raw = _header() + b"\x04" + many + b"\x03"
    assert len(decode_message(raw).groups[0].attributes) == 300
    with pytest.raises(IppDecodeError, match="more than 100 attributes"):
        decode_message(raw, Limits(max_attributes=100))
    one_set = (
        _attr(Tag.INTEGER, b"a", b"\x00\x00\x00\x01")
        + _attr(Tag.INTEGER, b"", b"\x00\x00\x00\x02") * 500
    )
    with pytest.raises(IppDecodeError, match="more than 100 values"):
        decode_message(_header() + b"\x04" + one_set + b"\x03", Limits(max_values=100))
    with pytest.raises(IppDecodeError, match="more than 50 attribute groups"):
        decode_message(_header() + b"\x02" * 60 + b"\x03", Limits(max_groups=50))
    with pytest.raises(IppDecodeError, match="more than 1000"):
        decode_message(raw, Limits(max_bytes=1000))


def test_date_time_conversion() -> None:
    when = datetime(2026, 11, 23, 10, 42, 7, 300_000, tzinfo=timezone(timedelta(hours=1)))
    value = DateTime.of(when)
    assert value == DateTime(2026, 11, 23, 10, 42, 7, 3, "+", 1, 0)
    assert value.as_datetime() == datetime(2026, 11, 23, 9, 42, 7, 300_000, tzinfo=UTC)
    assert DateTime(2026, 0, 1, 0, 0, 0).as_datetime() is None  # a broken clock, not a crash


def test_encoder_refuses_wrong_types_and_lengths() -> None:
    with pytest.raises(IppEncodeError):
        encode_message(
            Message(0, 1, (Group(GroupTag.PRINTER, (Attribute.of("a", Tag.INTEGER, "x"),)),))
        )
    with pytest.raises(IppEncodeError):
        encode_message(
            Message(0, 1, (Group(GroupTag.PRINTER, (Attribute.of("a", Tag.INTEGER, True),)),))
        )
    with pytest.raises(IppEncodeError, match="more than IPP allows"):
        encode_message(
            Message(0, 1, (Group(GroupTag.PRINTER, (Attribute.of("a", Tag.TEXT, "x" * 40000),)),))
        )
    with pytest.raises(IppEncodeError, match="does not fit"):
        encode_message(
            Message(0, 1, (Group(GroupTag.PRINTER, (Attribute.of("a", Tag.INTEGER, 2**31),)),))
        )


def test_request_starts_with_charset_and_language() -> None:
    raw = Request(0x000B, 7, [Attribute.of("printer-uri", Tag.URI, "ipp://x/ipp/print")]).encode()
    message = decode_message(raw)
    names = [a.name for a in message.groups[0].attributes]
    assert names == ["attributes-charset", "attributes-natural-language", "printer-uri"]
    assert (message.code, message.request_id, message.version) == (0x000B, 7, (2, 0))
