"""Where this desktop's hub is, kept in the local database's ``sync_state`` (the token is in
the keyring, see secrets.py)."""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from wardfleet.sync.wire import Me

_URL, _WARD, _CA = "hub_url", "hub_ward", "hub_ca_file"
_CURSOR = "pull_cursor"  # store/remote.py's key: a new hub starts from its beginning
# What the hub says this desktop's token is (GET /v1/me). "role" is read by deploys:
# absent = no hub ever answered (local use), "" = the hub refused the token (no rights).
ROLE, _USER, _WARDS = "role", "hub_user", "hub_wards"


class HubConfigError(ValueError):
    """Settings the client refuses to use (the message says why)."""


class SettingsStore(Protocol):
    def sync_value(self, key: str) -> str | None: ...
    def set_sync_value(self, key: str, value: str) -> None: ...


@dataclass(frozen=True, slots=True)
class HubSettings:
    url: str  # https://hub.example.org:8470 (http only to a loopback address)
    ward: str | None = None  # the ward this desktop serves; None for a helpdesk console
    ca_file: Path | None = None  # a hospital's private CA, in PEM; else the system's
    proxy: str | None = None
    timeout_s: float = 15.0
    batch_size: int = 500  # changes per push
    page_size: int = 500  # changes per pull
    interval_s: float = 30.0  # between syncs while online

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise HubConfigError(f"not a hub address: {self.url!r} (use https://host:port)")
        if parts.scheme == "http" and not _is_loopback(parts.hostname):
            raise HubConfigError(
                "the hub must be reached over https: the token would cross the network in clear"
            )
        if self.ca_file is not None and not self.ca_file.is_file():
            raise HubConfigError(f"CA file not found: {self.ca_file}")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_settings(store: SettingsStore) -> HubSettings | None:
    """None until a hub is configured."""
    url = store.sync_value(_URL)
    if not url:
        return None
    ca = store.sync_value(_CA)
    return HubSettings(
        url=url, ward=store.sync_value(_WARD) or None, ca_file=Path(ca) if ca else None
    )


def save_settings(store: SettingsStore, settings: HubSettings) -> None:
    if store.sync_value(_URL) not in (None, settings.url):
        store.set_sync_value(_CURSOR, "0")
    store.set_sync_value(_URL, settings.url)
    store.set_sync_value(_WARD, settings.ward or "")
    store.set_sync_value(_CA, str(settings.ca_file) if settings.ca_file else "")


@dataclass(frozen=True, slots=True)
class HubIdentity:
    """Who the hub says this desktop's token is; kept offline so the ward keeps working."""

    user: str
    role: str  # "" once the hub refused the token: no rights until it accepts one again
    wards: tuple[str, ...] = ()


def save_identity(store: SettingsStore, me: Me) -> HubIdentity:
    identity = HubIdentity(me.name, me.role.value, tuple(me.wards))
    if load_identity(store) != identity:  # a sync every 30 s need not rewrite it
        store.set_sync_value(_USER, identity.user)
        store.set_sync_value(_WARDS, json.dumps(list(identity.wards)))
        store.set_sync_value(ROLE, identity.role)
    return identity


def forget_identity(store: SettingsStore) -> None:
    """The hub refused the token (401): keep no role, so nothing may be applied (least
    privilege) until a good token is saved and the hub names the role again."""
    if store.sync_value(ROLE) != "" or store.sync_value(_USER):
        store.set_sync_value(ROLE, "")
        store.set_sync_value(_USER, "")
        store.set_sync_value(_WARDS, "[]")


def load_identity(store: SettingsStore) -> HubIdentity | None:
    """The last identity the hub gave; None when no hub has answered yet."""
    role = store.sync_value(ROLE)
    if role is None:
        return None
    try:
        wards = json.loads(store.sync_value(_WARDS) or "[]")
    except ValueError:
        wards = []
    names = tuple(str(w) for w in wards) if isinstance(wards, list) else ()
    return HubIdentity(store.sync_value(_USER) or "", role, names)
