"""eSCL (AirScan) scanner status: /eSCL/ScannerCapabilities and /eSCL/ScannerStatus.

XML from devices is parsed with defusedxml and DTDs are refused outright (no entity
expansion, no external fetches), and replies are size-capped before parsing. https://
URLs use the same trust-on-first-use pinning as ipps:// (``ipp_tls``).
"""

from __future__ import annotations

import asyncio
import re
import ssl
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import httpx
from defusedxml.ElementTree import fromstring

from wardfleet.domain.identity import Identity, normalise_uuid
from wardfleet.domain.kinds import DeviceKind, DeviceState
from wardfleet.domain.observation import Observation, Protocol
from wardfleet.domain.status import DeviceAlert, DeviceStatus, Severity, TableError
from wardfleet.protocols.ipp_status import canonical_vendor, vendor_from_make_and_model
from wardfleet.protocols.ipp_tls import (
    PinnedClients,
    PinStore,
    TlsTrustError,
    TrustCheck,
    is_cert_failure,
)

SOURCE = "escl"
PWG = "http://www.pwg.org/schemas/2010/12/sm"
SCAN = "http://schemas.hp.com/imaging/escl/2011/05/03"
_NS = {"pwg": PWG, "scan": SCAN}
MAX_BYTES = 1024 * 1024  # capabilities of big MFDs are ~50 KB


class EsclError(Exception):
    """Anything that kept us from reading the scanner; ``str()`` is one plain line."""


class EsclNoAnswer(EsclError):
    pass


class EsclProtocolError(EsclError):
    pass


STATE_WORDS = {
    "Idle": "Ready",
    "Processing": "Scanning",
    "Testing": "Testing",
    "Stopped": "Stopped: needs attention",
    "Down": "Out of service",
}
_STATES = {
    "Idle": DeviceState.OK,
    "Processing": DeviceState.BUSY,
    "Testing": DeviceState.BUSY,
    "Stopped": DeviceState.ERROR,
    "Down": DeviceState.ERROR,
}
# ADF states that need a person, with words and severity; the rest are routine.
ADF_PROBLEMS = {
    "ScannerAdfJam": ("Document feeder jam", Severity.CRITICAL),
    "ScannerAdfHatchOpen": ("Document feeder cover open", Severity.CRITICAL),
    "ScannerAdfMispick": ("Document feeder mis-pick", Severity.WARNING),
    "ScannerAdfMultipickDetected": ("Several sheets fed at once", Severity.WARNING),
    "ScannerAdfDuplexPageTooShort": ("Page too short for two-sided scanning", Severity.WARNING),
    "ScannerAdfDuplexPageTooLong": ("Page too long for two-sided scanning", Severity.WARNING),
    "ScannerAdfInputTrayFailed": ("Document feeder tray failed", Severity.CRITICAL),
    "ScannerAdfInputTrayOverloaded": ("Document feeder overloaded", Severity.WARNING),
}
# Feeder problems that the alert rules know as a printer's error bits (domain.alerts
# ERROR_BIT_RULES), so a jammed feeder is damped and shown like a paper jam.
ADF_ERROR_BITS = {"ScannerAdfJam": "jammed", "ScannerAdfHatchOpen": "doorOpen"}
SCANNER_DOWN_WORDS = {"Stopped": "Scanner stopped: needs attention", "Down": "Scanner down"}
ADF_WORDS = {
    "ScannerAdfEmpty": "Empty",
    "ScannerAdfLoaded": "Loaded",
    "ScannerAdfProcessing": "Feeding",
    **{k: v[0] for k, v in ADF_PROBLEMS.items()},
}


@dataclass(frozen=True, slots=True)
class ScanJob:
    uri: str | None
    uuid: str | None
    state: str | None  # Pending, Processing, Completed, Canceled, Aborted
    reasons: tuple[str, ...]
    age_s: int | None
    images_completed: int | None
    images_to_transfer: int | None


