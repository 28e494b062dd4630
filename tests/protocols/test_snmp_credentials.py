"""Credential sets: secrets come only from the keyring, and never show in repr."""

from __future__ import annotations

import keyring
import pytest
from keyring.errors import NoKeyringError

from wardfleet.protocols.snmp_credentials import (
    KEYRING_SERVICE,
    AuthProtocol,
    CommunityCredential,
    CredentialError,
    PrivProtocol,
    SnmpVersion,
    UsmCredential,
    community,
    resolve,
    usm,
)


def test_community_is_resolved_from_the_keyring(memory_keyring: object) -> None:
    keyring.set_password(KEYRING_SERVICE, "ward7-ro", "s3cret-ward7")
    resolved = resolve(CommunityCredential("ward7-ro", SnmpVersion.V1, name="Ward 7"))
    assert (resolved.community, resolved.version, resolved.label) == ("s3cret-ward7", "1", "Ward 7")
    assert "s3cret" not in repr(resolved)
    assert resolved.warnings == ()


def test_v3_keys_are_resolved_and_hidden(memory_keyring: object) -> None:
    keyring.set_password(KEYRING_SERVICE, "v3-auth", "authpass123")
    keyring.set_password(KEYRING_SERVICE, "v3-priv", "privpass123")
    credential = UsmCredential(
        "wardv3", AuthProtocol.SHA256, "v3-auth", PrivProtocol.AES256, "v3-priv"
    )
    resolved = resolve(credential)
    assert (resolved.auth_key, resolved.priv_key) == ("authpass123", "privpass123")
    assert "pass123" not in repr(resolved) and "pass123" not in repr(credential)


def test_missing_secret_says_where_it_looked(memory_keyring: object) -> None:
    with pytest.raises(CredentialError, match="wardfleet-snmp/nowhere"):
        resolve(CommunityCredential("nowhere"))


def test_no_keyring_backend_is_an_error_with_a_fix_never_plain_text() -> None:
    def no_backend(service: str, ref: str) -> str | None:
        raise NoKeyringError("No recommended backend was available.")

    with pytest.raises(CredentialError) as caught:
        resolve(CommunityCredential("ward7-ro"), lookup=no_backend)
    assert "Install or unlock one" in str(caught.value)


@pytest.mark.parametrize("value", ["public", "private", "PUBLIC"])
def test_default_communities_warn(value: str) -> None:
    assert "Default SNMP community" in community(value).warnings[0]


def test_usm_sets_are_consistent() -> None:
    with pytest.raises(ValueError, match="go together"):
        UsmCredential("u", AuthProtocol.SHA, None)
    with pytest.raises(ValueError, match="needs authentication"):
        UsmCredential("u", priv_protocol=PrivProtocol.DES, priv_key_ref="p")
    with pytest.raises(CredentialError, match="at least 8"):
        usm("u", auth_protocol=AuthProtocol.MD5, auth_key="short")
