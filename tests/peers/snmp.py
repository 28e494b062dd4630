"""SNMP peers: snmpsim serving real vendor recordings, and net-snmp's snmpd for SET and v3."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ._policy import require_peer
from ._proc import PeerHandle, PeerProcess, snmp_answers

SNMPREC_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "snmprec"
RECORDING_SUFFIXES = (".snmprec", ".snmpwalk", ".sapwalk")


@dataclass(frozen=True)
class SnmpsimAgent:
    """One snmpsim endpoint. Each recording answers with its file stem as community."""

    host: str
    port: int
    communities: tuple[str, ...]
    data_dir: Path  # the private copy being served

    @property
    def target(self) -> str:
        return f"{self.host}:{self.port}"


def snmpsim_binary() -> str:
    # The venv's console script, found next to the interpreter running the tests (not
    # resolved: sys.executable is a symlink into the base Python).
    return str(Path(sys.executable).parent / "snmpsim-command-responder")


def device_dir(dest: Path, recording: str | Path, community: str = "public") -> Path:
    """A data dir in which ``recording`` (a stem in tests/fixtures/snmprec, or a path)
    answers as ``community``: give one per endpoint to start_snmpsim for a sweep."""
    source = (
        Path(recording) if isinstance(recording, Path) else SNMPREC_DIR / f"{recording}.snmprec"
    )
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, dest / f"{community}{source.suffix}")
    return dest


def start_snmpsim(
    data_dir: Path | Sequence[Path],
    endpoints: Sequence[tuple[str, int]],
    workdir: Path,
    *,
    timeout: float = 20.0,
) -> PeerHandle[tuple[SnmpsimAgent, ...]]:
    """Start one snmpsim-command-responder on UDP ``endpoints``; ``info`` has one
    SnmpsimAgent per endpoint, in order.

    With one ``data_dir`` every endpoint serves every recording in it (one SNMP engine).
    With a list of data dirs (one per endpoint) each endpoint is an independent engine with
    its own engine ID and recordings, e.g. a different device per 127.0.42.x address.
    Recordings are copied first: snmpsim does not answer from symlinked files.
    """
    binary = snmpsim_binary()
    require_peer("snmpsim", binary)
    if not endpoints:
        raise ValueError("start_snmpsim needs at least one endpoint")
    if isinstance(data_dir, Path):
        groups = [(data_dir, list(endpoints))]
    else:
        if len(data_dir) != len(endpoints):
            raise ValueError("give one data dir per endpoint, or a single data dir")
        groups = [(d, [e]) for d, e in zip(data_dir, endpoints, strict=True)]

    workdir.mkdir(parents=True, exist_ok=True)
    argv = [
        binary,
        f"--cache-dir={workdir / 'cache'}",
        "--logging-method=stderr",
        "--log-level=error",
    ]
    agents: list[SnmpsimAgent] = []
    probes: list[tuple[str, int, str]] = []
    for index, (source, group_endpoints) in enumerate(groups):
        served = workdir / f"data{index}"
        communities = _copy_recordings(source, served)
        argv += ["--v3-engine-id=auto", f"--data-dir={served}"]
        for host, port in group_endpoints:
            argv.append(f"--agent-udpv4-endpoint={host}:{port}")
            agents.append(SnmpsimAgent(host, port, communities, served))
            # Any community with a recording proves the endpoint serves data.
            probe = next((c for c in ("public", "linux") if c in communities), communities[0])
            probes.append((host, port, probe))

    env = {**os.environ, "SNMPSIM_ALLOW_ROOT": "true"}  # else it wants --process-user as root
    process = PeerProcess("snmpsim", argv, workdir, env=env)
    try:
        process.wait_ready(
            lambda: all(snmp_answers(*probe) for probe in probes),
            timeout=timeout,
            what=f"SNMP answer on {', '.join(f'{h}:{p}' for h, p, _ in probes)}",
        )
    except BaseException:
        process.stop()
        raise
    return PeerHandle(tuple(agents), [process])


def _copy_recordings(source: Path, dest: Path) -> tuple[str, ...]:
    dest.mkdir(parents=True, exist_ok=True)
    communities = []
    for path in sorted(source.iterdir()):
        if path.suffix in RECORDING_SUFFIXES and path.is_file():
            shutil.copyfile(path, dest / path.name)  # follows symlinks: real copies
            communities.append(path.stem)
    if not communities:
        raise ValueError(f"no SNMP recordings ({', '.join(RECORDING_SUFFIXES)}) in {source}")
    return tuple(communities)


@dataclass(frozen=True)
class SnmpdAgent:
    """A net-snmp agent. sysContact is fixed in its config (a SET gives notWritable);
    sysLocation is not, so it is writable through ``rw_community`` or the v3 user."""

    host: str
    port: int
    ro_community: str = "public"
    rw_community: str = "private"
    v3_user: str = "wardv3"
    v3_auth_protocol: str = "SHA"
    v3_auth_key: str = "authpass123"
    v3_priv_protocol: str = "AES"
    v3_priv_key: str = "privpass123"
    sys_name: str = "ward-snmpd"
    sys_contact: str = "Ward IT <ward-it@example.org>"

    @property
    def target(self) -> str:
        return f"{self.host}:{self.port}"

    def v3_args(self) -> list[str]:
        """net-snmp command-line options for an authPriv request as the v3 user."""
        return [
            "-v3", "-l", "authPriv", "-u", self.v3_user,
            "-a", self.v3_auth_protocol, "-A", self.v3_auth_key,
            "-x", self.v3_priv_protocol, "-X", self.v3_priv_key,
        ]  # fmt: skip


def start_snmpd(
    workdir: Path, port: int, host: str = "127.0.0.1", *, timeout: float = 15.0
) -> PeerHandle[SnmpdAgent]:
    require_peer("snmpd", "snmpd")
    agent = SnmpdAgent(host, port)
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "persist").mkdir(exist_ok=True)
    conf = workdir / "snmpd.conf"
    conf.write_text(
        f"[snmp] persistentDir {workdir / 'persist'}\n"
        "[snmp] mibs :\n"  # numeric OIDs only: no missing-MIB noise, faster start
        f"rocommunity {agent.ro_community} {host}\n"
        f"rwcommunity {agent.rw_community} {host}\n"
        f'createUser {agent.v3_user} {agent.v3_auth_protocol} "{agent.v3_auth_key}" '
        f'{agent.v3_priv_protocol} "{agent.v3_priv_key}"\n'
        f"rwuser {agent.v3_user} priv\n"
        f"sysName {agent.sys_name}\n"
        f"sysContact {agent.sys_contact}\n"
        # No sysLocation line on purpose: a value from the config file is read-only.
    )
    argv = ["snmpd", "-f", "-Lo", "-C", "-c", str(conf), "-p", str(workdir / "snmpd.pid")]
    argv.append(f"udp:{host}:{port}")  # the only listening address
    process = PeerProcess("snmpd", argv, workdir, env={**os.environ, "MIBS": ":"})
    try:
        process.wait_ready(
            lambda: snmp_answers(host, port, agent.ro_community),
            timeout=timeout,
            what=f"SNMP answer on {agent.target}",
        )
    except BaseException:
        process.stop()
        raise
    return PeerHandle(agent, [process])


def net_snmp(tool: str, *args: str, timeout: float = 30.0) -> subprocess.CompletedProcess[str]:
    """Run a net-snmp client (snmpget, snmpset, snmpwalk, ...) the way these tests cross-check
    peers: no MIB loading (``MIBS=:``), text output. Skips when the tools are missing."""
    require_peer("net-snmp tools", tool)
    return subprocess.run(
        [tool, *args],
        env={**os.environ, "MIBS": ":"},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# --- net-snmp snmpd serving a recording (a C agent: fast enough not to be the bottleneck) ---

# Subtrees of a recording that Wardfleet's identify and poll plans read. snmpd's own
# host-resources and interface modules are switched off so these are the only rows.
RECORDING_SUBTREES = (
    "1.3.6.1.2.1.1.", "1.3.6.1.2.1.2.2.1.6.", "1.3.6.1.2.1.25.3.2.", "1.3.6.1.2.1.25.3.5.",
    "1.3.6.1.2.1.33.", "1.3.6.1.2.1.43.", "1.3.6.1.4.1.",
)  # fmt: skip
# sysUpTime stays snmpd's own (a recorded one would stand still); IpAddress and Counter64
# have no `override` type.
_OVERRIDE_TYPES = {"2": "integer", "4": "octet_str", "6": "object_id", "65": "counter",
                   "66": "unsigned", "67": "timeticks"}  # fmt: skip
_SNMPD_MODULES_OFF = (
    "hr_device,hr_system,hr_storage,hr_swrun,hr_disk,hr_network,hr_proc,hr_print,"
    "hr_partition,hr_filesys,hr_other,interfaces,ifTable"
)


def snmpd_overrides(recording: str | Path) -> list[str]:
    """snmpd.conf ``override`` lines serving a recording's cells in RECORDING_SUBTREES."""
    source = (
        Path(recording) if isinstance(recording, Path) else SNMPREC_DIR / f"{recording}.snmprec"
    )
    lines = []
    for line in source.read_text("utf-8", errors="surrogateescape").splitlines():
        oid, tag, raw = [*line.split("|", 2), "", ""][:3]
        kind = _OVERRIDE_TYPES.get(tag.rstrip("x"))
        if not kind or oid == "1.3.6.1.2.1.1.3.0" or not oid.startswith(RECORDING_SUBTREES):
            continue
        if kind == "octet_str":
            hexed = tag.endswith("x")
            data = bytes.fromhex(raw) if hexed else raw.encode("utf-8", "surrogateescape")
            value = f"0x{data.hex()}" if data else '""'
        elif kind == "object_id":
            value = "." + raw.lstrip(".")
        else:
            value = raw
        lines.append(f"override {oid} {kind} {value}")
    return lines


