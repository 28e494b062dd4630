"""avahi in its namespace publishes static and dynamic services that avahi-browse resolves."""

from __future__ import annotations

import subprocess

import pytest

from .mdns import AvahiNs

pytestmark = pytest.mark.peer("avahi")


def test_static_and_published_services_resolve_with_txt(avahi_ns: AvahiNs) -> None:
    static = avahi_ns.add_service_file(
        "Ward 3 Static", "_ipp._tcp", 631, {"rp": "ipp/print", "ty": "Static LaserJet"}
    )
    publisher = avahi_ns.popen(
        ["avahi-publish", "-s", "Ward 3 Dynamic", "_ipp._tcp", "8632", "note=Ward 3 – Süd"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        dynamic = avahi_ns.wait_for_service("_ipp._tcp", "Ward 3 Dynamic")
        avahi_ns.wait_for_service("_ipp._tcp", "Ward 3 Static")
        found = {s.name: s for s in avahi_ns.browse("_ipp._tcp")}
    finally:
        publisher.terminate()
        publisher.communicate(timeout=5)
        static.unlink()

    assert {s.type for s in found.values()} == {"_ipp._tcp"}
    assert (dynamic.address, dynamic.port) == ("127.0.0.1", 8632)
    assert found["Ward 3 Dynamic"].txt == {"note": "Ward 3 – Süd"}
    assert found["Ward 3 Static"].port == 631
    assert found["Ward 3 Static"].txt == {"rp": "ipp/print", "ty": "Static LaserJet"}
