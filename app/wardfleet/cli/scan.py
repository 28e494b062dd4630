"""``wardfleet scan TARGETS...``: find SNMP devices in ranges; one JSON line per device.

Exit codes: 0 found at least one, 2 bad arguments, 3 nothing answered.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from wardfleet.cli.probe import (
    EXIT_NO_ANSWER,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    add_snmp_options,
    check_timing,
    identification_dict,
)
from wardfleet.protocols.snmp_credentials import ResolvedCredential, SnmpVersion, community
from wardfleet.protocols.snmp_sweep import (
    DEFAULT_CONCURRENCY,
    DEFAULT_RATE,
    SweepHit,
    TargetError,
    TargetSet,
    parse_targets,
    sweep,
)


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "scan",
        help="find SNMP devices in address ranges",
        description="Find SNMP devices: CIDR blocks, ranges (10.0.0.5-40), lists, names.",
    )
    parser.add_argument("targets", nargs="+", help="10.0.0.0/24, 10.0.0.5-40, host, a,b")
    parser.add_argument("--exclude", nargs="+", default=[], metavar="TARGET")
    parser.add_argument("--port", type=int, default=161)
    parser.add_argument(
        "--community", action="append", default=None, help="try in order (repeatable)"
    )
    parser.add_argument("--rate", type=float, default=DEFAULT_RATE, help="packets/s (50)")
    parser.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY)
    parser.add_argument("--force", action="store_true", help="allow more than 65536 hosts")
    add_snmp_options(parser)
    parser.set_defaults(timeout=1.0, retries=0)
    parser.add_argument("--json", action="store_true", help="one JSON object per device")
    parser.set_defaults(run=run)


def _check(args: argparse.Namespace) -> TargetSet:
    check_timing(args)
    if not 0 < args.port < 65536:
        raise UsageError("--port must be 1-65535")
    if not 0 < args.rate <= 10_000:
        raise UsageError("--rate must be between 0 and 10000 packets per second")
    if not 0 < args.concurrency <= 1024:
        raise UsageError("--concurrency must be between 1 and 1024")
    try:
        return parse_targets(args.targets, exclude=args.exclude, force=args.force)
    except TargetError as exc:
        raise UsageError(str(exc)) from exc


async def _scan(
    targets: TargetSet, credentials: list[ResolvedCredential], args: argparse.Namespace
) -> int:
    from wardfleet.protocols.snmp import close_engine

    found = 0
    try:
        async for hit in sweep(
            targets,
            credentials,
            port=args.port,
            timeout_s=args.timeout,
            retries=args.retries,
            rate=args.rate,
            concurrency=args.concurrency,
        ):
            found += 1
            _emit(hit, json_lines=args.json)
    finally:
        close_engine()
    return found


def _emit(hit: SweepHit, *, json_lines: bool) -> None:
    data = identification_dict(hit.identification) | {"credential": hit.credential.label}
    if json_lines:
        print(json.dumps(data, ensure_ascii=False), flush=True)
        return
    title = " ".join(str(x) for x in (data["vendor"], data["model"]) if x) or "?"
    print(f"{data['address']:<16} {data['kind']:<14} {title:<40} {data['sys_name'] or ''}")


def run(args: argparse.Namespace) -> int:
    try:
        targets = _check(args)
    except UsageError as exc:
        print(f"wardfleet scan: {exc}", file=sys.stderr)
        return EXIT_USAGE
    version = SnmpVersion(args.snmp_version)
    credentials = [community(c, version) for c in (args.community or ["public"])]
    found = asyncio.run(_scan(targets, credentials, args))
    if not found:
        print(f"wardfleet scan: no SNMP answer from {len(targets)} hosts", file=sys.stderr)
        return EXIT_NO_ANSWER
    return EXIT_OK
