"""Fixtures for the CLI tests, which run the real ``wardfleet`` entry point in-process."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from tests.peers.snmp import SnmpdAgent
from tests.peers.snmp_strings import location_kept


@pytest.fixture
def agent(snmpd_agent: SnmpdAgent) -> Iterator[SnmpdAgent]:
    """The shared snmpd, its sysLocation put back (and checked) after the test."""
    with location_kept(snmpd_agent):
        yield snmpd_agent


@pytest.fixture(autouse=True)
def no_tty(monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty stdin that is no terminal: a command that would ask must refuse instead."""
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
