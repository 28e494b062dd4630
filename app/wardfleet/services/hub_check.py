""" "Test connection" for the hub settings: is it there, is TLS right, is the token good?

Verification is never off; a CA file only replaces which authorities are trusted. The
answer names one problem the user can act on (see ``HubProblem``); the UI words it.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass, field
from enum import StrEnum

import httpx
from pydantic import TypeAdapter, ValidationError

from wardfleet import __version__
from wardfleet.sync.settings import HubSettings
from wardfleet.sync.wire import API_PREFIX, Health, Me, WardView


class HubProblem(StrEnum):
    TLS = "tls"  # the certificate was not accepted
    UNREACHABLE = "unreachable"  # nothing answered (DNS, refused, timeout)
    NOT_A_HUB = "not-a-hub"  # something answered, but not a Wardfleet hub
    UNAUTHORIZED = "unauthorized"  # 401: wrong or revoked token
    WARD_NOT_ALLOWED = "ward"  # the token's user may not see the ward given
    CA_FILE = "ca-file"  # the CA file cannot be read as PEM
    REFUSED = "refused"  # any other refusal


@dataclass(frozen=True, slots=True)
class HubCheck:
    problem: HubProblem | None
    detail: str = ""
    version: str | None = None
    wards: tuple[str, ...] = field(default=())
    me: Me | None = None  # who the token belongs to (None from a hub older than /me)

    @property
    def ok(self) -> bool:
        return self.problem is None


def _client(settings: HubSettings, transport: httpx.AsyncBaseTransport | None) -> httpx.AsyncClient:
    verify: ssl.SSLContext | bool = True
    if settings.ca_file is not None:
        verify = ssl.create_default_context(cafile=str(settings.ca_file))
    return httpx.AsyncClient(
        base_url=settings.url.rstrip("/") + API_PREFIX,
        headers={"User-Agent": f"wardfleet/{__version__}"},
        timeout=httpx.Timeout(10.0, connect=5.0),
        verify=verify,
        proxy=settings.proxy,
        transport=transport,
        trust_env=False,
    )


def _is_certificate_error(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return "CERTIFICATE_VERIFY_FAILED" in str(exc) or "SSL" in str(exc)


async def check_hub(
    settings: HubSettings, token: str, *, transport: httpx.AsyncBaseTransport | None = None
) -> HubCheck:
    """GET /v1/health (no token), then /v1/wards and /v1/me with the token. Never raises
    for a network or hub problem: the result says what went wrong."""
    try:  # in a thread: building the TLS context takes tens of milliseconds
        client = await asyncio.to_thread(_client, settings, transport)
    except (ssl.SSLError, OSError) as exc:
        return HubCheck(HubProblem.CA_FILE, str(exc))
    try:
        try:
            health = await client.get("/health")
        except httpx.TransportError as exc:
            if _is_certificate_error(exc):
                return HubCheck(HubProblem.TLS, str(exc))
            return HubCheck(HubProblem.UNREACHABLE, str(exc) or type(exc).__name__)
        try:
            version = Health.model_validate_json(health.content).version
        except ValidationError:
            return HubCheck(HubProblem.NOT_A_HUB, f"HTTP {health.status_code}")
        try:
            reply = await client.get("/wards", headers={"Authorization": f"Bearer {token}"})
        except httpx.TransportError as exc:
            return HubCheck(HubProblem.UNREACHABLE, str(exc) or type(exc).__name__, version)
        if reply.status_code == 401:
            return HubCheck(HubProblem.UNAUTHORIZED, "", version)
        if reply.status_code >= 400:
            return HubCheck(HubProblem.REFUSED, f"HTTP {reply.status_code}", version)
        try:
            wards = TypeAdapter(list[WardView]).validate_json(reply.content)
        except ValidationError:
            return HubCheck(HubProblem.NOT_A_HUB, "unreadable list of wards", version)
        names = tuple(w.name for w in wards)
        me = await _whoami(client, token)
        if settings.ward and settings.ward not in names:
            return HubCheck(HubProblem.WARD_NOT_ALLOWED, settings.ward, version, names, me)
        return HubCheck(None, "", version, names, me)
    finally:
        await client.aclose()


async def _whoami(client: httpx.AsyncClient, token: str) -> Me | None:
    """The token's user and role; None when this hub has no /me (older) or it fails now:
    the role is then learnt on the next sync instead."""
    try:
        reply = await client.get("/me", headers={"Authorization": f"Bearer {token}"})
        return Me.model_validate_json(reply.content) if reply.status_code == 200 else None
    except (httpx.TransportError, ValidationError):
        return None
