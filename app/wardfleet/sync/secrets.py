"""The hub token lives in the OS keyring (service ``wardfleet-hub``, one entry per hub URL).

Never in a file: without a working keyring the desktop says how to get one and keeps
working offline; it does not fall back to plain text.
"""

from __future__ import annotations

import keyring
from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

SERVICE = "wardfleet-hub"

_HOW_TO_FIX = (
    "No OS keyring is available to keep the hub token. On Windows this is the Credential "
    "Manager; on Linux start a Secret Service (GNOME Keyring or KWallet) in your session, "
    "then enter the token again. Until then this desktop works offline."
)


class KeyringUnavailable(RuntimeError):
    """The token cannot be read or kept safely; the message tells the user what to do."""


def _account(hub_url: str) -> str:
    return hub_url.rstrip("/")


def _check_backend() -> None:
    # keyrings.alt would make a plain-text file the silent default: refuse it.
    backend = type(keyring.get_keyring())
    if backend.__module__.startswith("keyrings.alt"):
        raise KeyringUnavailable(
            f"the active keyring ({backend.__name__}) keeps secrets in a file, not safely. "
            + _HOW_TO_FIX
        )


def load_token(hub_url: str) -> str | None:
    try:
        _check_backend()
        return keyring.get_password(SERVICE, _account(hub_url))
    except NoKeyringError as exc:
        raise KeyringUnavailable(_HOW_TO_FIX) from exc
    except KeyringError as exc:
        raise KeyringUnavailable(f"the OS keyring refused to give the hub token: {exc}") from exc


def save_token(hub_url: str, token: str) -> None:
    try:
        _check_backend()
        keyring.set_password(SERVICE, _account(hub_url), token)
    except NoKeyringError as exc:
        raise KeyringUnavailable(_HOW_TO_FIX) from exc
    except KeyringError as exc:
        raise KeyringUnavailable(f"the OS keyring refused to keep the hub token: {exc}") from exc


def delete_token(hub_url: str) -> None:
    try:
        keyring.delete_password(SERVICE, _account(hub_url))
    except PasswordDeleteError:
        pass  # nothing stored: already gone
    except NoKeyringError as exc:
        raise KeyringUnavailable(_HOW_TO_FIX) from exc
