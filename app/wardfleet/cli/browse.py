"""``wardfleet browse``: find printers and scanners by DNS-SD (mDNS and unicast DNS).

``local`` (the default domain) is browsed with mDNS; any other domain with unicast DNS-SD.
Found services are merged into the local inventory unless ``--no-store``. With ``--watch``
it keeps going, printing services as they are added, updated and removed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import json
import re
import signal
import sys
from collections.abc import Awaitable
from typing import Any

from wardfleet.cli._common import STORE_ERRORS, open_store
from wardfleet.domain.kinds import DeviceKind
from wardfleet.domain.observation import Observation
from wardfleet.protocols.dnssd import ResolvedService, ServiceGone, service_observation, split_type
from wardfleet.protocols.dnssd_kind import DEFAULT_TYPES
from wardfleet.protocols.dnssd_unicast import UnicastConfig, browse_unicast
from wardfleet.protocols.mdns import MdnsBrowser, MdnsConfig, MdnsDiscoverer
from wardfleet.services.discovery import merge_observation
from wardfleet.services.events import ActivityEvent
from wardfleet.services.mdns_watch import LiveWatch
from wardfleet.store import Store
from wardfleet.store.db import DiskFullError

EXIT_OK, EXIT_FAILED, EXIT_BAD_ARGS, EXIT_NOTHING = 0, 1, 2, 3
DEFAULT_SECONDS = 3.0
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "browse",
        help="find printers and scanners by mDNS / DNS-SD",
        description="Browse for printers and scanners with mDNS (domain 'local') and unicast "
        "DNS-SD (any other domain), and merge what is found into the local inventory. "
        "Exit 0 when something was found, 3 when nothing was, 2 for bad arguments.",
    )
    p.add_argument(
        "--seconds",
        type=float,
        default=None,
        metavar="N",
        help=f"how long to listen (default {DEFAULT_SECONDS:g}; with --watch, until stopped)",
    )
    p.add_argument(
        "--type",
        action="append",
        default=[],
        dest="types",
        metavar="T",
        help="service type to browse, e.g. _ipp._tcp; _x._tcp=monitor also sets the device "
        "kind (repeatable; default: printer and scanner types)",
    )
    p.add_argument(
        "--domain",
        action="append",
        default=[],
        dest="domains",
        metavar="D",
        help="'local' for mDNS (the default) or a DNS domain for unicast DNS-SD (repeatable)",
    )
    p.add_argument(
        "--nameserver",
        metavar="HOST[:PORT]",
        default=None,
        help="DNS server (an IP address) for unicast DNS-SD; default: the system's",
    )
    p.add_argument(
        "--interface",
        action="append",
        default=[],
        dest="interfaces",
        metavar="NAME",
        help="network interface for mDNS (repeatable; default: all but loopback)",
    )
    p.add_argument("--json", action="store_true", help="one JSON object per service")
    p.add_argument(
        "--watch", action="store_true", help="keep browsing and report additions and removals"
    )
    p.add_argument(
        "--no-store", action="store_true", help="only report; do not merge into the inventory"
    )
    p.set_defaults(run=run)


class _BadArgs(ValueError):
    pass


def parse_nameserver(text: str) -> tuple[str, int]:
    """``10.0.0.53``, ``10.0.0.53:5353``, ``[fd00::53]:5353`` or ``fd00::53``."""
    text = text.strip()
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port_text = rest.removeprefix(":") or "53"
    elif text.count(":") == 1:
        host, port_text = text.split(":")
    else:
        host, port_text = text, "53"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise _BadArgs(f"nameserver must be an IP address, not {host!r}") from None
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise _BadArgs(f"bad nameserver port {port_text!r}")
    return host, int(port_text)


def parse_types(values: list[str]) -> tuple[tuple[str, ...], dict[str, DeviceKind]]:
    if not values:
        return DEFAULT_TYPES, {}
    plain: list[str] = []
    other: dict[str, DeviceKind] = {}
    kinds = ", ".join(k.value for k in DeviceKind)
    for value in values:
        name, _, kind = value.partition("=")
        try:
            service_type = split_type(name)[0]
        except ValueError as exc:
            raise _BadArgs(str(exc)) from None
        if not kind:
            plain.append(service_type)
            continue
        try:
            other[service_type] = DeviceKind(kind.strip().casefold())
        except ValueError:
            raise _BadArgs(f"unknown kind {kind!r} (one of: {kinds})") from None
    return tuple(plain), other


class _Options:
    def __init__(self, args: argparse.Namespace) -> None:
        if args.seconds is not None and not 0 < args.seconds <= 86400:
            raise _BadArgs("--seconds must be between 0 and 86400")
        self.seconds: float | None = args.seconds
        if self.seconds is None and not args.watch:
            self.seconds = DEFAULT_SECONDS
        self.types, self.other_types = parse_types(args.types)
        domains = [d.strip().rstrip(".").casefold() for d in args.domains] or ["local"]
        if any(not d for d in domains):
            raise _BadArgs("empty --domain")
        self.mdns = "local" in domains
        self.unicast_domains = tuple(d for d in dict.fromkeys(domains) if d != "local")
        if args.nameserver and not self.unicast_domains:
            raise _BadArgs("--nameserver needs a unicast --domain (not 'local')")
        if args.interfaces and not self.mdns:
            raise _BadArgs("--interface applies to mDNS only (add --domain local)")
        self.nameserver = parse_nameserver(args.nameserver) if args.nameserver else None
        self.interfaces = tuple(args.interfaces)
        self.json: bool = args.json
        self.watch: bool = args.watch

    def mdns_config(self) -> MdnsConfig:
        return MdnsConfig(self.types, self.other_types, self.interfaces)

    def unicast_config(self) -> UnicastConfig:
        host, port = self.nameserver if self.nameserver else (None, 53)
        deadline = min(self.seconds or 10.0, 30.0)
        return UnicastConfig(
            self.unicast_domains, host, port, self.types, self.other_types, deadline_s=deadline
        )


def service_json(service: ResolvedService, obs: Observation | None) -> dict[str, Any]:
    return {
        "name": service.instance,
        "type": service.service_type,
        "domain": service.domain,
        "protocol": service.protocol.value,
        "host": service.host,
        "addresses": list(service.addresses),
        "port": service.port,
        "txt": service.txt.as_dict(),
        "txt_warnings": list(service.txt.warnings),
        "kind": obs.kind.value if obs and obs.kind else None,
        "vendor": obs.vendor if obs else None,
        "model": obs.model if obs else None,
        "uuid": obs.identity.uuid if obs else None,
        "location": obs.location if obs else None,
    }


def _plain(text: str) -> str:
    return _CONTROL.sub("\ufffd", text)  # device text must not drive the terminal


class _Printer:
    def __init__(self, as_json: bool, watch: bool) -> None:
        self.as_json = as_json
        self.watch = watch
        self.found = 0

    def service(self, record: dict[str, Any], event: str) -> None:
        self.found += 1
        if self.watch:
            record = {"event": event, **record}
        if self.as_json:
            print(json.dumps(record, ensure_ascii=False), flush=True)
            return
        address = (record["addresses"] or ["-"])[0]
        prefix = f"{event:<8} " if self.watch else ""
        print(
            _plain(
                f"{prefix}{record['name']:<32} {record['type']:<21} {address:<16} "
                f"{record['port']:<5} {record['kind'] or '-'}"
            ),
            flush=True,
        )

    def removed(self, gone: ServiceGone, device_id: str | None) -> None:
        if self.as_json:
            record = {
                "event": "removed",
                "name": gone.instance,
                "type": gone.service_type,
                "domain": gone.domain,
                "protocol": gone.protocol.value,
                "device_id": device_id,
            }
            print(json.dumps(record, ensure_ascii=False), flush=True)
        else:
            print(_plain(f"{'removed':<8} {gone.instance:<32} {gone.service_type}"), flush=True)


class _Quiet:
    def inventory_changed(self, device_ids: list[str]) -> None:
        pass

    def activity(self, event: ActivityEvent) -> None:
        pass


async def _merge(store: Store | None, obs: Observation | None) -> str | None:
    if store is None or obs is None:
        return None
    outcome = await asyncio.to_thread(merge_observation, store, obs)
    return outcome.device_id


async def _until_stopped(seconds: float | None) -> None:
    """Wait ``seconds`` (forever if None), or until SIGINT/SIGTERM."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on Windows
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)
    try:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), seconds)
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