@dataclass(frozen=True, slots=True)
class ScannerCapabilities:
    version: str | None
    make_and_model: str | None
    manufacturer: str | None
    serial: str | None
    uuid: str | None
    admin_uri: str | None
    has_platen: bool
    has_adf: bool
    adf_duplex: bool
    color_modes: tuple[str, ...]
    document_formats: tuple[str, ...]
    resolutions: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ScannerState:
    version: str | None
    state: str | None
    adf_state: str | None
    jobs: tuple[ScanJob, ...]

    @property
    def state_words(self) -> str:
        return STATE_WORDS.get(self.state or "", self.state or "Unknown")


# --- parsing -----------------------------------------------------------------------------


def _parse(data: bytes, what: str) -> Element:
    if len(data) > MAX_BYTES:
        raise EsclProtocolError(f"{what} is {len(data)} bytes, more than {MAX_BYTES}")
    try:
        root: Element = fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DefusedXmlException as exc:
        raise EsclProtocolError(
            f"{what} refused: {type(exc).__name__} (DTDs are not allowed)"
        ) from exc
    except (ParseError, ValueError) as exc:
        raise EsclProtocolError(f"{what} is not well-formed XML: {exc}") from exc
    return root


def _text(node: Element | None, path: str) -> str | None:
    found = node.find(path, _NS) if node is not None else None
    value = found.text.strip() if found is not None and found.text else None
    return value or None


def _int(node: Element | None, path: str) -> int | None:
    value = _text(node, path)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _clean_serial(raw: str | None) -> str | None:
    """Captures hold "NULL" and "..." where a serial should be."""
    if raw is None or raw.strip().lower() in {"null", "none", "unknown"}:
        return None
    return raw if re.search(r"[0-9A-Za-z]", raw) else None


def _expect(root: Element, name: str, what: str) -> None:
    if root.tag not in (f"{{{SCAN}}}{name}", name):
        raise EsclProtocolError(f"{what}: expected scan:{name}, got {root.tag}")


def parse_capabilities(data: bytes) -> ScannerCapabilities:
    root = _parse(data, "ScannerCapabilities")
    _expect(root, "ScannerCapabilities", "ScannerCapabilities")
    platen = root.find("scan:Platen", _NS)
    adf = root.find("scan:Adf", _NS)
    modes: list[str] = []
    formats: list[str] = []
    resolutions: set[int] = set()
    for node in root.iter(f"{{{SCAN}}}ColorMode"):
        if node.text and node.text.strip() not in modes:
            modes.append(node.text.strip())
    for tag in (f"{{{PWG}}}DocumentFormat", f"{{{SCAN}}}DocumentFormatExt"):
        for node in root.iter(tag):
            if node.text and node.text.strip() not in formats:
                formats.append(node.text.strip())
    for node in root.iter(f"{{{SCAN}}}XResolution"):
        if node.text and node.text.strip().isdigit():
            resolutions.add(int(node.text.strip()))
    return ScannerCapabilities(
        version=_text(root, "pwg:Version"),
        make_and_model=_text(root, "pwg:MakeAndModel"),
        manufacturer=_text(root, "scan:Manufacturer"),
        serial=_clean_serial(_text(root, "pwg:SerialNumber")),
        uuid=normalise_uuid(_text(root, "scan:UUID")),
        admin_uri=_text(root, "scan:AdminURI"),
        has_platen=platen is not None,
        has_adf=adf is not None,
        adf_duplex=adf is not None and adf.find("scan:AdfDuplexInputCaps", _NS) is not None,
        color_modes=tuple(modes),
        document_formats=tuple(formats),
        resolutions=tuple(sorted(resolutions)),
    )


def parse_status(data: bytes) -> ScannerState:
    root = _parse(data, "ScannerStatus")
    _expect(root, "ScannerStatus", "ScannerStatus")
    jobs = []
    for info in root.iterfind("scan:Jobs/scan:JobInfo", _NS):
        reasons = tuple(
            n.text.strip()
            for n in info.iterfind("pwg:JobStateReasons/pwg:JobStateReason", _NS)
            if n.text and n.text.strip()
        )
        jobs.append(
            ScanJob(
                uri=_text(info, "pwg:JobUri"),
                uuid=_text(info, "pwg:JobUuid"),
                state=_text(info, "pwg:JobState"),
                reasons=reasons,
                age_s=_int(info, "scan:Age"),
                images_completed=_int(info, "pwg:ImagesCompleted"),
                images_to_transfer=_int(info, "pwg:ImagesToTransfer"),
            )
        )
    return ScannerState(
        version=_text(root, "pwg:Version"),
        state=_text(root, "pwg:State"),
        adf_state=_text(root, "scan:AdfState"),
        jobs=tuple(jobs),
    )


