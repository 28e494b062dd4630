"""Endpoints for the scheduled conformance check: each device over SNMP with the first
saved credential set it answers (as a scan tries them), resolved only when a device that
follows a profile is actually read, and over IPP at its recorded printer URI. pysnmp and
httpx are imported then, not at start-up."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from typing import TYPE_CHECKING

from wardfleet.domain.device import Device
from wardfleet.store.store import Store

if TYPE_CHECKING:
    import httpx

    from wardfleet.protocols.ipp import IppClient
    from wardfleet.protocols.snmp import SnmpSession
    from wardfleet.protocols.snmp_credentials import ResolvedCredential
    from wardfleet.services.deploy import Endpoint, Setting, SnmpEndpoint
    from wardfleet.services.profiles import EndpointFor

# Opens what one run reads devices through, and closes it after the run.
EndpointsFactory = Callable[[], contextlib.AbstractAsyncContextManager["EndpointFor"]]


class _Credentials:
    """The saved SNMP credential sets, read from the keyring at most once per run and only
    when a device actually needs them."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = asyncio.Lock()
        self._loaded: list[ResolvedCredential] | None = None
        self._problem = ""

    async def get(self) -> list[ResolvedCredential]:
        from wardfleet.protocols.snmp import SnmpError

        async with self._lock:
            if self._loaded is None:
                self._loaded = await asyncio.to_thread(self._load)
        if not self._loaded:
            raise SnmpError(self._problem or "no SNMP credential sets are saved")
        return self._loaded

    def _load(self) -> list[ResolvedCredential]:
        from wardfleet.protocols.snmp_credentials import CredentialError
        from wardfleet.services.credential_sets import load_sets, resolve_sets

        try:
            return resolve_sets(load_sets(self._store))
        except CredentialError as exc:
            self._problem = str(exc)
            return []


class _FirstAnsweringSnmp:
    """An SNMP endpoint that picks its credential (the first set the device answers, as a
    scan does) on first use."""

    protocol = "snmp"

    def __init__(self, device: Device, credentials: _Credentials, sessions: list[SnmpSession]):
        from wardfleet.protocols.snmp import SnmpTarget

        self._target = SnmpTarget(device.address or "", device.port or 161, 2.0, 1)
        self._credentials = credentials
        self._sessions = sessions
        self._endpoint: SnmpEndpoint | None = None
        self.device = self._target.address
        self.device_id: str | None = device.id
        self.credential = ""

    async def _open(self) -> SnmpEndpoint:
        from wardfleet.protocols.snmp import first_answering
        from wardfleet.services.deploy import SnmpEndpoint

        if self._endpoint is None:
            session = await first_answering(self._target, await self._credentials.get())
            self._sessions.append(session)
            self._endpoint = SnmpEndpoint(session, self.device_id)
            self.credential = self._endpoint.credential
        return self._endpoint

    async def read(self, settings: Sequence[Setting]) -> dict[str, str | None]:
        return await (await self._open()).read(settings)

    async def write(self, setting: Setting, value: str) -> None:
        await (await self._open()).write(setting, value)


def saved_credential_endpoints(store: Store, *, ipp_timeout_s: float = 6.0) -> EndpointsFactory:
    """SNMP with the saved credential sets; IPP at the printer URI discovery recorded
    (``Device.ipp_uri``). A device with neither gets "no snmp/ipp access" in its report."""

    @contextlib.asynccontextmanager
    async def open_endpoints() -> AsyncIterator[EndpointFor]:
        credentials = _Credentials(store)
        sessions: list[SnmpSession] = []
        ipp = await asyncio.to_thread(_ipp_client, store, ipp_timeout_s)

        def endpoint_for(device: Device, protocol: str) -> Endpoint | None:
            from wardfleet.services.deploy import IppEndpoint

            if protocol == "ipp" and ipp is not None and device.ipp_uri:
                return IppEndpoint(ipp[1], device.ipp_uri, device.id)
            if protocol != "snmp" or not device.address:
                return None
            return _FirstAnsweringSnmp(device, credentials, sessions)

        try:
            yield endpoint_for
        finally:
            for session in sessions:
                session.release()
            if ipp is not None:
                await ipp[1].aclose()
                await ipp[0].aclose()

    return open_endpoints


def _ipp_client(store: Store, timeout_s: float) -> tuple[httpx.AsyncClient, IppClient] | None:
    """An IPP client for this run, only when some device has a printer URI (building the
    HTTP client costs tens of milliseconds and the pins are read: hence in a worker
    thread)."""
    if not any(d.ipp_uri for d in store.list_devices()):
        return None
    import httpx

    from wardfleet.protocols.ipp import IppClient
    from wardfleet.services.tls_watch import shared_pins

    pins = shared_pins(store)  # the monitor's and the Print tab's: no SQLite per request
    pins.load()
    http = httpx.AsyncClient(timeout=timeout_s)
    return http, IppClient(http, pins=pins, timeout=timeout_s)
