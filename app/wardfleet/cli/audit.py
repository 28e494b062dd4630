"""``wardfleet audit verify`` and ``wardfleet audit export --csv [FILE]``: the local audit log.

``verify`` exits 0 when the hash chain is whole, 1 naming the first entry that does not
fit and why (edited, deleted, reordered). ``export`` writes every entry as CSV to FILE or
to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from wardfleet.cli import EXIT_BAD_ARGS, EXIT_OK
from wardfleet.cli._common import STORE_ERRORS, add_actions, fail, open_store
from wardfleet.store import Store, audit

EXIT_BROKEN = 1
PROG = "wardfleet audit"


def add_parser(subparsers: Any) -> None:
    actions = add_actions(
        subparsers,
        "audit",
        help="check or export the local audit log",
        description="Check the local audit log's hash chain, or export it.",
        run=run,
    )
    verify = actions.add_parser(
        "verify", help="check that no audit entry was edited, deleted or reordered"
    )
    verify.add_argument("--json", action="store_true", help="print one JSON object")
    export = actions.add_parser("export", help="write the audit log as CSV")
    export.add_argument("--csv", action="store_true", required=True, help="CSV (the only format)")
    export.add_argument("file", nargs="?", type=Path, help="output file (default: stdout)")


def run(args: argparse.Namespace) -> int:
    try:
        store = open_store(args)
    except STORE_ERRORS as exc:
        return fail(PROG, exc, EXIT_BROKEN)
    try:
        if args.audit_command == "verify":
            return _verify(store, args.json)
        return _export(store, args.file)
    finally:
        store.close()


def _verify(store: Store, as_json: bool) -> int:
    broken = store.verify_audit()
    count = store.audit_count()
    if as_json:
        print(json.dumps({
            "intact": broken is None,
            "entries": count,
            "entry_id": broken.entry_id if broken else None,
            "reason": broken.reason if broken else None,
        }))  # fmt: skip
    elif broken is None:
        print(f"Audit log intact: {count} entries.")
    if broken is None:
        return EXIT_OK
    return fail(PROG, f"entry {broken.entry_id}: {broken.reason}", EXIT_BROKEN)


def write_csv(store: Store, out: TextIO) -> int:
    entries = store.audit_entries()
    audit.write_csv(entries, out)
    return len(entries)


def _export(store: Store, file: Path | None) -> int:
    if file is None:
        try:
            write_csv(store, sys.stdout)
            sys.stdout.flush()
        except BrokenPipeError:  # `| head`: the reader has enough
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    try:
        with file.open("w", newline="", encoding="utf-8") as out:
            count = write_csv(store, out)
    except OSError as exc:
        return fail(PROG, f"cannot write {file}: {exc}", EXIT_BAD_ARGS)
    print(f"Exported {count} audit entries to {file}.", file=sys.stderr)
    return EXIT_OK
