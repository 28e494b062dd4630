"""When a real peer can run here, and what happens when it cannot.

A missing peer is a skip on a developer machine. Under ``CI=true`` the same skip must fail the
run (see ``ci_failure`` and the hook in tests/conftest.py), so a CI image that lost a package
cannot turn the integration suite green by quietly skipping it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable

import pytest


class PeerUnavailable(pytest.skip.Exception):  # type: ignore[misc, name-defined]
    """A skip caused by a missing peer. A subclass so CI can tell it from any other skip."""


def unavailable_reason(
    binaries: Iterable[str] = (), *, root: bool = False, netns: bool = False
) -> str | None:
    """Why the peer cannot run here, or None when it can."""
    missing = [b for b in binaries if shutil.which(b) is None and not os.access(b, os.X_OK)]
    if missing:
        return f"not found on PATH: {', '.join(missing)}"
    if (root or netns) and (not hasattr(os, "geteuid") or os.geteuid() != 0):
        return "needs root"
    if netns and shutil.which("ip") is None:
        return "needs iproute2 (`ip`) for network namespaces"
    return None


def require_peer(peer: str, *binaries: str, root: bool = False, netns: bool = False) -> None:
    """Skip (raise PeerUnavailable) unless ``peer`` can run here."""
    reason = unavailable_reason(binaries, root=root, netns=netns)
    if reason is not None:
        raise PeerUnavailable(f"{peer}: {reason}")


def ci_strict() -> bool:
    return os.environ.get("CI") == "true"


def ci_failure(reason: str) -> str:
    """The failure text for a peer skip that CI turned into a failure."""
    return (
        f"peer unavailable under CI=true (skips of peer tests fail in CI): {reason}\n"
        "Install the peers with scripts/install-system-deps.sh, or unset CI to skip locally."
    )
