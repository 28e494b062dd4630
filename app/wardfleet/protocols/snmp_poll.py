"""Steady-state polls: GET the plan's cells, and re-walk only when the shape changed (a
known cell is gone, or the device rebooted) or when asked."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from wardfleet.domain.kinds import DeviceState
from wardfleet.domain.status import DeviceStatus
from wardfleet.protocols import oids
from wardfleet.protocols.host_resources import decode_devices, overall_state
from wardfleet.protocols.snmp import SnmpError, SnmpSession
from wardfleet.protocols.snmp_decode import Problem, as_int
from wardfleet.protocols.snmp_plan import PollPlan, make_poll_plan
from wardfleet.protocols.snmp_status import status_from_tables
from wardfleet.protocols.snmp_tables import get_tables, walk_table
from wardfleet.protocols.snmp_types import Missing, Oid, SnmpValue, present, subtree


@dataclass(frozen=True, slots=True)
class PollResult:
    status: DeviceStatus
    plan: PollPlan
    rewalked: bool = False
    alerts_walked: bool = False  # a steady-state poll that also walked prtAlertTable


async def poll(
    session: SnmpSession,
    plan: PollPlan,
    *,
    rewalk: bool = False,
    table_timeout: float | None = None,
) -> PollResult:
    """GET the plan's cells. Re-walks (returning a new plan) when asked or when the shape
    changed. An agent that answers nothing gives ``DeviceStatus.unreachable``."""
    if rewalk:
        return await _rewalk(session)
    started = time.perf_counter()
    tables = plan.get_oids()
    values, errors, failed = await get_tables(session, tables, table_timeout)
    if len(failed) == len(tables):
        reason = errors[0].message if errors else "no answer"
        return PollResult(DeviceStatus.unreachable(time.time(), reason), plan)
    uptime = as_int(values.get(oids.SYS_UPTIME))
    rebooted = (
        not isinstance(uptime, Problem)
        and plan.uptime_ticks is not None
        and uptime < plan.uptime_ticks
    )
    vanished = frozenset(o for o, v in values.items() if isinstance(v, Missing))
    if rebooted or vanished:
        result = await _rewalk(session)
        if not result.status.reachable or rebooted:
            return result
        # The table changed shape, or this agent walks cells it will not GET; remember
        # those so the next poll does not walk again for them.
        return replace(result, plan=replace(result.plan, absent=vanished))
    live = present(values)
    devices, hr_errors = decode_devices({**plan.hr_static, **live}, plan.hr_devices)
    # prtAlertTable has no stable indices to GET, so it is walked, but only while there
    # is something to explain: alerts were there last time, or the device reports a
    # problem now. A healthy printer's poll then costs one request, not two or more.
    state, bits = overall_state(devices)
    alerts: dict[Oid, SnmpValue] = {}
    walk_alerts = plan.printer_mib and bool(
        plan.alert_rows or bits or state not in (DeviceState.OK, DeviceState.BUSY)
    )
    if walk_alerts:
        # Start small when the table was empty last time: usually it still is, and each
        # repetition of a GETBULK past its end costs the agent a lookup.
        alerts, alert_errors = await walk_table(
            session, oids.PRT_ALERT_ENTRY, "prtAlertTable", timeout_s=table_timeout,
            first_repetitions=None if plan.alert_rows else 2,
        )  # fmt: skip
        errors += alert_errors
    status = status_from_tables(
        devices=devices,
        supplies={**plan.supply_static, **subtree(live, oids.PRT_SUPPLIES_ENTRY)},
        colorants=plan.supply_static,
        trays={**plan.tray_static, **subtree(live, oids.PRT_INPUT_ENTRY)},
        alerts=alerts,
        counters=subtree(live, oids.PRT_MARKER_LIFE_COUNT),
        uptime_s=None if isinstance(uptime, Problem) else uptime / 100,
        errors=errors + hr_errors,
        started=started,
    )
    alert_rows = bool(alerts) if walk_alerts else plan.alert_rows
    return PollResult(
        status,
        replace(plan, uptime_ticks=_ticks(uptime, plan), alert_rows=alert_rows),
        alerts_walked=walk_alerts,
    )


def _ticks(uptime: int | Problem, plan: PollPlan) -> int | None:
    return plan.uptime_ticks if isinstance(uptime, Problem) else uptime


async def _rewalk(session: SnmpSession) -> PollResult:
    try:
        plan, status = await make_poll_plan(session)
    except SnmpError as exc:
        return PollResult(DeviceStatus.unreachable(time.time(), str(exc)), PollPlan())
    return PollResult(status, plan, rewalked=True)
