"""Printer attributes → DeviceStatus and Observation: the rules, without a printer."""

from __future__ import annotations

import pytest

from wardfleet.domain.identity import IdentityKind
from wardfleet.domain.kinds import DeviceKind, DeviceState
from wardfleet.domain.observation import Protocol
from wardfleet.domain.status import LevelState, Severity
from wardfleet.protocols.ipp_codec import Attribute, Tag, TextLang
from wardfleet.protocols.ipp_spec import overall_state, split_reason, status_words
from wardfleet.protocols.ipp_status import (
    canonical_vendor,
    job_from,
    parse_device_id,
    printer_report,
)


def attrs(*items: Attribute) -> dict[str, Attribute]:
    return {a.name: a for a in items}


BASE = (
    Attribute.of("printer-state", Tag.ENUM, 3),
    Attribute.of("printer-state-reasons", Tag.KEYWORD, "none"),
    Attribute.of("printer-make-and-model", Tag.TEXT, "HP LaserJet Pro M404"),
    Attribute.of("printer-uuid", Tag.URI, "urn:uuid:BAFBFF92-27C2-30A7-6C1B-F6095902F100"),
    Attribute.of("printer-is-accepting-jobs", Tag.BOOLEAN, True),
)


def report(*extra: Attribute):  # type: ignore[no-untyped-def]
    return printer_report("ipp://npi3c2a.local/ipp/print", attrs(*BASE, *extra), polled_at=1.0)


def test_device_id_long_and_short_keys() -> None:
    fields = parse_device_id(
        "MANUFACTURER:Hewlett-Packard;MODEL:HP LaserJet;SERN:CN123 ;CMD:PCL,PWG;"
    )
    assert (fields["MFG"], fields["MDL"], fields["SN"]) == (
        "Hewlett-Packard",
        "HP LaserJet",
        "CN123",
    )
    assert parse_device_id("garbage without colons") == {}
    assert parse_device_id(None) == {}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Hewlett-Packard", "HP"), ("HP", "HP"), ("EPSON", "Epson"),
     ("KONICA MINOLTA", "Konica Minolta"),
     ("Kyocera Mita", "Kyocera"), ("Ward", "Ward"), ("  ", None), (None, None)],
)  # fmt: skip
def test_vendor_names_match_what_snmp_uses(raw: str | None, expected: str | None) -> None:
    assert canonical_vendor(raw) == expected


def test_identity_from_device_id_serial_uuid_and_host_name() -> None:
    r = report(
        Attribute.of(
            "printer-device-id", Tag.TEXT, "MFG:Hewlett-Packard;MDL:LaserJet Pro M404;SN:phbq12345;"
        ),
        Attribute.of(
            "printer-location", Tag.TEXT_WITH_LANGUAGE, TextLang("Ward 3 – Station Süd", "de")
        ),
        Attribute.of("printer-info", Tag.TEXT, "Nurses' station"),
    )
    obs = r.observation("10.0.0.5", 631, 5.0)
    assert obs.protocol is Protocol.IPP
    assert obs.kind is DeviceKind.PRINTER
    assert (obs.vendor, obs.model, obs.location, obs.name) == (
        "HP", "LaserJet Pro M404", "Ward 3 – Station Süd", "Nurses' station",
    )  # fmt: skip
    kinds = {k.kind: k.value for k in obs.identity.keys()}
    assert kinds[IdentityKind.SERIAL] == "hp|PHBQ12345"
    assert kinds[IdentityKind.UUID] == "bafbff92-27c2-30a7-6c1b-f6095902f100"
    assert kinds[IdentityKind.ADDRESS] == "10.0.0.5"
    assert kinds.get(IdentityKind.HOSTNAME) == "npi3c2a"


def test_vendor_from_make_and_model_when_no_device_id() -> None:
    r = report()
    assert (r.vendor, r.model, r.serial) == ("HP", "LaserJet Pro M404", None)


def test_marker_levels_special_values_mean_what_they_say() -> None:
    r = report(
        Attribute.of("marker-names", Tag.NAME, "Black", "Cyan", "Magenta", "Waste", "Drum"),
        Attribute.of("marker-levels", Tag.INTEGER, 4, -1, -2, 91, -3),
        Attribute.of("marker-colors", Tag.NAME, "#000000", "#00FFFF", "#FF00FF", "none", "#123456"),
        Attribute.of("marker-types", Tag.KEYWORD, "toner", "toner", "toner", "waste-toner", "opc"),
        Attribute.of("marker-low-levels", Tag.INTEGER, 5, 5, 5, 0, 5),
        Attribute.of("marker-high-levels", Tag.INTEGER, 100, 100, 100, 90, 100),
    )
    black, cyan, magenta, waste, drum = r.status.supplies
    assert (black.percent, black.colour, black.level_state) == (4.0, "black", LevelState.MEASURED)
    # -1 is "unavailable" in IPP, NOT Printer-MIB's "other/unlimited".
    assert (cyan.level, cyan.level_state, cyan.colour) == (None, LevelState.UNKNOWN, "cyan")
    assert magenta.level_state is LevelState.UNKNOWN
    assert drum.level_state is LevelState.SOME_REMAINING and drum.colour == "#123456"
    assert waste.colour is None and all(s.source == "ipp" for s in r.status.supplies)
    codes = {a.code for a in r.status.alerts}
    assert codes == {"marker-low:1"}  # black at 4 % ≤ 5 %; waste "waste-toner" is no receptacle
    assert r.status.state is DeviceState.WARNING


