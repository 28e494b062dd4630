"""The enterprise-number table: real IANA numbers for the vendors a ward meets."""

from __future__ import annotations

import pytest

from tests.protocols.snmprec import EXPECTED
from wardfleet.domain.vendors import (
    ENTERPRISE_VENDORS,
    LABEL_PRINTER_VENDORS,
    MONITOR_VENDORS,
    PRINTER_VENDORS,
    UPS_VENDORS,
    enterprise_number,
    vendor_for_enterprise,
)


@pytest.mark.parametrize(
    ("number", "vendor"),
    [
        (11, "HP"), (236, "Samsung"), (253, "Xerox"), (297, "Fujifilm"), (318, "APC"),
        (367, "Ricoh"), (534, "Eaton"), (641, "Lexmark"), (674, "Dell"), (1129, "Toshiba TEC"),
        (1248, "Epson"), (1347, "Kyocera"), (1602, "Canon"), (1963, "Intermec"), (2001, "OKI"),
        (2254, "Delta"), (2385, "Sharp"), (2435, "Brother"), (10642, "Zebra"),
        (18334, "Konica Minolta"), (20998, "Honeywell"), (36722, "TSC"), (42406, "SATO"),
        (1776, "Philips"), (59615, "GE HealthCare"), (54260, "Mindray"),
        (46931, "Welch Allyn"), (41112, "Ubiquiti"), (8072, "net-snmp"),
    ],
)  # fmt: skip
def test_known_numbers(number: int, vendor: str) -> None:
    assert vendor_for_enterprise(number) == vendor


def test_every_fixture_enterprise_is_known() -> None:
    for name, record in EXPECTED.items():
        number = enterprise_number(tuple(int(a) for a in record["sysObjectID"].split(".")))
        assert number in ENTERPRISE_VENDORS, name


def test_enterprise_number_needs_the_enterprises_prefix() -> None:
    assert enterprise_number((1, 3, 6, 1, 4, 1, 2435, 2, 3)) == 2435
    assert enterprise_number((1, 3, 6, 1, 4, 1)) is None
    assert enterprise_number((1, 3, 6, 1, 2, 1, 1)) is None
    assert enterprise_number(None) is None
    assert vendor_for_enterprise(None) is None
    assert vendor_for_enterprise(4_000_000) is None


def test_kind_groups_name_only_vendors_of_the_table() -> None:
    names = set(ENTERPRISE_VENDORS.values())
    for group in (PRINTER_VENDORS, LABEL_PRINTER_VENDORS, UPS_VENDORS, MONITOR_VENDORS):
        assert group <= names, group - names
