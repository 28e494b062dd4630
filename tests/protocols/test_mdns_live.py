"""The mDNS browser against a real python-zeroconf responder, both inside a private network
namespace: adds, TXT updates and removals arrive within 3 s, hostile TXT is survived, and
the watch merges and marks devices "not seen via mDNS".

The browser is the real ``wardfleet browse --watch --json`` running in the namespace: a
browser in the test process would use the host's interfaces.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.peers.mdns import NetNs
from wardfleet.store import Store

pytestmark = pytest.mark.peer("netns")

EVENT_TIMEOUT = 3.0  # correctness bound: an mDNS change must reach the browser this fast
# A snapshot browse must outlast the browser's second query (~1 s after start): the answer
# to its first (QU, unicast) query can land on another process's socket bound to 5353 when
# browser and responder share one loopback, so only the multicast answer is certain.
SNAPSHOT_SECONDS = "2.5"

# A responder driven by JSON lines on stdin; answers "ok" (or the error) per command.
PUBLISHER = r"""
import asyncio, json, socket, sys
from zeroconf import IPVersion, ServiceInfo
from zeroconf.asyncio import AsyncZeroconf

async def main():
    zc = AsyncZeroconf(interfaces=["127.0.0.1"], ip_version=IPVersion.V4Only)
    infos = {}
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := await reader.readline():
        cmd = json.loads(line)
        try:
            if cmd["op"] == "unregister":
                await (await zc.async_unregister_service(infos.pop(cmd["name"])))
            else:
                kind = cmd["type"] + ".local."
                info = ServiceInfo(
                    kind, cmd["name"] + "." + kind, port=cmd["port"],
                    properties=bytes.fromhex(cmd["txt"]), server=cmd["host"] + ".local.",
                    addresses=[socket.inet_aton("127.0.0.1")],
                )
                if cmd["op"] == "register":
                    await (await zc.async_register_service(info))
                else:
                    await (await zc.async_update_service(info))
                infos[cmd["name"]] = info
            print("ok", flush=True)
        except Exception as exc:
            print("error", repr(exc), flush=True)
    await zc.async_close()

asyncio.run(main())
"""


def txt_wire(*strings: bytes) -> str:
    return b"".join(bytes([len(s)]) + s for s in strings).hex()


class Lines:
    """Lines from a child's stdout, waited for with a deadline (never blocks past it)."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        self.proc = proc
        self.fd = proc.stdout.fileno()
        self.buffer = b""
        self.seen: list[str] = []

    def next(self, predicate: Callable[[str], bool], timeout: float, what: str) -> str:
        deadline = time.monotonic() + timeout
        while True:
            while b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                text = line.decode()
                self.seen.append(text)
                if predicate(text):
                    return text
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.fd], [], [], remaining)[0]:
                raise AssertionError(f"no {what} within {timeout:g} s; saw {self.seen}")
            chunk = os.read(self.fd, 65536)
            if not chunk:
                raise AssertionError(f"stream ended before {what}; saw {self.seen}")
            self.buffer += chunk


