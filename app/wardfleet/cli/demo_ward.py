"""The demo ward as a child process: simulated devices on loopback, real SNMP.

The app starts it, reads where the devices listen from its first stdout line, and stops
it on the way out. ``--exit-with-parent`` makes it quit if the app dies without asking.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
from dataclasses import dataclass

log = logging.getLogger(__name__)

READY_TIMEOUT_S = 15.0


@dataclass(frozen=True, slots=True)
class DemoDevice:
    name: str
    address: str
    port: int
    community: str
    kind: str


class DemoWardProcess:
    def __init__(
        self, *, speed: float = 1.0, base_port: int = 16161, start_at: float = 0.0
    ) -> None:
        self._args = ["--speed", str(speed), "--base-port", str(base_port),
                      "--start-at", str(start_at)]  # fmt: skip
        self._proc: asyncio.subprocess.Process | None = None

    async def start(self) -> list[DemoDevice]:
        self._proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "wardfleet.demo", "--json-ready", "--exit-with-parent",
            *self._args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert self._proc.stdout is not None
        try:
            line = await asyncio.wait_for(self._proc.stdout.readline(), READY_TIMEOUT_S)
        except TimeoutError:
            await self.stop()
            raise RuntimeError("the demo ward did not start within 15 s") from None
        if not line:
            code = await self._proc.wait()
            raise RuntimeError(f"the demo ward exited at start (code {code}); see the log")
        return [DemoDevice(**entry) for entry in json.loads(line)]

    async def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.returncode is not None:
            return
        if proc.stdin is not None:
            proc.stdin.close()
        with contextlib.suppress(ProcessLookupError):
            proc.terminate()
        try:
            await asyncio.wait_for(proc.wait(), 5.0)
        except TimeoutError:
            log.warning("demo ward ignored SIGTERM; killing it")
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()
