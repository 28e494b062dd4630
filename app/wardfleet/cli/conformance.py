"""``wardfleet conformance show|settings``: the scheduled profile check of this desktop.

``show`` prints the last scheduled run's report (what drifted, expected → actual, what was
re-applied); ``settings`` shows or changes how often it runs and whether it re-applies
(off by default). ``wardfleet profiles check`` runs a check by hand.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from wardfleet.cli import EXIT_BAD_ARGS, EXIT_OK
from wardfleet.cli._common import STORE_ERRORS, add_actions, fail, open_store
from wardfleet.services import conformance
from wardfleet.store import Store

EXIT_NO_REPORT = 1
PROG = "wardfleet conformance"


def add_parser(subparsers: Any) -> None:
    actions = add_actions(
        subparsers,
        "conformance",
        help="the scheduled profile conformance check: last report and settings",
        description="Show the last scheduled conformance report, or its settings.",
        run=run,
    )
    show = actions.add_parser("show", help="the last scheduled run's report")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    settings = actions.add_parser("settings", help="show or change the schedule and re-apply")
    settings.add_argument("--every", type=float, metavar="HOURS", help="hours between checks")
    settings.add_argument(
        "--reapply", choices=("on", "off"), help="re-apply drifted settings (default off)"
    )
    settings.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    if args.conformance_command == "settings" and args.every is not None and args.every <= 0:
        return fail(PROG, "--every must be more than 0 hours", EXIT_BAD_ARGS)
    try:
        store = open_store(args)
    except STORE_ERRORS as exc:
        return fail(PROG, exc, EXIT_NO_REPORT)
    try:
        if args.conformance_command == "show":
            return _show(store, args.json)
        return _settings(store, args)
    finally:
        store.close()


def _show(store: Store, as_json: bool) -> int:
    report = conformance.last_report(store)
    if report is None:
        return fail(PROG, "no scheduled check has run on this desktop yet", EXIT_NO_REPORT)
    if as_json:
        print(json.dumps(report))
        return EXIT_OK
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(report["finished"]))
    devices = report["devices"]
    drifted = [d for d in devices if d["drift"]]
    counts = f"{len(devices)} device(s), {len(drifted)} with drift"
    print(f"Last check {when} ({report['reason']}): {counts}")
    for entry in devices:
        if entry["error"]:
            print(f"  {entry['device']}: not checked: {entry['error']}")
        for drift in entry["drift"]:
            actual = drift["actual"] if drift["actual"] is not None else "(not set)"
            print(
                f"  {entry['device']}: {drift['setting']}: {actual!r} → {drift['expected']!r}"
                f" (profile {entry['profile']!r})"
            )
        if entry["reapplied"]:
            print(f"  {entry['device']}: re-applied: {', '.join(entry['reapplied'])}")
    if report.get("note"):
        print(f"  Not re-applied: {report['note']}")
    return EXIT_OK


def _settings(store: Store, args: argparse.Namespace) -> int:
    if args.every is not None:
        conformance.set_interval_hours(store, args.every)
    if args.reapply is not None:
        conformance.set_reapply(store, args.reapply == "on")
    hours, reapply = conformance.interval_hours(store), conformance.reapply_enabled(store)
    if args.json:
        print(json.dumps({"every_hours": hours, "reapply": reapply}))
    else:
        print(f"Checks every {hours:g} h; re-apply drifted settings: {'on' if reapply else 'off'}")
        print("(A running desktop app picks up a new interval after its current wait.)")
    return EXIT_OK
