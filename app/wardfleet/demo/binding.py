"""Where the demo devices listen: loopback only, one address per device where the OS allows."""

from __future__ import annotations

import ipaddress
import socket

DEFAULT_PORT = 16161
DEVICE_NET = "127.0.77."  # device N listens on 127.0.77.N
SHARED_HOST = "127.0.0.1"  # fallback: one address, one port per device (macOS)


def require_loopback(host: str) -> str:
    """Return ``host`` normalised, or raise ValueError unless it is a literal loopback IP.

    The demo must never be reachable from a real network, so names (which could
    resolve anywhere) and wildcard or LAN addresses are refused.
    """
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"demo agents bind literal loopback IPs only, not {host!r}") from None
    if not address.is_loopback:
        raise ValueError(f"refusing to bind non-loopback address {host!r}")
    return str(address)


def can_bind(host: str) -> bool:
    """Whether this OS lets us bind ``host`` (Linux and Windows route all of 127/8; macOS not)."""
    require_loopback(host)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.bind((host, 0))
        except OSError:
            return False
    return True


def plan_addresses(count: int, base_port: int = DEFAULT_PORT) -> list[tuple[str, int]]:
    """``count`` (host, port) pairs for devices 1..count.

    ``base_port=0`` lets the OS pick free ports (tests run beside a live demo).
    """
    if not 0 < count < 255:
        raise ValueError(f"between 1 and 254 devices, not {count}")
    if not 0 <= base_port <= 65535 - count:
        raise ValueError(f"base port {base_port} out of range")
    if can_bind(f"{DEVICE_NET}1"):
        return [(f"{DEVICE_NET}{n}", base_port) for n in range(1, count + 1)]
    return [(SHARED_HOST, base_port + n if base_port else 0) for n in range(1, count + 1)]
