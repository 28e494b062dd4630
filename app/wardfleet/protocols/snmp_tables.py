"""Reading whole tables, each under its own error handling: a table that never answers
costs that table (a ``TableError``), not the device's status."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from wardfleet.domain.status import TableError
from wardfleet.protocols.snmp import SnmpError, SnmpSession, SnmpTimeout
from wardfleet.protocols.snmp_types import Oid, SnmpValue


async def walk_table(
    session: SnmpSession,
    root: Oid,
    table: str,
    *,
    max_repetitions: int = 24,
    max_rows: int = 10_000,
    timeout_s: float | None = None,
    first_repetitions: int | None = None,
) -> tuple[dict[Oid, SnmpValue], list[TableError]]:
    """The rows under ``root``, and the error that ended the walk early, named ``table``."""
    result = await session.walk(
        root, max_repetitions=max_repetitions, max_rows=max_rows, timeout_s=timeout_s,
        first_repetitions=first_repetitions,
    )  # fmt: skip
    errors = [TableError(table, str(result.error))] if result.error else []
    return result.varbinds, errors


async def get_tables(
    session: SnmpSession, tables: Mapping[str, list[Oid]], table_timeout: float | None
) -> tuple[dict[Oid, SnmpValue], list[TableError], set[str]]:
    """One combined GET; if it times out, each table alone, so one bad table costs itself.

    Returns the values, the errors, and the names of the tables that failed."""
    every = [oid for oid_list in tables.values() for oid in oid_list]
    try:
        return await session.get(every), [], set()
    except SnmpTimeout:
        pass
    values: dict[Oid, SnmpValue] = {}
    errors: list[TableError] = []
    failed: set[str] = set()
    results = await asyncio.gather(
        *(session.get(oid_list, timeout_s=table_timeout) for oid_list in tables.values()),
        return_exceptions=True,
    )
    for name, result in zip(tables, results, strict=True):
        if isinstance(result, SnmpError):
            errors.append(TableError(name, str(result)))
            failed.add(name)
        elif isinstance(result, BaseException):
            raise result
        else:
            values.update(result)
    return values, errors, failed
