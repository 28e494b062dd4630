"""TXT decoding is tolerant (RFC 6763 §6) and the facts read from it are plausible."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wardfleet.domain.kinds import DeviceKind
from wardfleet.protocols.dnssd_kind import canonical_vendor, service_kind, strip_vendor
from wardfleet.protocols.txt import (
    MAX_RECORD_BYTES,
    MAX_VALUE_CHARS,
    TxtRecord,
    decode_txt,
    decode_txt_wire,
    facts_from_txt,
)


def wire(*strings: bytes) -> bytes:
    return b"".join(bytes([len(s)]) + s for s in strings)


def test_ipp_everywhere_record_decodes_with_case_insensitive_keys() -> None:
    record = decode_txt_wire(
        wire(b"txtvers=1", b"ty=HP LaserJet M404", b"URF=W8,SRGB24", b"Color=T", b"Duplex=F")
    )
    assert record.warnings == ()
    assert record.get("TY") == record.get("ty") == "HP LaserJet M404"
    assert record.get("urf") == "W8,SRGB24"
    assert record.flag("color") is True and record.flag("Duplex") is False
    assert record.flag("TLS") is None and "tls" not in record
    assert record.as_dict()["URF"] == "W8,SRGB24"  # keys keep the case they were sent in


def test_boolean_attribute_without_equals_reads_as_present() -> None:
    record = decode_txt([b"Scan", b"Fax=F"])
    assert record.get("scan") == "" and record.flag("Scan") is True
    assert record.flag("fax") is False


@pytest.mark.parametrize(
    ("strings", "key", "expected", "warning"),
    [
        ([b"note=\xff\xfeWard"], "note", "\ufffd\ufffdWard", "UTF-8"),
        ([b"note=first", b"NOTE=second"], "note", "first", "duplicate"),
        ([b"=orphan", b"ty=X"], "ty", "X", "without a key"),
        ([b"note=line\nbreak\x00"], "note", "line\ufffdbreak\ufffd", "control"),
        ([b"k\xe9y=v"], "k\ufffdy", "v", "printable ASCII"),
        ([b"ty=" + b"x" * 10_000], "ty", "x" * MAX_VALUE_CHARS, "cut to"),
        ([b"note=" + b"a" * 250, b"b" * 255], "note", "a" * 250, "over-long key"),
    ],
)
def test_hostile_strings_are_decoded_as_far_as_possible_and_flagged(
    strings: list[bytes], key: str, expected: str, warning: str
) -> None:
    record = decode_txt(strings)
    assert record.get(key) == expected
    assert any(warning in w for w in record.warnings), record.warnings


def test_markup_is_kept_as_plain_text() -> None:
    record = decode_txt([b"ty=<b>Ward</b>", b"note=<img src=x onerror=alert(1)>"])
    assert record.get("ty") == "<b>Ward</b>"
    assert record.get("note") == "<img src=x onerror=alert(1)>"
    assert record.warnings == ()


def test_oversized_records_are_flagged_and_cut_at_the_mdns_limit() -> None:
    big = [f"k{i}=".encode() + b"v" * 250 for i in range(60)]  # ~15 KB
    record = decode_txt(big)
    assert record.size <= MAX_RECORD_BYTES
    assert 30 <= len(record.entries) < 60
    assert any("longer than" in w for w in record.warnings)
    assert any("oversized" in w for w in record.warnings)


def test_truncated_wire_data_keeps_what_is_there() -> None:
    record = decode_txt_wire(wire(b"ty=Ward") + b"\x20note=cut")
    assert record.get("ty") == "Ward" and record.get("note") == "cut"
    assert "last string cut short" in record.warnings


def test_empty_and_missing_records_are_empty_without_warnings() -> None:
    for record in (decode_txt_wire(None), decode_txt_wire(b"\x00"), decode_txt([])):
        assert record.entries == () and record.warnings == ()


def test_warnings_are_bounded() -> None:
    record = decode_txt([b"=x"] * 500 + [b"k=" + b"v" * 250] * 40)
    assert len(record.warnings) == 21 + 2  # capped, plus the two about the whole record
    assert record.warnings[-2].startswith("oversized record")


@given(st.binary(max_size=3000))
def test_any_bytes_decode_without_raising(data: bytes) -> None:
    record = decode_txt_wire(data)
    for key, value in record:
        assert key and len(value) <= MAX_VALUE_CHARS
        assert not any(ord(c) < 0x20 for c in key + value)
    facts_from_txt("_ipp._tcp", record)  # and the facts never raise either


@given(st.lists(st.binary(max_size=300), max_size=40))
def test_any_strings_decode_without_raising(strings: list[bytes]) -> None:
    record = decode_txt(strings)
    keys = [key.casefold() for key, _ in record]
    assert len(keys) == len(set(keys))  # each key's first occurrence only
    for key, value in record:
        assert key and len(value) <= MAX_VALUE_CHARS
        assert not any(ord(c) < 0x20 for c in key + value)
    if any(s.startswith(b"=") for s in strings):
        assert record.warnings  # an empty key is flagged, not silently dropped
    # (A lone empty string is RFC 6763's encoding of an empty record: nothing to flag.)


# --- Facts --------------------------------------------------------------------------------


def test_ipp_everywhere_facts() -> None:
    txt = decode_txt(
        [
            b"ty=HP LaserJet Pro M404dn",
            b"product=(HP LaserJet Pro M404dn)",
            b"usb_MFG=HP",
            b"usb_MDL=LaserJet Pro M404dn",
            b"UUID=urn:uuid:564e4333-4d39-3530-3136-3c2af4bff51b",
            b"note=Ward 7 \xe2\x80\x93 Nurses' station",
            b"adminurl=http://NPIBFF51B.local./hp/device/info",
        ]
    )
    facts = facts_from_txt("_ipp._tcp", txt)
    assert facts.kind is DeviceKind.PRINTER
    assert (facts.vendor, facts.model) == ("HP", "LaserJet Pro M404dn")
    assert facts.uuid == "urn:uuid:564e4333-4d39-3530-3136-3c2af4bff51b"
    assert facts.location == "Ward 7 – Nurses' station"
    assert facts.adminurl_host == "npibff51b.local."


def test_escl_facts() -> None:
    txt = decode_txt(
        [b"ty=Brother MFC-L2750DW series", b"uuid=e3248000-80ce-11db-8000-3c2af4bff51b", b"rs=eSCL"]
    )
    facts = facts_from_txt("_uscan._tcp", txt)
    assert facts.kind is DeviceKind.MFD  # an MFC model name
    assert facts.vendor == "Brother" and facts.model == "MFC-L2750DW series"
    assert facts.uuid == "e3248000-80ce-11db-8000-3c2af4bff51b"


def test_unknown_maker_keeps_the_whole_model_name() -> None:
    facts = facts_from_txt("_ipp._tcp", decode_txt([b"ty=Ward LaserJet 4000"]))
    assert facts.vendor is None and facts.model == "Ward LaserJet 4000"


def test_bad_adminurl_is_ignored() -> None:
    facts = facts_from_txt("_ipp._tcp", decode_txt([b"adminurl=http://[::1:80/"]))
    assert facts.adminurl_host is None


@pytest.mark.parametrize(
    ("service_type", "txt", "related", "declared", "kind"),
    [
        ("_ipp._tcp", [b"ty=HP LaserJet M404dn"], (), None, DeviceKind.PRINTER),
        ("_ipps._tcp", [b"ty=Canon iR-ADV C5535", b"Scan=T"], (), None, DeviceKind.MFD),
        ("_ipp._tcp", [b"ty=Kyocera ECOSYS P2040dn"], ("_uscan._tcp",), None, DeviceKind.MFD),
        ("_ipp._tcp", [b"ty=HP LaserJet MFP M426fdw"], (), None, DeviceKind.MFD),
        ("_ipp._tcp", [b"ty=Zebra ZD421-203dpi ZPL"], (), None, DeviceKind.LABEL_PRINTER),
        ("_ipp._tcp", [b"ty=Brother QL-820NWB"], (), None, DeviceKind.LABEL_PRINTER),
        ("_ipp._tcp", [b"ty=Receipt", b"kind=receipt,roll"], (), None, DeviceKind.LABEL_PRINTER),
        ("_ipp._tcp", [b"kind=document,label"], (), None, DeviceKind.PRINTER),
        ("_pdl-datastream._tcp", [b"usb_MFG=SATO"], (), None, DeviceKind.LABEL_PRINTER),
        ("_uscan._tcp", [b"ty=Fujitsu fi-7160"], (), None, DeviceKind.SCANNER),
        ("_uscan._tcp", [b"ty=Epson ET-4850"], ("_ipp._tcp",), None, DeviceKind.MFD),
        ("_scanner._tcp", [], (), None, DeviceKind.SCANNER),
        ("_vitals._tcp", [], (), DeviceKind.MONITOR, DeviceKind.MONITOR),
        ("_http._tcp", [], (), None, DeviceKind.OTHER),
    ],
)
def test_kind_heuristics(
    service_type: str,
    txt: list[bytes],
    related: tuple[str, ...],
    declared: DeviceKind | None,
    kind: DeviceKind,
) -> None:
    facts = facts_from_txt(
        service_type, decode_txt(txt), related_types=related, declared_kind=declared
    )
    assert facts.kind is kind


@pytest.mark.parametrize(
    ("text", "vendor"),
    [
        ("HP LaserJet", "HP"),
        ("Hewlett-Packard HP LaserJet", "HP"),
        ("KONICA MINOLTA bizhub C300i", "Konica Minolta"),
        ("Zebra Technologies", "Zebra"),
        ("(Brother HL-L2350DW)", "Brother"),
        ("Ward LaserJet", None),
        ("", None),
    ],
)
def test_canonical_vendor(text: str, vendor: str | None) -> None:
    assert canonical_vendor(text) == vendor


def test_strip_vendor_only_strips_the_named_vendor() -> None:
    assert strip_vendor("HP LaserJet MFP M426fdw", "HP") == "LaserJet MFP M426fdw"
    assert strip_vendor("Konica Minolta bizhub", "Konica Minolta") == "bizhub"
    assert strip_vendor("Ward LaserJet 4000", None) == "Ward LaserJet 4000"
    assert strip_vendor("HP", "HP") == "HP"  # never strips to nothing


def test_service_kind_ignores_text_for_unknown_types() -> None:
    assert service_kind("_http._tcp", text="MFP label", vendor="Zebra") is DeviceKind.OTHER


def test_record_is_hashable_and_comparable() -> None:
    assert decode_txt([b"a=1"]) == decode_txt([b"a=1"])
    assert hash(TxtRecord()) == hash(TxtRecord())
