"""This desktop's own settings and TLS pins: local tables, never in the outbox.

Print job names and certificate trust are decisions of the person at this desktop, so
they are not synced to the hub or to other wards.
"""

from __future__ import annotations

import time

from wardfleet.store.store import Store

SHOW_JOB_NAMES = "privacy.show_job_names"


def get_setting(store: Store, key: str) -> str | None:
    with store.reading() as conn:
        row = conn.execute("SELECT value FROM local_settings WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row else None


def set_setting(store: Store, key: str, value: str) -> None:
    with store.transaction_raw() as conn:
        conn.execute(
            "INSERT INTO local_settings (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


def show_job_names(store: Store) -> bool:
    """Whether this desktop shows print job names (they may hold patient names). Off
    unless someone turned it on here."""
    return get_setting(store, SHOW_JOB_NAMES) == "1"


def set_show_job_names(store: Store, show: bool) -> None:
    set_setting(store, SHOW_JOB_NAMES, "1" if show else "0")


class TlsPins:
    """Pinned certificate fingerprints by endpoint; satisfies ``protocols.ipp_tls.PinStore``."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get_pin(self, endpoint: str) -> str | None:
        with self._store.reading() as conn:
            row = conn.execute(
                "SELECT fingerprint FROM tls_pins WHERE endpoint = ?", (endpoint,)
            ).fetchone()
        return str(row[0]) if row else None

    def set_pin(self, endpoint: str, fingerprint: str) -> None:
        with self._store.transaction_raw() as conn:
            conn.execute(
                "INSERT INTO tls_pins (endpoint, fingerprint, pinned_at) VALUES (?, ?, ?)"
                " ON CONFLICT (endpoint) DO UPDATE SET fingerprint = excluded.fingerprint,"
                " pinned_at = excluded.pinned_at",
                (endpoint, fingerprint, time.time()),
            )

    def remove_pin(self, endpoint: str) -> bool:
        with self._store.transaction_raw() as conn:
            return conn.execute("DELETE FROM tls_pins WHERE endpoint = ?", (endpoint,)).rowcount > 0

    def all(self) -> dict[str, str]:
        with self._store.reading() as conn:
            return {
                str(e): str(f)
                for e, f in conn.execute("SELECT endpoint, fingerprint FROM tls_pins")
            }
