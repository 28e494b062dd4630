"""mDNS building blocks that need no network: interfaces, addresses, service names, and the
observation an advert makes. (Real responders: test_mdns_live.py, test_mdns_avahi.py.)"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from zeroconf import IPVersion

from wardfleet import cli
from wardfleet.cli.browse import parse_nameserver, parse_types
from wardfleet.domain.kinds import DeviceKind
from wardfleet.domain.observation import Protocol
from wardfleet.protocols.dnssd import (
    ResolvedService,
    choose_addresses,
    service_key,
    service_observation,
    split_type,
)
from wardfleet.protocols.dnssd_kind import DEFAULT_TYPES
from wardfleet.protocols.mdns import MdnsConfig, plan_interfaces
from wardfleet.protocols.txt import decode_txt


@dataclass(frozen=True)
class Ip:
    ip: str | tuple[str, int, int]


@dataclass(frozen=True)
class Adapter:
    name: str
    index: int | None
    ips: list[Ip] = field(default_factory=list)


LO = Adapter("lo", 1, [Ip("127.0.0.1"), Ip(("::1", 0, 0))])
ETH = Adapter("eth0", 2, [Ip("10.1.0.20"), Ip(("fe80::1", 0, 2))])
WLAN = Adapter("wlan0", 3, [Ip("192.168.7.4")])
DOWN = Adapter("eth1", 4, [])


def test_default_is_every_interface_but_loopback() -> None:
    plan = plan_interfaces([], [LO, ETH, WLAN, DOWN])
    assert plan.names == ("eth0", "wlan0", "eth1")
    assert plan.ipv4 == ("10.1.0.20", "192.168.7.4")
    assert plan.ipv6_indexes == (2,)
    assert plan.zeroconf_interfaces() == ["10.1.0.20", "192.168.7.4", 2]
    assert plan.ip_version() is IPVersion.All
    assert plan.zeroconf_interfaces(ipv6=False) == ["10.1.0.20", "192.168.7.4"]
    assert plan.ip_version(ipv6=False) is IPVersion.V4Only


def test_loopback_alone_is_used_when_nothing_else_is_there() -> None:
    plan = plan_interfaces([], [LO])
    assert plan.names == ("lo",)
    assert plan.zeroconf_interfaces() == ["127.0.0.1"]  # no IPv6 multicast over loopback
    assert plan.ip_version() is IPVersion.V4Only


def test_named_interfaces_win() -> None:
    plan = plan_interfaces(["wlan0", "wlan0"], [LO, ETH, WLAN])
    assert plan.names == ("wlan0",) and plan.ipv4 == ("192.168.7.4",)
    assert plan_interfaces(["lo"], [LO, ETH]).ipv4 == ("127.0.0.1",)


def test_unknown_or_empty_interfaces_are_refused() -> None:
    with pytest.raises(ValueError, match="no such network interface: eth9"):
        plan_interfaces(["eth9"], [LO, ETH])
    with pytest.raises(ValueError, match="no usable address"):
        plan_interfaces(["eth1"], [LO, DOWN])


def test_link_local_addresses_are_dropped_unless_alone() -> None:
    assert choose_addresses(["fe80::1%2", "10.1.0.5", "2001:db8::5", "169.254.3.4"]) == (
        "10.1.0.5",
        "2001:db8::5",
    )
    assert choose_addresses(["fe80::1%2", "169.254.3.4"]) == ("169.254.3.4", "fe80::1%2")
    assert choose_addresses(["10.1.0.5", "10.1.0.5", "junk", "0.0.0.0", "224.0.0.251"]) == (
        "10.1.0.5",
    )
    assert choose_addresses([]) == ()


def test_service_types_and_keys() -> None:
    assert split_type("_IPP._tcp.local.") == ("_ipp._tcp", "local")
    assert split_type("_uscan._tcp") == ("_uscan._tcp", "")
    assert split_type("_ipp._tcp.ward.example") == ("_ipp._tcp", "ward.example")
    for bad in ("ipp._tcp", "_ipp", "_ipp._xyz.local", ""):
        with pytest.raises(ValueError):
            split_type(bad)
    assert service_key("Ward Printer", "_ipp._tcp", "local") == "ward printer._ipp._tcp.local"


def test_config_lists_types_once_and_knows_declared_kinds() -> None:
    config = MdnsConfig(
        service_types=("_ipp._tcp", "_IPP._tcp.local."),
        other_types={"_vitals._tcp": DeviceKind.MONITOR},
    )
    assert config.all_types() == ("_ipp._tcp", "_vitals._tcp")
    assert config.declared_kind("_vitals._tcp") is DeviceKind.MONITOR
    assert config.declared_kind("_ipp._tcp") is None


def service(**overrides: object) -> ResolvedService:
    base: dict[str, object] = {
        "instance": "Ward 7 <b>Printer</b>",
        "service_type": "_ipp._tcp",
        "domain": "local",
        "host": "NPIBFF51B.local",
        "port": 631,
        "addresses": ("10.1.0.5",),
        "txt": decode_txt(
            [b"ty=HP LaserJet M404dn", b"UUID=564e4333-4d39-3530-3136-3c2af4bff51b", b"note=W7"]
        ),
        "protocol": Protocol.MDNS,
        "seen_at": 100.0,
    }
    base.update(overrides)
    return ResolvedService(**base)  # type: ignore[arg-type]


def test_an_advert_becomes_an_observation() -> None:
    obs = service_observation(service())
    assert obs is not None
    assert (obs.protocol, obs.address, obs.port) == (Protocol.MDNS, "10.1.0.5", 631)
    assert obs.name == "Ward 7 <b>Printer</b>"  # plain text, verbatim
    assert (obs.kind, obs.vendor, obs.model, obs.location) == (
        DeviceKind.PRINTER,
        "HP",
        "LaserJet M404dn",
        "W7",
    )
    assert obs.identity.uuid == "564e4333-4d39-3530-3136-3c2af4bff51b"
    assert obs.identity.hostname == "npibff51b"
    assert obs.attributes["service"] == "Ward 7 <b>Printer</b>._ipp._tcp.local"


def test_without_addresses_the_adminurl_host_is_used_if_it_is_an_address() -> None:
    txt = decode_txt([b"adminurl=http://10.1.0.9:8080/"])
    obs = service_observation(service(addresses=(), txt=txt))
    assert obs is not None and obs.address == "10.1.0.9"
    named = decode_txt([b"adminurl=http://npi.local/"])
    assert service_observation(service(addresses=(), txt=named)) is None


def test_txt_warnings_travel_with_the_observation() -> None:
    obs = service_observation(service(txt=decode_txt([b"a=1", b"A=2"])))
    assert obs is not None and "duplicate" in obs.attributes["txt_warnings"]


def test_same_advert_ignores_only_the_time() -> None:
    assert service().same_advert(service(seen_at=999.0))
    assert not service().same_advert(service(port=632))


# --- wardfleet browse: argument checks (no network) --------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("127.0.0.1", ("127.0.0.1", 53)),
        ("127.0.0.1:5353", ("127.0.0.1", 5353)),
        ("[fd00::53]:5300", ("fd00::53", 5300)),
        ("fd00::53", ("fd00::53", 53)),
    ],
)
def test_nameserver_forms(text: str, expected: tuple[str, int]) -> None:
    assert parse_nameserver(text) == expected


@pytest.mark.parametrize("text", ["dns.ward.example", "127.0.0.1:0", "127.0.0.1:x", "[::1]:99999"])
def test_bad_nameservers(text: str) -> None:
    with pytest.raises(ValueError):
        parse_nameserver(text)


def test_types_with_kinds() -> None:
    assert parse_types([]) == (DEFAULT_TYPES, {})
    assert parse_types(["_ipp._tcp", "_vitals._tcp=monitor"]) == (
        ("_ipp._tcp",),
        {"_vitals._tcp": DeviceKind.MONITOR},
    )
    with pytest.raises(ValueError, match="unknown kind"):
        parse_types(["_vitals._tcp=toaster"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--seconds", "0"], "--seconds"),
        (["--type", "ipp"], "not a DNS-SD service type"),
        (["--nameserver", "127.0.0.1"], "needs a unicast --domain"),
        (["--domain", "ward.example", "--interface", "eth0"], "mDNS only"),
        (["--domain", "ward.example", "--nameserver", "dns.example"], "IP address"),
    ],
)
def test_bad_browse_arguments_exit_2_with_one_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["browse", "--no-store", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_text_output_cannot_drive_the_terminal() -> None:
    from wardfleet.cli.browse import _plain

    assert _plain("Ward\x1b[31m 8\r\n") == "Ward\ufffd[31m 8\ufffd\ufffd"
