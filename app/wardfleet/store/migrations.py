"""Schema versions, applied in order by ``PRAGMA user_version``.

Never edit a released step: add a new one. Tests migrate from empty and from every older
version with data in it.
"""

from __future__ import annotations

import sqlite3

_V1_INVENTORY_OUTBOX_AUDIT = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    vendor TEXT, model TEXT,
    serial TEXT, mac TEXT, uuid TEXT,
    address TEXT, port INTEGER,
    location TEXT, ward TEXT, notes TEXT,
    state TEXT NOT NULL DEFAULT 'unknown',
    first_seen REAL, last_seen REAL,
    is_new INTEGER NOT NULL DEFAULT 1,
    possible_duplicate_of TEXT,
    field_hlc TEXT NOT NULL DEFAULT '{}',
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX devices_ward ON devices (ward);

-- Normalised identifiers (serial+vendor, MAC, UUID, address) that point at one device.
CREATE TABLE device_identities (
    kind TEXT NOT NULL, value TEXT NOT NULL,
    device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, value)
);
CREATE INDEX device_identities_device ON device_identities (device_id);

CREATE TABLE device_addresses (
    device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    address TEXT NOT NULL, first_seen REAL NOT NULL, last_seen REAL NOT NULL,
    PRIMARY KEY (device_id, address)
);

CREATE TABLE device_protocols (
    device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    protocol TEXT NOT NULL, last_seen REAL NOT NULL,
    PRIMARY KEY (device_id, protocol)
);

-- The newest status of each device, as JSON; history lives in samples.
CREATE TABLE device_status (
    device_id TEXT PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    polled_at REAL NOT NULL, state TEXT NOT NULL, payload TEXT NOT NULL
);

CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY,
    node_id TEXT NOT NULL,
    op_id TEXT NOT NULL UNIQUE,
    hlc TEXT NOT NULL,
    kind TEXT NOT NULL,
    entity TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at REAL NOT NULL,
    sent_at REAL
);
CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;

CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
    device_id TEXT, before TEXT, after TEXT, result TEXT NOT NULL,
    op_id TEXT NOT NULL UNIQUE,
    prev_hash TEXT NOT NULL, hash TEXT NOT NULL
);

CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE conflicts (
    id INTEGER PRIMARY KEY,
    entity TEXT NOT NULL, field TEXT NOT NULL,
    losing_value TEXT, losing_hlc TEXT NOT NULL, winning_hlc TEXT NOT NULL,
    recorded_at REAL NOT NULL
);
"""

_V2_SAMPLES_ALERTS = """
CREATE TABLE samples (
    device_id TEXT NOT NULL, metric TEXT NOT NULL, ts REAL NOT NULL, value REAL NOT NULL,
    PRIMARY KEY (device_id, metric, ts)
) WITHOUT ROWID;
CREATE INDEX samples_ts ON samples (ts);

-- Rollups are updated incrementally at write time: n/sum/min/max/last per bucket.
CREATE TABLE rollups_5m (
    device_id TEXT NOT NULL, metric TEXT NOT NULL, bucket INTEGER NOT NULL,
    n INTEGER NOT NULL, sum REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL,
    last REAL NOT NULL, last_ts REAL NOT NULL, synced INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (device_id, metric, bucket)
) WITHOUT ROWID;
CREATE INDEX rollups_5m_unsynced ON rollups_5m (bucket) WHERE synced = 0;

CREATE TABLE rollups_1d (
    device_id TEXT NOT NULL, metric TEXT NOT NULL, bucket INTEGER NOT NULL,
    n INTEGER NOT NULL, sum REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL,
    last REAL NOT NULL, last_ts REAL NOT NULL,
    PRIMARY KEY (device_id, metric, bucket)
) WITHOUT ROWID;

CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    rule TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL,
    raised_at REAL NOT NULL, cleared_at REAL,
    acknowledged_at REAL, acknowledged_by TEXT, snoozed_until REAL
);
CREATE INDEX alerts_open ON alerts (device_id) WHERE cleared_at IS NULL;
"""

_V3_PROTOCOL_GONE = """
-- When a protocol last said goodbye to a device (an mDNS service removed), NULL while the
-- protocol still sees it. Local bookkeeping like last_seen: a device is never deleted for it.
ALTER TABLE device_protocols ADD COLUMN gone_since REAL;
"""

_V4_REMOTE_CHANGES = """
-- Changes pulled from the hub, by op_id: applying one twice is a no-op. Append-only kinds
-- (rollups, alerts, audit entries, deploy results) keep their payload; others keep none.
CREATE TABLE remote_changes (
    op_id TEXT PRIMARY KEY,
    node_id TEXT NOT NULL, hlc TEXT NOT NULL, kind TEXT NOT NULL, entity TEXT NOT NULL,
    payload TEXT,
    applied_at REAL NOT NULL
);
CREATE INDEX remote_changes_kind_entity ON remote_changes (kind, entity);

