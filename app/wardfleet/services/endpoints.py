"""Which IPP / eSCL endpoints an observation shows, for the inventory.

DNS-SD adverts name them by service type and TXT (``rp`` for IPP, ``rs`` for eSCL); an
IPP answer carries the URI it was asked on. The host is not kept: the device's current
address makes the URL, so an address change moves the endpoint with the device.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from wardfleet.domain.device import ServiceEndpoint
from wardfleet.domain.observation import Observation

# DNS-SD service type -> (our service name, TXT key of the resource path, its default)
_ADVERTISED = {
    "_ipp._tcp": ("ipp", "rp", "ipp/print"),
    "_ipps._tcp": ("ipps", "rp", "ipp/print"),
    "_uscan._tcp": ("escl", "rs", "eSCL"),
    "_uscans._tcp": ("escls", "rs", "eSCL"),
}
_PATH_OK = re.compile(r"[A-Za-z0-9._~%@+=,/-]*")
_URI_SCHEMES = {"ipp": ("ipp", 631), "ipps": ("ipps", 631)}


def _clean_path(raw: str) -> str | None:
    """A resource path as a relative URL path; None for anything that is not one (a URL,
    a query, "..", control or replacement characters from a mangled TXT record)."""
    path = raw.strip().strip("/")
    if not _PATH_OK.fullmatch(path) or ".." in path.split("/"):
        return None
    return path


def observed_endpoints(obs: Observation) -> tuple[ServiceEndpoint, ...]:
    attrs = obs.attributes
    advertised = _ADVERTISED.get(attrs.get("service_type", "").casefold())
    if advertised is not None and obs.port:
        service, key, default = advertised
        path = _clean_path(attrs.get(key) or default)
        return (ServiceEndpoint(service, obs.port, path),) if path is not None else ()
    uri = attrs.get("ipp-uri")
    if uri:
        try:
            parts = urlsplit(uri)
            scheme = _URI_SCHEMES.get(parts.scheme.casefold())
            port = parts.port
        except ValueError:
            return ()
        path = _clean_path(parts.path)
        if scheme is not None and path is not None:
            return (ServiceEndpoint(scheme[0], port or scheme[1], path),)
    return ()
