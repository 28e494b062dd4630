"""Real peers for integration tests, as pytest fixtures (registered in tests/conftest.py).

- ``snmpsim_agent``: snmpsim serving tests/fixtures/snmprec (community = file stem).
- ``snmpd_agent``: net-snmp snmpd with v2c communities and an SNMPv3 authPriv user.
- ``netns``: a private network namespace with only ``lo`` (root).
- ``avahi_ns``: avahi-daemon and its own D-Bus inside ``netns``.
- ``ippeveprinter_ns``: an IPP Everywhere printer in ``avahi_ns``, registered as _ipp._tcp.
- ``ippeveprinter_host``: the same on the host's loopback, unregistered.

The ``start_*`` functions behind them (``snmp.start_snmpsim`` for several endpoints, ...)
return a ``PeerHandle`` for tests that need a peer of their own. A peer that cannot run here
skips the test; under CI=true that skip fails it (``_policy``).
"""
