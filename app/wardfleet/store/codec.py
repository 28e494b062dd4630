"""Domain objects to and from the JSON kept in the store and sent to the hub."""

from __future__ import annotations

import json
from typing import Any

from wardfleet.domain.kinds import DeviceState
from wardfleet.domain.status import DeviceAlert, DeviceStatus, Severity, Supply, TableError, Tray


def _flat(obj: Any) -> dict[str, Any]:
    # dataclasses.asdict deep-copies recursively; this is the hot path of every poll round.
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__}


def status_to_json(status: DeviceStatus) -> str:
    raw = _flat(status)
    for key in ("supplies", "trays", "alerts", "errors"):
        raw[key] = [_flat(item) for item in raw[key]]
    return json.dumps(raw, ensure_ascii=False, separators=(",", ":"))


def status_from_json(text: str) -> DeviceStatus:
    raw: dict[str, Any] = json.loads(text)
    return DeviceStatus(
        state=DeviceState(raw["state"]),
        polled_at=float(raw["polled_at"]),
        reachable=bool(raw.get("reachable", True)),
        latency_ms=raw.get("latency_ms"),
        device_status=raw.get("device_status"),
        printer_status=raw.get("printer_status"),
        error_bits=tuple(raw.get("error_bits", ())),
        supplies=tuple(Supply(**s) for s in raw.get("supplies", ())),
        trays=tuple(Tray(**t) for t in raw.get("trays", ())),
        alerts=tuple(
            DeviceAlert(**{**a, "severity": Severity(a.get("severity", "warning"))})
            for a in raw.get("alerts", ())
        ),
        page_count=raw.get("page_count"),
        uptime_s=raw.get("uptime_s"),
        errors=tuple(TableError(**e) for e in raw.get("errors", ())),
        sources={str(k): str(v) for k, v in (raw.get("sources") or {}).items()},
    )
