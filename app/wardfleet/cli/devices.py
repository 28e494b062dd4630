"""``wardfleet devices``: the local inventory, for scripts and support."""

from __future__ import annotations

import argparse
import json
from typing import Any

from wardfleet.cli._common import STORE_ERRORS, fail, open_store
from wardfleet.domain.device import DeviceOverview


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser("devices", help="list the devices in the local inventory")
    p.add_argument("--json", action="store_true", help="one JSON object per device")
    p.set_defaults(run=run)


def overview_json(row: DeviceOverview) -> dict[str, Any]:
    d, s = row.device, row.status
    return {
        "id": d.id,
        "name": d.name,
        "kind": d.kind.value,
        "vendor": d.vendor,
        "model": d.model,
        "serial": d.identity.serial,
        "mac": d.identity.mac,
        "uuid": d.identity.uuid,
        "address": d.address,
        "port": d.port,
        "location": d.location,
        "ward": d.ward,
        "state": d.state.value,
        "last_seen": d.last_seen,
        "protocols": sorted(d.protocols),
        "possible_duplicate_of": d.possible_duplicate_of,
        "supplies": [
            {
                "index": x.index,
                "description": x.description,
                "percent": x.percent,
                "level_state": x.level_state.value,
            }
            for x in (s.supplies if s else ())
        ],
    }


def run(args: argparse.Namespace) -> int:
    try:
        store = open_store(args)
    except STORE_ERRORS as exc:
        return fail("wardfleet devices", exc, 1)
    try:
        rows = store.list_overview()
    finally:
        store.close()
    for row in rows:
        if args.json:
            print(json.dumps(overview_json(row), ensure_ascii=False))
        else:
            d = row.device
            print(f"{d.display_name:<32} {d.kind.value:<14} {d.address or '-':<16} {d.state.value}")
    return 0
