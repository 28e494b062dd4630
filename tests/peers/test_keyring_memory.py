"""The in-memory keyring: in-process through the fixture, and in subprocesses by name."""

from __future__ import annotations

import os
import subprocess
import sys

import keyring
import pytest
from keyring.errors import PasswordDeleteError

from ..keyring_memory import MemoryKeyring


def test_fixture_installs_an_empty_memory_keyring(memory_keyring: MemoryKeyring) -> None:
    assert keyring.get_keyring() is memory_keyring
    assert keyring.get_password("wardfleet", "ward3/community") is None
    keyring.set_password("wardfleet", "ward3/community", "s3cret")
    assert keyring.get_password("wardfleet", "ward3/community") == "s3cret"
    keyring.delete_password("wardfleet", "ward3/community")
    with pytest.raises(PasswordDeleteError):
        keyring.delete_password("wardfleet", "ward3/community")


def test_never_chosen_by_auto_detection(monkeypatch: pytest.MonkeyPatch) -> None:
    # Merely importing the module must not make it the process's keyring.
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    assert not MemoryKeyring.viable


def test_subprocess_gets_a_seeded_copy(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.set_password("wardfleet", "ward3/community", "s3cret")
    code = (
        "import keyring; k = keyring.get_keyring(); "
        "print(type(k).__name__, keyring.get_password('wardfleet', 'ward3/community'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **memory_keyring.subprocess_env()},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert result.stdout.split() == ["MemoryKeyring", "s3cret"]