async def _browse_mdns(opts: _Options, store: Store | None, out: _Printer) -> None:
    browser = MdnsBrowser(opts.mdns_config())
    if not opts.watch:

        async def ignore(_: object) -> None:
            return None

        await browser.start(ignore, ignore)
        try:
            await _until_stopped(opts.seconds)
        finally:
            await browser.stop()
        for service in browser.services():
            obs = service_observation(service)
            out.service({**service_json(service, obs), "device_id": await _merge(store, obs)}, "")
        return

    # The browser is driven here, to print each service as it is; the watch does only the
    # store side (merging, and "not seen via mDNS" when an advert is withdrawn).
    watch = LiveWatch(store, MdnsDiscoverer(browser=browser), _Quiet()) if store else None
    seen: set[str] = set()

    async def resolved(service: ResolvedService) -> None:
        obs = service_observation(service)
        outcome = await watch.observed(service.key, obs) if watch and obs else None
        event = "updated" if service.key in seen else "added"
        seen.add(service.key)
        device_id = outcome.device_id if outcome else None
        out.service({**service_json(service, obs), "device_id": device_id}, event)

    async def gone(event: ServiceGone) -> None:
        device_id = await watch.removed(event.key, event.seen_at) if watch else None
        out.removed(event, device_id)

    await browser.start(resolved, gone)
    try:
        await _until_stopped(opts.seconds)
    finally:
        await browser.stop()