def test_printer_supply_wins_over_markers_and_keeps_class() -> None:
    r = report(
        Attribute.of(
            "printer-supply", Tag.OCTET_STRING,
            b"index=1;class=receptacleThatIsFilled;type=wasteToner;unit=percent;maxcapacity=100;level=25;colorantname=unknown;",
            b"index=2;class=supplyThatIsConsumed;type=toner;unit=percent;maxcapacity=100;level=75;colorantname=black;",
        ),
        Attribute.of("printer-supply-description", Tag.TEXT, "Toner Waste Tank", "Black Toner"),
        Attribute.of("marker-names", Tag.NAME, "ignored"),
    )  # fmt: skip
    waste, black = r.status.supplies
    assert waste.is_receptacle and waste.percent == 25.0 and waste.remaining_percent is None
    assert (black.description, black.colour, black.percent) == ("Black Toner", "black", 75.0)


def test_reasons_become_alerts_with_rfc_severity() -> None:
    r = report(
        Attribute.of("printer-state", Tag.ENUM, 5),
        Attribute.of(
            "printer-state-reasons",
            Tag.KEYWORD,
            "media-jam-error",
            "toner-low-warning",
            "door-open",
        ),
    )
    by_code = {a.code: a for a in r.status.alerts}
    assert by_code["media-jam-error"].description == "Paper jam"
    assert by_code["media-jam-error"].severity is Severity.CRITICAL
    assert by_code["toner-low-warning"].severity is Severity.WARNING
    assert by_code["door-open"].severity is Severity.CRITICAL  # no suffix: an error (RFC 8011)
    assert r.status.state is DeviceState.ERROR
    assert r.reason_words() == ["Paper jam", "Toner low", "A door is open"]


def test_paused_printer_is_a_warning_not_an_error() -> None:
    r = report(
        Attribute.of("printer-state", Tag.ENUM, 5),
        Attribute.of("printer-state-reasons", Tag.KEYWORD, "paused"),
        Attribute.of("printer-is-accepting-jobs", Tag.BOOLEAN, True),
    )
    assert r.state == "stopped" and r.status.state is DeviceState.WARNING


def test_not_accepting_jobs_is_an_alert() -> None:
    r = report(Attribute.of("printer-is-accepting-jobs", Tag.BOOLEAN, False))
    assert [a.code for a in r.status.alerts] == ["not-accepting-jobs"]


def test_states_and_words() -> None:
    assert overall_state(3, []) is DeviceState.OK
    assert overall_state(4, []) is DeviceState.BUSY
    assert overall_state(99, []) is DeviceState.UNKNOWN
    assert split_reason("cups-waiting-report") == ("cups-waiting", Severity.INFO)
    assert status_words(0x0501) == "not supported by this printer"
    assert "0x0599" in status_words(0x0599)


def test_trays_keep_printer_mib_levels() -> None:
    r = report(
        Attribute.of(
            "printer-input-tray", Tag.OCTET_STRING,
            b"type=sheetFeedAutoRemovableTray;mediafeed=0;mediaxfeed=0;maxcapacity=250;level=100;status=0;name=main",
            b"type=sheetFeedManual;maxcapacity=1;level=-2;status=0;name=manual",
        )
    )  # fmt: skip
    main, manual = r.status.trays
    assert (main.name, main.percent) == ("main", 40.0)
    assert manual.level_state is LevelState.UNKNOWN


def test_job_names_only_when_asked() -> None:
    job = attrs(
        Attribute.of("job-id", Tag.INTEGER, 12),
        Attribute.of("job-state", Tag.ENUM, 4),
        Attribute.of("job-name", Tag.NAME, "Discharge letter Jane Doe"),
    )
    hidden = job_from(job, show_name=False)
    assert hidden is not None and hidden.name is None and hidden.state_words == "Held"
    assert "Jane" not in repr(hidden)
    shown = job_from(job, show_name=True)
    assert shown is not None and shown.name == "Discharge letter Jane Doe"
    assert "Jane" not in repr(shown)  # never in a log line that prints the object
    assert job_from(attrs(Attribute.of("job-state", Tag.ENUM, 3)), show_name=True) is None
