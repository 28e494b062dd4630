"""Read a .snmprec recording straight into the plain values the decoders take (no network)."""

from __future__ import annotations

import json
from pathlib import Path

from wardfleet.protocols.snmp_types import Oid, SnmpValue, parse_oid

SNMPREC_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "snmprec"
EXPECTED: dict[str, dict] = json.loads((SNMPREC_DIR / "expected.json").read_text("utf-8"))
RECORDINGS = sorted(EXPECTED)


def load(name: str) -> dict[Oid, SnmpValue]:
    """``{oid: value}`` as snmpsim would serve it (hex tags decoded, OIDs as tuples)."""
    values: dict[Oid, SnmpValue] = {}
    text = (SNMPREC_DIR / f"{name}.snmprec").read_text("utf-8", errors="surrogateescape")
    for line in text.splitlines():
        if not line.strip():
            continue
        oid_text, tag, raw = line.split("|", 2)
        hexed = tag.endswith("x")
        base = tag.rstrip("x")
        data = bytes.fromhex(raw) if hexed else raw.encode("utf-8", "surrogateescape")
        if base == "4":
            value: SnmpValue = data
        elif base == "6":
            try:
                value = parse_oid(data.decode())
            except ValueError:
                continue
        elif base == "64":
            value = ".".join(str(b) for b in data) if hexed else raw
        elif base == "5":
            value = None
        else:
            value = int(data.decode())
        values[parse_oid(oid_text)] = value
    return values