async def _browse_unicast(opts: _Options, store: Store | None, out: _Printer) -> None:
    result = await browse_unicast(opts.unicast_config())
    for warning in result.warnings:
        print(f"wardfleet browse: {_plain(warning)}", file=sys.stderr)
    for service in result.services:
        obs = service_observation(service)
        out.service({**service_json(service, obs), "device_id": await _merge(store, obs)}, "added")


async def _main(opts: _Options, store: Store | None, out: _Printer) -> None:
    jobs: list[Awaitable[None]] = []
    if opts.unicast_domains:
        jobs.append(_browse_unicast(opts, store, out))
    if opts.mdns:
        jobs.append(_browse_mdns(opts, store, out))
    await asyncio.gather(*jobs)


def fail(text: str) -> None:
    print(f"wardfleet browse: {text}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    try:
        opts = _Options(args)
    except _BadArgs as exc:
        fail(str(exc))
        return EXIT_BAD_ARGS
    store = None
    if not args.no_store:
        try:
            store = open_store(args)
        except STORE_ERRORS as exc:
            fail(str(exc))
            return EXIT_FAILED
    out = _Printer(opts.json, opts.watch)
    try:
        asyncio.run(_main(opts, store, out))
    except ValueError as exc:  # an unknown interface, a bad domain, no DNS server
        fail(str(exc))
        return EXIT_BAD_ARGS
    except OSError as exc:
        fail(f"cannot browse: {exc}")
        return EXIT_FAILED
    except DiskFullError as exc:
        fail(f"could not record what was found: {exc}")
        return EXIT_FAILED
    finally:
        if store is not None:
            store.close()
    if not out.found:
        fail(f"no services found{f' in {opts.seconds:g} s' if opts.seconds else ''}")
        return EXIT_NOTHING
    return EXIT_OK