def device_status(
    state: ScannerState, *, polled_at: float, latency_ms: float | None = None
) -> DeviceStatus:
    alerts = []
    if state.adf_state in ADF_PROBLEMS:
        words, severity = ADF_PROBLEMS[state.adf_state]
        alerts.append(DeviceAlert(state.adf_state, words, severity, "adf", SOURCE))
    if state.state in SCANNER_DOWN_WORDS:
        alerts.append(
            DeviceAlert(f"scanner-{state.state.lower()}", SCANNER_DOWN_WORDS[state.state],
                        Severity.CRITICAL, "scanner-state", SOURCE)
        )  # fmt: skip
    overall = _STATES.get(state.state or "", DeviceState.UNKNOWN)
    if overall in (DeviceState.OK, DeviceState.BUSY) and alerts:
        worst = max(a.severity for a in alerts)
        overall = DeviceState.ERROR if worst == Severity.CRITICAL else DeviceState.WARNING
    return DeviceStatus(
        state=overall,
        polled_at=polled_at,
        latency_ms=latency_ms,
        device_status=state.state_words,
        printer_status=None,
        error_bits=(ADF_ERROR_BITS[state.adf_state],) if state.adf_state in ADF_ERROR_BITS else (),
        alerts=tuple(alerts),
    )


@dataclass(frozen=True, slots=True)
class ScannerReport:
    url: str
    capabilities: ScannerCapabilities
    scanner: ScannerState
    status: DeviceStatus

    @property
    def vendor(self) -> str | None:
        caps = self.capabilities
        return canonical_vendor(caps.manufacturer) or vendor_from_make_and_model(
            caps.make_and_model
        )

    @property
    def model(self) -> str | None:
        mm, vendor = self.capabilities.make_and_model, self.vendor
        if mm and vendor and mm.casefold().startswith(vendor.casefold() + " "):
            return mm[len(vendor) + 1 :]
        return mm

    def observation(self, address: str, port: int | None, seen_at: float) -> Observation:
        caps = self.capabilities
        host = urlsplit(self.url).hostname
        return Observation(
            protocol=Protocol.ESCL,
            address=address,
            identity=Identity.of(
                serial=caps.serial,
                vendor=self.vendor,
                uuid=caps.uuid,
                address=address,
                hostname=host,
            ),
            seen_at=seen_at,
            port=port,
            name=caps.make_and_model,
            kind=DeviceKind.SCANNER,  # domain.merge makes printer + scanner an MFD
            vendor=self.vendor,
            model=self.model,
            attributes={
                "escl-url": self.url,
                **({"escl-version": caps.version} if caps.version else {}),
            },
        )


# --- client ------------------------------------------------------------------------------


def _base(url: str) -> str:
    """``http://host:8080`` or ``…/eSCL`` → ``…/eSCL/`` (the rs= TXT key can move it)."""
    url = url.rstrip("/")
    return url + "/" if url.lower().endswith("/escl") else url + "/eSCL/"


