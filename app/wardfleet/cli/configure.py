"""``wardfleet configure snmp://COMMUNITY@HOST[:PORT] --set name=... --set location=...``

Plans the change (reads the current values and prints current → new), asks for
confirmation, applies it setting by setting with a read-back after each SET, and rolls the
device back if a later setting fails. Every step is written to the local audit log.

Exit codes: 0 all applied (or nothing to change, or a dry run), 2 bad arguments or no
confirmation, 3 no answer from the device, 4 not applied: a setting was refused and the
device was left (rolled back to) as it was — or the rollback failed, which is said.
Without ``--yes`` or ``--dry-run`` it asks on a terminal and refuses when stdin is not one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from wardfleet.cli import EXIT_BAD_ARGS, EXIT_NO_ANSWER, EXIT_OK, EXIT_ROLLED_BACK
from wardfleet.cli._common import STORE_ERRORS, actor, add_v3_options, fail, open_store
from wardfleet.cli.probe import (
    UsageError,
    add_snmp_options,
    check_timing,
    credential_from_args,
    parse_url,
)
from wardfleet.services.deploy import (
    SNMP_SETTINGS,
    DeviceResult,
    Outcome,
    Plan,
    PlanRow,
    Setting,
    SettingError,
    can_apply,
    parse_expert,
)
from wardfleet.store import Store

PROG = "wardfleet configure"


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "configure",
        help="change an SNMP device's name, location and contact (plan, apply, verify)",
        description="Change settings on one SNMP device: shows the plan (current → new), "
        "applies it with a read-back after each SET, and rolls the device back if a "
        "setting fails. Every step goes to the local audit log.",
    )
    parser.add_argument("url", help="snmp://COMMUNITY@HOST[:PORT] (a read-write community)")
    parser.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="name=..., location=... or contact=... (sysName, sysLocation, sysContact); "
        "repeat for several, applied in the order given",
    )
    parser.add_argument(
        "--oid",
        dest="expert",
        action="append",
        default=[],
        metavar="'OID = TYPE:VALUE'",
        help="expert: a raw SET, types as snmpset (i u s x o a t), "
        "e.g. '1.3.6.1.2.1.1.6.0 = s:Ward 4'",
    )
    add_snmp_options(parser)
    add_v3_options(parser, user_help="SNMPv3 user (ignores the URL's community)")
    parser.add_argument("--dry-run", action="store_true", help="show the plan, change nothing")
    parser.add_argument("--yes", action="store_true", help="apply without asking")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(run=run)


def parse_settings(args: argparse.Namespace) -> list[tuple[Setting, str]]:
    desired: list[tuple[Setting, str]] = []
    for item in args.settings:
        key, sep, value = item.partition("=")
        key = key.strip().lower()
        if not sep or key not in SNMP_SETTINGS:
            raise UsageError(f"--set takes name=..., location=... or contact=..., got {item!r}")
        desired.append((SNMP_SETTINGS[key], value))
    for entry in args.expert:
        try:
            desired.append(parse_expert(entry))
        except SettingError as exc:
            raise UsageError(str(exc)) from exc
    if not desired:
        raise UsageError("nothing to set: give --set KEY=VALUE or --oid 'OID = TYPE:VALUE'")
    keys = [s.key for s, _ in desired]
    if len(set(keys)) != len(keys):
        raise UsageError("each setting may be given once")
    return desired


def row_dict(row: PlanRow) -> dict[str, Any]:
    return {
        "device": row.device,
        "setting": row.setting.key,
        "label": row.setting.label,
        "current": row.current,
        "new": row.new,
        "changes": row.changes,
        "protocol": row.protocol,
        "credential": row.credential,
    }


def result_dict(result: DeviceResult) -> dict[str, Any]:
    return {
        "device": result.device,
        "outcome": result.outcome.value,
        "reason": result.reason,
        "settings": [
            {
                "setting": s.setting.key,
                "label": s.setting.label,
                "before": s.before,
                "desired": s.desired,
                "status": s.status,
                "verified": s.verified,
                "error": s.error,
                "rollback_verified": s.rollback_verified,
            }
            for s in result.settings
        ],
    }


def _print_plan(plan: Plan) -> None:
    for device in plan.devices:
        if device.error:
            print(f"{device.job.endpoint.device}: cannot read current values: {device.error}")
        for row in device.rows:
            mark = "" if row.changes else "  (unchanged)"
            print(
                f"{row.device}  {row.setting.label}: {row.current!r} → {row.new!r}"
                f"  [{row.protocol}, {row.credential}]{mark}"
            )


def _print_results(results: list[DeviceResult]) -> None:
    for result in results:
        reason = f": {result.reason}" if result.reason else ""
        print(f"{result.device}  {result.outcome.value}{reason}")
        for s in result.settings:
            extra = f" (read back {s.verified!r})" if s.verified is not None else ""
            if s.rollback_verified is not None:
                extra += f" (restored {s.rollback_verified!r})"
            error = f" — {s.error}" if s.error else ""
            print(f"  {s.setting.label}: {s.status}{extra}{error}")


def _ask(count: int) -> bool:
    try:
        answer = input(f"Apply {count} change(s)? [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def exit_code(results: list[DeviceResult]) -> int:
    outcomes = {r.outcome for r in results}
    if outcomes <= {Outcome.APPLIED, Outcome.UNCHANGED}:
        return EXIT_OK
    if Outcome.NO_ANSWER in outcomes:
        return EXIT_NO_ANSWER
    return EXIT_ROLLED_BACK


def run(args: argparse.Namespace) -> int:
    try:
        url_community, host, port = parse_url(args.url)
        check_timing(args)
        credential = credential_from_args(args, url_community)
        desired = parse_settings(args)
    except UsageError as exc:
        return fail(PROG, exc, EXIT_BAD_ARGS)
    if args.dry_run and args.yes:
        return fail(PROG, "--dry-run and --yes contradict each other", EXIT_BAD_ARGS)
    if not (args.yes or args.dry_run) and not sys.stdin.isatty():
        return fail(
            PROG,
            "stdin is not a terminal, so it cannot ask for confirmation: "
            "give --yes to apply or --dry-run to only show the plan",
            EXIT_BAD_ARGS,
        )
    try:
        store = open_store(args)
    except STORE_ERRORS as exc:
        return fail(PROG, exc, 1)
    try:
        role = store.sync_value("role")  # set by the hub settings, when they say
        if not args.dry_run and not can_apply(role):
            return fail(
                PROG,
                f"your role '{role}' may not apply changes (only ward-lead or admin)",
                EXIT_BAD_ARGS,
            )
        return asyncio.run(_main(args, store, role, host, port, credential, desired))
    finally:
        store.close()


async def _main(
    args: argparse.Namespace,
    store: Store,
    role: str | None,
    host: str,
    port: int,
    credential: Any,
    desired: list[tuple[Setting, str]],
) -> int:
    from wardfleet.protocols.snmp import SnmpSession, SnmpTarget, close_engine
    from wardfleet.services.deploy import Deployer, DeviceJob, SnmpEndpoint

    session = SnmpSession(SnmpTarget(host, port, args.timeout, args.retries), credential)
    deployer = Deployer(store, actor=actor(), role=role, concurrency=1)
    try:
        plan = await deployer.plan([DeviceJob(SnmpEndpoint(session), tuple(desired))])
        out: dict[str, Any] = {"plan": [row_dict(r) for r in plan.rows]}
        warnings = list(credential.warnings)
        error = plan.devices[0].error
        if error is not None:
            out |= {"outcome": Outcome.NO_ANSWER.value, "reason": error, "results": None}
            _emit(args, out, plan, None, warnings)
            return EXIT_NO_ANSWER
        if args.dry_run or plan.change_count == 0:
            out |= {"outcome": "dry-run" if args.dry_run else "unchanged", "results": None}
            _emit(args, out, plan, None, warnings)
            return EXIT_OK
        if not args.yes:
            if not args.json:
                _print_plan(plan)
            if not await asyncio.to_thread(_ask, plan.change_count):
                return fail(PROG, "not confirmed; nothing changed", EXIT_BAD_ARGS)
        results = await deployer.apply(plan)
        out |= {
            "outcome": results[0].outcome.value,
            "reason": results[0].reason,
            "results": [result_dict(r) for r in results],
        }
        _emit(args, out, plan if args.yes else None, results, warnings)
        return exit_code(results)
    finally:
        session.release()
        close_engine()


def _emit(
    args: argparse.Namespace,
    out: dict[str, Any],
    plan: Plan | None,
    results: list[DeviceResult] | None,
    warnings: list[str],
) -> None:
    out["warnings"] = warnings
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return
    for line in warnings:
        print(f"! {line}", file=sys.stderr)
    if plan is not None:
        _print_plan(plan)
    if results is not None:
        _print_results(results)
    elif out.get("outcome") == "unchanged":
        print("Nothing to change.")
    elif out.get("outcome") == "dry-run":
        print("Dry run: nothing changed.")
