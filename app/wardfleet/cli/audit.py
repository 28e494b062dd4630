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

from wardfleet import paths
from wardfleet.cli import EXIT_BAD_ARGS, EXIT_OK
from wardfleet.store import CorruptDatabaseError, DataDirError, Store, audit

EXIT_BROKEN = 1
PROG = "wardfleet audit"


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="check or export the local audit log",
        description="Check the local audit log's hash chain, or export it.",
    )
    actions = parser.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify", help="check that no audit entry was edited, deleted or reordered"
    )
    verify.add_argument("--json", action="store_true", help="print one JSON object")
    export = actions.add_parser("export", help="write the audit log as CSV")
    export.add_argument("--csv", action="store_true", required=True, help="CSV (the only format)")
    export.add_argument("file", nargs="?", type=Path, help="output file (default: stdout)")
    parser.set_defaults(run=run)


def _fail(message: str, code: int) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    if getattr(args, "data_dir", None):
        os.environ["WARDFLEET_DATA_DIR"] = str(args.data_dir)
    try:
        store = Store.open(paths.database_path())
    except (CorruptDatabaseError, DataDirError) as exc:
        return _fail(str(exc), EXIT_BROKEN)
    try:
        if args.audit_command == "verify":
            return _verify(store, args.json)
        return _export(store, args.file)
    finally:
        store.close()


def _verify(store: Store, as_json: bool) -> int:
    broken = store.verify_audit()
    count = len(store.audit_entries())
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
    print(f"{PROG}: entry {broken.entry_id}: {broken.reason}", file=sys.stderr)
    return EXIT_BROKEN


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
        return _fail(f"cannot write {file}: {exc}", EXIT_BAD_ARGS)
    print(f"Exported {count} audit entries to {file}.", file=sys.stderr)
    return EXIT_OK