class EsclClient:
    def __init__(
        self, http: httpx.AsyncClient, *, pins: PinStore | None = None, timeout: float = 10.0
    ) -> None:
        self.http = http
        self.tls = PinnedClients(pins, timeout=timeout)
        self.timeout = timeout

    async def aclose(self) -> None:
        await self.tls.aclose()

    async def _get(self, url: str) -> bytes:
        try:
            # httpx's timeouts are per read: a device trickling bytes would never time out.
            async with asyncio.timeout(self.timeout * 3):
                return await self._get_unbounded(url)
        except TimeoutError as exc:
            raise EsclNoAnswer(f"{url}: no complete answer within {self.timeout * 3:g} s") from exc

    async def _get_unbounded(self, url: str) -> bytes:
        parts = urlsplit(url)
        client = self.http
        if parts.scheme == "https":
            port = parts.port or 443
            try:
                client, _der = await self.tls.client_for(parts.hostname or "", port)
            except (OSError, TimeoutError, ssl.SSLError) as exc:
                raise EsclNoAnswer(f"{url}: TLS failed: {exc or type(exc).__name__}") from exc
        try:
            async with client.stream("GET", url, timeout=self.timeout) as response:
                if response.status_code != 200:
                    raise EsclProtocolError(
                        f"{url}: HTTP {response.status_code} {response.reason_phrase}"
                    )
                chunks, size = [], 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > MAX_BYTES:
                        raise EsclProtocolError(f"{url}: reply exceeds {MAX_BYTES} bytes")
                    chunks.append(chunk)
                return b"".join(chunks)
        except httpx.TimeoutException as exc:
            raise EsclNoAnswer(f"{url}: no answer within {self.timeout:g} s") from exc
        except httpx.HTTPError as exc:
            if parts.scheme == "https" and is_cert_failure(exc):
                # The pinned client's handshake failed: a changed certificate says so loudly.
                changed = await self.tls.verify_failed(parts.hostname or "", parts.port or 443)
                if changed is not None:
                    raise changed from exc
            raise EsclNoAnswer(f"{url}: {exc or type(exc).__name__}") from exc

    async def capabilities(self, url: str) -> ScannerCapabilities:
        return parse_capabilities(await self._get(urljoin(_base(url), "ScannerCapabilities")))

    async def scanner_state(self, url: str) -> ScannerState:
        return parse_status(await self._get(urljoin(_base(url), "ScannerStatus")))

    async def status(self, url: str) -> ScannerReport:
        start = time.perf_counter()
        state = await self.scanner_state(url)
        latency = round((time.perf_counter() - start) * 1000, 2)
        caps = await self.capabilities(url)
        return ScannerReport(
            url, caps, state, device_status(state, polled_at=time.time(), latency_ms=latency)
        )

    async def poll(self, url: str) -> DeviceStatus:
        try:
            return (await self.status(url)).status
        except (EsclError, TlsTrustError) as exc:
            return DeviceStatus(
                state=DeviceState.UNREACHABLE, polled_at=time.time(), reachable=False,
                errors=(TableError("reachability", str(exc), SOURCE),),
            )  # fmt: skip

    async def check_trust(self, url: str) -> TrustCheck | None:
        parts = urlsplit(url)
        if parts.scheme != "https":
            return None
        try:
            return await self.tls.check(parts.hostname or "", parts.port or 443)
        except (OSError, TimeoutError, ssl.SSLError) as exc:
            raise EsclNoAnswer(f"{url}: {exc}") from exc

    async def trust(self, url: str, fingerprint: str) -> TrustCheck:
        parts = urlsplit(url)
        return await self.tls.trust(parts.hostname or "", parts.port or 443, fingerprint)


def report_json(report: ScannerReport) -> dict[str, Any]:
    caps, st = report.capabilities, report.scanner
    return {
        "url": report.url,
        "state": st.state,
        "state_words": st.state_words,
        "adf_state": st.adf_state,
        "overall": report.status.state.value,
        "alerts": [a.description for a in report.status.alerts],
        "make_and_model": caps.make_and_model,
        "manufacturer": caps.manufacturer,
        "serial": caps.serial,
        "uuid": caps.uuid,
        "version": caps.version,
        "platen": caps.has_platen,
        "adf": caps.has_adf,
        "adf_duplex": caps.adf_duplex,
        "color_modes": list(caps.color_modes),
        "document_formats": list(caps.document_formats),
        "resolutions": list(caps.resolutions),
        "jobs": [
            {"uuid": j.uuid, "state": j.state, "reasons": list(j.reasons), "age_s": j.age_s,
             "images_completed": j.images_completed}
            for j in st.jobs
        ],
    }  # fmt: skip
