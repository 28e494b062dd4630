"""Fixtures shared by the services tests: an empty store, and the scripted eSCL scanner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.services.escl_scanner import ScannerScript, serve_script
from wardfleet.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "w.sqlite3")
    yield s
    s.close()


@pytest.fixture
def script() -> Iterator[tuple[ScannerScript, int]]:
    with serve_script() as served:
        yield served
