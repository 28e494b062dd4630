"""A printer found through the real mDNS path (avahi + ippeveprinter in a namespace, our
browser merging into the store) keeps its IPP URI in the inventory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.peers.ipp import IppPrinter
from tests.peers.mdns import AvahiNs
from tests.protocols.test_mdns_avahi import SNAPSHOT_SECONDS, browse
from wardfleet.domain.device import ServiceEndpoint
from wardfleet.store import Store

pytestmark = pytest.mark.peer("avahi")


def test_an_advertised_printer_keeps_its_ipp_uri(
    ippeveprinter_ns: IppPrinter, avahi_ns: AvahiNs, tmp_path: Path
) -> None:
    printer = ippeveprinter_ns
    code, found = browse(
        avahi_ns, tmp_path, "--type", "_ipp._tcp", "--type", "_ipps._tcp",
        "--seconds", SNAPSHOT_SECONDS,
    )  # fmt: skip
    assert code == 0
    (device_id,) = {s["device_id"] for s in found if s["name"] == printer.name}
    store = Store.open(tmp_path / "wardfleet.sqlite3")
    try:
        device = store.get_device(device_id)
    finally:
        store.close()
    assert device is not None and device.address == "127.0.0.1"
    # ippeveprinter advertises _ipp and _ipps on one port, resource ipp/print (TXT rp).
    assert set(device.endpoints) == {
        ServiceEndpoint("ipp", printer.port, "ipp/print"),
        ServiceEndpoint("ipps", printer.port, "ipp/print"),
    }
    assert device.ipp_uri == printer.uri.replace("ipp://", "ipps://")
    assert device.escl_url is None
