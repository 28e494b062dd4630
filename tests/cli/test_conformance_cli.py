"""``wardfleet conformance``: the settings, and the last scheduled report after a real run
against net-snmp's snmpd found drift made with ``snmpset``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.peers.snmp import SnmpdAgent
from tests.services.test_conformance import DRIFTED, WANTED, run, rw_endpoints
from tests.services.test_profiles import snmpget, snmpset
from tests.store.factories import device
from wardfleet.cli import main
from wardfleet.domain.kinds import DeviceKind
from wardfleet.services.conformance import ConformanceWatch
from wardfleet.store import Store, profiles


def cli(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), "conformance", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_settings_show_and_change(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = cli(capsys, tmp_path, "settings", "--json")
    assert (code, json.loads(out)) == (0, {"every_hours": 6.0, "reapply": False})
    code, out, _ = cli(capsys, tmp_path, "settings", "--every", "2", "--reapply", "on")
    assert code == 0 and out.startswith("Checks every 2 h; re-apply drifted settings: on")
    assert cli(capsys, tmp_path, "settings", "--every", "0")[0] == 2
    code, _, err = cli(capsys, tmp_path, "show")
    assert code == 1 and "no scheduled check has run" in err


@pytest.mark.peer("snmpd")
def test_show_prints_the_last_runs_drift(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, snmpd_agent: SnmpdAgent
) -> None:
    original = snmpget(snmpd_agent)
    store = Store.open(tmp_path / "wardfleet.sqlite3")
    host = device(
        1, ward="Ward 4", address=snmpd_agent.host, port=snmpd_agent.port, kind=DeviceKind.SERVER
    )
    profile = profiles.new_profile("Ward 4", [("location", WANTED)])
    with store.transaction() as tx:
        tx.create_device(host)
        profiles.save(tx, profile)
        profiles.assign(tx, profiles.ward_target("Ward 4"), profile.id)
    events: list[Any] = []
    try:
        snmpset(snmpd_agent, DRIFTED)
        watch = ConformanceWatch(
            store, lambda *e: events.append(e), endpoints=rw_endpoints(snmpd_agent)
        )
        run(lambda: watch.run_once("schedule"))
    finally:
        snmpset(snmpd_agent, original)
        store.close()
    code, out, _ = cli(capsys, tmp_path, "show")
    assert code == 0
    assert "1 device(s), 1 with drift" in out
    assert f"{host.display_name}: sysLocation: '{DRIFTED}' → '{WANTED}' (profile 'Ward 4')" in out
    code, out, _ = cli(capsys, tmp_path, "show", "--json")
    report = json.loads(out)
    assert report["devices"][0]["drift"] == [
        {"setting": "sysLocation", "expected": WANTED, "actual": DRIFTED}
    ]
