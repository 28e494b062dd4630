"""A dict-backed keyring backend for tests.

In-process: the ``memory_keyring`` fixture installs one with ``keyring.set_keyring``.
Subprocesses: pass ``backend.subprocess_env()`` (or ``subprocess_env(...)``) as extra
environment; it selects ``PYTHON_KEYRING_BACKEND=keyring_memory.MemoryKeyring``, puts tests/
on PYTHONPATH and seeds the child's store from ``MEMORY_KEYRING_SEED`` (JSON triples).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from jaraco.classes import properties
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

# The name subprocesses load it by, with tests/ on PYTHONPATH (in-process it may be
# tests.keyring_memory).
BACKEND_NAME = "keyring_memory.MemoryKeyring"
SEED_VARIABLE = "MEMORY_KEYRING_SEED"
TESTS_DIR = str(Path(__file__).resolve().parent)


class MemoryKeyring(KeyringBackend):
    """Passwords in a dict: nothing touches disk or the session's real keyring."""

    @properties.classproperty
    def priority(cls) -> float:
        # High when chosen by name, otherwise not viable. A viable high-priority backend
        # would silently win keyring's auto-detection in any process that merely imported
        # this module, and hide the "no keyring available" path the app must handle.
        if os.environ.get("PYTHON_KEYRING_BACKEND") in (BACKEND_NAME, f"{__name__}.MemoryKeyring"):
            return 20.0
        raise RuntimeError("MemoryKeyring is used only when selected explicitly")

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring leaves it untyped
        self.passwords: dict[tuple[str, str], str] = {
            (service, username): password
            for service, username, password in json.loads(os.environ.get(SEED_VARIABLE, "[]"))
        }

    def __str__(self) -> str:  # the base class would consult the (raising) priority
        return f"{BACKEND_NAME} ({len(self.passwords)} entries)"

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.passwords[(service, username)]
        except KeyError:
            raise PasswordDeleteError(f"no password for {username!r} in {service!r}") from None

    def subprocess_env(self) -> dict[str, str]:
        """Environment for a child process that starts with a copy of this store."""
        return subprocess_env(self.passwords)


def subprocess_env(
    passwords: Mapping[tuple[str, str], str] | Iterable[tuple[str, str, str]] = (),
) -> dict[str, str]:
    """Extra environment making a child Python use a MemoryKeyring seeded with ``passwords``."""
    if isinstance(passwords, Mapping):
        triples = [[s, u, p] for (s, u), p in passwords.items()]
    else:
        triples = [list(t) for t in passwords]
    pythonpath = os.pathsep.join(p for p in (TESTS_DIR, os.environ.get("PYTHONPATH")) if p)
    return {
        "PYTHON_KEYRING_BACKEND": BACKEND_NAME,
        "PYTHONPATH": pythonpath,
        SEED_VARIABLE: json.dumps(triples),
    }
