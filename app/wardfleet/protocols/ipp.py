"""IPP/2.0 client over httpx (RFC 8010/8011): status, jobs, test page, admin operations.

Decision (docs/ipp.md): our own small codec (``ipp_codec``) instead of pyipp, which would
bring aiohttp as a second HTTP stack next to httpx. The caller owns the long-lived
``httpx.AsyncClient`` for ipp://; ipps:// goes through ``ipp_tls.PinnedClients`` (trust on
first use, one pinned client per endpoint), which ``aclose()`` closes.

Job names often hold patient names. They are requested from the printer only when the
caller asks (``show_names=True``) and are never logged here.
"""

from __future__ import annotations

import asyncio
import errno
import itertools
import logging
import socket
import ssl
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

import httpx

from wardfleet.domain.status import DeviceStatus
from wardfleet.protocols import ipp_testpage
from wardfleet.protocols.ipp_codec import (
    Attribute,
    Group,
    GroupTag,
    IppDecodeError,
    Limits,
    Message,
    Request,
    Tag,
    decode_message,
)
from wardfleet.protocols.ipp_spec import (
    NOT_SUPPORTED_CODES,
    Op,
    is_success,
    operation_name,
    status_keyword,
    status_words,
)
from wardfleet.protocols.ipp_status import (
    JOB_ATTRIBUTES,
    PRIVATE_JOB_ATTRIBUTES,
    STATUS_ATTRIBUTES,
    IppJob,
    PrinterReport,
    integer,
    job_from,
    printer_report,
    text,
    unreachable,
)
from wardfleet.protocols.ipp_tls import (
    PinnedClients,
    PinStore,
    TlsTrustError,
    TrustCheck,
    fingerprint_of,
    is_cert_failure,
    peer_certificate,
)

log = logging.getLogger(__name__)

DEFAULT_PORT = 631
USER_AGENT = "Wardfleet IPP/2.0"


class IppError(Exception):
    """Anything that kept an IPP operation from succeeding; ``str()`` is one plain line."""


class IppUriError(IppError, ValueError):
    pass


class IppNoAnswer(IppError):
    """Nothing usable came back: refused, timed out, unreachable (CLI exit code 3)."""


class IppProtocolError(IppError):
    """Something answered, but not with a usable IPP reply."""


class IppStatusError(IppError):
    """The printer answered with an IPP error status."""

    def __init__(self, operation: int, code: int, message: str | None) -> None:
        self.operation = operation
        self.code = code
        self.keyword = status_keyword(code)
        self.status_message = message
        words = status_words(code)
        detail = f" ({message})" if message and message.lower() != words.lower() else ""
        super().__init__(f"{operation_name(operation)}: {words}{detail} [{self.keyword}]")


class IppNotSupported(IppStatusError):
    """The printer does not offer this operation or does not let this be changed."""


@dataclass(frozen=True, slots=True)
class IppTarget:
    uri: str  # as given (the printer-uri operation attribute)
    http_url: str
    host: str
    port: int
    tls: bool


def parse_uri(uri: str) -> IppTarget:
    """ipp://host[:631]/path → http, ipps:// → https (RFC 8010 §4, RFC 7472)."""
    try:
        parts = urlsplit(uri.strip())
        port = parts.port
    except ValueError as exc:
        raise IppUriError(f"not a printer address: {uri!r} ({exc})") from exc
    scheme = parts.scheme.lower()
    schemes = {"ipp": "http", "ipps": "https", "http": "http", "https": "https"}
    if scheme not in schemes or not parts.hostname:
        raise IppUriError(f"not a printer address: {uri!r} (use ipp://host/ipp/print)")
    http_scheme = schemes[scheme]
    if port is None:
        port = DEFAULT_PORT if scheme in ("ipp", "ipps") else (443 if scheme == "https" else 80)
    host = parts.hostname
    netloc = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    http_url = urlunsplit((http_scheme, netloc, parts.path or "/", parts.query, ""))
    return IppTarget(uri.strip(), http_url, host, port, http_scheme == "https")


@dataclass(frozen=True, slots=True)
class TestPageResult:
    job_id: int
    document_format: str
    size: int


def _operation_attrs(target: IppTarget, user: str) -> list[Attribute]:
    return [
        Attribute.of("printer-uri", Tag.URI, target.uri),
        Attribute.of("requesting-user-name", Tag.NAME, user),
    ]


def _printer_attrs(message: Message) -> dict[str, Attribute]:
    attrs: dict[str, Attribute] = {}
    for group in message.groups_of(GroupTag.PRINTER):
        for attr in group.attributes:
            attrs.setdefault(attr.name, attr)
    return attrs


class IppClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        pins: PinStore | None = None,
        timeout: float = 10.0,
        limits: Limits | None = None,
        user: str = "wardfleet",
    ) -> None:
        self.http = http
        self.tls = PinnedClients(pins, timeout=timeout)
        self.timeout = timeout
        self.limits = limits or Limits()
        self.user = user
        self._ids = itertools.count(1)

    async def aclose(self) -> None:
        """Close the pinned TLS clients (the caller's client stays open)."""
        await self.tls.aclose()

    # --- transport ---------------------------------------------------------------------

    async def send(
        self,
        uri: str,
        operation: int,
        attributes: Sequence[Attribute] = (),
        *,
        groups: Sequence[Group] = (),
        data: bytes = b"",
    ) -> Message:
        """One request/response; raises IppError subclasses or TlsTrustError."""
        target = parse_uri(uri)
        request_id = next(self._ids) % 0x7FFFFFFF or 1
        body = Request(
            operation,
            request_id,
            [*_operation_attrs(target, self.user), *attributes],
            list(groups),
            data,
        ).encode()
        try:
            # httpx's timeouts are per read: a printer trickling bytes would never time out.
            async with asyncio.timeout(self.timeout * 3):
                raw = await self._post(target, body)
        except TimeoutError as exc:
            raise IppNoAnswer(
                f"{target.uri}: no complete answer within {self.timeout * 3:g} s"
            ) from exc
        try:
            message = decode_message(raw, self.limits)
        except IppDecodeError as exc:
            raise IppProtocolError(f"{target.uri}: unreadable IPP reply: {exc}") from exc
        if message.request_id != request_id:
            log.debug("%s: reply carries request-id %s", target.uri, message.request_id)
        if not is_success(message.code):
            status_message = text(
                {a.name: a for g in message.groups_of(GroupTag.OPERATION) for a in g.attributes},
                "status-message",
            )
            error = IppNotSupported if message.code in NOT_SUPPORTED_CODES else IppStatusError
            raise error(operation, message.code, status_message)
        return message

    async def _post(self, target: IppTarget, body: bytes) -> bytes:
        client, pinned_der = self.http, None
        if target.tls:
            try:
                client, pinned_der = await self.tls.client_for(target.host, target.port)
            except (OSError, TimeoutError, ssl.SSLError) as exc:
                raise IppNoAnswer(f"{target.uri}: TLS failed: {_describe(exc)}") from exc
        headers = {
            "Content-Type": "application/ipp",
            "Accept": "application/ipp",
            "User-Agent": USER_AGENT,
        }
        try:
            async with client.stream(
                "POST", target.http_url, content=body, headers=headers, timeout=self.timeout
            ) as response:
                if pinned_der is not None:
                    der = peer_certificate(response)
                    if der is not None and der != pinned_der:  # belt and braces
                        raise IppProtocolError(
                            f"{target.uri}: certificate {fingerprint_of(der)} is not the pinned one"
                        )
                self._check_http(target, response)
                return await self._read_capped(target, response)
        except httpx.TimeoutException as exc:
            raise IppNoAnswer(f"{target.uri}: no answer within {self.timeout:g} s") from exc
        except httpx.HTTPError as exc:
            if target.tls and is_cert_failure(exc):
                changed = await self.tls.verify_failed(target.host, target.port)
                if changed is not None:
                    raise changed from exc
            raise IppNoAnswer(f"{target.uri}: {_describe(exc)}") from exc

    def _check_http(self, target: IppTarget, response: httpx.Response) -> None:
        code = response.status_code
        if code == 200:
            kind = response.headers.get("content-type", "")
            if kind and not kind.lower().startswith("application/ipp"):
                raise IppProtocolError(f"{target.uri}: not an IPP reply (HTTP content {kind})")
            return
        reasons = {
            401: "the printer wants a user name and password",
            403: "the printer refuses this computer",
            404: "no printer at this address (check the path, e.g. /ipp/print)",
            426: "the printer requires an encrypted connection: use ipps://",
        }
        reason = reasons.get(code, f"HTTP error {code} {response.reason_phrase}")
        raise IppProtocolError(f"{target.uri}: {reason}")

    async def _read_capped(self, target: IppTarget, response: httpx.Response) -> bytes:
        cap = self.limits.max_bytes
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > cap:
            raise IppProtocolError(f"{target.uri}: reply of {declared} bytes exceeds {cap}")
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > cap:
                raise IppProtocolError(f"{target.uri}: reply exceeds {cap} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    # --- trust ------------------------------------------------------------------------------

    async def check_trust(self, uri: str) -> TrustCheck | None:
        """For ipps:// — what the device presents against the pin; None for plain ipp."""
        target = parse_uri(uri)
        if not target.tls:
            return None
        try:
            return await self.tls.check(target.host, target.port)
        except (OSError, TimeoutError, ssl.SSLError) as exc:
            raise IppNoAnswer(f"{target.uri}: {_describe(exc)}") from exc

    async def trust(self, uri: str, fingerprint: str) -> TrustCheck:
        target = parse_uri(uri)
        try:
            return await self.tls.trust(target.host, target.port, fingerprint)
        except (OSError, TimeoutError, ssl.SSLError) as exc:
            raise IppNoAnswer(f"{target.uri}: {_describe(exc)}") from exc

    # --- printer -------------------------------------------------------------------------

    async def get_printer_attributes(
        self, uri: str, requested: Sequence[str] = STATUS_ATTRIBUTES
    ) -> dict[str, Attribute]:
        message = await self.send(
            uri,
            Op.GET_PRINTER_ATTRIBUTES,
            [Attribute.of("requested-attributes", Tag.KEYWORD, *requested)],
        )
        return _printer_attrs(message)

    async def status(self, uri: str) -> PrinterReport:
        start = time.perf_counter()
        attrs = await self.get_printer_attributes(uri)
        latency = (time.perf_counter() - start) * 1000
        return printer_report(uri, attrs, polled_at=time.time(), latency_ms=round(latency, 2))

    async def poll(self, uri: str) -> DeviceStatus:
        """Status for the monitor: an unreachable status instead of an exception."""
        try:
            return (await self.status(uri)).status
        except (IppError, TlsTrustError) as exc:
            return unreachable(str(exc), time.time())

    async def pause(self, uri: str) -> None:
        await self._admin(uri, Op.PAUSE_PRINTER)

    async def resume(self, uri: str) -> None:
        await self._admin(uri, Op.RESUME_PRINTER)

    async def identify(self, uri: str) -> None:
        await self._admin(uri, Op.IDENTIFY_PRINTER)

    async def _admin(self, uri: str, operation: int, groups: Sequence[Group] = ()) -> None:
        # IppNotSupported's text already reads "<operation>: not supported by this printer".
        await self.send(uri, operation, groups=groups)

    async def set_printer_attributes(
        self, uri: str, *, location: str | None = None, info: str | None = None
    ) -> None:
        """Set printer-location / printer-info; IppNotSupported when the printer won't."""
        values = [
            Attribute.of(name, Tag.TEXT, value)
            for name, value in (("printer-location", location), ("printer-info", info))
            if value is not None
        ]
        if not values:
            return
        await self._admin(uri, Op.SET_PRINTER_ATTRIBUTES, [Group(GroupTag.PRINTER, tuple(values))])

    # --- jobs ------------------------------------------------------------------------------

    async def jobs(
        self, uri: str, *, completed: bool = False, show_names: bool = False, limit: int = 200
    ) -> list[IppJob]:
        requested = list(JOB_ATTRIBUTES) + (list(PRIVATE_JOB_ATTRIBUTES) if show_names else [])
        message = await self.send(
            uri,
            Op.GET_JOBS,
            [
                Attribute.of("limit", Tag.INTEGER, limit),
                Attribute.of(
                    "which-jobs", Tag.KEYWORD, "completed" if completed else "not-completed"
                ),
                Attribute.of("requested-attributes", Tag.KEYWORD, *requested),
            ],
        )
        jobs = []
        for group in message.groups_of(GroupTag.JOB):
            # Some printers ignore requested-attributes: names are dropped in job_from.
            job = job_from({a.name: a for a in group.attributes}, show_name=show_names)
            if job is not None:
                jobs.append(job)
        return jobs

    async def cancel_job(self, uri: str, job_id: int) -> None:
        await self.send(uri, Op.CANCEL_JOB, [Attribute.of("job-id", Tag.INTEGER, job_id)])

    async def create_job(self, uri: str, job_name: str) -> int:
        """A job without a document: it stays pending(-held) until cancelled or sent."""
        message = await self.send(
            uri, Op.CREATE_JOB, [Attribute.of("job-name", Tag.NAME, job_name)]
        )
        return self._job_id(message)

    async def print_job(
        self, uri: str, document: bytes, document_format: str, job_name: str
    ) -> int:
        message = await self.send(
            uri,
            Op.PRINT_JOB,
            [
                Attribute.of("job-name", Tag.NAME, job_name),
                Attribute.of("document-format", Tag.MIME_MEDIA_TYPE, document_format),
            ],
            data=document,
        )
        return self._job_id(message)

    def _job_id(self, message: Message) -> int:
        attrs = {a.name: a for g in message.groups_of(GroupTag.JOB) for a in g.attributes}
        job_id = integer(attrs, "job-id")
        if job_id is None:
            raise IppProtocolError("the printer accepted the job but sent no job-id")
        return job_id

    async def print_test_page(
        self,
        uri: str,
        *,
        ward: str | None,
        device_name: str | None = None,
        when: datetime | None = None,
        sent_from: str | None = None,
    ) -> TestPageResult:
        """Print one page identifying the device, ward and time, in a format it lists."""
        attrs = await self.get_printer_attributes(uri)
        fmt, spec, page = ipp_testpage.plan(
            attrs,
            uri=parse_uri(uri).uri,
            ward=ward,
            device_name=device_name,
            when=when or datetime.now().astimezone(),
            sent_from=sent_from,
        )
        document = ipp_testpage.render(page, fmt, spec)
        job_id = await self.print_job(uri, document, fmt, "Wardfleet test page")
        return TestPageResult(job_id, fmt, len(document))


def _describe(exc: BaseException) -> str:
    """One plain line for a transport failure (httpx hides the OS error in __cause__)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused (printer off, or not an IPP port)"
        if isinstance(seen, socket.gaierror):
            return "unknown host name"
        if isinstance(seen, OSError) and seen.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH):
            return "host unreachable"
        seen = seen.__cause__ or seen.__context__
    text_ = str(exc) or type(exc).__name__
    if text_ == "All connection attempts failed":
        return "could not connect (printer off or unreachable)"
    return text_
