"""``wardfleet configure`` and ``wardfleet audit`` through the real entry point: JSON
contract, exit codes, confirmation, audit entries in the --data-dir store, and tamper
detection (edit, delete, reorder) by ``wardfleet audit verify``."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from tests.peers._proc import free_port
from tests.peers.snmp import SnmpdAgent
from tests.peers.snmp_strings import LOCATION, snmpget
from wardfleet.cli import main
from wardfleet.store import Store


def configure(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, dict, str]:
    code = main(["--data-dir", str(data), "configure", *argv, "--json"])
    captured = capsys.readouterr()
    out = json.loads(captured.out) if captured.out.strip() else {}
    return code, out, captured.err


def audit_rows(data: Path) -> list[tuple[str, str]]:
    store = Store.open(data / "wardfleet.sqlite3")
    try:
        return [(e.action, e.result) for e in store.audit_entries()]
    finally:
        store.close()


@pytest.mark.peer("snmpd")
def test_apply_v2c(agent: SnmpdAgent, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snmpget(agent)
    code, out, _ = configure(
        capsys, tmp_path, f"snmp://{agent.rw_community}@{agent.target}",
        "--set", "location=Ward 7 store room", "--yes",
    )  # fmt: skip
    assert code == 0, out
    [row] = out["plan"]
    assert (row["setting"], row["current"], row["new"]) == ("location", before, "Ward 7 store room")
    assert row["credential"] == "v2c community" and row["protocol"] == "snmp"
    assert out["outcome"] == "applied"
    [setting] = out["results"][0]["settings"]
    assert (setting["status"], setting["verified"]) == ("applied", "Ward 7 store room")
    assert snmpget(agent) == "Ward 7 store room"
    assert "Default SNMP community 'private'" in out["warnings"][0]
    assert [a for a, _ in audit_rows(tmp_path)] == ["deploy.plan", "deploy.apply", "deploy.verify"]


@pytest.mark.peer("snmpd")
def test_apply_v3(agent: SnmpdAgent, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = configure(
        capsys, tmp_path, f"snmp://{agent.target}", "--set", "location=v3 ward",
        "--v3-user", agent.v3_user, "--auth-proto", "SHA", "--auth-key", agent.v3_auth_key,
        "--priv-proto", "AES", "--priv-key", agent.v3_priv_key, "--yes",
    )  # fmt: skip
    assert (code, out["outcome"]) == (0, "applied")
    assert out["plan"][0]["credential"] == f"v3 {agent.v3_user}" and out["warnings"] == []
    assert snmpget(agent) == "v3 ward"


@pytest.mark.peer("snmpd")
def test_rolled_back_exit_4(
    agent: SnmpdAgent, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snmpget(agent)
    code, out, _ = configure(
        capsys, tmp_path, f"snmp://{agent.rw_community}@{agent.target}",
        "--set", "location=temporary", "--set", "contact=nobody", "--set", "name=renamed",
        "--yes",
    )  # fmt: skip
    assert code == 4
    assert (out["outcome"], out["reason"]) == ("rolled-back", "sysContact: notWritable")
    statuses = [(s["setting"], s["status"]) for s in out["results"][0]["settings"]]
    assert statuses == [("location", "rolled-back"), ("contact", "failed"),
                        ("name", "not-attempted")]  # fmt: skip
    assert out["results"][0]["settings"][0]["rollback_verified"] == before
    assert snmpget(agent) == before


@pytest.mark.peer("snmpd")
def test_no_access_words(
    agent: SnmpdAgent, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = configure(
        capsys, tmp_path, f"snmp://{agent.ro_community}@{agent.target}",
        "--set", "location=nope", "--yes",
    )  # fmt: skip
    assert (code, out["outcome"], out["reason"]) == (4, "failed", "sysLocation: noAccess")


@pytest.mark.peer("snmpd")
def test_dry_run_changes_nothing(
    agent: SnmpdAgent, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snmpget(agent)
    code, out, _ = configure(
        capsys, tmp_path, f"snmp://{agent.rw_community}@{agent.target}",
        "--set", "location=dry", "--oid", f"{LOCATION} = s:dry too", "--dry-run",
    )  # fmt: skip
    assert (code, out["outcome"], out["results"]) == (0, "dry-run", None)
    assert [r["new"] for r in out["plan"]] == ["dry", "dry too"]
    assert snmpget(agent) == before
    assert [a for a, _ in audit_rows(tmp_path)] == ["deploy.plan"]


@pytest.mark.peer("snmpd")
def test_refuses_without_tty(
    agent: SnmpdAgent, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = configure(
        capsys, tmp_path, f"snmp://{agent.rw_community}@{agent.target}", "--set", "location=x"
    )
    assert (code, out) == (2, {})
    assert "not a terminal" in err and "--yes" in err


@pytest.mark.peer("snmpd")
def test_asks_on_a_tty(
    agent: SnmpdAgent, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    before = snmpget(agent)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    argv = ["--data-dir", str(tmp_path), "configure", f"snmp://{agent.rw_community}@{agent.target}"]
    code = main([*argv, "--set", "location=asked"])
    captured = capsys.readouterr()
    assert code == 2 and "not confirmed" in captured.err and "'asked'" in captured.out
    assert snmpget(agent) == before
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    code = main([*argv, "--set", "location=asked"])
    assert code == 0 and snmpget(agent) == "asked"
    assert "applied" in capsys.readouterr().out


def test_no_answer_exit_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port("udp")
    code, out, _ = configure(
        capsys, tmp_path, f"snmp://private@127.0.0.1:{port}", "--set", "name=x",
        "--timeout", "0.2", "--retries", "0", "--yes",
    )  # fmt: skip
    assert (code, out["outcome"], out["reason"]) == (3, "no-answer", "timeout")


@pytest.mark.parametrize(
    "argv",
    [
        ["snmp://private@127.0.0.1"],  # nothing to set
        ["snmp://private@127.0.0.1", "--set", "colour=red"],
        ["snmp://private@127.0.0.1", "--set", "name"],
        ["snmp://private@127.0.0.1", "--oid", "1.3.6.1 = z:1"],
        ["http://127.0.0.1", "--set", "name=x"],
        ["snmp://private@127.0.0.1", "--set", "name=x", "--dry-run", "--yes"],
        ["snmp://private@127.0.0.1", "--set", "name=a", "--set", "name=b", "--yes"],
    ],
)
def test_bad_args_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert main(["--data-dir", str(tmp_path), "configure", *argv]) == 2
    assert capsys.readouterr().err.startswith("wardfleet configure: ")


# --- audit --------------------------------------------------------------------------------


def _seed_audit(data: Path, count: int = 4) -> None:
    store = Store.open(data / "wardfleet.sqlite3")
    try:
        for n in range(count):
            with store.transaction() as tx:
                tx.audit(
                    actor="ann",
                    action="deploy.apply",
                    device_id=f"dev{n}",
                    before={"location": "a"},
                    after={"location": f"b{n}"},
                    result="set",
                )
    finally:
        store.close()


def _tamper(data: Path, *sql: str) -> None:
    conn = sqlite3.connect(data / "wardfleet.sqlite3")
    with conn:
        for statement in sql:
            conn.execute(statement)
    conn.close()


def _verify(data: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--data-dir", str(data), "audit", "verify"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_audit_verify_intact(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _seed_audit(tmp_path)
    assert _verify(tmp_path, capsys) == (0, "Audit log intact: 4 entries.\n")


@pytest.mark.parametrize(
    ("sql", "entry", "words"),
    [
        (["UPDATE audit SET result = 'refused' WHERE id = 2"], 2, "edited"),
        (['UPDATE audit SET after = \'{"location": "forged"}\' WHERE id = 3'], 3, "edited"),
        (["DELETE FROM audit WHERE id = 2"], 2, "deleted"),
        (["DELETE FROM audit WHERE id = 4"], 4, "newest entry missing"),
        (
            [
                "UPDATE audit SET id = 100 WHERE id = 2",
                "UPDATE audit SET id = 2 WHERE id = 3",
                "UPDATE audit SET id = 3 WHERE id = 100",
            ],
            2,
            "reordered",
        ),
    ],
)
def test_audit_verify_finds_tampering(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sql: list[str], entry: int, words: str
) -> None:
    _seed_audit(tmp_path)
    _tamper(tmp_path, *sql)
    code, text = _verify(tmp_path, capsys)
    assert code == 1
    assert f"entry {entry}: " in text and words in text


def test_audit_export_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _seed_audit(tmp_path, 2)
    assert main(["--data-dir", str(tmp_path), "audit", "export", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["id"], r["actor"], r["device_id"], r["result"]) for r in rows] == [
        ("1", "ann", "dev0", "set"), ("2", "ann", "dev1", "set"),
    ]  # fmt: skip
    assert json.loads(rows[1]["after"]) == {"location": "b1"}
    out = tmp_path / "audit.csv"
    assert main(["--data-dir", str(tmp_path), "audit", "export", "--csv", str(out)]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3


def test_helpdesk_role_may_not_apply(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store.open(tmp_path / "wardfleet.sqlite3")
    store.set_sync_value("role", "helpdesk")
    store.close()
    argv = ["--data-dir", str(tmp_path), "configure", "snmp://private@127.0.0.1"]
    assert main([*argv, "--set", "location=x", "--yes"]) == 2
    assert "role 'helpdesk' may not apply" in capsys.readouterr().err
