"""``wardfleet ipp URI ACTION``: talk IPP to one printer (status, jobs, test page, ...).

Exit codes: 0 done, 1 the printer refused (e.g. "not supported by this printer"), 2 bad
arguments, 3 no (trustworthy) answer. Failures print one line on stderr.

ipps:// uses trust on first use: the certificate's SHA-256 fingerprint is pinned in the
local database. The first time, the command asks (on a terminal) or takes
``--trust-fingerprint``; a changed certificate stops it with a loud message.

Job names often hold patient names: hidden unless ``--show-job-names`` or this desktop's
setting says otherwise. They are printed to the terminal only, never stored or logged.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import socket
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

import httpx

from wardfleet.cli._common import STORE_ERRORS, open_store
from wardfleet.protocols.ipp import (
    IppClient,
    IppError,
    IppNoAnswer,
    IppProtocolError,
    IppStatusError,
    IppUriError,
    parse_uri,
)
from wardfleet.protocols.ipp_status import IppJob, PrinterReport
from wardfleet.protocols.ipp_tls import (
    CertificateChanged,
    MemoryPins,
    PinStore,
    TlsTrustError,
    TrustState,
    normalise_fingerprint,
)
from wardfleet.store import Store

EXIT_OK, EXIT_REFUSED, EXIT_BAD_ARGS, EXIT_NO_ANSWER = 0, 1, 2, 3
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "ipp",
        help="ask one printer over IPP (status, jobs, test page, cancel, pause, resume)",
        description="Talk IPP/2.0 to one printer. URI: ipp://host[:631]/ipp/print or "
        "ipps://... Exit 0 done, 1 refused by the printer, 2 bad arguments, 3 no answer.",
    )
    p.add_argument("uri", metavar="URI", help="printer URI, e.g. ipp://10.0.0.5/ipp/print")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        a: argparse.ArgumentParser = actions.add_parser(name, help=help_text)
        a.add_argument("--timeout", type=float, default=10.0, metavar="S", help="seconds")
        a.add_argument(
            "--trust-fingerprint",
            metavar="SHA256",
            default=None,
            help="for ipps://: trust the certificate with this SHA-256 fingerprint",
        )
        a.add_argument(
            "--no-store",
            action="store_true",
            help="do not use the local database (pins only for this run, nothing merged)",
        )
        return a

    status = action("status", "state, reasons, supplies, identity")
    status.add_argument("--json", action="store_true")
    jobs = action("jobs", "the printer's jobs (names hidden unless --show-job-names)")
    jobs.add_argument("--completed", action="store_true", help="finished jobs instead")
    jobs.add_argument("--json", action="store_true")
    jobs.add_argument(
        "--show-job-names",
        action="store_true",
        default=None,
        help="show job names (they may hold patient names); default: this desktop's setting",
    )
    page = action("test-page", "print a one-page test page naming device, ward and time")
    page.add_argument("--ward", default=None, help="ward name to print on the page")
    page.add_argument("--json", action="store_true")
    cancel = action("cancel", "cancel a job")
    cancel.add_argument("job_id", metavar="JOB_ID", type=int)
    action("pause", "stop the printer taking jobs from its queue (Pause-Printer)")
    action("resume", "let it print again (Resume-Printer)")
    setter = action("set", "set printer-location / printer-info on the printer")
    setter.add_argument("--location", default=None)
    setter.add_argument("--info", default=None)
    p.set_defaults(run=run)


def clean(text: str | None) -> str:
    """Device text for a terminal: no escape sequences or control characters."""
    return _CONTROL.sub("", text or "")


def supply_json(report: PrinterReport) -> list[dict[str, Any]]:
    return [
        {
            "name": s.description,
            "type": s.type,
            "colour": s.colour,
            "level": s.percent,
            "level_state": s.level_state.value,
        }
        for s in report.status.supplies
    ]


def status_json(report: PrinterReport) -> dict[str, Any]:
    return {
        "uri": report.uri,
        "state": report.state,
        "overall": report.status.state.value,
        "reasons": [r for r in report.reasons if r != "none"],
        "reason_words": report.reason_words(),
        "message": report.message,
        "make_and_model": report.make_and_model,
        "vendor": report.vendor,
        "model": report.model,
        "serial": report.serial,
        "uuid": report.uuid,
        "location": report.location,
        "info": report.info,
        "accepting_jobs": report.accepting_jobs,
        "supplies": supply_json(report),
        "trays": [
            {"name": t.name, "level": t.percent, "level_state": t.level_state.value}
            for t in report.status.trays
        ],
        "queued_jobs": report.queued_jobs,
        "uptime_s": report.uptime_s,
        "document_formats": list(report.document_formats),
        "latency_ms": report.status.latency_ms,
    }


def job_json(job: IppJob, show_names: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": job.id,
        "state": job.state,
        "state_words": job.state_words,
        "reasons": list(job.reasons),
        "user": job.user,
        "pages": job.pages,
        "k_octets": job.k_octets,
        "created": job.created.isoformat() if job.created else None,
        "completed": job.completed.isoformat() if job.completed else None,
    }
    if show_names:
        out["name"] = job.name
    return out


def _open_store(args: argparse.Namespace) -> Store | None:
    return None if args.no_store else open_store(args)


def run(args: argparse.Namespace) -> int:
    try:
        parse_uri(args.uri)
    except IppUriError as exc:
        return _fail(str(exc), EXIT_BAD_ARGS)
    if args.trust_fingerprint and normalise_fingerprint(args.trust_fingerprint) is None:
        return _fail(f"not a SHA-256 fingerprint: {args.trust_fingerprint}", EXIT_BAD_ARGS)
    try:
        store = _open_store(args)
    except STORE_ERRORS as exc:
        return _fail(str(exc), 1)
    try:
        return asyncio.run(_main(args, store))
    finally:
        if store is not None:
            store.close()


async def _main(args: argparse.Namespace, store: Store | None) -> int:
    from wardfleet.store.local import TlsPins, show_job_names

    pins: PinStore = TlsPins(store) if store is not None else MemoryPins()
    async with httpx.AsyncClient() as http:
        client = IppClient(http, pins=pins, timeout=args.timeout)
        try:
            trusted = await _ensure_trust(client, args)
            if trusted != EXIT_OK:
                return trusted
            show = args.show_job_names if getattr(args, "show_job_names", None) else None
            if show is None and store is not None:
                show = show_job_names(store)
            return await _act(client, args, store, bool(show))
        except TlsTrustError as exc:
            return _fail(str(exc), EXIT_NO_ANSWER)
        except (IppNoAnswer, IppProtocolError) as exc:
            return _fail(str(exc), EXIT_NO_ANSWER)
        except IppStatusError as exc:
            return _fail(str(exc), EXIT_REFUSED)
        except IppError as exc:
            return _fail(str(exc), EXIT_REFUSED)
        finally:
            await client.aclose()


async def _ensure_trust(
    client: IppClient, args: argparse.Namespace, ask: Callable[[str], str] | None = None
) -> int:
    check = await client.check_trust(args.uri)
    if check is None or check.state is TrustState.TRUSTED:
        return EXIT_OK
    wanted = normalise_fingerprint(args.trust_fingerprint) if args.trust_fingerprint else None
    if check.state is TrustState.CHANGED:
        if wanted == check.fingerprint:
            await client.trust(args.uri, check.fingerprint)
            print(
                f"wardfleet ipp: WARNING: replaced the pinned certificate of {check.endpoint} "
                f"(was {check.pinned}, now {check.fingerprint}) as you asked",
                file=sys.stderr,
            )
            return EXIT_OK
        assert check.pinned is not None
        return _fail(str(CertificateChanged(check.endpoint, check.pinned, check.fingerprint)), 3)
    if wanted is not None:
        if wanted != check.fingerprint:
            return _fail(
                f"{check.endpoint} presents SHA-256 {check.fingerprint}, not the fingerprint "
                "you gave: not trusted",
                EXIT_NO_ANSWER,
            )
        await client.trust(args.uri, wanted)
        return EXIT_OK
    prompt = (
        f"{check.endpoint} presents a certificate never seen here.\n"
        f"  SHA-256 fingerprint: {check.fingerprint}\n"
        "Compare it with the one on the printer's own page or display.\n"
        "Trust this certificate from now on? [y/N] "
    )
    if not sys.stdin.isatty():
        return _fail(
            f"{check.endpoint} is new: its certificate's SHA-256 fingerprint is "
            f"{check.fingerprint}; check it, then run again with --trust-fingerprint",
            EXIT_NO_ANSWER,
        )
    if (ask or input)(prompt).strip().lower() not in ("y", "yes"):
        return _fail("certificate not trusted: nothing was sent to the printer", EXIT_NO_ANSWER)
    await client.trust(args.uri, check.fingerprint)
    return EXIT_OK


async def _act(client: IppClient, args: argparse.Namespace, store: Store | None, show: bool) -> int:
    uri, out = args.uri, sys.stdout
    if args.action == "status":
        report = await client.status(uri)
        if store is not None:
            _remember(store, report)
        if args.json:
            print(json.dumps(status_json(report), ensure_ascii=False), file=out)
        else:
            _print_status(report, out)
    elif args.action == "jobs":
        jobs = await client.jobs(uri, completed=args.completed, show_names=show)
        if args.json:
            print(json.dumps([job_json(j, show) for j in jobs], ensure_ascii=False), file=out)
        else:
            for job in jobs:
                name = f"  {clean(job.name)}" if show and job.name else ""
                print(
                    f"{job.id:>6}  {job.state_words:<10} {clean(job.user) or '-':<16}{name}",
                    file=out,
                )
    elif args.action == "test-page":
        result = await client.print_test_page(uri, ward=args.ward, sent_from=socket.gethostname())
        if args.json:
            print(json.dumps({"job_id": result.job_id, "format": result.document_format}), file=out)
        else:
            print(f"test page sent as job {result.job_id} ({result.document_format})", file=out)
    elif args.action == "cancel":
        await client.cancel_job(uri, args.job_id)
        print(f"job {args.job_id} cancelled", file=out)
    elif args.action == "pause":
        await client.pause(uri)
        print("paused", file=out)
    elif args.action == "resume":
        await client.resume(uri)
        print("resumed", file=out)
    elif args.action == "set":
        if args.location is None and args.info is None:
            return _fail("give --location and/or --info", EXIT_BAD_ARGS)
        await client.set_printer_attributes(uri, location=args.location, info=args.info)
        print("set", file=out)
    return EXIT_OK


def _remember(store: Store, report: PrinterReport) -> None:
    """Merge what IPP said into the inventory, with its status, like a poll would."""
    from wardfleet.services.discovery import merge_observation

    target = parse_uri(report.uri)
    outcome = merge_observation(store, report.observation(target.host, target.port, time.time()))
    store.write_poll_cycle([(outcome.device_id, report.status)])


def _print_status(report: PrinterReport, out: TextIO) -> None:
    reasons = ", ".join(report.reason_words()) or "none"
    rows = [
        ("State", f"{report.state} ({report.status.state.value})"),
        ("Reasons", reasons),
        ("Message", clean(report.message)),
        ("Make and model", clean(report.make_and_model)),
        ("Location", clean(report.location)),
        ("Info", clean(report.info)),
        ("UUID", report.uuid or ""),
        ("Queued jobs", "" if report.queued_jobs is None else str(report.queued_jobs)),
        ("Up for", "" if report.uptime_s is None else f"{report.uptime_s} s"),
    ]
    for label, value in rows:
        print(f"{label + ':':<16}{value}", file=out)
    for s in report.status.supplies:
        level = f"{s.percent:g} %" if s.percent is not None else s.level_state.value
        print(f"{'Supply:':<16}{clean(s.description)}: {level}", file=out)


def _fail(message: str, code: int) -> int:
    print(f"wardfleet ipp: {clean(message)}", file=sys.stderr)
    return code
