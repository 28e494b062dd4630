"""``wardfleet profiles`` through the real entry point: create, assign, list, and ``check``
finding drift made behind the app's back with net-snmp's ``snmpset`` against a real snmpd,
then conforming after ``check --reapply``. Cross-checked with ``snmpget``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.peers.snmp import SnmpdAgent
from tests.peers.snmp_strings import snmpget, snmpset
from tests.store.factories import device
from wardfleet.cli import main
from wardfleet.domain.change import ChangeKind
from wardfleet.domain.device import ServiceEndpoint
from wardfleet.store import Store, profiles


def profiles_cli(
    capsys: pytest.CaptureFixture[str], data: Path, *argv: str
) -> tuple[int, Any, str]:
    code = main(["--data-dir", str(data), "profiles", *argv])
    captured = capsys.readouterr()
    try:
        out: Any = json.loads(captured.out)
    except ValueError:
        out = captured.out
    return code, out, captured.err


def seed(data: Path, *devices: Any) -> None:
    store = Store.open(data / "wardfleet.sqlite3")
    try:
        with store.transaction() as tx:
            for d in devices:
                tx.create_device(d)
                if d.endpoints:  # discovery bookkeeping, kept apart from synced fields
                    tx.set_endpoints(d.id, d.endpoints, 1.0)
    finally:
        store.close()


def test_create_list_show_delete_and_bad_args(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(tmp_path, device(1, ward="Ward 4"))
    code, out, err = profiles_cli(
        capsys, tmp_path, "create", "Ward 4 printers", "--kind", "printer",
        "--set", "location=Ward 4", "--set", "ipp-info=Ward 4 laser",
        "--expert", "1.3.6.1.4.1.11.2.4.3.5.2.0 = i:1", "--print-queue",
    )  # fmt: skip
    assert code == 0, err
    assert profiles_cli(capsys, tmp_path, "assign", "Ward 4 printers", "--device", "dev-1")[0] == 0
    code, out, _ = profiles_cli(capsys, tmp_path, "show", "Ward 4 printers", "--json")
    assert code == 0
    assert out["device_kind"] == "printer" and out["print_queue"] is True
    assert out["settings"] == [
        {"key": "location", "value": "Ward 4"},
        {"key": "ipp:info", "value": "Ward 4 laser"},
        {"key": "expert", "value": "1.3.6.1.4.1.11.2.4.3.5.2.0 = i:1"},
    ]
    assert out["assigned_to"] == ["device:dev-1"]

    # Bad arguments exit 2 and say why.
    code, _, err = profiles_cli(
        capsys, tmp_path, "create", "x", "--kind", "printer", "--expert", "1.3.6.1 = q:1"
    )
    assert code == 2 and "unknown type 'q'" in err
    code, _, err = profiles_cli(capsys, tmp_path, "create", "Ward 4 printers", "--kind", "mfd",
                                "--set", "name=a")  # fmt: skip
    assert code == 2 and "exists already" in err
    code, _, err = profiles_cli(capsys, tmp_path, "create", "y", "--kind", "printer",
                                "--set", "colour=red")  # fmt: skip
    assert code == 2 and "--set takes" in err
    code, _, err = profiles_cli(capsys, tmp_path, "assign", "nope", "--ward", "Ward 4")
    assert code == 2 and "no profile called 'nope'" in err
    code, _, err = profiles_cli(capsys, tmp_path, "create", "scanners", "--kind", "scanner",
                                "--set", "name=s")  # fmt: skip
    assert code == 0, err
    code, _, err = profiles_cli(capsys, tmp_path, "assign", "scanners", "--device", "dev-1")
    assert code == 2 and "is for scanner devices" in err

    assert profiles_cli(capsys, tmp_path, "delete", "Ward 4 printers")[0] == 0
    code, out, _ = profiles_cli(capsys, tmp_path, "list", "--json")
    assert [p["name"] for p in out] == ["scanners"]

    store = Store.open(tmp_path / "wardfleet.sqlite3")
    try:
        actions = [e.action for e in store.audit_entries()]
        assert actions == ["profile.create", "profile.assign", "profile.create", "profile.delete"]
        kinds = [c.kind for c in store.outbox_pending() if c.kind.value.startswith("profile.")]
        assert kinds == [
            ChangeKind.PROFILE_UPSERT, ChangeKind.PROFILE_ASSIGN,
            ChangeKind.PROFILE_UPSERT, ChangeKind.PROFILE_UPSERT,
        ]  # fmt: skip
        assert store.verify_audit() is None
    finally:
        store.close()


def test_unassign_makes_a_device_follow_its_ward_and_none_opts_it_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(tmp_path, device(1, name="Bay 2 laser", ward="Ward 4"))
    for name in ("ward", "own"):
        code, _, err = profiles_cli(capsys, tmp_path, "create", name, "--kind", "any",
                                 "--set", f"name={name}")  # fmt: skip
        assert code == 0, err
    assert profiles_cli(capsys, tmp_path, "assign", "ward", "--ward", "Ward 4")[0] == 0
    assert profiles_cli(capsys, tmp_path, "assign", "own", "--device", "dev-1")[0] == 0

    def followed() -> tuple[str | None, set[str]]:
        store = Store.open(tmp_path / "wardfleet.sqlite3")
        try:
            dev = store.get_device("dev-1")
            assert dev is not None
            found = profiles.profile_for(store, dev)
            return (found.name if found else None), profiles.opted_out(store)
        finally:
            store.close()

    assert followed() == ("own", set())
    code, out, err = profiles_cli(capsys, tmp_path, "unassign", "--device", "Bay 2 laser")
    assert code == 0, err
    assert out == "device:dev-1 follows its ward's profile, if the ward has one.\n"
    assert followed() == ("ward", set())  # not "none": the ward's profile applies again

    assert profiles_cli(capsys, tmp_path, "unassign", "--device", "dev-1", "--none")[0] == 0
    assert followed() == (None, {"device:dev-1"})  # explicitly none, the ward ignored
    assert profiles_cli(capsys, tmp_path, "unassign", "--device", "dev-1")[0] == 0
    assert profiles_cli(capsys, tmp_path, "unassign", "--ward", "Ward 4")[0] == 0
    assert followed() == (None, set())
    code, _, err = profiles_cli(capsys, tmp_path, "unassign", "--device", "dev-9")
    assert code == 2 and "no device 'dev-9'" in err
    code, _, err = profiles_cli(capsys, tmp_path, "unassign", "--ward", " ")
    assert code == 2 and "--ward needs a ward name" in err

    store = Store.open(tmp_path / "wardfleet.sqlite3")
    try:
        results = [e.result for e in store.audit_entries() if e.action == "profile.assign"][2:]
        assert results == [
            "device:dev-1 follows its ward", "device:dev-1 follows none",
            "device:dev-1 follows its ward", "ward:Ward 4: assignment removed",
        ]  # fmt: skip
        assert store.verify_audit() is None
    finally:
        store.close()


@pytest.mark.peer("snmpd")
def test_check_finds_snmpset_drift_then_conforms_after_reapply(
    agent: SnmpdAgent, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(tmp_path, device(1, ward="Ward 4", address=agent.host, port=agent.port))
    creds = ["--community", agent.rw_community, "--timeout", "1"]
    assert profiles_cli(capsys, tmp_path, "create", "Ward 4", "--kind", "printer",
                        "--set", "location=Ward 4 corridor")[0] == 0  # fmt: skip
    assert profiles_cli(capsys, tmp_path, "assign", "Ward 4", "--ward", "Ward 4")[0] == 0

    snmpset(agent, "moved by hand")  # behind the app's back
    code, out, err = profiles_cli(capsys, tmp_path, "check", "--json", *creds)
    assert code == 3, err
    [report] = out["devices"]
    assert (report["device_id"], report["profile"], report["conforms"]) == (
        "dev-1",
        "Ward 4",
        False,
    )
    assert report["drift"] == [
        {"setting": "location", "label": "sysLocation",
         "expected": "Ward 4 corridor", "actual": "moved by hand"},
    ]  # fmt: skip
    assert snmpget(agent) == "moved by hand"  # a check changes nothing

    code, text, _ = profiles_cli(capsys, tmp_path, "check", *creds)
    assert code == 3 and "sysLocation: expected 'Ward 4 corridor', found 'moved by hand'" in text

    code, out, err = profiles_cli(capsys, tmp_path, "check", "--reapply", "--json", *creds)
    assert code == 0, err
    [result] = out["devices"][0]["reapplied"]
    assert result["outcome"] == "applied"
    assert result["settings"][0]["verified"] == "Ward 4 corridor"
    assert snmpget(agent) == "Ward 4 corridor"

    code, out, _ = profiles_cli(capsys, tmp_path, "check", "--json", *creds)
    assert code == 0 and out["devices"][0]["conforms"] is True


@pytest.mark.peer("snmpd")
def test_check_unreachable_device_is_not_conforming(
    agent: SnmpdAgent, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # No credential answers: the device is reported as not checked, never as conforming.
    seed(tmp_path, device(1, ward="Ward 5", address=agent.host, port=agent.port))
    profiles_cli(capsys, tmp_path, "create", "p", "--kind", "any", "--set", "location=x")
    profiles_cli(capsys, tmp_path, "assign", "p", "--device", "dev-1")
    code, out, _ = profiles_cli(
        capsys, tmp_path, "check", "--json", "--community", "wrong", "--timeout", "0.5",
        "--retries", "0",
    )  # fmt: skip
    assert code == 3
    [report] = out["devices"]
    assert report["conforms"] is False and "no snmp access" in report["error"]


@pytest.mark.peer("cupsd")
def test_check_reads_ipp_settings_through_the_device_ipp_uri(
    cupsd_server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    queue = "Profiles_Check"
    made = cupsd_server.run(["lpadmin", "-p", queue, "-v", "ipp://127.0.0.1:9/ipp/print",
                             "-L", "Moved by hand", "-D", "Ward 6 laser"])  # fmt: skip
    assert made.returncode == 0, made.stderr
    seed(tmp_path, device(
        6, ward="Ward 6", address=cupsd_server.host,
        endpoints=(ServiceEndpoint("ipp", cupsd_server.port, f"printers/{queue}"),),
    ))  # fmt: skip
    try:
        assert profiles_cli(capsys, tmp_path, "create", "Ward 6", "--kind", "printer",
                            "--set", "ipp-location=Ward 6 office",
                            "--set", "ipp-info=Ward 6 laser")[0] == 0  # fmt: skip
        assert profiles_cli(capsys, tmp_path, "assign", "Ward 6", "--ward", "Ward 6")[0] == 0
        code, out, err = profiles_cli(capsys, tmp_path, "check", "--json")
        assert code == 3, err
        assert out["devices"][0]["drift"] == [
            {"setting": "ipp:location", "label": "printer-location",
             "expected": "Ward 6 office", "actual": "Moved by hand"},
        ]  # fmt: skip
        code, out, err = profiles_cli(capsys, tmp_path, "check", "--reapply", "--json")
        assert code == 0, err
        assert "Ward 6 office" in cupsd_server.run(["lpstat", "-l", "-p", queue]).stdout
        assert profiles_cli(capsys, tmp_path, "check", "--json")[0] == 0
    finally:
        cupsd_server.run(["lpadmin", "-x", queue])
