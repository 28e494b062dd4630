"""The store's front door: transactions whose mutations always write their outbox row."""

from __future__ import annotations

import contextlib
import dataclasses
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from wardfleet.domain.alerts import Alert, AlertEvent, Transition
from wardfleet.domain.change import Change, ChangeKind
from wardfleet.domain.device import Device, DeviceOverview, ServiceEndpoint
from wardfleet.domain.hlc import HybridLogicalClock, Timestamp
from wardfleet.domain.identity import IdentityKey
from wardfleet.domain.status import DeviceStatus
from wardfleet.store import alerts as alert_rows
from wardfleet.store import audit, insights, inventory, outbox, remote, samples
from wardfleet.store.db import Database


class Tx:
    """One open transaction. Each mutation here writes its outbox row in this transaction."""

    def __init__(self, conn: sqlite3.Connection, clock: HybridLogicalClock) -> None:
        self.conn = conn
        self._clock = clock

    def emit(self, kind: ChangeKind, entity: str, payload: dict[str, Any]) -> Change:
        return outbox.append(self.conn, self._clock, kind, entity, payload)

    def find_by_keys(self, keys: Iterable[IdentityKey]) -> dict[IdentityKey, str]:
        return inventory.find_by_keys(self.conn, keys)

    def get_device(self, device_id: str) -> Device | None:
        return inventory.get_device(self.conn, device_id)

    def create_device(self, device: Device) -> Change:
        change = self.emit(
            ChangeKind.DEVICE_UPSERT, device.id, {"fields": inventory.device_fields(device)}
        )
        inventory.insert_device(self.conn, device, change.hlc)
        return change

    def update_device(self, device_id: str, fields: Mapping[str, Any]) -> Change | None:
        """Change inventory fields; writes nothing (and no change) when nothing differs."""
        current = inventory.get_device(self.conn, device_id)
        if current is None:
            raise KeyError(device_id)
        before = inventory.device_fields(current)
        changed = {k: v for k, v in fields.items() if before.get(k, object()) != v}
        if not changed:
            return None
        change = self.emit(ChangeKind.DEVICE_UPSERT, device_id, {"fields": changed})
        inventory.update_fields(self.conn, device_id, changed, change.hlc)
        return change

    def absorb_device(self, target_id: str, absorbed_id: str) -> Change:
        """Two records proved to be one physical device: keep one, tombstone the other.

        Fields the survivor lacks are taken from the absorbed record.
        """
        target, absorbed = self.get_device(target_id), self.get_device(absorbed_id)
        if target is None or absorbed is None:
            raise KeyError(target_id if target is None else absorbed_id)
        have = inventory.device_fields(target)
        missing = {
            k: v
            for k, v in inventory.device_fields(absorbed).items()
            if v is not None and have.get(k) in (None, "")
        }
        inventory.absorb_device(self.conn, target_id, absorbed_id)
        self.update_device(target_id, missing)
        return self.emit(ChangeKind.DEVICE_DELETE, absorbed_id, {"merged_into": target_id})

    def link_identity(self, device_id: str, keys: Iterable[IdentityKey]) -> None:
        inventory.link_identity(self.conn, device_id, keys)

    def touch(self, device_id: str, *, address: str | None, protocol: str, ts: float) -> None:
        """Local bookkeeping of when a protocol last saw the device (not synced)."""
        inventory.touch(self.conn, device_id, address=address, protocol=protocol, ts=ts)

    def set_endpoints(
        self, device_id: str, endpoints: Iterable[ServiceEndpoint], ts: float
    ) -> None:
        """Local bookkeeping of where the device answers IPP/eSCL (not synced)."""
        inventory.set_endpoints(self.conn, device_id, endpoints, ts)

    def set_flags(
        self,
        device_id: str,
        *,
        is_new: bool | None = None,
        possible_duplicate_of: str | None = None,
    ) -> None:
        """Local review flags ("new", "possible duplicate"); each desktop keeps its own."""
        inventory.set_flags(
            self.conn, device_id, is_new=is_new, possible_duplicate_of=possible_duplicate_of
        )

    def audit(
        self,
        *,
        actor: str,
        action: str,
        device_id: str | None,
        before: Any,
        after: Any,
        result: str,
    ) -> audit.AuditEntry:
        op_id = str(uuid.uuid4())
        entry = audit.append(
            self.conn,
            ts=time.time(),
            actor=actor,
            action=action,
            device_id=device_id,
            before=before,
            after=after,
            result=result,
            op_id=op_id,
        )
        self.emit(
            ChangeKind.AUDIT,
            f"audit:{op_id}",
            {
                "op_id": op_id,
                "ts": entry.ts,
                "actor": actor,
                "action": action,
                "device_id": device_id,
                "before": before,
                "after": after,
                "result": result,
                "hash": entry.hash,
            },
        )
        return entry

    # Alerts: every raise, clear, acknowledgement and snooze is an append-only change.
    def raise_alert(self, event: AlertEvent) -> Alert:
        """Open an alert for a raised event; an alert already open for its key is kept."""
        existing = alert_rows.open_alert(self.conn, event.device_id, event.key)
        if existing is not None:
            return existing
        alert = Alert(
            str(uuid.uuid4()),
            event.device_id,
            event.key,
            event.severity,
            event.message,
            event.at,
        )
        alert_rows.insert(self.conn, alert)
        self._emit_alert("raised", alert, event.at)
        return alert

    def clear_alert(self, event: AlertEvent) -> Alert | None:
        """Close the open alert of the event's key; None when none is open."""
        alert = alert_rows.open_alert(self.conn, event.device_id, event.key)
        if alert is None:
            return None
        alert_rows.close(self.conn, alert.id, event.at)
        self._emit_alert("cleared", alert, event.at)
        return dataclasses.replace(alert, cleared_at=float(event.at))

    def acknowledge_alert(self, alert_id: str, *, at: float, by: str) -> bool:
        alert = alert_rows.get(self.conn, alert_id)
        if alert is None or not alert_rows.acknowledge(self.conn, alert_id, at, by):
            return False
        self._emit_alert("acknowledged", alert, at, by=by)
        return True

    def snooze_alert(self, alert_id: str, *, at: float, until: float) -> bool:
        alert = alert_rows.get(self.conn, alert_id)
        if alert is None or not alert_rows.snooze(self.conn, alert_id, until):
            return False
        self._emit_alert("snoozed", alert, at, until=until)
        return True

    def _emit_alert(self, event: str, alert: Alert, at: float, **extra: Any) -> Change:
        return self.emit(
            ChangeKind.ALERT,
            f"alert:{alert.id}",
            {
                "event": event,
                "id": alert.id,
                "device_id": alert.device_id,
                "rule": alert.key,
                "severity": alert.severity.value,
                "message": alert.message,
                "at": at,
                **extra,
            },
        )


