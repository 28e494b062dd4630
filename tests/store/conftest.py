from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from wardfleet.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "ward.sqlite3")
    yield s
    s.close()
