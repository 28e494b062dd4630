"""``wardfleet scan``: JSON lines per device, exit codes, refusals."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.peers._proc import free_port
from tests.peers.snmp import SnmpsimAgent, device_dir, start_snmpsim
from wardfleet.cli import scan


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="wardfleet")
    scan.add_parser(parser.add_subparsers())
    args = parser.parse_args(argv)
    return int(args.run(args))


@pytest.fixture(scope="module")
def two_printers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SnmpsimAgent, ...]]:
    root: Path = tmp_path_factory.mktemp("scan")
    port = free_port("udp", "127.0.44.3")
    dirs = [device_dir(root / "a", "brother", "ward-a"), device_dir(root / "b", "zebra", "ward-b")]
    with start_snmpsim(dirs, [("127.0.44.3", port), ("127.0.44.9", port)], root / "sim") as sim:
        yield sim.info


@pytest.mark.peer("snmpsim")
def test_json_lines_per_device(
    two_printers: tuple[SnmpsimAgent, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["scan", "127.0.44.0/28", "--port", str(two_printers[0].port),
                 "--community", "ward-a", "--community", "ward-b", "--timeout", "0.2",
                 "--rate", "1000", "--json"])  # fmt: skip
    lines = capsys.readouterr().out.splitlines()
    found = sorted((d["address"], d["vendor"], d["kind"], d["credential"])
                   for d in map(json.loads, lines))  # fmt: skip
    assert code == 0
    assert found == [("127.0.44.3", "Brother", "printer", "v2c community"),
                     ("127.0.44.9", "Zebra", "label-printer", "v2c community")]  # fmt: skip
    assert all({"sys_descr", "serial", "mac", "model"} <= set(json.loads(x)) for x in lines)


@pytest.mark.peer("snmpsim")
def test_exclude_and_human_table(
    two_printers: tuple[SnmpsimAgent, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["scan", "127.0.44.1-12", "--exclude", "127.0.44.9", "--port",
                 str(two_printers[0].port), "--community", "ward-a", "--community", "ward-b",
                 "--timeout", "0.2", "--rate", "1000"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0 and "127.0.44.3" in out and "127.0.44.9" not in out


def test_nothing_answers_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["scan", "127.0.45.1-4", "--port", str(free_port("udp")), "--timeout", "0.1",
                 "--rate", "1000", "--json"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 3 and captured.out == ""
    assert captured.err == "wardfleet scan: no SNMP answer from 4 hosts\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["10.0.0.0/8"], "more than 65536"),
        (["10.0.0.9-3"], "ends before it starts"),
        (["10.0.0.1", "--rate", "0"], "--rate"),
        (["10.0.0.1", "--port", "0"], "--port"),
    ],
)
def test_bad_arguments_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
