"""The hub client: push the outbox, pull others' changes, watch connectivity.

Kept empty on purpose: the hub imports ``wardfleet.sync.wire`` and must not pull in the
client (httpx, keyring) through this package's import.
"""
