"""Classification over all 22 real recordings (read directly, no network) and OEM cases."""

from __future__ import annotations

import re

import pytest

from tests.protocols.snmprec import EXPECTED, RECORDINGS, load
from wardfleet.domain.classify import SnmpFacts, classify
from wardfleet.domain.kinds import DeviceKind
from wardfleet.protocols import oids
from wardfleet.protocols.host_resources import device_type_name
from wardfleet.protocols.snmp_types import under

# expected.json says "switch" where Wardfleet's kinds say "network".
KIND_OF_CLASS = {"switch": DeviceKind.NETWORK}


def facts_from_recording(name: str) -> SnmpFacts:
    values = load(name)
    descr = values.get(oids.SYS_DESCR, b"")
    assert isinstance(descr, bytes)
    object_id = values.get(oids.SYS_OBJECT_ID)
    types = {
        oid[-1]: device_type_name(v)
        for oid, v in values.items()
        if under(oid, oids.HR_DEVICE_TYPE) and isinstance(v, tuple)
    }
    descrs = {
        oid[-1]: v.decode() for oid, v in values.items()
        if under(oid, oids.HR_DEVICE_DESCR) and isinstance(v, bytes)
    }  # fmt: skip
    printer = next(
        (i for i, t in sorted(types.items()) if t == "printer"), min(descrs, default=None)
    )
    model = values.get(oids.VENDOR_MODELS[0])
    return SnmpFacts(
        sys_descr=descr.decode(),
        sys_object_id=object_id if isinstance(object_id, tuple) else None,
        hr_device_types=tuple(str(t) for t in types.values()),
        hr_device_descr=descrs.get(printer) if printer is not None else None,
        hr_device_descrs=tuple(descrs.values()),
        has_printer_mib=any(under(o, oids.PRINTER_MIB) for o in values),
        has_ups_mib=any(under(o, oids.UPS_MIB) for o in values),
        vendor_model=model.decode() if isinstance(model, bytes) else None,
    )


def vendor_names(expected: str) -> set[str]:
    """ "Savin (Ricoh OEM)" → {"Savin", "Ricoh"}; "Delta (Minuteman)" → {"Delta", "Minuteman"}."""
    return {part.strip() for part in re.split(r"[()]|\bOEM\b", expected) if part.strip()}


@pytest.mark.parametrize("name", RECORDINGS)
def test_kind_matches_device_class(name: str) -> None:
    # kind_from_snmp: a copier whose SNMP data shows it scans/faxes (see SOURCE.md).
    device_class = EXPECTED[name].get("kind_from_snmp") or EXPECTED[name]["device_class"]
    expected = KIND_OF_CLASS.get(device_class) or DeviceKind(device_class)
    assert classify(facts_from_recording(name)).kind is expected


def test_a_printer_with_a_scanner_or_fax_row_is_an_mfd() -> None:
    printer = SnmpFacts(sys_descr="SHARP MX-3570N", hr_device_types=("printer", "other"),
                        hr_device_descrs=("SHARP MX-3570N", "Hard Disk Drive"))  # fmt: skip
    assert classify(printer).kind is DeviceKind.PRINTER
    for row in ("Scanner Unit", "Samsung Fax Card, ITU G3", "Copier"):
        mfd = SnmpFacts(sys_descr=printer.sys_descr, hr_device_types=printer.hr_device_types,
                        hr_device_descrs=(*printer.hr_device_descrs, row))  # fmt: skip
        assert classify(mfd).kind is DeviceKind.MFD, row
    # A name is not a function: "MFP" in the model keeps it a printer from SNMP alone.
    named = SnmpFacts(sys_descr="HP ETHERNET MULTI-ENVIRONMENT", has_printer_mib=True,
                      hr_device_descrs=("HP Color LaserJet flow MFP M880",))  # fmt: skip
    assert classify(named).kind is DeviceKind.PRINTER


@pytest.mark.parametrize("name", RECORDINGS)
def test_vendor_matches_expected(name: str) -> None:
    got = classify(facts_from_recording(name))
    assert got.vendor in vendor_names(EXPECTED[name]["vendor"]), (got, EXPECTED[name]["vendor"])


def test_every_recording_is_classified() -> None:
    assert len(RECORDINGS) == 22


def test_vendor_names_reads_expected_labels() -> None:
    assert vendor_names("Savin (Ricoh OEM)") == {"Savin", "Ricoh"}
    assert vendor_names("Konica Minolta") == {"Konica Minolta"}


