"""``wardfleet escl URL status``: an eSCL (AirScan) scanner's state and capabilities.

URL: the scanner's base, e.g. http://10.0.0.7:8080 (``/eSCL`` is added unless present).
Exit codes: 0 done, 2 bad arguments, 3 no (usable) answer; one line on stderr on failure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from typing import Any
from urllib.parse import urlsplit

import httpx

from wardfleet.protocols.escl import EsclClient, EsclError, report_json
from wardfleet.protocols.ipp_tls import MemoryPins, TlsTrustError, TrustState

EXIT_OK, EXIT_BAD_ARGS, EXIT_NO_ANSWER = 0, 2, 3
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "escl",
        help="ask one scanner over eSCL (AirScan)",
        description="Read an eSCL scanner's status and capabilities. Exit 0 done, 2 bad "
        "arguments, 3 no answer.",
    )
    p.add_argument("url", metavar="URL", help="scanner base URL, e.g. http://10.0.0.7:8080")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    status = actions.add_parser("status", help="state, feeder, jobs and identity")
    status.add_argument("--json", action="store_true")
    status.add_argument("--timeout", type=float, default=10.0, metavar="S")
    status.add_argument(
        "--trust-fingerprint", metavar="SHA256", default=None, help="for https: trust this cert"
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    parts = urlsplit(args.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _fail(f"not a scanner URL: {args.url!r} (use http://host:port)", EXIT_BAD_ARGS)
    return asyncio.run(_main(args))


async def _main(args: argparse.Namespace) -> int:
    async with httpx.AsyncClient() as http:
        client = EsclClient(http, pins=MemoryPins(), timeout=args.timeout)
        try:
            check = await client.check_trust(args.url)
            if check is not None and check.state is not TrustState.TRUSTED:
                if not args.trust_fingerprint:
                    return _fail(
                        f"{check.endpoint} presents SHA-256 {check.fingerprint}; check it, then "
                        "run again with --trust-fingerprint",
                        EXIT_NO_ANSWER,
                    )
                await client.trust(args.url, args.trust_fingerprint)
            report = await client.status(args.url)
        except (EsclError, TlsTrustError) as exc:
            return _fail(str(exc), EXIT_NO_ANSWER)
        except ValueError as exc:
            return _fail(str(exc), EXIT_BAD_ARGS)
        finally:
            await client.aclose()
    data = report_json(report)
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        for key in ("state_words", "adf_state", "make_and_model", "serial", "uuid"):
            print(f"{key.replace('_', ' ').capitalize() + ':':<16}{_clean(data[key])}")
        for alert in data["alerts"]:
            print(f"{'Alert:':<16}{_clean(alert)}")
        print(f"{'Jobs:':<16}{len(data['jobs'])}")
    return EXIT_OK


def _clean(text: object) -> str:
    return _CONTROL.sub("", "" if text is None else str(text))


def _fail(message: str, code: int) -> int:
    print(f"wardfleet escl: {_clean(message)}", file=sys.stderr)
    return code