-- Diagnostics the helpdesk asked for. Each runs at most once here, by op_id.
CREATE TABLE diagnostic_requests (
    op_id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL, action TEXT NOT NULL, note TEXT,
    requested_by TEXT NOT NULL, hlc TEXT NOT NULL, received_at REAL NOT NULL,
    started_at REAL, finished_at REAL, result TEXT
);
CREATE INDEX diagnostic_requests_open ON diagnostic_requests (received_at)
    WHERE finished_at IS NULL;
"""

_V5_LOCAL_SETTINGS_TLS_PINS = """
-- Settings of this desktop only (e.g. whether print job names are shown). Never synced:
-- nothing here writes an outbox row.
CREATE TABLE local_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- TLS trust on first use: the SHA-256 of the certificate an endpoint (host:port)
-- presented when a person trusted it. Per desktop, never synced.
CREATE TABLE tls_pins (
    endpoint TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, pinned_at REAL NOT NULL
);
"""

_V6_PROFILES = """
-- Configuration profiles: named sets of desired settings per device kind (synced,
-- last-writer-wins per profile by hlc), and which profile a device or a ward follows.
CREATE TABLE profiles (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, device_kind TEXT,
    settings TEXT NOT NULL, hlc TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0
);
-- target: 'device:<id>' or 'ward:<name>'; profile_id NULL means unassigned.
CREATE TABLE profile_assignments (
    target TEXT PRIMARY KEY, profile_id TEXT, hlc TEXT NOT NULL
);
"""

_V7_PROFILE_PRINT_QUEUE = """
-- A profile may ask each workstation to set up a print queue for its printers.
ALTER TABLE profiles ADD COLUMN print_queue INTEGER NOT NULL DEFAULT 0;
"""

_V8_DEVICE_ENDPOINTS = """
-- Where a device answers IPP / eSCL, from its DNS-SD adverts or an IPP answer. The host
-- is the device's address (an address change moves the endpoint). Local discovery
-- bookkeeping like device_addresses: never synced, each desktop sees its own network.
CREATE TABLE device_endpoints (
    device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    service TEXT NOT NULL, port INTEGER NOT NULL, path TEXT NOT NULL,
    last_seen REAL NOT NULL,
    PRIMARY KEY (device_id, service)
);
"""

_V9_ASSIGNMENT_TOMBSTONES = """
-- An assignment removed (the target follows its ward again) stays as a tombstone with the
-- hlc that removed it, so an older assignment pulled later cannot bring it back. A row
-- with profile_id NULL and deleted = 0 still means "explicitly no profile".
ALTER TABLE profile_assignments ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
"""

MIGRATIONS: tuple[str, ...] = (
    _V1_INVENTORY_OUTBOX_AUDIT,
    _V2_SAMPLES_ALERTS,
    _V3_PROTOCOL_GONE,
    _V4_REMOTE_CHANGES,
    _V5_LOCAL_SETTINGS_TLS_PINS,
    _V6_PROFILES,
    _V7_PROFILE_PRINT_QUEUE,
    _V8_DEVICE_ENDPOINTS,
    _V9_ASSIGNMENT_TOMBSTONES,
)
LATEST_VERSION = len(MIGRATIONS)


class SchemaTooNewError(RuntimeError):
    """The file was written by a newer Wardfleet; opening it could damage it."""


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = LATEST_VERSION) -> int:
    """Apply every step above the file's version, each atomically with its version bump."""
    current = schema_version(conn)
    if current > LATEST_VERSION:
        raise SchemaTooNewError(
            f"database schema {current} is newer than this version of Wardfleet "
            f"understands ({LATEST_VERSION})"
        )
    for version in range(current + 1, target + 1):
        # executescript commits first, so run the step inside an explicit transaction.
        try:
            conn.executescript(
                f"BEGIN IMMEDIATE;\n{MIGRATIONS[version - 1]}\n"
                f"PRAGMA user_version = {version};\nCOMMIT;"
            )
        except BaseException:
            if conn.in_transaction:
                conn.rollback()
            raise
    return schema_version(conn)
