"""Pytest fixtures that start real peers; registered by tests/conftest.py for the whole suite.

Costly peers are session- or module-scoped. Each runs in its own temp dir and is stopped
(namespace included) at teardown, also when the test or the start-up failed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ._proc import free_port
from .cupsd import cupsd_server  # noqa: F401  (fixture: a private cupsd)
from .dnsmasq import dnsmasq_ward  # noqa: F401  (fixture: unicast DNS-SD peer)
from .ipp import IppPrinter, start_ippeveprinter
from .mdns import AvahiNs, NetNs, netns_session, start_avahi
from .postgres import PgCluster, start_postgres
from .snmp import SNMPREC_DIR, SnmpdAgent, SnmpsimAgent, start_snmpd, start_snmpsim

# Fixture -> peer name. Tests using these get @pytest.mark.peer(name) automatically, so the
# CI rule (a skipped peer test fails) also covers tests that forgot the marker.
PEER_FIXTURES = {
    "snmpsim_agent": "snmpsim",
    "snmpd_agent": "snmpd",
    "netns": "netns",
    "avahi_ns": "avahi",
    "ippeveprinter_ns": "ippeveprinter",
    "ippeveprinter_host": "ippeveprinter",
    "ippeveprinter_tls": "ippeveprinter",
    "postgres_cluster": "postgresql",
    "cupsd_server": "cupsd",
    "dnsmasq_ward": "dnsmasq",
}


def pytest_configure(config: pytest.Config) -> None:
    # Also declared in pyproject.toml; repeated so the plugin works in any pytest project
    # (the policy tests run it in a throwaway one).
    config.addinivalue_line(
        "markers", "peer(name): needs a real peer; skipped without it, fatal under CI=true"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("peer") is not None:
            continue
        for fixture in getattr(item, "fixturenames", ()):
            if fixture in PEER_FIXTURES:
                item.add_marker(pytest.mark.peer(PEER_FIXTURES[fixture]))
                break


@pytest.fixture(scope="session")
def snmpsim_agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SnmpsimAgent]:
    """snmpsim on 127.0.0.1:<free UDP port> serving every tests/fixtures/snmprec recording;
    community = file stem (``-c sharp``). Read-only, so one per session."""
    handle = start_snmpsim(
        SNMPREC_DIR, [("127.0.0.1", free_port("udp"))], tmp_path_factory.mktemp("snmpsim")
    )
    try:
        yield handle.info[0]
    finally:
        handle.stop()


@pytest.fixture(scope="session")
def snmpd_agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SnmpdAgent]:
    """net-snmp snmpd on 127.0.0.1:<free UDP port>. Tests that SET sysLocation put the old
    value back: the agent lives for the session."""
    handle = start_snmpd(tmp_path_factory.mktemp("snmpd"), free_port("udp"))
    try:
        yield handle.info
    finally:
        handle.stop()


@pytest.fixture(scope="module")
def netns() -> Iterator[NetNs]:
    """A private network namespace with only ``lo``; deleted after the module."""
    with netns_session() as ns:
        yield ns


@pytest.fixture(scope="module")
def avahi_ns(netns: NetNs, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AvahiNs]:
    """avahi-daemon (and its own system bus) in ``netns``."""
    handle = start_avahi(netns, tmp_path_factory.mktemp("avahi"))
    try:
        yield handle.info
    finally:
        handle.stop()


@pytest.fixture(scope="module")
def ippeveprinter_ns(
    avahi_ns: AvahiNs, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[IppPrinter]:
    """ippeveprinter in the avahi namespace, registered as ``_ipp._tcp`` (already
    browsable when the fixture returns)."""
    handle = start_ippeveprinter(tmp_path_factory.mktemp("ipp-ns"), avahi=avahi_ns)
    try:
        yield handle.info
    finally:
        handle.stop()


@pytest.fixture(scope="module")
def ippeveprinter_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IppPrinter]:
    """ippeveprinter on the host's loopback, no DNS-SD registration, no root needed."""
    handle = start_ippeveprinter(tmp_path_factory.mktemp("ipp-host"))
    try:
        yield handle.info
    finally:
        handle.stop()


@pytest.fixture
def ippeveprinter_tls(tmp_path: Path) -> Iterator[IppPrinter]:
    """ippeveprinter with a self-signed key of its own (``-K``), so it answers ipps:// too.
    One per test: tests pin, trust and distrust its certificate."""
    (tmp_path / "keys").mkdir()
    with start_ippeveprinter(tmp_path / "p", extra_args=["-K", str(tmp_path / "keys")]) as h:
        yield h.info


@pytest.fixture(scope="session")
def postgres_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PgCluster]:
    """A throwaway PostgreSQL cluster on 127.0.0.1:<free port> (fsync off). Tests create
    their own databases in it (``create_database``)."""
    handle = start_postgres(tmp_path_factory.mktemp("postgres"))
    try:
        yield handle.info
    finally:
        handle.stop()
