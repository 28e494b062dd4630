"""Tolerant conversions shared by the pure decoders.

Every helper returns ``None`` plus a reason instead of raising: a device that answers
garbage in one cell must not cost the rest of its status.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TypeVar

from wardfleet.protocols.snmp_types import Oid, SnmpValue, Varbinds, under

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
UINT32_MAX = 2**32 - 1
# RFC 3805 caps descriptions at 255 octets; keep a little slack for multi-byte text.
MAX_TEXT = 512

# net-snmp prints a Hex-STRING 16 bytes to a line; a capture of that output leaves the
# first 16 bytes as text, a newline, then the rest as "41 42 " hex pairs (jetdirect_m880).
_HEX_LINE = re.compile(rb"(?:[0-9A-Fa-f]{2} ){0,15}[0-9A-Fa-f]{2} ?")


class Problem(str):
    """Why a cell could not be used; a str so it drops straight into a TableError."""


T = TypeVar("T")


def noted(value: T | Problem, label: str, problems: list[str]) -> T | None:
    """``value``, or None with the problem noted as ``"{label}: {problem}"``."""
    if isinstance(value, Problem):
        problems.append(f"{label}: {value}")
        return None
    return value


def as_int(value: SnmpValue, *, lo: int = INT32_MIN, hi: int = UINT32_MAX) -> int | Problem:
    if isinstance(value, bool) or not isinstance(value, int):
        return Problem(f"expected an integer, got {_kind(value)}")
    if not lo <= value <= hi:
        return Problem(f"integer {value} out of range")
    return value


def as_oid(value: SnmpValue) -> tuple[int, ...] | Problem:
    if isinstance(value, tuple) and all(isinstance(a, int) and a >= 0 for a in value):
        return value
    return Problem(f"expected an OID, got {_kind(value)}")


def repair_hex_wrap(raw: bytes) -> bytes:
    """Undo the net-snmp Hex-STRING line wrap (see ``_HEX_LINE``); other bytes pass as-is."""
    head, sep, rest = raw.partition(b"\n")
    if not sep or len(head) != 16:
        return raw
    lines = rest.split(b"\n")
    if not all(_HEX_LINE.fullmatch(line) for line in lines):
        return raw
    # Every wrapped line but the last holds exactly 16 bytes.
    if any(len(line.split()) != 16 for line in lines[:-1]):
        return raw
    return head + bytes.fromhex(b"".join(lines).decode("ascii"))


def as_text(value: SnmpValue, *, repair: bool = False, strip: bool = True) -> str | Problem:
    """Octets → text: UTF-8, else Latin-1; NULs removed, trimmed, capped in length."""
    if isinstance(value, str):
        raw = value.encode("utf-8", "surrogatepass")
    elif isinstance(value, bytes):
        raw = value
    else:
        return Problem(f"expected a string, got {_kind(value)}")
    if repair:
        raw = repair_hex_wrap(raw)
    raw = raw.replace(b"\x00", b"")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    if strip:
        text = text.strip()
    if len(text) > MAX_TEXT:
        return Problem(f"string of {len(text)} characters is too long")
    return text


def enum_name(table: Mapping[int, str], value: SnmpValue) -> str | Problem:
    """An enumeration's name; ``"code 7"`` for a value the table lacks."""
    code = as_int(value)
    return code if isinstance(code, Problem) else table.get(code, f"code {code}")


def table_rows(varbinds: Varbinds, entry: Oid) -> dict[Oid, dict[int, SnmpValue]]:
    """Group a walked table by row index: ``{index: {column: value}}``, rows in OID order."""
    rows: dict[Oid, dict[int, SnmpValue]] = {}
    depth = len(entry)
    for oid in sorted(o for o in varbinds if under(o, entry) and len(o) > depth + 1):
        rows.setdefault(oid[depth + 1 :], {})[oid[depth]] = varbinds[oid]
    return rows


def index_str(index: Iterable[int]) -> str:
    return ".".join(str(arc) for arc in index)


def _kind(value: SnmpValue) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, tuple):
        return "an OID"
    return getattr(value, "value", type(value).__name__)