def start_snmpd_recording(
    workdir: Path,
    port: int,
    recording: str | Path,
    communities: Sequence[str] = ("public",),
    host: str = "127.0.0.1",
    *,
    timeout: float = 15.0,
) -> PeerHandle[SnmpdAgent]:
    """An snmpd answering a recording's printer cells (see RECORDING_SUBTREES) read-only
    to each of ``communities``; ``info.ro_community`` is the first."""
    require_peer("snmpd", "snmpd")
    agent = SnmpdAgent(host, port, ro_community=communities[0])
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "persist").mkdir(exist_ok=True)
    conf = workdir / "snmpd.conf"
    conf.write_text(
        "\n".join([
            f"[snmp] persistentDir {workdir / 'persist'}",
            "[snmp] mibs :",
            "dontLogTCPWrappersConnects yes",
            *(f"rocommunity {c} {host}" for c in communities),
            *snmpd_overrides(recording),
        ]) + "\n"
    )  # fmt: skip
    argv = ["snmpd", "-f", "-Lo", "-C", "-c", str(conf), "-p", str(workdir / "snmpd.pid"),
            "-I", f"-{_SNMPD_MODULES_OFF}", f"udp:{host}:{port}"]  # fmt: skip
    process = PeerProcess("snmpd", argv, workdir, env={**os.environ, "MIBS": ":"})
    try:
        process.wait_ready(
            lambda: snmp_answers(host, port, agent.ro_community),
            timeout=timeout,
            what=f"SNMP answer on {agent.target}",
        )
    except BaseException:
        process.stop()
        raise
    return PeerHandle(agent, [process])
