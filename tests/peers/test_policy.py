"""The skip policy: a missing peer skips locally and fails under CI=true."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ._policy import PeerUnavailable, require_peer, unavailable_reason

REPO = Path(__file__).resolve().parents[2]

INNER_TESTS = """
import pytest
from tests.peers._policy import require_peer

def test_fixture_without_marker(snmpd_agent):
    pass

@pytest.mark.peer("avahi")
def test_marked_plain_skip():
    pytest.skip("no avahi here")

def test_helper_without_marker():
    require_peer("ghost", "ghost-binary")

def test_ordinary_skip():
    pytest.skip("not about peers")
"""


@pytest.fixture
def stripped_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """PATH with nothing on it: no peer binary can be found."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    return empty


def test_reason_names_the_missing_binary(stripped_path: Path) -> None:
    assert unavailable_reason(["snmpd"]) == "not found on PATH: snmpd"
    with pytest.raises(PeerUnavailable, match=r"^snmpd: not found on PATH: snmpd$"):
        require_peer("snmpd", "snmpd")
    # A skip to pytest, whatever CI says; the CI hook decides what the report becomes.
    assert issubclass(PeerUnavailable, pytest.skip.Exception)


def test_namespaces_need_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000, raising=False)
    assert unavailable_reason(netns=True) == "needs root"


def run_inner(pytester: pytest.Pytester, *, ci: bool) -> pytest.RunResult:
    # The inner session loads the real tests/conftest.py as a plugin (hook, fixtures).
    pytester.makeconftest('pytest_plugins = ["tests.conftest"]')
    pytester.makepyfile(test_inner=INNER_TESTS)
    pytester._monkeypatch.setenv("PYTHONPATH", str(REPO))
    pytester._monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # faster start
    if ci:
        pytester._monkeypatch.setenv("CI", "true")
    else:
        pytester._monkeypatch.delenv("CI", raising=False)
    return pytester.runpytest_subprocess("-rA", "-p", "no:cacheprovider", timeout=60)


def test_missing_peer_skips_locally(pytester: pytest.Pytester, stripped_path: Path) -> None:
    result = run_inner(pytester, ci=False)
    result.assert_outcomes(skipped=4)
    result.stdout.fnmatch_lines_random(
        [
            "SKIPPED [[]1] test_inner.py:?: snmpd: not found on PATH: snmpd",
            "SKIPPED [[]1] test_inner.py:*: no avahi here",
            "SKIPPED [[]1] test_inner.py:1?: ghost: not found on PATH: ghost-binary",
            "SKIPPED [[]1] test_inner.py:*: not about peers",
        ]
    )


def test_missing_peer_fails_under_ci(pytester: pytest.Pytester, stripped_path: Path) -> None:
    result = run_inner(pytester, ci=True)
    # Fixture skips happen in setup, so they surface as errors; body skips as failures.
    result.assert_outcomes(errors=1, failed=2, skipped=1)
    result.stdout.fnmatch_lines_random(
        [
            "*peer unavailable under CI=true*[[]snmpd] snmpd: not found on PATH: snmpd",
            "*peer unavailable under CI=true*[[]avahi] no avahi here",
            "*peer unavailable under CI=true*ghost: not found on PATH: ghost-binary",
            "SKIPPED*not about peers",
        ]
    )
    assert result.ret != 0