@pytest.mark.parametrize(
    ("descr", "object_id", "vendor", "brand"),
    [
        ("SAVIN MP C4503 1.18 / SAVIN Network Printer", "1.3.6.1.4.1.367.1.1", "Ricoh", "Savin"),
        ("LANIER MP 301", "1.3.6.1.4.1.367.1.1", "Ricoh", "Lanier"),
        ("Gestetner MP C2051", "1.3.6.1.4.1.367.1.1", "Ricoh", "Gestetner"),
        ("NRG MP 2352", "1.3.6.1.4.1.367.1.1", "Ricoh", "NRG"),
        ("TOSHIBA e-STUDIO305CS version NH63", "1.3.6.1.4.1.641.2.71107164", "Toshiba TEC", None),
        ("UTAX P-4020 MFP", "1.3.6.1.4.1.1347.41", "Kyocera", "UTAX"),
        ("TA Triumph-Adler P-C3060", "1.3.6.1.4.1.1347.41", "Kyocera", "TA Triumph-Adler"),
        ("KYOCERA Document Solutions Printing System", "1.3.6.1.4.1.1347.41", "Kyocera", None),
        ("Lexmark MS510dn version LM.SZ.P124", "1.3.6.1.4.1.641.2", "Lexmark", None),
        ("Dell Color Laser 3110cn", "1.3.6.1.4.1.641.2", "Dell", None),
        ("FUJI XEROX ApeosPort-VI C4471;ESS1.0", "1.3.6.1.4.1.297.1.11", "Xerox", "Fuji Xerox"),
        ("ZebraNet Wired PS", "1.3.6.1.4.1.683.6.0", "Zebra", None),
        ("Develop ineo+ 280", "1.3.6.1.4.1.18334.1", "Konica Minolta", "Develop"),
    ],
)
def test_oem_badges_resolve_to_their_maker(
    descr: str, object_id: str, vendor: str, brand: str | None
) -> None:
    got = classify(SnmpFacts(sys_descr=descr, sys_object_id=tuple(map(int, object_id.split(".")))))
    assert (got.vendor, got.brand) == (vendor, brand)
    assert got.kind in {DeviceKind.PRINTER, DeviceKind.LABEL_PRINTER}


def test_vendor_label_names_the_badge_and_the_maker() -> None:
    got = classify(SnmpFacts(sys_descr="SAVIN MP C4503", sys_object_id=(1, 3, 6, 1, 4, 1, 367)))
    assert got.vendor_label == "Savin (Ricoh)"


@pytest.mark.parametrize(
    ("enterprise", "descr", "kind"),
    [
        (318, "APC Web/SNMP Management Card", DeviceKind.UPS),
        (534, "Eaton 5PX", DeviceKind.UPS),
        (10642, "ZT410", DeviceKind.LABEL_PRINTER),
        (42406, "SATO CL4NX", DeviceKind.LABEL_PRINTER),
        (54260, "BeneVision N17", DeviceKind.MONITOR),
        (46931, "Connex Vital Signs Monitor", DeviceKind.MONITOR),
        (9, "Cisco IOS Software, C2960", DeviceKind.NETWORK),
        (8072, "Linux ward-pc 6.1.0", DeviceKind.SERVER),
        (99999, "Some gadget", DeviceKind.OTHER),
    ],
)
def test_kind_from_enterprise_and_text(enterprise: int, descr: str, kind: DeviceKind) -> None:
    facts = SnmpFacts(sys_descr=descr, sys_object_id=(1, 3, 6, 1, 4, 1, enterprise, 1))
    assert classify(facts).kind is kind


def test_scan_server_is_a_scanner_but_a_copier_that_scans_is_an_mfd() -> None:
    epson = (1, 3, 6, 1, 4, 1, 1248, 1)
    scanner = SnmpFacts(sys_descr="EPSON 10/100/1000 Ethernet USB Ext. Scan Server",
                        sys_object_id=epson)  # fmt: skip
    copier = SnmpFacts(sys_descr="RICOH MP / RICOH Network Printer / RICOH Network Scanner",
                       sys_object_id=(1, 3, 6, 1, 4, 1, 367, 1, 1))  # fmt: skip
    assert classify(scanner).kind is DeviceKind.SCANNER
    assert classify(copier).kind is DeviceKind.MFD


def test_model_drops_the_makers_name_and_versions() -> None:
    assert (
        classify(SnmpFacts(sys_descr="Xerox AltaLink C8045; SS 100.002")).model == "AltaLink C8045"
    )
    assert classify(SnmpFacts(sys_descr="SAVIN MP C4503 1.18 / SAVIN Network")).model == "MP C4503"
    hr = SnmpFacts(sys_descr="HP ETHERNET", sys_object_id=(1, 3, 6, 1, 4, 1, 11, 2, 3, 9, 1),
                   hr_device_descr="HP Color LaserJet M452nw", has_printer_mib=True)  # fmt: skip
    assert classify(hr).model == "Color LaserJet M452nw"


def test_nothing_known_is_other_with_no_vendor() -> None:
    got = classify(SnmpFacts())
    assert (got.vendor, got.kind, got.model) == (None, DeviceKind.OTHER, None)
