"""``wardfleet probe snmp://[COMMUNITY@]HOST[:PORT]``: identify one device and read its status.

Exit codes: 0 answered, 2 bad arguments, 3 no (usable) answer. Keys given on the command
line are used for this one probe and never written anywhere.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import unquote, urlsplit

from wardfleet.cli._common import add_v3_options
from wardfleet.domain.status import DeviceStatus
from wardfleet.protocols.snmp_credentials import (
    AuthProtocol,
    CredentialError,
    PrivProtocol,
    ResolvedCredential,
    SnmpVersion,
    community,
    usm,
)

if TYPE_CHECKING:  # pysnmp loads only when a probe runs: `wardfleet --help` stays fast
    from wardfleet.protocols.snmp import SnmpTarget
    from wardfleet.protocols.snmp_identify import Identification
    from wardfleet.protocols.snmp_plan import Probe

EXIT_OK, EXIT_USAGE, EXIT_NO_ANSWER = 0, 2, 3
_P = TypeVar("_P", AuthProtocol, PrivProtocol)

_AUTH_NAMES = {p.value.replace("-", "").lower(): p for p in AuthProtocol}
_PRIV_NAMES = {p.value.replace("-", "").lower(): p for p in PrivProtocol} | {
    "aes": PrivProtocol.AES128
}


class UsageError(ValueError):
    pass


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "probe",
        help="identify one SNMP device and read its supplies, trays and state",
        description="Identify one SNMP device and read its supplies, trays and state.",
    )
    parser.add_argument("url", help="snmp://[COMMUNITY@]HOST[:PORT] (community: public)")
    add_snmp_options(parser)
    add_v3_options(parser, user_help="SNMPv3 user (ignores the URL's community)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(run=run)


def add_snmp_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--timeout", type=float, default=2.0, help="seconds per try (2)")
    parser.add_argument("--retries", type=int, default=1, help="retries after a timeout (1)")
    parser.add_argument(
        "--snmp-version", choices=["1", "2c"], default="2c", help="for communities (2c)"
    )


def parse_url(url: str) -> tuple[str | None, str, int]:
    """``snmp://public@10.0.0.5:1161`` → ("public", "10.0.0.5", 1161)."""
    parts = urlsplit(url if "://" in url else f"snmp://{url}")
    if parts.scheme != "snmp":
        raise UsageError(f"expected snmp://[COMMUNITY@]HOST[:PORT], got {url!r}")
    try:
        port = parts.port or 161
    except ValueError as exc:
        raise UsageError(f"bad port in {url!r}") from exc
    if not parts.hostname:
        raise UsageError(f"no host in {url!r}")
    return (unquote(parts.username) if parts.username else None), parts.hostname, port


def credential_from_args(args: argparse.Namespace, url_community: str | None) -> ResolvedCredential:
    if args.v3_user:
        try:
            return usm(
                args.v3_user,
                auth_protocol=_protocol(args.auth_proto, _AUTH_NAMES, "auth"),
                auth_key=args.auth_key,
                priv_protocol=_protocol(args.priv_proto, _PRIV_NAMES, "priv"),
                priv_key=args.priv_key,
            )
        except CredentialError as exc:
            raise UsageError(str(exc)) from exc
    if args.auth_proto or args.priv_proto or args.auth_key or args.priv_key:
        raise UsageError("--auth-*/--priv-* need --v3-user")
    return community(url_community or "public", SnmpVersion(args.snmp_version))


def _protocol(name: str | None, table: dict[str, _P], what: str) -> _P | None:
    if name is None:
        return None
    key = name.replace("-", "").replace("_", "").lower()
    if key not in table:
        raise UsageError(f"unknown {what} protocol {name!r}")
    return table[key]


def check_timing(args: argparse.Namespace) -> None:
    if not 0 < args.timeout <= 60:
        raise UsageError("--timeout must be between 0 and 60 seconds")
    if not 0 <= args.retries <= 10:
        raise UsageError("--retries must be between 0 and 10")


