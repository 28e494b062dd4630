"""The mDNS browser against avahi, an independent real responder, in its namespace: static
service files, ``avahi-publish`` and ippeveprinter's own registration are all found with
their TXT, and ippeveprinter's adverts and its IPP answer become one Device."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.peers.ipp import IppPrinter
from tests.peers.mdns import AvahiNs
from wardfleet.store import Store

pytestmark = pytest.mark.peer("avahi")
# A snapshot browse must outlast the browser's second query (~1 s after start): the answer
# to its first (QU, unicast) query can land on another process's socket bound to 5353 when
# browser and responder share one loopback, so only the multicast answer is certain.
SNAPSHOT_SECONDS = "2.5"


def browse(avahi: AvahiNs, data_dir: Path | None, *args: str) -> tuple[int, list[dict[str, Any]]]:
    """``wardfleet browse --json`` inside the namespace; (exit code, one dict per line)."""
    store = ["--data-dir", str(data_dir)] if data_dir else []
    cmd = [sys.executable, "-m", "wardfleet", *store, "browse", "--json", *args]
    if data_dir is None:
        cmd.append("--no-store")
    result = avahi.run(cmd, timeout=30)
    assert not result.stderr or result.returncode != 0, result.stderr
    return result.returncode, [json.loads(line) for line in result.stdout.splitlines()]


def test_static_service_file_and_avahi_publish_are_found_with_their_txt(
    avahi_ns: AvahiNs,
) -> None:
    static = avahi_ns.add_service_file(
        "Ward 3 Scanner",
        "_uscan._tcp",
        9095,
        {"ty": "Canon DR-C240", "uuid": "urn:uuid:11111111-2222-3333-4444-555555555555"},
    )
    publisher = avahi_ns.popen(
        ["avahi-publish", "-s", "Ward 3 Labels", "_pdl-datastream._tcp", "9100",
         "ty=Zebra ZD421", "note=Ward 3 – Süd"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        avahi_ns.wait_for_service("_uscan._tcp", "Ward 3 Scanner")
        avahi_ns.wait_for_service("_pdl-datastream._tcp", "Ward 3 Labels")
        code, found = browse(
            avahi_ns, None, "--type", "_uscan._tcp", "--type", "_pdl-datastream._tcp",
            "--seconds", SNAPSHOT_SECONDS,
        )  # fmt: skip
    finally:
        publisher.terminate()
        publisher.communicate(timeout=5)
        static.unlink()
    assert code == 0
    by_name = {s["name"]: s for s in found}
    scanner, labels = by_name["Ward 3 Scanner"], by_name["Ward 3 Labels"]
    assert scanner["type"] == "_uscan._tcp" and scanner["port"] == 9095
    assert scanner["txt"]["ty"] == "Canon DR-C240"
    assert scanner["kind"] == "scanner" and scanner["vendor"] == "Canon"
    assert scanner["uuid"] == "11111111-2222-3333-4444-555555555555"
    assert "127.0.0.1" in scanner["addresses"] and scanner["host"].endswith(".local")
    assert labels["txt"] == {"ty": "Zebra ZD421", "note": "Ward 3 – Süd"}
    assert labels["kind"] == "label-printer" and labels["location"] == "Ward 3 – Süd"
    assert all(s["device_id"] is None for s in found)  # --no-store


# The IPP side through protocols.ipp's real client, run where the printer is reachable (in
# the namespace); it merges into the same database file. Prints: device id, printer-uuid.
IPP_MERGE = r"""
import asyncio, sys, time
import httpx
from wardfleet.protocols.ipp import IppClient, parse_uri
from wardfleet.services.discovery import merge_observation
from wardfleet.store import Store

async def main(uri, db):
    async with httpx.AsyncClient() as http:
        client = IppClient(http, timeout=5.0)
        try:
            report = await client.status(uri)
        finally:
            await client.aclose()
    target = parse_uri(uri)
    store = Store.open(db)
    try:
        obs = report.observation(target.host, target.port, time.time())
        outcome = merge_observation(store, obs)
        print(outcome.device_id, report.uuid, outcome.created)
    finally:
        store.close()

asyncio.run(main(*sys.argv[1:]))
"""


def test_ippeveprinter_is_found_decoded_and_merged_into_one_device(
    ippeveprinter_ns: IppPrinter, avahi_ns: AvahiNs, tmp_path: Path
) -> None:
    printer = ippeveprinter_ns
    code, found = browse(
        avahi_ns, tmp_path, "--type", "_ipp._tcp", "--type", "_ipps._tcp",
        "--type", "_printer._tcp", "--seconds", SNAPSHOT_SECONDS,
    )  # fmt: skip
    assert code == 0
    adverts = [s for s in found if s["name"] == printer.name]
    # _ipp and _ipps; the port-0 _printer._tcp is a name claim ("no LPD"), not a service.
    assert sorted(s["type"] for s in adverts) == ["_ipp._tcp", "_ipps._tcp"]
    ipp = next(s for s in adverts if s["type"] == "_ipp._tcp")
    assert ipp["port"] == printer.port and "127.0.0.1" in ipp["addresses"]
    assert ipp["txt"]["ty"] == printer.make_and_model and ipp["txt"]["rp"] == "ipp/print"
    assert ipp["location"] == printer.location and ipp["kind"] == "printer"
    assert ipp["txt"]["adminurl"].endswith(f":{printer.port}/")
    assert len({s["device_id"] for s in adverts}) == 1

    # The printer's own IPP answer (printer-uuid, as urn:uuid:) names the same printer.
    db = tmp_path / "wardfleet.sqlite3"
    merged = subprocess.run(
        printer.argv([sys.executable, "-c", IPP_MERGE, printer.uri, str(db)]),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert merged.returncode == 0, merged.stderr
    device_id, printer_uuid, created = merged.stdout.split()
    assert printer_uuid.removeprefix("urn:uuid:") == ipp["uuid"]
    assert (device_id, created) == (ipp["device_id"], "False")
    store = Store.open(db)
    try:
        (device,) = [d for d in store.list_devices() if d.identity.uuid == ipp["uuid"]]
        assert device.id == device_id
        assert set(device.protocols) == {"mdns", "ipp"}
        assert device.location == printer.location
    finally:
        store.close()
