"""``wardfleet hub``: run the central sync hub and manage its wards, users and tokens.

Needs the ``hub`` extra (``pip install 'wardfleet[hub]'``); the desktop does not.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from wardfleet import paths

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_ARGS = 2
DEFAULT_PORT = 8470
ROLES = ("ward-lead", "helpdesk", "admin")


def default_db() -> str:
    return os.environ.get("WARDFLEET_HUB_DB") or f"sqlite:///{paths.data_dir() / 'hub.sqlite3'}"


def add_parser(subparsers: Any) -> None:
    hub = subparsers.add_parser(
        "hub", help="run the central sync hub and manage its wards and users"
    )
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help="sqlite:///path/hub.sqlite3 (default: WARDFLEET_HUB_DB or the data folder) or "
        "postgresql://user@host/dbname",
    )
    actions = hub.add_subparsers(dest="hub_command", metavar="ACTION", required=True)

    serve = actions.add_parser("serve", parents=[db], help="serve the hub API over HTTP(S)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--tls-cert", type=Path, metavar="FILE", help="PEM certificate chain")
    serve.add_argument("--tls-key", type=Path, metavar="FILE", help="PEM private key")
    serve.add_argument(
        "--log-level",
        default="info",
        choices=("critical", "error", "warning", "info", "debug"),
        help="uvicorn's log level; 'warning' drops the per-request access log",
    )
    serve.add_argument(
        "--max-auth-failures",
        type=int,
        default=10,
        metavar="N",
        help="failed logins per minute per address and per token before 429 (default 10)",
    )

    ward = actions.add_parser("add-ward", parents=[db], help="register a ward")
    ward.add_argument("name")

    user = actions.add_parser(
        "add-user", parents=[db], help="create a user and print its token (shown once)"
    )
    user.add_argument("name")
    user.add_argument("--role", required=True, choices=ROLES)
    user.add_argument(
        "--ward",
        dest="wards",
        action="append",
        default=[],
        metavar="WARD",
        help="a ward the ward lead manages (repeat for several)",
    )

    revoke = actions.add_parser("revoke", parents=[db], help="revoke a user's token at once")
    revoke.add_argument("name")
    hub.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        from pydantic import ValidationError

        from wardfleet.hub.accounts import AccountError
        from wardfleet.hub.db import HubDatabase, HubDatabaseError
    except ModuleNotFoundError as exc:
        _fail(f"needs the hub extra (pip install 'wardfleet[hub]'): missing {exc.name}")
        return EXIT_FAILED
    url = args.db or default_db()
    try:
        if args.hub_command == "serve":
            return _serve(args, url)
        db = HubDatabase(url)
    except HubDatabaseError as exc:
        _fail(str(exc))
        return EXIT_BAD_ARGS
    try:
        db.migrate()
        return _admin(args, db)
    except ValidationError as exc:
        _fail("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()))
        return EXIT_BAD_ARGS
    except AccountError as exc:
        _fail(exc.detail)
        return EXIT_FAILED
    finally:
        db.dispose()


def _serve(args: argparse.Namespace, url: str) -> int:
    from wardfleet.hub.app import HubSettings
    from wardfleet.hub.server import serve

    if (args.tls_cert is None) != (args.tls_key is None):
        _fail("give both --tls-cert and --tls-key, or neither")
        return EXIT_BAD_ARGS
    if args.tls_cert is None and args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            "wardfleet hub: warning: serving without TLS on a non-loopback address; tokens "
            "would cross the network in clear. Use --tls-cert/--tls-key or a TLS proxy.",
            file=sys.stderr,
        )
    serve(
        url,
        host=args.host,
        port=args.port,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        settings=HubSettings(max_auth_failures=args.max_auth_failures),
        log_level=args.log_level,
    )
    return EXIT_OK


def _admin(args: argparse.Namespace, db: Any) -> int:
    from wardfleet.hub import accounts
    from wardfleet.sync.wire import Role, UserCreate, WardCreate

    now = time.time()
    lines: list[str] = []
    with db.write() as conn:  # print only after the commit: a token must be real
        if args.hub_command == "add-ward":
            ward = accounts.add_ward(conn, WardCreate(name=args.name), now)
            lines.append(f"Added ward {ward.name}.")
        elif args.hub_command == "add-user":
            request = UserCreate(name=args.name, role=Role(args.role), wards=args.wards)
            user, token = accounts.add_user(conn, request, now)
            scope = f"wards: {', '.join(user.wards)}" if user.wards else "all wards"
            lines.append(f"Added user {user.name} ({user.role}; {scope}).")
            lines.append(
                "Give them this token now; the hub keeps only its hash and cannot show it again:"
            )
            lines.append(token)
        else:
            user = accounts.revoke(conn, args.name, now)
            lines.append(f"Revoked {user.name}: its token is refused from now on.")
    print("\n".join(lines))
    return EXIT_OK


def _fail(message: str) -> None:
    print(f"wardfleet hub: {message}", file=sys.stderr)