def identification_dict(ident: Identification) -> dict[str, Any]:
    c = ident.classification
    return {
        "address": ident.address,
        "port": ident.port,
        "sys_descr": ident.sys_descr,
        "sys_name": ident.sys_name,
        "sys_object_id": ident.sys_object_id,
        "sys_location": ident.sys_location,
        "vendor": c.vendor,
        "brand": c.brand,
        "model": c.model,
        "serial": ident.serial,
        "mac": ident.mac,
        "kind": c.kind.value,
        "warnings": list(ident.warnings),
    }


def status_dict(status: DeviceStatus) -> dict[str, Any]:
    return {
        "state": status.state.value,
        "device_status": status.device_status,
        "printer_status": status.printer_status,
        "error_bits": list(status.error_bits),
        "supplies": [
            {
                "index": s.index,
                "description": s.description,
                "type": s.type,
                "class": s.supply_class,
                "unit": s.unit,
                "colour": s.colour,
                "level": s.level,
                "capacity": s.capacity,
                "percent": s.percent,
                "level_state": s.level_state.value,
            }
            for s in status.supplies
        ],
        "trays": [
            {
                "index": t.index,
                "name": t.name,
                "level": t.level,
                "capacity": t.capacity,
                "percent": t.percent,
                "level_state": t.level_state.value,
            }
            for t in status.trays
        ],
        "alerts": [
            {
                "code": a.code,
                "description": a.description,
                "severity": a.severity.value,
                "group": a.group,
            }
            for a in status.alerts
        ],
        "page_count": status.page_count,
        "uptime_s": status.uptime_s,
        "latency_ms": status.latency_ms,
        "errors": [f"{e.table}: {e.message}" for e in status.errors],
    }


def probe_dict(result: Probe) -> dict[str, Any]:
    return identification_dict(result.identification) | status_dict(result.status)


def _print_human(data: dict[str, Any]) -> None:
    title = " ".join(str(x) for x in (data["vendor"], data["model"]) if x) or "unknown device"
    print(f"{data['address']}:{data['port']}  {title}  [{data['kind']}]  state: {data['state']}")
    for label in ("sys_name", "serial", "mac", "page_count"):
        if data.get(label) is not None:
            print(f"  {label.replace('_', ' ')}: {data[label]}")
    for s in data["supplies"]:
        amount = f"{s['percent']:.0f} %" if s["percent"] is not None else s["level_state"]
        print(f"  supply {s['index']:>6}  {amount:>15}  {s['description']}")
    for t in data["trays"]:
        amount = f"{t['percent']:.0f} %" if t["percent"] is not None else t["level_state"]
        print(f"  tray   {t['index']:>6}  {amount:>15}  {t['name']}")
    for a in data["alerts"]:
        print(f"  alert  {a['severity']:>8}  {a['code']}: {a['description']}")
    for line in data["error_bits"]:
        print(f"  error bit: {line}")
    for line in data["warnings"] + data["errors"]:
        print(f"  ! {line}")


async def _probe(target: SnmpTarget, credential: ResolvedCredential) -> Probe:
    from wardfleet.protocols.snmp import SnmpSession, close_engine
    from wardfleet.protocols.snmp_plan import probe

    try:
        return await probe(SnmpSession(target, credential))
    finally:
        close_engine()


def run(args: argparse.Namespace) -> int:
    try:
        url_community, host, port = parse_url(args.url)
        check_timing(args)
        credential = credential_from_args(args, url_community)
    except UsageError as exc:
        print(f"wardfleet probe: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from wardfleet.protocols.snmp import SnmpError, SnmpTarget

    target = SnmpTarget(host, port, args.timeout, args.retries)
    try:
        result = asyncio.run(_probe(target, credential))
    except SnmpError as exc:
        print(f"wardfleet probe: {exc}", file=sys.stderr)
        return EXIT_NO_ANSWER
    data = probe_dict(result)
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        _print_human(data)
    return EXIT_OK
