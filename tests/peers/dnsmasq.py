"""Unicast DNS-SD peer: dnsmasq on a loopback port serving a ward's DNS-SD records.

Records go into a conf file (TXT quoting and UTF-8 values work only there). dnsmasq
lowercases PTR targets, so an instance whose name should keep its case is served as a
raw ``dns-rr`` PTR instead.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import dns.message
import dns.name
import dns.query
import pytest

from ._policy import require_peer
from ._proc import PeerHandle, PeerProcess, free_port


@dataclass(frozen=True)
class DnsSdService:
    """One service instance to publish under ``<service_type>.<domain>``."""

    instance: str
    service_type: str  # "_ipp._tcp"
    host: str  # a label under the domain, e.g. "ward3-printer"
    port: int
    addresses: Sequence[str] = ("127.0.0.1",)  # none: an SRV pointing at a nameless host
    txt: Sequence[str | bytes] = ()  # "key=value" strings; bytes are written raw
    # Further TXT records under the same name (a conf line holds < 1 KB, so this is how a
    # test serves ~10 KB of TXT).
    more_txt: Sequence[Sequence[str | bytes]] = ()
    keep_case: bool = True  # serve the PTR as dns-rr so the instance keeps its case


@dataclass(frozen=True)
class DnsmasqServer:
    host: str
    port: int
    domain: str
    services: tuple[DnsSdService, ...] = field(default=())

    @property
    def nameserver(self) -> str:
        return f"{self.host}:{self.port}"


def _quoted(value: str | bytes) -> bytes:
    raw = value.encode() if isinstance(value, str) else value
    return b'"' + raw.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


def conf_text(domain: str, services: Sequence[DnsSdService]) -> bytes:
    """The dnsmasq conf file publishing ``services`` (bytes: TXT values may be any bytes)."""
    # local=: names in the domain that are not listed get NXDOMAIN, as from a real server.
    lines = [f"local=/{domain}/".encode(), f"ptr-record=b._dns-sd._udp.{domain},{domain}".encode()]
    for service_type in dict.fromkeys(s.service_type for s in services):
        lines.append(f"ptr-record=_services._dns-sd._udp.{domain},{service_type}.{domain}".encode())
    hosts: dict[str, list[str]] = {}
    for s in services:
        base = f"{s.service_type}.{domain}"
        full = f"{s.instance}.{base}"
        if s.keep_case:
            wire = dns.name.from_text(full).to_wire()
            lines.append(f"dns-rr={base},12,{wire.hex()}".encode())
        else:
            lines.append(f'ptr-record="{base}","{full}"'.encode())
        lines.append(f'srv-host="{full}",{s.host}.{domain},{s.port},0,0'.encode())
        for txt in (s.txt, *s.more_txt):
            if txt:
                lines.append(b"txt-record=" + b",".join(_quoted(v) for v in [full, *txt]))
        hosts.setdefault(s.host, []).extend(a for a in s.addresses if a not in hosts[s.host])
    for host, addresses in hosts.items():
        if addresses:
            lines.append(f"host-record={host}.{domain},{','.join(addresses)}".encode())
    return b"\n".join(lines) + b"\n"


def answers(host: str, port: int, domain: str) -> bool:
    query = dns.message.make_query(f"b._dns-sd._udp.{domain}", "PTR")
    try:
        dns.query.udp(query, host, port=port, timeout=0.2)
    except (OSError, dns.exception.Timeout):
        return False
    return True


def start_dnsmasq(
    workdir: Path,
    services: Sequence[DnsSdService],
    *,
    domain: str = "ward.example",
    port: int | None = None,
    timeout: float = 10.0,
) -> PeerHandle[DnsmasqServer]:
    require_peer("dnsmasq", "dnsmasq")
    workdir.mkdir(parents=True, exist_ok=True)
    port = port if port is not None else free_port("udp")
    conf = workdir / "dnssd.conf"
    conf.write_bytes(conf_text(domain, services))
    check = subprocess.run(
        ["dnsmasq", "--test", f"--conf-file={conf}"], capture_output=True, text=True, timeout=10
    )
    if check.returncode != 0:  # a bad record is the test's bug: say which
        raise ValueError(f"dnsmasq rejects {conf}: {check.stderr.strip()}")
    argv = [
        "dnsmasq", "-k", f"--port={port}", "--listen-address=127.0.0.1", "--bind-interfaces",
        "--no-resolv", "--no-hosts", "--pid-file=", f"--conf-file={conf}", "--log-facility=-",
    ]  # fmt: skip
    process = PeerProcess("dnsmasq", argv, workdir)
    try:
        process.wait_ready(lambda: answers("127.0.0.1", port, domain), timeout=timeout, what="DNS")
    except BaseException:
        process.stop()
        raise
    info = DnsmasqServer("127.0.0.1", port, domain, tuple(services))
    return PeerHandle(info, [process])


# A ward's published devices: a printer and the scanner of the same MFD, with a UTF-8 TXT
# value and a case-kept instance name, and a lowercased second printer.
WARD_SERVICES = (
    DnsSdService(
        "Ward3 Printer",
        "_ipp._tcp",
        "ward3-mfd",
        8631,
        ("127.0.0.1", "::1"),
        txt=(
            "txtvers=1",
            "rp=ipp/print",
            "ty=HP LaserJet MFP M426fdw",
            "note=Ward 3 – Station Süd",
            "UUID=6a3bd6d8-1c53-4b8f-9d5e-2f0a3c5b9e11",
            "adminurl=http://ward3-mfd.ward.example/",
        ),
    ),
    DnsSdService(
        "Ward3 Scanner",
        "_uscan._tcp",
        "ward3-mfd",
        8080,
        ("127.0.0.1",),
        txt=("ty=HP LaserJet MFP M426fdw", "uuid=6a3bd6d8-1c53-4b8f-9d5e-2f0a3c5b9e11", "rs=eSCL"),
    ),
    DnsSdService(
        "Ward4 Labels",
        "_pdl-datastream._tcp",
        "ward4-zebra",
        9100,
        ("127.0.0.2",),
        txt=("ty=Zebra ZD421", "usb_MFG=Zebra Technologies", "usb_MDL=ZD421"),
        keep_case=False,
    ),
)


@pytest.fixture(scope="module")
def dnsmasq_ward(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DnsmasqServer]:
    """dnsmasq on 127.0.0.1:<free UDP port> serving ``WARD_SERVICES`` under ward.example."""
    handle = start_dnsmasq(tmp_path_factory.mktemp("dnsmasq"), WARD_SERVICES)
    try:
        yield handle.info
    finally:
        handle.stop()
