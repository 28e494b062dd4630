"""Named SNMP credential sets: metadata in the store's local settings, secrets in the keyring.

The list order is the try order. Only references to secrets are stored (``set/<name>/
community`` and so on, under the keyring service ``wardfleet-snmp``); the set metadata
lives in ``local_settings`` (per desktop, never synced). Every function here blocks
(SQLite, keyring): call them from a worker thread (``asyncio.to_thread``).
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from wardfleet.protocols.snmp_credentials import (
    KEYRING_SERVICE,
    AuthProtocol,
    CommunityCredential,
    CredentialError,
    CredentialSet,
    PrivProtocol,
    ResolvedCredential,
    SnmpVersion,
    UsmCredential,
    resolve,
)
from wardfleet.store.local import get_setting, set_setting
from wardfleet.store.store import Store

log = logging.getLogger(__name__)

SETTINGS_KEY = "snmp.credential_sets"

NO_KEYRING = (
    "No usable keyring: SNMP secrets are kept only in the operating system's keyring, "
    "never in a file. Install or unlock one (GNOME Keyring or KWallet on Linux, the "
    "Windows Credential Manager) and try again."
)

SecretSetter = Callable[[str, str, str], None]
SecretDeleter = Callable[[str, str], None]


@dataclass(frozen=True, slots=True)
class Secrets:
    """Secrets typed into the editor; None keeps what the keyring already holds."""

    community: str | None = None
    auth_key: str | None = None
    priv_key: str | None = None


def refs_for(name: str) -> tuple[str, str, str]:
    """Keyring entry names (community, auth key, privacy key) for a set called ``name``."""
    base = f"set/{name.strip()}"
    return f"{base}/community", f"{base}/auth", f"{base}/priv"


def _to_dict(credential: CredentialSet) -> dict[str, str | None]:
    if isinstance(credential, CommunityCredential):
        return {
            "name": credential.name,
            "version": credential.version.value,
            "community_ref": credential.community_ref,
        }
    return {
        "name": credential.name,
        "version": SnmpVersion.V3.value,
        "user": credential.user,
        "auth_protocol": credential.auth_protocol.value if credential.auth_protocol else None,
        "auth_key_ref": credential.auth_key_ref,
        "priv_protocol": credential.priv_protocol.value if credential.priv_protocol else None,
        "priv_key_ref": credential.priv_key_ref,
    }


def _from_dict(data: Mapping[str, object]) -> CredentialSet:
    def text(key: str) -> str | None:
        value = data.get(key)
        return str(value) if value else None

    version = SnmpVersion(str(data.get("version", "2c")))
    name = text("name") or ""
    if version is not SnmpVersion.V3:
        return CommunityCredential(
            community_ref=text("community_ref") or refs_for(name)[0], version=version, name=name
        )
    auth, priv = text("auth_protocol"), text("priv_protocol")
    return UsmCredential(
        user=text("user") or "",
        auth_protocol=AuthProtocol(auth) if auth else None,
        auth_key_ref=text("auth_key_ref"),
        priv_protocol=PrivProtocol(priv) if priv else None,
        priv_key_ref=text("priv_key_ref"),
        name=name,
    )


def load_sets(store: Store) -> list[CredentialSet]:
    """The saved sets in try order (an unreadable entry is skipped, not fatal)."""
    raw = get_setting(store, SETTINGS_KEY)
    if not raw:
        return []
    try:
        items = json.loads(raw)
    except ValueError:
        return []
    sets: list[CredentialSet] = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            try:
                sets.append(_from_dict(item))
            except ValueError:
                continue
    return sets


def save_sets(store: Store, sets: Sequence[CredentialSet]) -> None:
    """Replace the list (the order given is the try order). No secrets pass through here."""
    names = [s.name for s in sets]
    if len(set(names)) != len(names) or any(not n.strip() for n in names):
        raise CredentialError("Every credential set needs a name of its own.")
    set_setting(store, SETTINGS_KEY, json.dumps([_to_dict(s) for s in sets]))


def _keyring_set(service: str, ref: str, value: str) -> None:
    import keyring

    _refuse_file_keyring()
    keyring.set_password(service, ref, value)


def _keyring_delete(service: str, ref: str) -> None:
    import keyring
    from keyring.errors import PasswordDeleteError

    with contextlib.suppress(PasswordDeleteError):  # nothing stored: already gone
        keyring.delete_password(service, ref)


def _keyring_get(service: str, ref: str) -> str | None:
    import keyring

    _refuse_file_keyring()
    return keyring.get_password(service, ref)


def _refuse_file_keyring() -> None:
    import keyring

    backend = type(keyring.get_keyring())
    if backend.__module__.startswith("keyrings.alt"):
        raise CredentialError(
            f"The active keyring ({backend.__name__}) keeps secrets in a plain file. " + NO_KEYRING
        )


def _keyring_call(action: Callable[[], None]) -> None:
    from keyring.errors import KeyringError, NoKeyringError

    try:
        action()
    except NoKeyringError as exc:
        raise CredentialError(NO_KEYRING) from exc
    except KeyringError as exc:
        raise CredentialError(f"The keyring refused the SNMP secret: {exc}") from exc


def build_set(
    name: str,
    version: SnmpVersion,
    *,
    user: str = "",
    auth_protocol: AuthProtocol | None = None,
    priv_protocol: PrivProtocol | None = None,
) -> CredentialSet:
    """A set with its refs named from ``name``; raises CredentialError when incomplete."""
    name = name.strip()
    if not name:
        raise CredentialError("Give the credential set a name.")
    community_ref, auth_ref, priv_ref = refs_for(name)
    if version is not SnmpVersion.V3:
        return CommunityCredential(community_ref=community_ref, version=version, name=name)
    if not user.strip():
        raise CredentialError("SNMPv3 needs a user name.")
    if priv_protocol is not None and auth_protocol is None:
        raise CredentialError("SNMPv3 privacy needs authentication too.")
    return UsmCredential(
        user=user.strip(),
        auth_protocol=auth_protocol,
        auth_key_ref=auth_ref if auth_protocol else None,
        priv_protocol=priv_protocol,
        priv_key_ref=priv_ref if priv_protocol else None,
        name=name,
    )


def _check_secrets(credential: CredentialSet, secrets: Secrets, *, new: bool) -> None:
    if isinstance(credential, CommunityCredential):
        if new and not secrets.community:
            raise CredentialError("Enter the community string.")
        return
    for protocol, key, what in (
        (credential.auth_protocol, secrets.auth_key, "authentication"),
        (credential.priv_protocol, secrets.priv_key, "privacy"),
    ):
        if protocol is None:
            continue
        if key is None and new:
            raise CredentialError(f"Enter the SNMPv3 {what} key.")
        if key is not None and len(key) < 8:
            raise CredentialError(f"The SNMPv3 {what} key must be at least 8 characters.")


def put_set(
    store: Store,
    credential: CredentialSet,
    secrets: Secrets,
    *,
    replacing: str | None = None,
    keyring_set: SecretSetter = _keyring_set,
    keyring_get: Callable[[str, str], str | None] = _keyring_get,
    keyring_delete: SecretDeleter = _keyring_delete,
) -> list[CredentialSet]:
    """Add ``credential`` (or replace the set named ``replacing`` in place) and keep its
    secrets in the keyring. A secret left as None is carried over from the old set (also
    across a rename). Secrets are written before the metadata, so a keyring failure
    changes nothing. Returns the new list."""
    sets = load_sets(store)
    old = next((s for s in sets if s.name == replacing), None) if replacing else None
    if replacing and old is None:
        raise CredentialError(f"There is no credential set called {replacing!r} any more.")
    clash = any(s.name == credential.name for s in sets if s is not old)
    if clash:
        raise CredentialError(f"A credential set called {credential.name!r} exists already.")
    _check_secrets(credential, secrets, new=old is None)
    writes = _secret_writes(credential, secrets, old, keyring_get)

    def write() -> None:
        for ref, value in writes.items():
            keyring_set(KEYRING_SERVICE, ref, value)

    _keyring_call(write)
    if old is not None:
        _delete_refs(set(_refs_of(old)) - set(_refs_of(credential)), keyring_delete)
        sets[sets.index(old)] = credential
    else:
        sets.append(credential)
    save_sets(store, sets)
    return sets


def _refs_of(credential: CredentialSet) -> list[str]:
    if isinstance(credential, CommunityCredential):
        return [credential.community_ref]
    return [r for r in (credential.auth_key_ref, credential.priv_key_ref) if r]


def _secret_writes(
    credential: CredentialSet,
    secrets: Secrets,
    old: CredentialSet | None,
    keyring_get: Callable[[str, str], str | None],
) -> dict[str, str]:
    """Which keyring entries to write: new values, and old ones moved to a new ref."""
    writes: dict[str, str] = {}
    pairs: list[tuple[str | None, str | None, str | None]] = []
    if isinstance(credential, CommunityCredential):
        old_ref = old.community_ref if isinstance(old, CommunityCredential) else None
        pairs.append((credential.community_ref, secrets.community, old_ref))
    else:
        old_usm = old if isinstance(old, UsmCredential) else None
        pairs.append(
            (credential.auth_key_ref, secrets.auth_key, old_usm.auth_key_ref if old_usm else None)
        )
        pairs.append(
            (credential.priv_key_ref, secrets.priv_key, old_usm.priv_key_ref if old_usm else None)
        )
    for ref, value, old_ref in pairs:
        if ref is None:
            continue
        if value is not None:
            writes[ref] = value
        elif old_ref is not None and old_ref != ref:
            moved = _read_secret(old_ref, keyring_get)
            if moved is None:
                raise CredentialError("The old secret is not in the keyring: enter it again.")
            writes[ref] = moved
        elif old_ref is None:
            raise CredentialError("Enter the secret for this credential set.")
    return writes


def _read_secret(ref: str, keyring_get: Callable[[str, str], str | None]) -> str | None:
    found: list[str | None] = []
    _keyring_call(lambda: found.append(keyring_get(KEYRING_SERVICE, ref)))
    return found[0]


def remove_set(
    store: Store, name: str, *, keyring_delete: SecretDeleter = _keyring_delete
) -> list[CredentialSet]:
    """Forget the set and delete its secrets from the keyring. Returns the new list."""
    sets = load_sets(store)
    gone = [s for s in sets if s.name == name]
    kept = [s for s in sets if s.name != name]
    save_sets(store, kept)
    for credential in gone:
        _delete_refs(_refs_of(credential), keyring_delete)
    return kept


def _delete_refs(refs: Iterable[str], keyring_delete: SecretDeleter) -> None:
    def delete() -> None:
        for ref in refs:
            keyring_delete(KEYRING_SERVICE, ref)

    _keyring_call(delete)


def move_set(store: Store, name: str, offset: int) -> list[CredentialSet]:
    """Move a set up (-1) or down (+1) in the try order."""
    sets = load_sets(store)
    index = next((i for i, s in enumerate(sets) if s.name == name), None)
    if index is None:
        return sets
    target = max(0, min(len(sets) - 1, index + offset))
    sets.insert(target, sets.pop(index))
    save_sets(store, sets)
    return sets


def resolve_sets(
    sets: Sequence[CredentialSet],
    lookup: Callable[[str, str], str | None] = _keyring_get,
) -> list[ResolvedCredential]:
    """The sets with their secrets, in order; raises CredentialError (with a fix)."""
    from keyring.errors import NoKeyringError

    resolved = []
    for credential in sets:
        try:
            resolved.append(resolve(credential, lookup=lookup))
        except CredentialError as exc:
            if isinstance(exc.__cause__, NoKeyringError):
                raise CredentialError(NO_KEYRING) from exc
            raise
    return resolved


# Endpoints a scan found, so they are watched again after a restart ----------------------
WATCHED_KEY = "snmp.watched_endpoints"
SnmpEndpointSpec = tuple[str, int, tuple[ResolvedCredential, ...]]  # host, port, in order


def remember_endpoint(store: Store, host: str, port: int, set_names: Sequence[str]) -> None:
    """Keep a scanned endpoint with the names of the sets to try (never the secrets)."""
    entries = [e for e in _watched(store) if (e.get("host"), e.get("port")) != (host, port)]
    entries.append({"host": host, "port": port, "sets": list(set_names)})
    set_setting(store, WATCHED_KEY, json.dumps(entries))


def _watched(store: Store) -> list[dict[str, object]]:
    try:
        items = json.loads(get_setting(store, WATCHED_KEY) or "[]")
    except ValueError:
        return []
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def watched_endpoints(store: Store) -> list[SnmpEndpointSpec]:
    """The remembered endpoints with their sets resolved from the keyring; an endpoint
    whose sets are gone or unreadable is left out (and logged), not fatal."""
    entries = _watched(store)
    if not entries:
        return []
    by_name = {s.name: s for s in load_sets(store)}
    # One scan's endpoints share their sets: ask the keyring once per list, not per endpoint.
    resolved_for: dict[tuple[str, ...], tuple[ResolvedCredential, ...] | CredentialError] = {}
    out: list[SnmpEndpointSpec] = []
    for entry in entries:
        listed = entry.get("sets")
        names = tuple(str(n) for n in (listed if isinstance(listed, list) else []) if n in by_name)
        if names not in resolved_for:
            try:
                resolved_for[names] = tuple(resolve_sets([by_name[n] for n in names]))
            except CredentialError as exc:
                resolved_for[names] = exc
        resolved = resolved_for[names]
        if isinstance(resolved, CredentialError):
            log.warning("cannot watch %s again: %s", entry.get("host"), resolved)
            continue
        if resolved:
            out.append((str(entry.get("host")), int(str(entry.get("port", 161))), resolved))
    return out
