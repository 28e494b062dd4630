"""HOST-RESOURCES-MIB decoding and the overall state."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.protocols.snmprec import EXPECTED, RECORDINGS, load
from wardfleet.domain.kinds import DeviceState
from wardfleet.protocols import oids
from wardfleet.protocols.host_resources import (
    HrDevice,
    decode_devices,
    decode_error_state,
    overall_state,
)

WITH_HR = [n for n in RECORDINGS if EXPECTED[n].get("hr_printers")]


@pytest.mark.parametrize("name", WITH_HR)
def test_recorded_printer_device_matches_expected(name: str) -> None:
    expected = EXPECTED[name]["hr_printers"][0]
    index = int(expected["hrDeviceIndex"])
    devices, errors = decode_devices(load(name), (index,))
    assert errors == []
    device = devices[0]
    assert device.status == expected["hrDeviceStatus_name"]
    assert device.printer_status == expected["hrPrinterStatus_name"]
    assert device.description == expected["hrDeviceDescr"]
    bits = expected["hrPrinterDetectedErrorState_bits"]
    assert device.error_bits == (tuple(bits) if bits is not None else None)


@pytest.mark.parametrize(
    ("octets", "bits"),
    [
        (b"\x00", ()),
        (b"\x80\x00", ("lowPaper",)),
        (b"\x20\x00", ("lowToner",)),
        (b"\x01\x00", ("serviceRequested",)),
        (b"\x44\x80", ("noPaper", "jammed", "inputTrayMissing")),
        (b"\x00\x02", ("overduePreventMaint",)),
        (b"\x00\x01\x80", ("bit15", "bit16")),
        (b"", ()),
    ],
)
def test_error_bits_msb_first(octets: bytes, bits: tuple[str, ...]) -> None:
    assert decode_error_state(octets) == bits


def printer(**kw: object) -> HrDevice:
    return HrDevice(1, "printer", **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("device", "state"),
    [
        (printer(status="running", printer_status="idle", error_bits=()), DeviceState.OK),
        (printer(status="running", printer_status="printing"), DeviceState.BUSY),
        (printer(status="warning", error_bits=("lowToner",)), DeviceState.WARNING),
        (printer(status="running", error_bits=("serviceRequested",)), DeviceState.WARNING),
        (printer(status="down", printer_status="idle"), DeviceState.ERROR),
        (printer(status="running", error_bits=("jammed",)), DeviceState.ERROR),
        (printer(status="running", error_bits=("doorOpen", "lowPaper")), DeviceState.ERROR),
        (printer(printer_status="printing", error_bits=("noPaper",)), DeviceState.ERROR),
        (printer(), DeviceState.UNKNOWN),
    ],
)
def test_overall_state(device: HrDevice, state: DeviceState) -> None:
    assert overall_state([device])[0] is state


def test_only_printer_devices_count_when_there_are_any() -> None:
    printer = HrDevice(1, "printer", status="running", printer_status="idle")
    disk = HrDevice(2, "diskStorage", status="down")
    assert overall_state([printer, disk])[0] is DeviceState.OK


def test_no_devices_is_unknown_never_ok() -> None:
    assert overall_state([]) == (DeviceState.UNKNOWN, ())


anything = st.one_of(
    st.none(), st.integers(min_value=-(2**66), max_value=2**66), st.binary(max_size=80),
    st.text(max_size=80), st.tuples(st.integers(min_value=0, max_value=2**32)),
)  # fmt: skip


@given(st.dictionaries(st.integers(min_value=1, max_value=6), anything, max_size=6), anything)
def test_devices_never_raise(cells: dict[int, object], error_state: object) -> None:
    columns = {
        1: oids.HR_DEVICE_TYPE,
        2: oids.HR_DEVICE_DESCR,
        3: oids.HR_DEVICE_STATUS,
        4: oids.HR_PRINTER_STATUS,
        5: oids.HR_PRINTER_ERROR_STATE,
        6: oids.HR_DEVICE_INDEX,
    }
    varbinds = {(*columns[c], 1): v for c, v in cells.items()}
    varbinds[(*oids.HR_PRINTER_ERROR_STATE, 1)] = error_state
    devices, errors = decode_devices(varbinds, (1,))  # type: ignore[arg-type]
    assert len(devices) == 1
    assert all(e.table == "hrDeviceTable" for e in errors)
    overall_state(devices)
