"""Helpers shared by the subcommands that open the local store or print for scripts.

Kept free of protocol imports so every subcommand that uses it still loads fast; the
subcommand modules themselves stay lazily imported by ``wardfleet.cli``.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from wardfleet import paths
from wardfleet.store import CorruptDatabaseError, DataDirError, Store

# What Store.open raises for a database or data folder it cannot use.
STORE_ERRORS = (CorruptDatabaseError, DataDirError)


def fail(prog: str, message: object, code: int) -> int:
    """Print the one-line reason on stderr and give back the exit code."""
    print(f"{prog}: {message}", file=sys.stderr)
    return code


def open_store(args: argparse.Namespace) -> Store:
    """The local store, in ``--data-dir`` when given. Raises one of STORE_ERRORS."""
    if getattr(args, "data_dir", None):
        os.environ["WARDFLEET_DATA_DIR"] = str(args.data_dir)
    return Store.open(paths.database_path())


def actor() -> str:
    """Who the audit log names for a change made from this shell."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name for this uid
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


def add_actions(
    subparsers: Any, name: str, *, help: str, description: str, run: Any
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """A subcommand made of actions (``wardfleet NAME ACTION``), chosen in ``NAME_command``."""
    parser = subparsers.add_parser(name, help=help, description=description)
    parser.set_defaults(run=run)
    return parser.add_subparsers(dest=f"{name}_command", metavar="ACTION", required=True)  # type: ignore[no-any-return]


def add_v3_options(parser: argparse.ArgumentParser, user_help: str) -> None:
    """The SNMPv3 user and keys, read by ``probe.credential_from_args``."""
    parser.add_argument("--v3-user", help=user_help)
    parser.add_argument("--auth-proto", help="MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512")
    parser.add_argument("--auth-key", help="SNMPv3 authentication passphrase")
    parser.add_argument("--priv-proto", help="DES, AES-128, AES-192, AES-256")
    parser.add_argument("--priv-key", help="SNMPv3 privacy passphrase")
