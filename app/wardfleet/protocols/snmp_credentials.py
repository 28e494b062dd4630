"""SNMP credential sets. Secrets live in the OS keyring and are referenced by name.

A credential set (what the store keeps and the UI edits) never holds a secret; only
``resolve`` reads the keyring, and the ``ResolvedCredential`` it returns keeps the secrets
out of ``repr``. A missing keyring backend is an error with a fix, never a fallback to
plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

KEYRING_SERVICE = "wardfleet-snmp"
DEFAULT_COMMUNITIES = frozenset({"public", "private"})


class SnmpVersion(StrEnum):
    V1 = "1"
    V2C = "2c"
    V3 = "3"


class AuthProtocol(StrEnum):
    MD5 = "MD5"
    SHA = "SHA"
    SHA224 = "SHA-224"
    SHA256 = "SHA-256"
    SHA384 = "SHA-384"
    SHA512 = "SHA-512"


class PrivProtocol(StrEnum):
    DES = "DES"
    AES128 = "AES-128"
    AES192 = "AES-192"  # net-snmp's AES-192/256 key extension (Blumenthal draft)
    AES256 = "AES-256"


class CredentialError(Exception):
    """A credential set cannot be used; the message says what to do."""


@dataclass(frozen=True, slots=True)
class CommunityCredential:
    """SNMPv1/v2c: the community string is in the keyring under ``community_ref``."""

    community_ref: str
    version: SnmpVersion = SnmpVersion.V2C
    name: str = ""


@dataclass(frozen=True, slots=True)
class UsmCredential:
    """SNMPv3 user; keys are in the keyring under their refs (None: that level unused)."""

    user: str
    auth_protocol: AuthProtocol | None = None
    auth_key_ref: str | None = None
    priv_protocol: PrivProtocol | None = None
    priv_key_ref: str | None = None
    name: str = ""

    def __post_init__(self) -> None:
        if (self.auth_protocol is None) != (self.auth_key_ref is None):
            raise ValueError("auth_protocol and auth_key_ref go together")
        if (self.priv_protocol is None) != (self.priv_key_ref is None):
            raise ValueError("priv_protocol and priv_key_ref go together")
        if self.priv_protocol is not None and self.auth_protocol is None:
            raise ValueError("SNMPv3 privacy needs authentication too")


CredentialSet = CommunityCredential | UsmCredential


@dataclass(frozen=True, slots=True)
class ResolvedCredential:
    """A credential with its secrets, ready for a session; secrets stay out of repr."""

    version: SnmpVersion
    label: str
    community: str | None = field(default=None, repr=False)
    user: str | None = None
    auth_protocol: AuthProtocol | None = None
    auth_key: str | None = field(default=None, repr=False)
    priv_protocol: PrivProtocol | None = None
    priv_key: str | None = field(default=None, repr=False)

    @property
    def warnings(self) -> tuple[str, ...]:
        if self.community is not None and self.community.lower() in DEFAULT_COMMUNITIES:
            return (
                f"Default SNMP community '{self.community}' in use: anyone on the network "
                "can read this device (or change it, with 'private'). Set a unique "
                "community on the device or use SNMPv3.",
            )
        return ()


PasswordLookup = Callable[[str, str], "str | None"]


def _keyring_lookup(service: str, ref: str) -> str | None:
    import keyring  # deferred: importing keyring probes backends (slow, D-Bus)

    return keyring.get_password(service, ref)


def _secret(ref: str, what: str, lookup: PasswordLookup) -> str:
    from keyring.errors import KeyringError, NoKeyringError

    try:
        value = lookup(KEYRING_SERVICE, ref)
    except NoKeyringError as exc:
        raise CredentialError(
            "No usable keyring: SNMP secrets are kept only in the operating system's "
            "keyring. Install or unlock one (GNOME Keyring/KWallet on Linux, Windows "
            f"Credential Manager) and try again. ({exc})"
        ) from exc
    except KeyringError as exc:
        raise CredentialError(f"The keyring refused to give the {what}: {exc}") from exc
    if value is None:
        raise CredentialError(f"No {what} stored in the keyring under '{KEYRING_SERVICE}/{ref}'.")
    return value


def resolve(
    credential: CredentialSet, *, lookup: PasswordLookup = _keyring_lookup
) -> ResolvedCredential:
    """Fetch the secrets a credential set refers to; raises CredentialError."""
    if isinstance(credential, CommunityCredential):
        return ResolvedCredential(
            version=credential.version,
            label=credential.name or f"v{credential.version} {credential.community_ref}",
            community=_secret(credential.community_ref, "community string", lookup),
        )
    return ResolvedCredential(
        version=SnmpVersion.V3,
        label=credential.name or f"v3 {credential.user}",
        user=credential.user,
        auth_protocol=credential.auth_protocol,
        auth_key=(
            _secret(credential.auth_key_ref, "SNMPv3 auth key", lookup)
            if credential.auth_key_ref
            else None
        ),
        priv_protocol=credential.priv_protocol,
        priv_key=(
            _secret(credential.priv_key_ref, "SNMPv3 privacy key", lookup)
            if credential.priv_key_ref
            else None
        ),
    )


def community(value: str, version: SnmpVersion = SnmpVersion.V2C) -> ResolvedCredential:
    """A one-off community (a CLI probe); it is used in memory and never stored."""
    return ResolvedCredential(version=version, label=f"v{version} community", community=value)


def usm(
    user: str,
    *,
    auth_protocol: AuthProtocol | None = None,
    auth_key: str | None = None,
    priv_protocol: PrivProtocol | None = None,
    priv_key: str | None = None,
) -> ResolvedCredential:
    """One-off SNMPv3 user (a CLI probe); never stored."""
    if priv_protocol is not None and auth_protocol is None:
        raise CredentialError("SNMPv3 privacy needs an authentication protocol and key too")
    for proto, key, what in ((auth_protocol, auth_key, "auth"), (priv_protocol, priv_key, "priv")):
        if proto is not None and (key is None or len(key) < 8):
            raise CredentialError(f"SNMPv3 {what} key must be at least 8 characters")
    return ResolvedCredential(
        version=SnmpVersion.V3,
        label=f"v3 {user}",
        user=user,
        auth_protocol=auth_protocol,
        auth_key=auth_key,
        priv_protocol=priv_protocol,
        priv_key=priv_key,
    )