class Publisher:
    def __init__(self, ns: NetNs) -> None:
        self.proc = subprocess.Popen(
            ns.argv([sys.executable, "-c", PUBLISHER]),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self.lines = Lines(self.proc)

    def send(self, **cmd: Any) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(cmd).encode() + b"\n")
        self.proc.stdin.flush()
        answer = self.lines.next(lambda _: True, 10.0, f"answer to {cmd['op']}")
        assert answer == "ok", answer

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def start_browser(ns: NetNs, data_dir: Path, *args: str) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "wardfleet", "--data-dir", str(data_dir), "browse"]
    proc = subprocess.Popen(
        ns.argv([*argv, "--watch", "--json", "--seconds", "60", *args]),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_listening(ns, proc)
    except BaseException:
        stop_browser(proc)
        raise
    return proc


def wait_listening(ns: NetNs, proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Until the browser holds its mDNS socket, so a 3 s bound times mDNS, not start-up."""
    deadline = time.monotonic() + timeout
    while f"pid={proc.pid}," not in ns.run(["ss", "-Hulnp", "sport = :5353"]).stdout:
        if proc.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"browser not listening on 5353 (exit {proc.poll()})")
        time.sleep(0.05)


def stop_browser(proc: subprocess.Popen[bytes]) -> tuple[int, str]:
    """SIGINT (a clean shutdown through the CLI), then wait; kill only if it hangs."""
    if proc.poll() is None:
        # The namespace wrapper execs the browser, so the pid is the browser's own.
        os.kill(proc.pid, signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate(timeout=5)
    return proc.returncode, err.decode(errors="replace")


@pytest.fixture
def publisher(netns: NetNs) -> Iterator[Publisher]:
    pub = Publisher(netns)
    try:
        yield pub
    finally:
        pub.close()


def event(kind: str, name: str) -> Callable[[str], bool]:
    def matches(line: str) -> bool:
        record = json.loads(line)
        return bool(record["event"] == kind and record["name"] == name)

    return matches


def test_add_update_and_remove_arrive_within_3_s_and_are_recorded(
    netns: NetNs, publisher: Publisher, tmp_path: Path
) -> None:
    name = "Ward 5 Printer"
    browser = start_browser(netns, tmp_path, "--type", "_ipp._tcp")
    try:
        out = Lines(browser)
        first = txt_wire(
            b"txtvers=1", b"ty=HP LaserJet M404dn", b"note=Ward 5", b"UUID=" + b"5" * 32
        )
        t0 = time.monotonic()
        publisher.send(op="register", name=name, type="_ipp._tcp", port=631, host="w5", txt=first)
        # Registration itself probes for ~0.75 s before announcing; the browser then has 3 s.
        added = json.loads(out.next(event("added", name), EVENT_TIMEOUT + 1.0, "add"))
        assert time.monotonic() - t0 < EVENT_TIMEOUT + 1.0
        assert added["txt"]["note"] == "Ward 5" and added["port"] == 631
        assert added["addresses"] == ["127.0.0.1"] and added["host"] == "w5.local"
        assert added["kind"] == "printer" and added["vendor"] == "HP"
        assert added["device_id"]

        second = txt_wire(b"txtvers=1", b"ty=HP LaserJet M404dn", b"note=Ward 5 (moved)")
        t0 = time.monotonic()
        publisher.send(op="update", name=name, type="_ipp._tcp", port=631, host="w5", txt=second)
        updated = json.loads(out.next(event("updated", name), EVENT_TIMEOUT, "TXT update"))
        assert time.monotonic() - t0 < EVENT_TIMEOUT
        assert updated["txt"]["note"] == "Ward 5 (moved)"
        assert updated["device_id"] == added["device_id"]

        t0 = time.monotonic()
        publisher.send(op="unregister", name=name)
        removed = json.loads(out.next(event("removed", name), EVENT_TIMEOUT, "removal"))
        assert time.monotonic() - t0 < EVENT_TIMEOUT
        assert removed["device_id"] == added["device_id"]
    finally:
        code, err = stop_browser(browser)
    assert code == 0, err

    store = Store.open(tmp_path / "wardfleet.sqlite3")
    try:
        device = store.get_device(added["device_id"])
        assert device is not None  # not deleted: only "not seen via mDNS"
        assert device.location == "Ward 5"  # a person's field, filled once, never rewritten
        last_seen, gone_since = store.protocol_presence(device.id)["mdns"]
        assert gone_since is not None and gone_since >= last_seen
    finally:
        store.close()


HOSTILE_NAME = "<b>Ward</b> <img src=x>"


def test_hostile_txt_is_survived_flagged_and_kept_as_plain_text(
    netns: NetNs, publisher: Publisher, tmp_path: Path
) -> None:
    txt = txt_wire(
        b"ty=<b>Bold</b> LaserJet",
        b"note=<img src=x onerror=alert(1)>",
        b"note=second note",  # duplicate: the first counts
        b"NOTE=third",
        b"bad=\xff\xfe\xc3\x28",  # not UTF-8
        b"=no key",
        b"",
        *(f"pad{i}=".encode() + b"x" * 240 for i in range(6)),  # ~1.5 KB: oversized
    )
    browser = start_browser(netns, tmp_path, "--type", "_ipp._tcp")
    try:
        out = Lines(browser)
        publisher.send(
            op="register", name=HOSTILE_NAME, type="_ipp._tcp", port=8631, host="evil", txt=txt
        )
        record = json.loads(out.next(event("added", HOSTILE_NAME), 6.0, "hostile advert"))
    finally:
        code, err = stop_browser(browser)
    assert code == 0, err
    assert record["name"] == HOSTILE_NAME
    assert record["txt"]["note"] == "<img src=x onerror=alert(1)>"
    assert record["txt"]["ty"] == "<b>Bold</b> LaserJet"
    assert record["txt"]["bad"].startswith("\ufffd")
    assert len(record["txt"]["pad5"]) == 240
    warnings = " | ".join(record["txt_warnings"])
    for expected in ("duplicate key 'note'", "duplicate key 'NOTE'", "'bad' is not valid UTF-8"):
        assert expected in warnings
    assert "without a key" in warnings and "oversized record" in warnings

    store = Store.open(tmp_path / "wardfleet.sqlite3")
    try:
        (device,) = store.list_devices()
        assert device.name == HOSTILE_NAME  # stored verbatim; the UI shows it as plain text
        assert device.location == "<img src=x onerror=alert(1)>"
    finally:
        store.close()


def test_printer_and_scanner_of_one_host_make_one_mfd(
    netns: NetNs, publisher: Publisher, tmp_path: Path
) -> None:
    uuid = b"UUID=6a3bd6d8-1c53-4b8f-9d5e-2f0a3c5b9e11"
    browser = start_browser(netns, tmp_path, "--type", "_ipp._tcp", "--type", "_uscan._tcp")
    try:
        out = Lines(browser)
        publisher.send(
            op="register", name="Ward 6", type="_ipp._tcp", port=631, host="mfd6",
            txt=txt_wire(b"ty=Kyocera ECOSYS M2540dn", uuid),
        )  # fmt: skip
        out.next(event("added", "Ward 6"), 6.0, "printer")
        publisher.send(
            op="register", name="Ward 6 Scan", type="_uscan._tcp", port=9095, host="mfd6",
            txt=txt_wire(b"ty=Kyocera ECOSYS M2540dn", b"uuid=" + uuid[5:], b"rs=eSCL"),
        )  # fmt: skip
        scanner = json.loads(out.next(event("added", "Ward 6 Scan"), 6.0, "scanner"))
        publisher.send(op="unregister", name="Ward 6 Scan")
        scan_gone = json.loads(
            out.next(event("removed", "Ward 6 Scan"), EVENT_TIMEOUT, "scanner removal")
        )
        publisher.send(op="unregister", name="Ward 6")
        last = json.loads(out.next(event("removed", "Ward 6"), EVENT_TIMEOUT, "printer removal"))
    finally:
        code, err = stop_browser(browser)
    assert code == 0, err
    assert scanner["kind"] == "mfd"
    store = Store.open(tmp_path / "wardfleet.sqlite3")
    try:
        (device,) = store.list_devices()
        assert device.kind.value == "mfd"
        # Only the last advert's removal marks the device gone.
        assert scan_gone["device_id"] is None and last["device_id"] == device.id
        assert store.protocol_presence(device.id)["mdns"][1] is not None
    finally:
        store.close()


def run_browse(ns: NetNs, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "wardfleet", "browse", "--no-store", *args]
    return ns.run(cmd, timeout=30)


def test_nothing_advertised_exits_3_with_a_reason(netns: NetNs) -> None:
    result = run_browse(netns, "--seconds", "0.5")
    assert result.returncode == 3 and result.stdout == ""
    assert result.stderr == "wardfleet browse: no services found in 0.5 s\n"


def test_an_unknown_interface_exits_2(netns: NetNs) -> None:
    result = run_browse(netns, "--interface", "eth9", "--seconds", "0.5")
    assert result.returncode == 2
    assert result.stderr.startswith("wardfleet browse: no such network interface: eth9 (known:")


def test_text_output_is_one_line_per_service(netns: NetNs, publisher: Publisher) -> None:
    publisher.send(
        op="register", name="Ward 8 <b>", type="_ipp._tcp", port=631, host="w8",
        txt=txt_wire(b"ty=Brother HL-L2350DW"),
    )  # fmt: skip
    result = run_browse(
        netns, "--type", "_ipp._tcp", "--seconds", SNAPSHOT_SECONDS, "--interface", "lo"
    )
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    assert line.split()[:3] == ["Ward", "8", "<b>"] and line.split()[-1] == "printer"
