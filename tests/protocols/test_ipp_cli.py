"""``wardfleet ipp``: JSON shapes, exit codes, trust on first use, job-name privacy."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import httpx
import pytest

from tests.peers.ipp import IppPrinter, start_ippeveprinter
from wardfleet.cli import main
from wardfleet.protocols.ipp import IppClient
from wardfleet.store import Store
from wardfleet.store.local import set_show_job_names

pytestmark = pytest.mark.peer("ippeveprinter")

PATIENT_JOB = "Mr John Smith NHS 943 476 5919 - ward round notes"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("WARDFLEET_DATA_DIR", str(folder))
    return folder


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_status_json(
    ippeveprinter_host: IppPrinter, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "ipp", ippeveprinter_host.uri, "status", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["state"] in ("idle", "processing")
    assert data["make_and_model"] == ippeveprinter_host.make_and_model
    assert data["location"] == ippeveprinter_host.location
    assert data["info"] == ippeveprinter_host.name
    assert data["reasons"] == [] and data["queued_jobs"] is not None
    assert isinstance(data["uptime_s"], int) and data["uuid"]
    assert {"name": "Black Toner", "type": "toner", "colour": "black", "level": 75.0,
            "level_state": "measured"} in data["supplies"]  # fmt: skip
    # Merged into the local inventory, with its status, like a poll.
    store = Store.open(data_dir / "wardfleet.sqlite3")
    try:
        (row,) = store.list_overview()
        assert row.device.identity.uuid == data["uuid"] and "ipp" in row.device.protocols
        assert row.status is not None and len(row.status.supplies) == 2
    finally:
        store.close()


def test_exit_codes(
    ippeveprinter_host: IppPrinter, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = cli(capsys, "ipp", "ipp://127.0.0.1:9/ipp/print", "status", "--no-store")
    assert code == 3 and err.count("\n") == 1 and "connection refused" in err
    code, _out, err = cli(capsys, "ipp", "lpd://x/q", "status")
    assert code == 2 and "not a printer address" in err
    with pytest.raises(SystemExit) as bad:
        main(["ipp", ippeveprinter_host.uri, "cancel", "not-a-number"])
    assert bad.value.code == 2
    code, _out, err = cli(capsys, "ipp", ippeveprinter_host.uri, "pause", "--no-store")
    assert code == 1 and "not supported by this printer" in err


def test_test_page_and_jobs(
    ippeveprinter_host: IppPrinter, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = cli(
        capsys, "ipp", ippeveprinter_host.uri, "test-page", "--ward", "Ward 3", "--json"
    )
    assert code == 0
    sent = json.loads(out)
    assert sent["format"] == "image/pwg-raster"
    code, out, _err = cli(capsys, "ipp", ippeveprinter_host.uri, "jobs", "--json")
    code2, out2, _err = cli(capsys, "ipp", ippeveprinter_host.uri, "jobs", "--completed", "--json")
    ids = {j["id"] for j in json.loads(out) + json.loads(out2)}
    assert (code, code2) == (0, 0) and sent["job_id"] in ids


def test_job_names_stay_private(
    tmp_path: Path,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    # A printer of its own: a held job makes ippeveprinter refuse other Create-Jobs.
    with start_ippeveprinter(tmp_path / "held") as handle:
        _names_stay_private(handle.info, data_dir, capsys)
    assert PATIENT_JOB not in caplog.text  # never logged
    for path in data_dir.rglob("*"):  # never stored (nor queued for the hub)
        if path.is_file():
            assert PATIENT_JOB.encode() not in path.read_bytes(), path


def _names_stay_private(
    ippeveprinter_host: IppPrinter, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async def create() -> int:
        async with httpx.AsyncClient() as http:
            return await IppClient(http).create_job(ippeveprinter_host.uri, PATIENT_JOB)

    job_id = asyncio.run(create())
    try:
        code, hidden, _ = cli(capsys, "ipp", ippeveprinter_host.uri, "jobs", "--json")
        assert code == 0 and PATIENT_JOB not in hidden
        held = next(j for j in json.loads(hidden) if j["id"] == job_id)
        assert "name" not in held and held["state"] == "pending-held"
        code, plain, _ = cli(capsys, "ipp", ippeveprinter_host.uri, "jobs")
        assert PATIENT_JOB not in plain and str(job_id) in plain

        code, shown, _ = cli(
            capsys, "ipp", ippeveprinter_host.uri, "jobs", "--show-job-names", "--json"
        )
        assert next(j for j in json.loads(shown) if j["id"] == job_id)["name"] == PATIENT_JOB

        # The desktop's setting turns names on without the flag.
        store = Store.open(data_dir / "wardfleet.sqlite3")
        set_show_job_names(store, True)
        store.close()
        code, shown, _ = cli(capsys, "ipp", ippeveprinter_host.uri, "jobs")
        assert PATIENT_JOB in shown
    finally:
        code, _out, _err = cli(capsys, "ipp", ippeveprinter_host.uri, "cancel", str(job_id))
        assert code == 0


def test_ipps_first_use_needs_a_decision(
    ippeveprinter_host: IppPrinter,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    uri = f"ipps://127.0.0.1:{ippeveprinter_host.port}/ipp/print"
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, _out, err = cli(capsys, "ipp", uri, "status", "--json")
    assert code == 3 and "--trust-fingerprint" in err
    fingerprint = err.split("fingerprint is ", 1)[1].split(";", 1)[0]
    assert len(fingerprint) == 95  # 32 bytes as AB:CD:...

    wrong = "00:" * 31 + "00"
    code, _out, err = cli(capsys, "ipp", uri, "status", "--trust-fingerprint", wrong)
    assert code == 3 and "not trusted" in err

    code, out, err = cli(capsys, "ipp", uri, "status", "--json", "--trust-fingerprint", fingerprint)
    assert code == 0 and json.loads(out)["make_and_model"] == ippeveprinter_host.make_and_model
    code, out, err = cli(capsys, "ipp", uri, "status", "--json")  # pinned now: no question
    assert code == 0 and err == ""

    # Someone else's certificate pinned for this address: loud refusal.
    store = Store.open(data_dir / "wardfleet.sqlite3")
    from wardfleet.store.local import TlsPins

    TlsPins(store).set_pin(f"127.0.0.1:{ippeveprinter_host.port}", wrong)
    store.close()
    code, out, err = cli(capsys, "ipp", uri, "status", "--json")
    assert code == 3 and out == "" and "CERTIFICATE CHANGED" in err and fingerprint in err


def test_terminal_prompt(
    ippeveprinter_host: IppPrinter,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    uri = f"ipps://127.0.0.1:{ippeveprinter_host.port}/ipp/print"
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    asked: list[str] = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "n")
    code, _out, err = cli(capsys, "ipp", uri, "status", "--no-store")
    assert code == 3 and "nothing was sent" in err and "SHA-256 fingerprint: " in asked[0]
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    code, out, _err = cli(capsys, "ipp", uri, "status", "--no-store")
    assert code == 0 and "Make and model:" in out
