"""Print queues on this workstation for discovered printers, driverless (IPP Everywhere).

Linux/macOS: CUPS through ``lpadmin -m everywhere``. That returns 0 at once and builds the
PPD from the printer's attributes in the background; an unreachable printer still gives
0 and a queue without a PPD. So ``deploy`` waits (with a deadline) until the queue has
options, and otherwise reports the reason from CUPS's error log and removes the broken
queue it created.

Windows: the same interface with PowerShell's Add-PrinterPort / Add-Printer on the
"Microsoft IPP Class Driver" (docs/ipp.md; not exercised by the test suite).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

DEFAULT_ERROR_LOG = Path("/var/log/cups/error_log")
_NAME_OK = re.compile(r"[^A-Za-z0-9_.-]+")


class PrintQueueError(RuntimeError):
    """The queue could not be created, changed or removed; ``str()`` says why."""


@dataclass(frozen=True, slots=True)
class QueueSpec:
    name: str
    device_uri: str  # ipp:// or ipps:// of the printer itself
    info: str | None = None  # the description people see in print dialogs
    location: str | None = None
    make_default: bool = True


@dataclass(frozen=True, slots=True)
class QueueInfo:
    name: str
    device_uri: str | None
    is_default: bool
    enabled: bool | None = None


@dataclass(frozen=True, slots=True)
class DeployResult:
    name: str
    created: bool  # False: an existing queue was updated
    is_default: bool
    options: int  # how many driver options the queue has (proof the PPD exists)
    seconds: float


class PrintQueues(Protocol):
    async def deploy(self, spec: QueueSpec) -> DeployResult: ...

    async def remove(self, name: str) -> bool: ...

    async def queues(self) -> list[QueueInfo]: ...


def queue_name_for(printer_name: str) -> str:
    """A CUPS/Windows-safe queue name: ``Ward 3 – Station Süd`` → ``Ward_3_Station_S_d``."""
    name = _NAME_OK.sub("_", printer_name.strip()).strip("_.-")
    return (name or "Wardfleet_Printer")[:127]


# --- CUPS -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Run:
    code: int
    out: str
    err: str


class CupsQueues:
    """Queues of one CUPS scheduler (``server`` "host:port"; None: the local default)."""

    def __init__(
        self,
        *,
        server: str | None = None,
        error_log: Path | None = DEFAULT_ERROR_LOG,
        ppd_deadline_s: float = 60.0,
        command_timeout_s: float = 60.0,
    ) -> None:
        self.server = server
        self.error_log = error_log
        self.ppd_deadline_s = ppd_deadline_s
        self.command_timeout_s = command_timeout_s

    async def _run(self, program: str, *args: str) -> _Run:
        argv = [program, *(("-h", self.server) if self.server else ()), *args]
        try:
            proc = await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
        except FileNotFoundError as exc:
            raise PrintQueueError(f"{program} not found: is CUPS installed?") from exc
        try:
            out, err = await asyncio.wait_for(proc.communicate(), self.command_timeout_s)
        except (TimeoutError, asyncio.CancelledError):
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()
            raise
        return _Run(
            proc.returncode or 0, out.decode(errors="replace"), err.decode(errors="replace")
        )

    async def queues(self) -> list[QueueInfo]:
        devices = await self._run("lpstat", "-v")
        default = await self.default()
        states = await self._run("lpstat", "-p")
        enabled = {
            m[1]: m[2] != "disabled"
            for m in re.finditer(r"^printer (\S+) (?:is )?(\w+)", states.out, re.MULTILINE)
        }
        out = []
        for match in re.finditer(r"^device for (\S+): (\S+)", devices.out, re.MULTILINE):
            name = match[1]
            out.append(QueueInfo(name, match[2], name == default, enabled.get(name)))
        return out

    async def default(self) -> str | None:
        result = await self._run("lpstat", "-d")
        match = re.search(r"system default destination: (\S+)", result.out)
        return match[1] if match else None

    async def deploy(self, spec: QueueSpec) -> DeployResult:
        name = queue_name_for(spec.name)
        start = time.monotonic()
        existing = {q.name for q in await self.queues()}
        created = name not in existing
        args = ["-p", name, "-E", "-v", spec.device_uri, "-m", "everywhere"]
        args += ["-o", "printer-is-shared=false"]
        if spec.info:
            args += ["-D", spec.info]
        if spec.location:
            args += ["-L", spec.location]
        result = await self._run("lpadmin", *args)
        if result.code != 0:
            raise PrintQueueError(f"lpadmin could not add {name}: {_first_line(result)}")
        options = await self._wait_for_options(name)
        if options == 0:
            reason = self._log_reason(name)
            if created:
                await self._run("lpadmin", "-x", name)
            raise PrintQueueError(
                f"CUPS made no driverless driver for {name} within {self.ppd_deadline_s:g} s"
                f" (is the printer on and reachable at {spec.device_uri}?)"
                + (f": {reason}" if reason else "")
            )
        if spec.make_default:
            result = await self._run("lpadmin", "-d", name)
            if result.code != 0:
                raise PrintQueueError(f"could not make {name} the default: {_first_line(result)}")
        log.info(
            "print queue %s %s (%d options)", name, "created" if created else "updated", options
        )
        return DeployResult(
            name, created, spec.make_default, options, round(time.monotonic() - start, 2)
        )

    async def _wait_for_options(self, name: str) -> int:
        deadline = time.monotonic() + self.ppd_deadline_s
        while True:
            result = await self._run("lpoptions", "-p", name, "-l")
            lines = [line for line in result.out.splitlines() if "/" in line and ":" in line]
            if result.code == 0 and lines:
                return len(lines)
            if time.monotonic() >= deadline:
                return 0
            await asyncio.sleep(0.25)

    def _log_reason(self, name: str) -> str | None:
        """The newest error-log lines about this queue ("Unable to connect ...")."""
        if self.error_log is None:
            return None
        try:
            tail = self.error_log.read_bytes()[-65536:].decode(errors="replace")
        except OSError:
            return f"see the CUPS error log ({self.error_log})"
        lines = [
            line.split("] ", 1)[-1]
            for line in tail.splitlines()
            if line.startswith("E ") and name in line
        ]
        return "; ".join(lines[-2:]) or None

    async def remove(self, name: str) -> bool:
        if name not in {q.name for q in await self.queues()}:
            return False
        result = await self._run("lpadmin", "-x", name)
        if result.code != 0:
            raise PrintQueueError(f"could not remove {name}: {_first_line(result)}")
        return True


def _first_line(result: _Run) -> str:
    text = (result.err or result.out).strip()
    return text.splitlines()[0] if text else f"exit code {result.code}"


# --- Windows ------------------------------------------------------------------------------


def _ps_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class WindowsQueues:
    """The same interface on Windows 10/11 (PowerShell PrintManagement module).

    ``Add-Printer -IppURL`` makes a driverless IPP queue on the "Microsoft IPP Class
    Driver" (the Windows counterpart of ``-m everywhere``); Add-PrinterPort would make a
    raw/LPR port, which is not IPP, so it is not used. Untested here (no Windows).
    """

    def __init__(self, *, command_timeout_s: float = 120.0) -> None:
        self.command_timeout_s = command_timeout_s

    async def _ps(self, script: str) -> str:
        proc = await asyncio.create_subprocess_exec(
            "powershell.exe", "-NoProfile", "-NonInteractive", "-Command", script,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await asyncio.wait_for(proc.communicate(), self.command_timeout_s)
        if proc.returncode:
            raise PrintQueueError(err.decode(errors="replace").strip() or "PowerShell failed")
        return out.decode(errors="replace")

    async def deploy(self, spec: QueueSpec) -> DeployResult:
        start = time.monotonic()
        name = queue_name_for(spec.name)
        url = spec.device_uri.replace("ipps://", "https://", 1).replace("ipp://", "http://", 1)
        quoted = _ps_quote(name)
        existing = await self._ps(f"Get-Printer -Name {quoted} -ErrorAction SilentlyContinue")
        created = not existing.strip()
        lines = [
            # An IPP queue cannot change its URL in place: replace it.
            f"if (Get-Printer -Name {quoted} -ErrorAction SilentlyContinue) {{"
            f" Remove-Printer -Name {quoted} }}",
            f"Add-Printer -Name {quoted} -IppURL {_ps_quote(url)}",
        ]
        if spec.location:
            lines.append(f"Set-Printer -Name {quoted} -Location {_ps_quote(spec.location)}")
        if spec.info:
            lines.append(f"Set-Printer -Name {quoted} -Comment {_ps_quote(spec.info)}")
        if spec.make_default:
            lines.append(
                f'(Get-CimInstance Win32_Printer -Filter "Name={_ps_quote(name)}")'
                " | Invoke-CimMethod -MethodName SetDefaultPrinter"
            )
        await self._ps("; ".join(lines))
        return DeployResult(name, created, spec.make_default, 0, round(time.monotonic() - start, 2))

    async def remove(self, name: str) -> bool:
        out = await self._ps(
            f"if (Get-Printer -Name {_ps_quote(name)} -ErrorAction SilentlyContinue) {{"
            f" Remove-Printer -Name {_ps_quote(name)}; 'removed' }}"
        )
        return "removed" in out

    async def queues(self) -> list[QueueInfo]:
        out = await self._ps(
            "Get-CimInstance Win32_Printer | ForEach-Object {"
            ' "$($_.Name)`t$($_.PortName)`t$($_.Default)" }'
        )
        result = []
        for line in out.splitlines():
            parts = line.split("\t")
            if len(parts) == 3:
                result.append(QueueInfo(parts[0], parts[1], parts[2].lower() == "true"))
        return result


def for_this_workstation(
    *, server: str | None = None, error_log: Path | None = DEFAULT_ERROR_LOG
) -> PrintQueues:
    """CupsQueues on Linux/macOS, WindowsQueues on Windows."""
    if sys.platform == "win32":
        return WindowsQueues()
    return CupsQueues(server=server, error_log=error_log)
