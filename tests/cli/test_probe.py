"""``wardfleet probe``: its JSON contract, exit codes and one-line failures."""

from __future__ import annotations

import argparse
import json

import pytest

from tests.peers._proc import free_port
from tests.peers.snmp import SnmpdAgent, SnmpsimAgent
from tests.protocols.snmprec import EXPECTED
from wardfleet.cli import probe

KEYS = {
    "address", "sys_descr", "sys_name", "sys_object_id", "vendor", "model", "serial", "mac",
    "kind", "state", "errors", "supplies", "trays", "alerts", "page_count", "uptime_s",
    "latency_ms", "error_bits", "warnings",
}  # fmt: skip
SUPPLY_KEYS = {"index", "description", "type", "class", "unit", "colour", "level", "capacity",
               "percent", "level_state"}  # fmt: skip


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="wardfleet")
    probe.add_parser(parser.add_subparsers())
    args = parser.parse_args(argv)
    return int(args.run(args))


def probe_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict:
    assert main(["probe", *argv, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # one JSON object
    return json.loads(out)


@pytest.mark.peer("snmpsim")
def test_json_contract(snmpsim_agent: SnmpsimAgent, capsys: pytest.CaptureFixture[str]) -> None:
    data = probe_json(capsys, [f"snmp://jetdirect_m880@{snmpsim_agent.target}", "--timeout", "1"])
    assert set(data) >= KEYS
    assert (data["vendor"], data["kind"], data["state"]) == ("HP", "printer", "ok")
    assert all(set(s) >= SUPPLY_KEYS for s in data["supplies"])
    assert [(s["description"], s["percent"], s["level_state"]) for s in data["supplies"]][-1] == (
        "Stapler 3 HP CC383A", None, "some-remaining",
    )  # fmt: skip
    assert [s["level"] for s in data["supplies"]] == [
        s["level"] for s in EXPECTED["jetdirect_m880"]["supplies"]
    ]
    assert data["trays"][0] == {"index": "1.1", "name": "Tray 1", "level": 0, "capacity": 100,
                                "percent": 0.0, "level_state": "measured"}  # fmt: skip
    assert data["latency_ms"] > 0 and data["warnings"] == [] and data["errors"] == []


@pytest.mark.peer("snmpsim")
def test_human_output(snmpsim_agent: SnmpsimAgent, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["probe", f"snmp://sharp@{snmpsim_agent.target}"]) == 0
    out = capsys.readouterr().out
    assert "Sharp" in out and "Waste Toner" in out and "lowToner" in out


@pytest.mark.peer("snmpd")
def test_default_community_warns(
    snmpd_agent: SnmpdAgent, capsys: pytest.CaptureFixture[str]
) -> None:
    data = probe_json(capsys, [f"snmp://{snmpd_agent.target}"])  # no community: public
    assert data["kind"] == "server" and "Default SNMP community 'public'" in data["warnings"][0]


@pytest.mark.peer("snmpd")
def test_v3(snmpd_agent: SnmpdAgent, capsys: pytest.CaptureFixture[str]) -> None:
    data = probe_json(capsys, [
        f"snmp://{snmpd_agent.target}", "--v3-user", snmpd_agent.v3_user,
        "--auth-proto", "SHA", "--auth-key", snmpd_agent.v3_auth_key,
        "--priv-proto", "AES", "--priv-key", snmpd_agent.v3_priv_key,
    ])  # fmt: skip
    assert data["sys_name"] == snmpd_agent.sys_name and data["warnings"] == []


@pytest.mark.peer("snmpd")
def test_wrong_v3_key_exits_3_with_the_reason(
    snmpd_agent: SnmpdAgent, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["probe", f"snmp://{snmpd_agent.target}", "--v3-user", snmpd_agent.v3_user,
                 "--auth-proto", "SHA", "--auth-key", "wrongpass999", "--json"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 3 and captured.out == ""
    assert captured.err == (
        "wardfleet probe: Authentication failed: wrong SNMPv3 key or password "
        "(Wrong SNMP PDU digest)\n"
    )


def test_no_answer_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["probe", f"snmp://127.0.0.1:{free_port('udp')}", "--timeout", "0.2",
                 "--retries", "0", "--json"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 3 and err.count("\n") == 1 and "No answer from 127.0.0.1:" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["http://10.0.0.5"], "expected snmp://"),
        (["snmp://10.0.0.5:99999"], "bad port"),
        (["snmp://10.0.0.5", "--auth-proto", "SHA"], "need --v3-user"),
        (["snmp://10.0.0.5", "--v3-user", "u", "--auth-proto", "ROT13", "--auth-key", "k" * 8],
         "unknown auth protocol"),
        (["snmp://10.0.0.5", "--timeout", "0"], "--timeout"),
    ],
)  # fmt: skip
def test_bad_arguments_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["probe", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_argparse_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["probe", "snmp://x", "--retries", "many"])
    assert caught.value.code == 2


def test_url_parsing() -> None:
    assert probe.parse_url("snmp://ward%407@10.0.0.5:1161") == ("ward@7", "10.0.0.5", 1161)
    assert probe.parse_url("snmp://[::1]") == (None, "::1", 161)
    assert probe.parse_url("printer.ward7.example") == (None, "printer.ward7.example", 161)
