"""``wardfleet conformance``: the settings, and the last scheduled report after a real run
against net-snmp's snmpd found drift made with ``snmpset``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.peers.snmp import SnmpdAgent
from tests.peers.snmp_strings import snmpset
from tests.services.test_conformance import DRIFTED, WANTED, profiled_ward, run, rw_endpoints
from wardfleet.cli import main
from wardfleet.services.conformance import ConformanceWatch


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
    events: list[Any] = []
    with profiled_ward(snmpd_agent, tmp_path / "wardfleet.sqlite3") as (store, host):
        snmpset(snmpd_agent, DRIFTED)
        watch = ConformanceWatch(
            store, lambda *e: events.append(e), endpoints=rw_endpoints(snmpd_agent)
        )
        run(lambda: watch.run_once("schedule"))
    code, out, _ = cli(capsys, tmp_path, "show")
    assert code == 0
    assert "1 device(s), 1 with drift" in out
    assert f"{host.display_name}: sysLocation: '{DRIFTED}' → '{WANTED}' (profile 'Ward 4')" in out
    code, out, _ = cli(capsys, tmp_path, "show", "--json")
    report = json.loads(out)
    assert report["devices"][0]["drift"] == [
        {"setting": "sysLocation", "expected": WANTED, "actual": DRIFTED}
    ]
