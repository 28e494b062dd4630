"""``wardfleet profiles list|show|create|delete|assign|unassign|check``: configuration
profiles.

Profiles live in the local store and sync through the hub; every create, delete, assign
and unassign here is also a ``profile.*`` audit entry. ``check`` re-reads every device that
follows a profile (its own assignment, else its ward's) over SNMP, with the credentials
given on the command line tried first, then the saved credential sets in their order.

Exit codes: 0 success (``check``: every device conforms, or drift was re-applied), 2 bad
arguments or an unknown profile/device, 3 (``check``) drift found or a device could not be
read, 4 (``check --reapply``) a re-apply was rolled back.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from wardfleet.cli import EXIT_BAD_ARGS, EXIT_NO_ANSWER, EXIT_OK, EXIT_ROLLED_BACK
from wardfleet.cli._common import STORE_ERRORS, actor, add_actions, add_v3_options, fail, open_store
from wardfleet.cli.configure import result_dict
from wardfleet.cli.probe import UsageError, add_snmp_options, check_timing, credential_from_args
from wardfleet.domain.device import Device
from wardfleet.domain.kinds import DeviceKind
from wardfleet.services.deploy import Outcome, SettingError, can_apply, parse_expert
from wardfleet.services.profiles import FIELD_KEYS, Conformance, setting_label
from wardfleet.store import Store, profiles
from wardfleet.store.profiles import Profile

PROG = "wardfleet profiles"
ANY_KIND = "any"


def add_parser(subparsers: Any) -> None:
    actions = add_actions(
        subparsers,
        "profiles",
        help="configuration profiles: list, create, assign, check devices for drift",
        description="Named sets of desired settings, assigned to devices or whole wards.",
        run=run,
    )
    listing = actions.add_parser("list", help="every profile and what follows it")
    listing.add_argument("--json", action="store_true", help="print JSON")
    show = actions.add_parser("show", help="one profile's settings and assignments")
    show.add_argument("name")
    show.add_argument("--json", action="store_true", help="print JSON")
    create = actions.add_parser("create", help="a new profile")
    create.add_argument("name")
    kinds = [k.value for k in DeviceKind]
    create.add_argument(
        "--kind", required=True, choices=[*kinds, ANY_KIND], help="device kind it is for"
    )
    create.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=f"{', '.join(FIELD_KEYS)}; repeat for several, applied in the order given",
    )
    create.add_argument(
        "--expert",
        action="append",
        default=[],
        metavar="'OID = TYPE:VALUE'",
        help="a raw SNMP SET, types as snmpset (i u s x o a t)",
    )
    create.add_argument(
        "--print-queue", action="store_true", help="deploy a print queue on each workstation"
    )
    delete = actions.add_parser("delete", help="delete a profile (its assignments lapse)")
    delete.add_argument("name")
    assign = actions.add_parser("assign", help="make a device or a whole ward follow a profile")
    assign.add_argument("name")
    target = assign.add_mutually_exclusive_group(required=True)
    target.add_argument("--device", metavar="ID", help="device id (or its exact name)")
    target.add_argument("--ward", metavar="WARD", help="every device of this ward")
    unassign = actions.add_parser(
        "unassign",
        help="remove a device's or ward's own assignment (a device then follows its ward)",
    )
    unassign_target = unassign.add_mutually_exclusive_group(required=True)
    unassign_target.add_argument("--device", metavar="ID", help="device id (or its exact name)")
    unassign_target.add_argument("--ward", metavar="WARD", help="the ward's assignment")
    unassign.add_argument(
        "--none",
        action="store_true",
        help="instead opt out explicitly: no profile, and a device ignores its ward's",
    )
    check = actions.add_parser("check", help="re-read assigned devices and report drift")
    check.add_argument("--json", action="store_true", help="print JSON")
    check.add_argument("--community", help="an SNMP community to try first")
    add_snmp_options(check)
    add_v3_options(check, user_help="SNMPv3 user to try first")
    check.add_argument(
        "--reapply", action="store_true", help="set drifting settings back (plan, apply, verify)"
    )


def run(args: argparse.Namespace) -> int:
    try:
        store = open_store(args)
    except STORE_ERRORS as exc:
        return fail(PROG, exc, 1)
    try:
        command = args.profiles_command
        if command == "list":
            return _list(store, args.json)
        if command == "show":
            return _show(store, args.name, args.json)
        if command == "create":
            return _create(store, args)
        if command == "delete":
            return _delete(store, args.name)
        if command == "assign":
            return _assign(store, args)
        if command == "unassign":
            return _unassign(store, args)
        return _check(store, args)
    except UsageError as exc:
        return fail(PROG, exc, EXIT_BAD_ARGS)
    finally:
        store.close()


# --- list / show ------------------------------------------------------------------------


def profile_dict(profile: Profile, targets: list[str]) -> dict[str, Any]:
    return {
        "id": profile.id,
        "name": profile.name,
        "device_kind": profile.device_kind,
        "settings": [{"key": k, "value": v} for k, v in profile.settings],
        "print_queue": profile.print_queue,
        "assigned_to": targets,
    }


def _targets(store: Store) -> dict[str, list[str]]:
    by_profile: dict[str, list[str]] = {}
    for target, profile_id in profiles.assignments(store).items():
        by_profile.setdefault(profile_id, []).append(target)
    return by_profile


def _print_profile(profile: Profile, targets: list[str]) -> None:
    print(f"{profile.name}  [{profile.device_kind or ANY_KIND}]")
    for key, value in profile.settings:
        print(f"  {setting_label(key, value)}")
    if profile.print_queue:
        print("  deploy a print queue on each workstation")
    print(f"  assigned to: {', '.join(targets) if targets else 'nothing'}")


def _list(store: Store, as_json: bool) -> int:
    found = profiles.list_profiles(store)
    targets = _targets(store)
    if as_json:
        print(json.dumps([profile_dict(p, targets.get(p.id, [])) for p in found]))
        return EXIT_OK
    if not found:
        print("No profiles.")
    for profile in found:
        _print_profile(profile, targets.get(profile.id, []))
    return EXIT_OK


def _named(store: Store, name: str) -> Profile:
    profile = profiles.find_profile(store, name)
    if profile is None:
        raise UsageError(f"no profile called {name!r}")
    return profile


def _show(store: Store, name: str, as_json: bool) -> int:
    profile = _named(store, name)
    targets = _targets(store).get(profile.id, [])
    if as_json:
        print(json.dumps(profile_dict(profile, targets), ensure_ascii=False))
    else:
        _print_profile(profile, targets)
    return EXIT_OK


# --- create / delete / assign -------------------------------------------------------------


def parse_profile_settings(items: list[str], expert: list[str]) -> list[tuple[str, str]]:
    settings: list[tuple[str, str]] = []
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip().lower()
        if not sep or key not in FIELD_KEYS:
            raise UsageError(
                f"--set takes {', '.join(k + '=...' for k in FIELD_KEYS)}; got {item!r}"
            )
        settings.append((FIELD_KEYS[key], value))
    for entry in expert:
        try:
            parse_expert(entry)
        except SettingError as exc:
            raise UsageError(str(exc)) from exc
        settings.append(("expert", entry.strip()))
    keys = [k for k, _ in settings if k != "expert"]
    if len(set(keys)) != len(keys):
        raise UsageError("each setting may be given once")
    return settings


def _create(store: Store, args: argparse.Namespace) -> int:
    name = args.name.strip()
    if not name:
        raise UsageError("a profile needs a name")
    if profiles.find_profile(store, name) is not None:
        raise UsageError(f"a profile called {name!r} exists already")
    settings = parse_profile_settings(args.settings, args.expert)
    if not settings and not args.print_queue:
        raise UsageError("a profile needs at least one --set, --expert or --print-queue")
    kind = None if args.kind == ANY_KIND else args.kind
    profile = profiles.new_profile(name, settings, kind, print_queue=args.print_queue)
    with store.transaction() as tx:
        profiles.save(tx, profile, actor=actor())
    print(f"Created profile {name!r}.")
    return EXIT_OK


def _delete(store: Store, name: str) -> int:
    profile = _named(store, name)
    with store.transaction() as tx:
        profiles.save(tx, profile, deleted=True, actor=actor())
    print(f"Deleted profile {name!r}.")
    return EXIT_OK


def _target(store: Store, args: argparse.Namespace) -> tuple[str, Device | None]:
    """The target of ``--device`` (id or exact name) or ``--ward``, and the device (None
    for ``--ward``)."""
    if args.ward is not None:
        if not args.ward.strip():
            raise UsageError("--ward needs a ward name")
        return profiles.ward_target(args.ward.strip()), None
    device = store.get_device(args.device) or next(
        (d for d in store.list_devices() if d.name == args.device), None
    )
    if device is None:
        raise UsageError(f"no device {args.device!r}")
    return profiles.device_target(device.id), device


def _assign(store: Store, args: argparse.Namespace) -> int:
    profile = _named(store, args.name)
    target, device = _target(store, args)
    if device is not None and profile.device_kind not in (None, device.kind.value):
        raise UsageError(
            f"profile {profile.name!r} is for {profile.device_kind} devices; "
            f"{device.display_name} is a {device.kind.value}"
        )
    with store.transaction() as tx:
        profiles.assign(tx, target, profile.id, actor=actor())
    print(f"{target} follows {profile.name!r}.")
    return EXIT_OK


def _unassign(store: Store, args: argparse.Namespace) -> int:
    target, device = _target(store, args)
    with store.transaction() as tx:
        if args.none:
            profiles.assign(tx, target, None, actor=actor())
        else:
            profiles.inherit(tx, target, actor=actor())
    if args.none:
        print(f"{target} follows no profile (not even its ward's).")
    elif device is not None:
        print(f"{target} follows its ward's profile, if the ward has one.")
    else:
        print(f"{target} has no profile of its own any more.")
    return EXIT_OK


# --- check --------------------------------------------------------------------------------


def report_dict(report: Conformance) -> dict[str, Any]:
    return {
        "device_id": report.device.id,
        "device": report.device.display_name,
        "profile": report.profile.name,
        "conforms": report.conforms,
        "error": report.error,
        "drift": [
            {
                "setting": d.setting.key,
                "label": d.setting.label,
                "expected": d.expected,
                "actual": d.actual,
            }
            for d in report.drift
        ],
        "reapplied": [result_dict(r) for r in report.reapplied],
    }


def _credentials(store: Store, args: argparse.Namespace) -> list[Any]:
    from wardfleet.protocols.snmp_credentials import CredentialError
    from wardfleet.services.credential_sets import load_sets, resolve_sets

    check_timing(args)
    given = []
    if args.community or args.v3_user:
        given.append(credential_from_args(args, args.community))
    saved = load_sets(store)
    try:
        return given + resolve_sets(saved)
    except CredentialError as exc:
        if given:  # the saved sets are unreadable, but we have something to try
            print(f"! saved credential sets skipped: {exc}", file=sys.stderr)
            return given
        raise UsageError(f"no usable SNMP credentials: {exc}") from exc


def _check(store: Store, args: argparse.Namespace) -> int:
    credentials = _credentials(store, args)
    role = store.sync_value("role")
    if args.reapply and not can_apply(role):
        raise UsageError(f"your role '{role}' may not apply changes (only ward-lead or admin)")
    reports = asyncio.run(_check_all(store, args, credentials, role))
    if args.json:
        print(json.dumps({"devices": [report_dict(r) for r in reports]}, ensure_ascii=False))
    else:
        _print_reports(reports)
    outcomes = {r.outcome for report in reports for r in report.reapplied}
    if any(report.error for report in reports):
        return EXIT_NO_ANSWER
    if args.reapply and any(report.drift for report in reports):
        return EXIT_OK if outcomes <= {Outcome.APPLIED, Outcome.UNCHANGED} else EXIT_ROLLED_BACK
    return EXIT_NO_ANSWER if any(report.drift for report in reports) else EXIT_OK


async def _check_all(
    store: Store, args: argparse.Namespace, credentials: list[Any], role: str | None
) -> list[Conformance]:
    import httpx

    from wardfleet.protocols.ipp import IppClient
    from wardfleet.protocols.snmp import close_engine
    from wardfleet.services.deploy import Deployer
    from wardfleet.services.deploy_targets import reach_devices
    from wardfleet.services.profiles import check_conformance
    from wardfleet.store.local import TlsPins

    def followers() -> list[tuple[Any, Profile]]:
        pairs = [(d, profiles.profile_for(store, d)) for d in store.list_devices()]
        return [(d, p) for d, p in pairs if p is not None]

    pairs = await asyncio.to_thread(followers)
    # Only devices whose profile has SNMP settings are looked up over SNMP: an IPP-only
    # printer would otherwise cost a timeout per credential.
    snmp_devices = [d for d, p in pairs if any(not k.startswith("ipp:") for k, _ in p.settings)]
    who = actor()
    async with httpx.AsyncClient() as http:
        ipp = IppClient(http, pins=TlsPins(store), timeout=args.timeout * 3)
        reach = await reach_devices(
            snmp_devices, credentials, seconds_per_try=args.timeout, retries=args.retries
        )
        by_ipp = await reach_devices(
            [d for d, _ in pairs], [], ipp_client=ipp, protocols=frozenset({"ipp"})
        )
        reach.endpoints |= by_ipp.endpoints
        try:
            reports = await check_conformance(
                store,
                reach.endpoint_for,
                actor=who,
                reapply=args.reapply,
                deployer=Deployer(store, actor=who, role=role),
            )
        finally:
            reach.release()
            close_engine()
            await ipp.aclose()
    for report in reports:
        problem = reach.problems.get(report.device.id)
        if problem and report.error:
            report.error = f"{report.error}: {problem}"
    return reports


def _print_reports(reports: list[Conformance]) -> None:
    if not reports:
        print("No device follows a profile.")
    for report in reports:
        head = f"{report.device.display_name} ({report.device.id}), profile {report.profile.name!r}"
        if report.error:
            print(f"{head}: cannot check: {report.error}")
        elif not report.drift:
            print(f"{head}: conforms")
        else:
            print(f"{head}: drift")
        for d in report.drift:
            print(f"  {d.setting.label}: expected {d.expected!r}, found {d.actual!r}")
        for result in report.reapplied:
            reason = f": {result.reason}" if result.reason else ""
            print(f"  re-applied: {result.outcome.value}{reason}")
