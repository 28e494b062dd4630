"""The one entry point, ``wardfleet``: the GUI by default, subcommands for headless work.

Exit codes shared by every subcommand: 0 success, 2 bad arguments, 3 no answer from the
device, 4 a change was rolled back. Failures print a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from wardfleet import __version__

EXIT_OK = 0
EXIT_BAD_ARGS = 2
EXIT_NO_ANSWER = 3
EXIT_ROLLED_BACK = 4

# Subcommand modules, imported only when used so `wardfleet --help` and the GUI start fast.
# Each module offers add_parser(subparsers) and run(args) -> int.
SUBCOMMANDS = (
    "probe", "scan", "devices", "hub", "browse", "ipp", "escl", "configure", "audit",
    "profiles", "conformance",
)  # fmt: skip


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_ARGS, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="wardfleet",
        description="Discover, watch and configure a hospital ward's printers, scanners and "
        "monitors. With no subcommand, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"wardfleet {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the app on a simulated ward (loopback only, nothing advertised)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="keep the database and logs here instead of the user data folder",
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="DIR",
        default=None,
        help="save PNGs of the main windows into DIR, then quit",
    )
    parser.add_argument(
        "--no-network",
        action="store_true",
        help="show the local inventory only: no discovery, polling or sync",
    )
    parser.add_argument(
        "--quit-after", type=float, metavar="SECONDS", default=None, help=argparse.SUPPRESS
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in SUBCOMMANDS:
        module = _load(name)
        if module is not None:
            module.add_parser(subparsers)
    return parser


def _load(name: str):  # type: ignore[no-untyped-def]
    try:
        return importlib.import_module(f"wardfleet.cli.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"wardfleet.cli.{name}":
            return None
        raise


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from wardfleet.cli.gui import run  # lazy: Qt is heavy

        return run(args)
    return int(args.run(args))
