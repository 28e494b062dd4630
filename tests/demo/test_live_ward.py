"""The demo ward answering real net-snmp tools (snmpget, snmpwalk, snmpbulkwalk, ...).

The ward runs in-process on its own event-loop thread with a hand-set clock, so each
test picks the exact moment it wants (a jam, an outage) and nothing sleeps.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import socket
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.peers._policy import require_peer
from wardfleet.demo import RunningWard, Ward, start_ward
from wardfleet.demo.views import PRT_ALERT_ENTRY, PRT_SUPPLIES_ENTRY

pytestmark = pytest.mark.peer("net-snmp")

ENV = {**os.environ, "MIBS": ":"}  # numeric OIDs only: no MIB files to load or complain about
CALM = 10.0  # no jam, no outage, no mains failure this early

Oid = tuple[int, ...]


class ManualClock:
    def __init__(self, t: float) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


@dataclass
class Live:
    running: RunningWard
    clock: ManualClock

    @property
    def ward(self) -> Ward:
        return self.running.ward

    def target(self, name: str) -> str:
        endpoint = self.running.endpoint(name)
        return f"{endpoint.address}:{endpoint.port}"


@pytest.fixture(scope="module")
def live() -> Iterator[Live]:
    require_peer("net-snmp tools", "snmpget", "snmpwalk", "snmpbulkwalk", "snmpbulkget")
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="demo-ward", daemon=True)
    thread.start()
    clock = ManualClock(CALM)
    started = asyncio.run_coroutine_threadsafe(start_ward(base_port=0, clock=clock), loop)
    running = started.result(10)
    try:
        yield Live(running, clock)
    finally:
        asyncio.run_coroutine_threadsafe(running.close(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


@pytest.fixture
def at_calm(live: Live) -> Live:
    live.clock.t = CALM
    return live


def snmp(
    tool: str,
    target: str,
    *oids: str,
    community: str = "public",
    version: str = "2c",
    options: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    command = [tool, f"-v{version}", "-c", community, "-On", "-t", "0.5", "-r", "0", *options]
    return subprocess.run(
        [*command, target, *oids], capture_output=True, text=True, timeout=30, env=ENV
    )


def lines(output: str) -> list[tuple[Oid, str]]:
    """``[(oid, "TYPE: value"), ...]``; wrapped Hex-STRING lines are joined back."""
    result: list[tuple[Oid, str]] = []
    for line in output.splitlines():
        if line.startswith(".") and " = " in line:
            oid, value = line.split(" = ", 1)
            result.append((tuple(int(arc) for arc in oid[1:].split(".")), value))
        elif result:
            result[-1] = (result[-1][0], result[-1][1] + " " + line)
    return result


def get(target: str, *oids: str, **kwargs: object) -> list[str]:
    done = snmp("snmpget", target, *oids, **kwargs)  # type: ignore[arg-type]
    assert done.returncode == 0, done.stderr + done.stdout
    return [value for _, value in lines(done.stdout)]


def text(target: str, oid: str) -> str:
    """A string value, read as hex so UTF-8 (the en dash in locations) survives."""
    (value,) = get(target, oid, options=("-Ox",))
    kind, _, payload = value.partition(": ")
    assert kind in ("Hex-STRING", "STRING"), value
    return bytes.fromhex(payload).decode() if kind == "Hex-STRING" else payload.strip('"')


def oid_text(oid: Oid) -> str:
    return ".".join(map(str, oid))


# --- identity ---------------------------------------------------------------------------


SERIAL_OIDS = {
    "w7-nurses-laser": "1.3.6.1.2.1.43.5.1.1.17.1",
    "w7-reception-mfd": "1.3.6.1.2.1.43.5.1.1.17.1",
    "w7-bayb-laser": "1.3.6.1.4.1.2435.2.3.9.4.2.1.5.5.1.0",
    "w7-treatment-labels": "1.3.6.1.2.1.43.5.1.1.17.1",
    "w7-admissions-scanner": "1.3.6.1.4.1.1248.1.1.3.1.1.1.0",
    "w7-baya-bed4-monitor": "1.3.6.1.2.1.47.1.1.1.1.11.1",
    "w7-comms-ups": "1.3.6.1.4.1.318.1.1.1.1.2.3.0",
}


@pytest.mark.parametrize("name", sorted(SERIAL_OIDS))
def test_identity_over_snmp(at_calm: Live, name: str) -> None:
    spec = at_calm.ward.specs[name]
    target = at_calm.target(name)
    assert text(target, "1.3.6.1.2.1.1.1.0") == spec.sys_descr
    assert text(target, "1.3.6.1.2.1.1.5.0") == spec.sys_name
    assert text(target, "1.3.6.1.2.1.1.6.0") == spec.location
    assert text(target, SERIAL_OIDS[name]) == spec.serial
    (object_id,) = get(target, "1.3.6.1.2.1.1.2.0")
    assert object_id == f"OID: .{spec.sys_object_id}"
    (mac,) = get(target, "1.3.6.1.2.1.2.2.1.6.1")
    assert mac.replace("Hex-STRING: ", "").split() == spec.mac.split(":")


def test_endpoints_are_on_their_own_loopback_addresses(live: Live) -> None:
    addresses = {(e.address, e.port) for e in live.running.endpoints}
    assert len(addresses) == len(live.running.endpoints) == len(live.ward.specs)
    assert all(e.address.startswith("127.") for e in live.running.endpoints)


# --- walks --------------------------------------------------------------------------------


def test_bulkwalk_of_supplies_returns_every_row_and_ends(at_calm: Live) -> None:
    name = "w7-reception-mfd"
    done = snmp("snmpbulkwalk", at_calm.target(name), oid_text(PRT_SUPPLIES_ENTRY))
    assert done.returncode == 0, done.stderr
    rows = lines(done.stdout)
    supplies = at_calm.ward.specs[name].printer.supplies  # type: ignore[union-attr]
    assert len(rows) == 8 * len(supplies)  # columns .2-.9 for each supply
    descriptions = [v for oid, v in rows if oid[len(PRT_SUPPLIES_ENTRY)] == 6]
    assert descriptions == [f'STRING: "{s.description}"' for s in supplies]
    levels = [v for oid, v in rows if oid[len(PRT_SUPPLIES_ENTRY)] == 9]
    assert levels[-1] == "INTEGER: -3"  # the waste toner's "some remaining"


@pytest.mark.parametrize(
    "name", ["w7-nurses-laser", "w7-admissions-scanner", "w7-comms-ups", "w8-nurses-colour"]
)
@pytest.mark.parametrize("tool", ["snmpwalk", "snmpbulkwalk"])
def test_walk_of_everything_is_ordered_complete_and_ends(
    at_calm: Live, name: str, tool: str
) -> None:
    done = snmp(tool, at_calm.target(name), "1.3.6.1")
    assert done.returncode == 0, done.stderr
    rows = lines(done.stdout)
    assert "No more variables left in this MIB View" in rows[-1][1]  # endOfMibView
    oids = [oid for oid, _ in rows[:-1]]
    assert all(a < b for a, b in itertools.pairwise(oids)), "not strictly increasing"
    view = at_calm.ward.view_at(name, CALM)
    assert view is not None
    assert oids == [oid for oid, _ in view]


def test_v1_walk_ends_with_no_such_name(at_calm: Live) -> None:
    done = snmp("snmpwalk", at_calm.target("w7-baya-bed4-monitor"), "1.3.6.1", version="1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("End of MIB")
    view = at_calm.ward.view_at("w7-baya-bed4-monitor", CALM)
    assert view is not None
    assert [oid for oid, _ in lines(done.stdout)] == [oid for oid, _ in view]


def test_getnext_crosses_table_boundaries(at_calm: Live) -> None:
    target = at_calm.target("w7-reception-mfd")
    entry = oid_text(PRT_SUPPLIES_ENTRY)
    cases = {
        f"{entry}.9.1.5": "1.3.6.1.2.1.43.12.1.1.2.1.1",  # last supply level -> colorant table
        f"{entry}.6": f"{entry}.6.1.1",  # a column without index -> its first row
        f"{entry}.7.1.99": f"{entry}.8.1.1",  # past a column's last row -> next column
        "1.3.6.1.2.1.1.7.0": "1.3.6.1.2.1.2.1.0",  # system group -> interfaces
        "1.3.6.1.2.1.2.2.1.10.2": "1.3.6.1.2.1.2.2.1.11.1",  # numeric, not string, order
    }
    for start, expected in cases.items():
        done = snmp("snmpgetnext", target, start)
        assert done.returncode == 0, done.stderr
        ((oid, _),) = lines(done.stdout)
        assert oid_text(oid) == expected, start


def test_bulkget_honours_non_repeaters_and_max_repetitions(at_calm: Live) -> None:
    done = snmp(
        "snmpbulkget",
        at_calm.target("w7-office-colour"),
        "1.3.6.1.2.1.1.3",
        f"{oid_text(PRT_SUPPLIES_ENTRY)}.9",
        options=("-Cn1", "-Cr3"),
    )
    assert done.returncode == 0, done.stderr
    oids = [oid_text(oid) for oid, _ in lines(done.stdout)]
    entry = oid_text(PRT_SUPPLIES_ENTRY)
    assert oids == [
        "1.3.6.1.2.1.1.3.0",
        f"{entry}.9.1.1",
        f"{entry}.9.1.2",
        f"{entry}.9.1.3",
    ]


def test_missing_objects_and_instances(at_calm: Live) -> None:
    target = at_calm.target("w7-nurses-laser")
    no_instance, no_object, no_alert_row = get(
        target,
        "1.3.6.1.2.1.1.5.1",  # sysName has only .0
        "1.3.6.1.2.1.99.1.0",  # nothing there
        f"{oid_text(PRT_ALERT_ENTRY)}.8.1.1",  # an (empty) table the agent implements
    )
    assert no_instance.startswith("No Such Instance")
    assert no_object.startswith("No Such Object")
    assert no_alert_row.startswith("No Such Instance")
    v1 = snmp("snmpget", target, "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.99.1.0", version="1")
    assert "noSuchName" in v1.stdout + v1.stderr
    assert "1.3.6.1.2.1.99.1.0" in v1.stdout + v1.stderr


def test_set_is_refused(at_calm: Live) -> None:
    done = snmp("snmpset", at_calm.target("w7-nurses-laser"), "1.3.6.1.2.1.1.6.0", "s", "Bin")
    assert done.returncode != 0
    assert "notWritable" in done.stdout + done.stderr


# --- moments in the schedule ---------------------------------------------------------------


def test_jam_shows_and_clears_over_snmp(live: Live) -> None:
    name = "w7-nurses-laser"
    jam = live.ward.model(name).jam
    assert jam is not None
    target = live.target(name)
    error_state = "1.3.6.1.2.1.25.3.5.1.2.1"
    device_status = "1.3.6.1.2.1.25.3.2.1.5.1"

    live.clock.t = jam.start(0) + 5
    bits, status = get(target, error_state, device_status)
    assert int(bits.split(": ")[1].split()[0], 16) & 0x04  # jammed
    assert status == "INTEGER: 5"  # down
    alerts = snmp("snmpwalk", target, f"{oid_text(PRT_ALERT_ENTRY)}.8")
    assert [v for _, v in lines(alerts.stdout)] == ['STRING: "Paper jam in tray 2"']

    live.clock.t = jam.start(0) + jam.duration + 5
    bits, status = get(target, error_state, device_status)
    assert not int(bits.split(": ")[1].split()[0], 16) & 0x04
    assert status in ("INTEGER: 2", "INTEGER: 3")  # running, or warning (low paper/toner)
    alerts = snmp("snmpwalk", target, f"{oid_text(PRT_ALERT_ENTRY)}.8")
    assert "Paper jam" not in alerts.stdout


def test_offline_printer_stops_answering_then_returns(live: Live) -> None:
    name = "w7-bayb-laser"
    outage = live.ward.model(name).outage
    assert outage is not None
    target = live.target(name)

    live.clock.t = outage.start(0) + 5
    down = snmp("snmpget", target, "1.3.6.1.2.1.1.3.0")
    assert down.returncode != 0
    assert "Timeout" in down.stderr + down.stdout

    live.clock.t = outage.start(0) + outage.duration + 3
    (uptime,) = get(target, "1.3.6.1.2.1.1.3.0")
    ticks = int(uptime.split("(")[1].split(")")[0])
    assert 0 <= ticks < 1000  # it rebooted: sysUpTime restarted


def test_wrong_community_gets_no_answer(at_calm: Live) -> None:
    name = "w7-office-colour"
    stats = at_calm.running.agent.stats(name)
    ignored = stats.ignored
    done = snmp("snmpget", at_calm.target(name), "1.3.6.1.2.1.1.1.0", community="private")
    assert done.returncode != 0
    assert "Timeout" in done.stderr + done.stdout
    assert stats.ignored == ignored + 1


def test_garbage_datagrams_do_not_kill_the_agent(at_calm: Live) -> None:
    name = "w7-reception-mfd"
    endpoint = at_calm.running.endpoint(name)
    stats = at_calm.running.agent.stats(name)
    malformed = stats.malformed
    junk = [
        b"",
        b"\x00\xff garbage \x13\x37",
        b"\x30\x82\xff\xff\x02\x01\x01",  # a length far past the end
        bytes.fromhex("302902010104067075626c6963a01c0204"),  # a GET cut short
        b"\x30\x03\x02\x01\x05",  # version 5: unknown, ignored
        os.urandom(512),
    ]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for datagram in junk:
            sock.sendto(datagram, (endpoint.address, endpoint.port))
    (descr,) = get(at_calm.target(name), "1.3.6.1.2.1.1.5.0")
    assert descr == 'STRING: "W7-RCP-IMC300F"'
    assert stats.malformed >= malformed + 4
