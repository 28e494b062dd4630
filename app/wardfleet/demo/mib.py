"""An immutable snapshot of one agent's MIB: sorted OIDs, typed values, bisect lookups."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pysnmp.proto import rfc1902

Oid = tuple[int, ...]
# pyasn1 ships no type hints; a MIB value is one of the rfc1902 SMI types.
MibValue = Any

Integer32 = rfc1902.Integer32
OctetString = rfc1902.OctetString
ObjectIdentifier = rfc1902.ObjectIdentifier
Counter32 = rfc1902.Counter32
Gauge32 = rfc1902.Gauge32
TimeTicks = rfc1902.TimeTicks
IpAddress = rfc1902.IpAddress
Counter64 = rfc1902.Counter64

_COUNTER64_TAGS = Counter64.tagSet


def parse_oid(text: str) -> Oid:
    """``"1.3.6.1.2.1.1.1.0"`` (a leading dot is fine) → ``(1, 3, 6, 1, 2, 1, 1, 1, 0)``."""
    return tuple(int(arc) for arc in text.strip().lstrip(".").split("."))


def format_oid(oid: Oid) -> str:
    return ".".join(map(str, oid))


def is_counter64(value: MibValue) -> bool:
    """SNMPv1 cannot carry Counter64, so v1 GETNEXT must step over such objects."""
    return bool(value.tagSet == _COUNTER64_TAGS)


class MibView:
    """What one device answers at one moment.

    ``objects`` are the OIDs of the object types the agent implements (scalars
    without ``.0``, table columns without an index). They let a GET tell
    noSuchInstance (known object, no such row) from noSuchObject, even for an
    empty table.
    """

    __slots__ = ("_objects", "_oids", "_values")

    def __init__(self, values: Mapping[Oid, MibValue], objects: Iterable[Oid] = ()) -> None:
        self._values = dict(values)
        self._oids = sorted(self._values)
        self._objects = frozenset(objects)

    def __len__(self) -> int:
        return len(self._oids)

    def __iter__(self) -> Iterator[tuple[Oid, MibValue]]:
        return ((oid, self._values[oid]) for oid in self._oids)

    def get(self, oid: Oid) -> MibValue | None:
        return self._values.get(oid)

    def next_after(self, oid: Oid) -> tuple[Oid, MibValue] | None:
        """The first instance strictly after ``oid`` in lexicographic order."""
        i = bisect_right(self._oids, oid)
        if i == len(self._oids):
            return None
        found = self._oids[i]
        return found, self._values[found]

    def knows_object(self, oid: Oid) -> bool:
        """True if ``oid`` names an instance of an implemented object type."""
        objects = self._objects
        return any(oid[:n] in objects for n in range(len(oid), 0, -1))


class MibBuilder:
    """Collects scalars and table cells and remembers which object types exist."""

    def __init__(self) -> None:
        self._values: dict[Oid, MibValue] = {}
        self._objects: set[Oid] = set()

    def scalar(self, obj: Oid, value: MibValue) -> None:
        self._objects.add(obj)
        self._values[(*obj, 0)] = value

    def cell(self, column: Oid, index: Oid, value: MibValue) -> None:
        self._objects.add(column)
        self._values[column + index] = value

    def columns(self, entry: Oid, index: Oid, cells: Mapping[int, MibValue]) -> None:
        """One table row: ``{column number: value}`` under ``entry`` (the xxxEntry OID)."""
        for number, value in cells.items():
            self.cell((*entry, number), index, value)

    def declare(self, entry: Oid, column_numbers: Iterable[int]) -> None:
        """Declare columns of a table that may have no rows right now."""
        self._objects.update((*entry, n) for n in column_numbers)

    def build(self) -> MibView:
        return MibView(self._values, self._objects)
