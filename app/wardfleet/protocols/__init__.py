"""Wire protocols: asyncio, no Qt. Each module turns bytes into ``wardfleet.domain`` objects.

SNMP is split so the decoders stay pure (testable without a network):

- ``snmp_types``: the target, OIDs and the plain Python values the decoders take
- ``oids``: the OIDs we read
- ``snmp``: the async session (GET, walk, SET, typed errors); its requests go through
  ``snmp_v1v2c`` (own BER codec, ``snmp_ber``/``snmp_udp``) or ``snmp_engine`` (pysnmp:
  SNMPv3 and SET)
- ``snmp_credentials``: credential sets, secrets resolved from the keyring
- ``printer_mib`` / ``host_resources``: pure decoders to domain objects
- ``snmp_identify``: what a device is (system group, serial, MAC, classification)
- ``snmp_plan`` / ``snmp_poll``: walk a device's tables once into a poll plan, then poll
  the plan's cells (``snmp_tables``: per-table reads; ``snmp_status``: the status)
- ``snmp_sweep``: target parsing and a rate-limited sweep

DNS-SD, for devices that advertise themselves:

- ``txt``: tolerant TXT decoding, and what IPP Everywhere / eSCL keys say
- ``dnssd_kind``: maker and device-kind rules for adverts
- ``dnssd``: a resolved service and the observation it makes
- ``mdns``: live mDNS browsing (python-zeroconf)
- ``dnssd_unicast``: unicast DNS-SD over a ward's DNS (dnspython)
"""
