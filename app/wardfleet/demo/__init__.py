"""The demo ward: simulated printers, scanners, monitors and a UPS answering SNMP on loopback.

Nothing here is advertised (no mDNS) and nothing binds a non-loopback address.
"""

from wardfleet.demo.runner import DemoEndpoint, RunningWard, SimClock, start_ward
from wardfleet.demo.ward import DEFAULT_SEED, DEVICES, Ward

__all__ = [
    "DEFAULT_SEED",
    "DEVICES",
    "DemoEndpoint",
    "RunningWard",
    "SimClock",
    "Ward",
    "start_ward",
]
