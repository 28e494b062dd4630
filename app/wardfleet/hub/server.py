"""Running the hub with uvicorn (``wardfleet hub serve``)."""

from __future__ import annotations

import os
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from wardfleet.hub.app import HubSettings, create_app
from wardfleet.hub.db import HubDatabase


def serve(
    db_url: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8470,
    tls_cert: Path | None = None,
    tls_key: Path | None = None,
    settings: HubSettings | None = None,
    log_level: str = "info",
) -> None:
    """Migrate the database, then serve until SIGINT/SIGTERM (uvicorn handles both)."""
    db = HubDatabase(db_url)
    try:
        db.migrate()
        app = create_app(db, settings)
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            ssl_certfile=str(tls_cert) if tls_cert else None,
            ssl_keyfile=str(tls_key) if tls_key else None,
            log_level=log_level,
            # Behind a reverse proxy, run uvicorn yourself with --proxy-headers and
            # --forwarded-allow-ips: the failed-login limiter keys on the client address.
            proxy_headers=False,
            server_header=False,
            timeout_graceful_shutdown=10,
        )
        uvicorn.Server(config).run()
    finally:
        db.dispose()


def from_environment() -> FastAPI:
    """An app factory for running uvicorn (or gunicorn) yourself, e.g. behind a proxy:
    ``WARDFLEET_HUB_DB=postgresql://... uvicorn --factory
    wardfleet.hub.server:from_environment --proxy-headers --forwarded-allow-ips=PROXY``."""
    url = os.environ.get("WARDFLEET_HUB_DB")
    if not url:
        raise RuntimeError("set WARDFLEET_HUB_DB to the hub's database URL")
    db = HubDatabase(url)
    db.migrate()
    return create_app(
        db,
        HubSettings(max_auth_failures=int(os.environ.get("WARDFLEET_HUB_MAX_AUTH_FAILURES", "10"))),
    )