class Store:
    """The local database of one desktop (one ``node_id``)."""

    def __init__(self, db: Database, *, clock_ms: Callable[[], int] | None = None) -> None:
        """``clock_ms``: wall clock in ms for the HLC (tests inject a skewed one)."""
        self.db = db
        self._lock = threading.RLock()
        with self.transaction_raw() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'node_id'").fetchone()
            node_id = str(row[0]) if row else str(uuid.uuid4())
            if row is None:
                conn.execute("INSERT INTO meta (key, value) VALUES ('node_id', ?)", (node_id,))
            last = outbox.last_hlc(conn)
        self.node_id = node_id
        self.clock = HybridLogicalClock(node_id, clock_ms)
        if last:
            self.clock.restore(Timestamp.decode(last))

    @classmethod
    def open(cls, path: Path | str, *, clock_ms: Callable[[], int] | None = None) -> Store:
        return cls(Database(path), clock_ms=clock_ms)

    def close(self) -> None:
        with self._lock:
            self.db.close()

    @contextlib.contextmanager
    def transaction_raw(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self.db.transaction() as conn:
            yield conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Tx]:
        with self.transaction_raw() as conn:
            yield Tx(conn, self.clock)

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self.db.conn

    # Reads -----------------------------------------------------------------------
    def list_overview(self) -> list[DeviceOverview]:
        with self.reading() as conn:
            return inventory.list_overview(conn)

    def list_devices(self) -> list[Device]:
        with self.reading() as conn:
            return inventory.list_devices(conn)

    def get_device(self, device_id: str) -> Device | None:
        with self.reading() as conn:
            return inventory.get_device(conn, device_id)

    def protocol_presence(self, device_id: str) -> dict[str, tuple[float, float | None]]:
        """Per protocol: when it last saw the device, and since when it no longer does."""
        with self.reading() as conn:
            return inventory.protocol_presence(conn, device_id)

    def device_for_keys(self, keys: Iterable[IdentityKey]) -> str | None:
        with self.reading() as conn:
            return inventory.device_for_keys(conn, keys)

    def address_history(self, device_id: str) -> list[tuple[str, float, float]]:
        with self.reading() as conn:
            return inventory.address_history(conn, device_id)

    def rollup_series(
        self, device_id: str, metric: str, since: float, until: float, *, daily: bool = False
    ) -> list[samples.RollupPoint]:
        with self.reading() as conn:
            return samples.rollup_series(conn, device_id, metric, since, until, daily=daily)

    def availability(
        self, device_ids: Iterable[str], since: float, until: float
    ) -> dict[str, float | None]:
        """Share of polls that reached each device in the range (0–1); None: no polls."""
        with self.reading() as conn:
            return insights.availability(conn, device_ids, since, until)

    def binned_series(
        self,
        device_id: str,
        metrics: Sequence[str],
        since: float,
        until: float,
        step: int,
        *,
        daily: bool = False,
        banded: Sequence[str] = (),
    ) -> dict[str, list[tuple[int, float, float, float, float]]]:
        """Several metrics at one point per ``step`` s: (bin, avg, min, max, last)."""
        with self.reading() as conn:
            return insights.binned_series(
                conn, device_id, metrics, since, until, step, daily=daily, banded=banded
            )

    def list_alerts(self, device_ids: Iterable[str] | None = None) -> list[Alert]:
        """Open alerts (acknowledged and snoozed included), oldest first."""
        with self.reading() as conn:
            return alert_rows.list_open(conn, device_ids)

    def alert_history(self, device_id: str | None = None, limit: int = 200) -> list[Alert]:
        """Alerts newest first, open and cleared."""
        with self.reading() as conn:
            return alert_rows.history(conn, device_id, limit)

    def apply_alert_events(self, events: Sequence[AlertEvent]) -> list[Alert]:
        """Raise and clear alerts, each with its outbox row, in ONE transaction."""
        changed: list[Alert] = []
        with self.transaction() as tx:
            for event in events:
                if event.transition is Transition.RAISED:
                    changed.append(tx.raise_alert(event))
                else:
                    cleared = tx.clear_alert(event)
                    if cleared is not None:
                        changed.append(cleared)
        return changed

    def acknowledge_alert(self, alert_id: str, *, by: str, at: float | None = None) -> bool:
        with self.transaction() as tx:
            return tx.acknowledge_alert(alert_id, at=time.time() if at is None else at, by=by)

    def snooze_alert(self, alert_id: str, until: float, *, at: float | None = None) -> bool:
        with self.transaction() as tx:
            return tx.snooze_alert(alert_id, at=time.time() if at is None else at, until=until)

    def outbox_pending(self, limit: int = 500) -> list[Change]:
        with self.reading() as conn:
            return outbox.pending(conn, limit)

    def outbox_count(self) -> int:
        with self.reading() as conn:
            return outbox.pending_count(conn)

    def verify_audit(self) -> audit.ChainBreak | None:
        with self.reading() as conn:
            return audit.verify(conn)

    def audit_count(self) -> int:
        with self.reading() as conn:
            return audit.count(conn)

    def audit_entries(self, limit: int | None = None) -> list[audit.AuditEntry]:
        with self.reading() as conn:
            return audit.entries(conn, limit=limit)

    def sync_value(self, key: str) -> str | None:
        with self.reading() as conn:
            row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
            return str(row[0]) if row else None

    # Writes ----------------------------------------------------------------------
    def write_poll_cycle(self, results: Sequence[tuple[str, DeviceStatus]]) -> int:
        """Newest status plus samples for many devices, in one transaction."""
        with self.transaction_raw() as conn:
            inventory.set_statuses(conn, results)
            return samples.write(
                conn,
                (
                    (device_id, metric, status.polled_at, value)
                    for device_id, status in results
                    for metric, value in samples.metrics_of(status)
                ),
            )

    def close_finished_buckets(self, now: float) -> int:
        """Fold finished 5-minute buckets into their days and queue them for the hub.

        One change per device and bucket; returns how many were queued.
        """
        current = int(now // samples.FIVE_MIN) * samples.FIVE_MIN
        with self.transaction() as tx:
            rows = samples.closed_unsynced_5m(tx.conn, current)
            grouped: dict[tuple[str, int], dict[str, list[float]]] = {}
            for device_id, metric, bucket, n, total, mn, mx, last in rows:
                grouped.setdefault((device_id, bucket), {})[metric] = [n, total / n, mn, mx, last]
            for (device_id, bucket), metrics in grouped.items():
                tx.emit(
                    ChangeKind.ROLLUP,
                    f"rollup:{device_id}:{bucket}",
                    {
                        "device_id": device_id,
                        "bucket": bucket,
                        "fields": ["n", "avg", "min", "max", "last"],
                        "metrics": metrics,
                    },
                )
            samples.fold_closed_into_daily(tx.conn, current)
            samples.mark_5m_synced(tx.conn, ((d, m, b) for d, m, b, *_ in rows))
        return len(grouped)

    def prune(self, now: float) -> tuple[int, int, int]:
        with self.transaction_raw() as conn:
            return samples.prune(conn, now)

    def mark_sent(self, up_to_seq: int) -> int:
        with self.transaction_raw() as conn:
            return outbox.mark_sent(conn, up_to_seq)

    def set_sync_value(self, key: str, value: str) -> None:
        with self.transaction_raw() as conn:
            conn.execute(
                "INSERT INTO sync_state (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def mark_protocol_gone(self, device_id: str, protocol: str, ts: float) -> bool:
        """A protocol said goodbye (local bookkeeping, not synced; the device stays)."""
        with self.transaction_raw() as conn:
            return inventory.mark_protocol_gone(conn, device_id, protocol, ts)

    # Sync with the hub (store/remote.py) -------------------------------------------
    def pull_cursor(self) -> int:
        with self.reading() as conn:
            return remote.read_cursor(conn)

    def apply_remote(self, changes: Sequence[Change], cursor: int) -> remote.RemoteApplied:
        """Apply one pulled page and save ``cursor`` in the same transaction."""
        with self.transaction_raw() as conn:
            return remote.apply(conn, self.clock, changes, cursor)

    def requeue_outbox(self, from_seq: int) -> int:
        with self.transaction_raw() as conn:
            return remote.requeue_from(conn, from_seq)

    def list_conflicts(self, limit: int = 200) -> list[remote.Conflict]:
        with self.reading() as conn:
            return remote.list_conflicts(conn, limit)

    def pending_diagnostics(self) -> list[remote.DiagnosticRequest]:
        with self.reading() as conn:
            return remote.pending_diagnostics(conn)

    def claim_diagnostic(self, op_id: str) -> bool:
        """True once per request: the caller then runs it (at most once, by op_id)."""
        with self.transaction_raw() as conn:
            return remote.claim_diagnostic(conn, op_id)

    def finish_diagnostic(self, op_id: str, device_id: str, result: str) -> Change:
        """Record the outcome and queue it for the hub, where the helpdesk sees it."""
        with self.transaction() as tx:
            remote.finish_diagnostic(tx.conn, op_id, result)
            return tx.emit(
                ChangeKind.DEPLOY_RESULT,
                f"diagnostic:{op_id}",
                {"request_op_id": op_id, "device_id": device_id, "result": result},
            )

    def acknowledge_new(self, device_id: str) -> None:
        with self.transaction() as tx:
            tx.set_flags(device_id, is_new=False)
