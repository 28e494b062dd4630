"""Unicast DNS-SD (RFC 6763 §11) against a real dnsmasq on a loopback port."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.peers.dnsmasq import DnsmasqServer, DnsSdService, start_dnsmasq
from wardfleet.domain.kinds import DeviceKind
from wardfleet.domain.observation import Protocol
from wardfleet.protocols.dnssd_unicast import (
    UnicastConfig,
    UnicastDiscoverer,
    UnicastResult,
    browse_unicast,
)
from wardfleet.services.discovery import merge_observation
from wardfleet.store import Store

pytestmark = pytest.mark.peer("dnsmasq")


def config(server: DnsmasqServer, **overrides: object) -> UnicastConfig:
    base: dict[str, object] = {
        "domains": (server.domain,),
        "nameserver": server.host,
        "port": server.port,
        "timeout_s": 1.0,
        "deadline_s": 5.0,
    }
    base.update(overrides)
    return UnicastConfig(**base)  # type: ignore[arg-type]


def browse(cfg: UnicastConfig) -> UnicastResult:
    return asyncio.run(browse_unicast(cfg))


def test_ward_domain_is_walked_from_ptr_to_addresses(dnsmasq_ward: DnsmasqServer) -> None:
    result = browse(config(dnsmasq_ward))
    assert result.warnings == ()
    by_name = {s.instance: s for s in result.services}
    assert set(by_name) == {"Ward3 Printer", "Ward3 Scanner", "ward4 labels"}  # dnsmasq
    printer = by_name["Ward3 Printer"]  # kept its case: served as a raw PTR
    assert (printer.service_type, printer.domain) == ("_ipp._tcp", "ward.example")
    assert (printer.host, printer.port) == ("ward3-mfd.ward.example", 8631)
    assert printer.addresses == ("127.0.0.1", "::1")
    assert printer.txt.get("note") == "Ward 3 – Station Süd"  # UTF-8 intact
    assert printer.txt.get("uuid") == "6a3bd6d8-1c53-4b8f-9d5e-2f0a3c5b9e11"
    assert printer.protocol is Protocol.DNSSD
    # Same host: the printer and the scanner are one MFD.
    assert printer.related_types == frozenset({"_uscan._tcp"})


def test_only_the_asked_types_without_enumeration(dnsmasq_ward: DnsmasqServer) -> None:
    result = browse(config(dnsmasq_ward, service_types=("_uscan._tcp",), enumerate_types=False))
    assert [s.instance for s in result.services] == ["Ward3 Scanner"]
    assert result.services[0].related_types == frozenset()  # the printer was not browsed


def test_discoverer_yields_observations_that_merge_into_one_mfd(
    dnsmasq_ward: DnsmasqServer, tmp_path: Path
) -> None:
    async def collect() -> list[object]:
        return [o async for o in UnicastDiscoverer(config(dnsmasq_ward)).discover()]

    observations = asyncio.run(collect())
    store = Store.open(tmp_path / "w.sqlite3")
    try:
        for obs in observations:
            merge_observation(store, obs)  # type: ignore[arg-type]
        devices = {d.name: d for d in store.list_devices()}
    finally:
        store.close()
    assert len(devices) == 2
    mfd = devices["Ward3 Printer"]
    assert mfd.kind is DeviceKind.MFD and mfd.vendor == "HP"
    assert mfd.model == "LaserJet MFP M426fdw" and mfd.location == "Ward 3 – Station Süd"
    assert set(mfd.protocols) == {"dns-sd"}
    labels = devices["ward4 labels"]
    assert labels.kind is DeviceKind.LABEL_PRINTER and labels.address == "127.0.0.2"


HOSTILE = (
    DnsSdService(
        "<b>Evil</b> <img src=x>",
        "_ipp._tcp",
        "evil",
        631,
        txt=(b"bad=\xff\xfe", "note=<img src=x>", "NOTE=dup", "=nokey", "ty=" + "y" * 600),
        # ~10 KB more in further TXT records.
        more_txt=tuple((f"pad{i:02}=" + "z" * 800,) for i in range(12)),
    ),
    DnsSdService("Nameless", "_ipp._tcp", "nowhere", 631, addresses=(), txt=("ty=Ghost",)),
)


@pytest.fixture(scope="module")
def dnsmasq_hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DnsmasqServer]:
    handle = start_dnsmasq(tmp_path_factory.mktemp("dnsmasq-hostile"), HOSTILE)
    try:
        yield handle.info
    finally:
        handle.stop()


def test_hostile_records_are_survived_and_flagged(dnsmasq_hostile: DnsmasqServer) -> None:
    result = browse(config(dnsmasq_hostile))
    by_name = {s.instance: s for s in result.services}
    evil = by_name["<b>Evil</b> <img src=x>"]
    assert evil.txt.get("note") == "<img src=x>"
    assert evil.txt.get("bad") == "\ufffd\ufffd"
    warnings = " | ".join(evil.txt.warnings)
    for expected in ("not valid UTF-8", "duplicate key 'NOTE'", "without a key"):
        assert expected in warnings
    assert "13 TXT records read as one" in warnings
    assert "over-long key" in warnings  # dnsmasq split the 600-byte value
    assert "oversized record" in warnings and "longer than 8900 bytes" in warnings
    ghost = by_name["Nameless"]  # an SRV whose host has no address
    assert ghost.addresses == ()


def test_a_dead_server_gives_warnings_within_the_deadline(dnsmasq_ward: DnsmasqServer) -> None:
    handle_port = dnsmasq_ward.port + 1 if dnsmasq_ward.port < 65535 else 1024
    result = browse(
        UnicastConfig(("ward.example",), "127.0.0.1", handle_port, timeout_s=0.3, deadline_s=1.0)
    )
    assert result.services == ()
    assert result.warnings


def test_bad_domain_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not a DNS domain"):
        browse(UnicastConfig(("a" * 70 + ".example",), "127.0.0.1", 53))


def test_cli_browses_a_unicast_domain_and_merges(
    dnsmasq_ward: DnsmasqServer, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "wardfleet", "--data-dir", str(tmp_path), "browse", "--json",
         "--domain", dnsmasq_ward.domain, "--nameserver", dnsmasq_ward.nameserver,
         "--seconds", "5"],
        capture_output=True,
        text=True,
        timeout=30,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["name"] for r in records} == {"Ward3 Printer", "Ward3 Scanner", "ward4 labels"}
    printer = next(r for r in records if r["name"] == "Ward3 Printer")
    assert printer["protocol"] == "dns-sd" and printer["kind"] == "mfd"
    assert printer["txt"]["note"] == "Ward 3 – Station Süd"
    scanner = next(r for r in records if r["name"] == "Ward3 Scanner")
    assert scanner["device_id"] == printer["device_id"] is not None  # one UUID, one device
