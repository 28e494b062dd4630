"""``python -m wardfleet.demo``: run the demo ward until SIGTERM/SIGINT.

With ``--json-ready`` it prints one JSON line listing the endpoints once every
socket is bound, so a parent process knows where to look.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
import threading

from wardfleet.demo.binding import DEFAULT_PORT
from wardfleet.demo.runner import start_ward
from wardfleet.demo.ward import DEFAULT_SEED, Ward


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m wardfleet.demo",
        description="Simulated ward devices answering SNMP on loopback addresses.",
    )
    parser.add_argument("--speed", type=float, default=1.0, help="time acceleration (default 1)")
    parser.add_argument(
        "--base-port",
        type=int,
        default=DEFAULT_PORT,
        help=f"UDP port (default {DEFAULT_PORT}); 0 = any free port",
    )
    parser.add_argument("--community", default="public", help="SNMP community (default public)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="schedule seed")
    parser.add_argument(
        "--start-at", type=float, default=0.0, metavar="SECONDS", help="skip ahead in the schedule"
    )
    parser.add_argument(
        "--json-ready", action="store_true", help="print the endpoints as one JSON line when bound"
    )
    parser.add_argument(
        "--exit-with-parent",
        action="store_true",
        help="exit when stdin closes (the parent that started us went away)",
    )
    parser.add_argument(
        "--timeline",
        type=float,
        metavar="MINUTES",
        help="print what happens in the first MINUTES of the demo and exit",
    )
    parser.add_argument("--log-level", default="WARNING", help="stderr log level")
    return parser


def _stop_at_stdin_eof(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
    sys.stdin.read()
    with contextlib.suppress(RuntimeError):  # the loop may have closed meanwhile
        loop.call_soon_threadsafe(stop.set)


async def _serve(args: argparse.Namespace) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        # Windows' loop has no signal handlers; Ctrl+C then ends asyncio.run().
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    if args.exit_with_parent:
        # A thread, because waiting on a stdin pipe is not portable in asyncio.
        threading.Thread(
            target=_stop_at_stdin_eof, args=(loop, stop), name="stdin-watch", daemon=True
        ).start()

    running = await start_ward(
        args.speed,
        base_port=args.base_port,
        community=args.community,
        seed=args.seed,
        start_at=args.start_at,
    )
    try:
        if args.json_ready:
            ready = [endpoint.as_json() for endpoint in running.endpoints]
            sys.stdout.write(json.dumps(ready) + "\n")
            sys.stdout.flush()
        await stop.wait()
    finally:
        await running.close()


def _print_timeline(seed: int, minutes: float) -> None:
    for event in Ward(seed).timeline(minutes * 60):
        minute, second = divmod(int(event.t), 60)
        print(f"{minute:4d}:{second:02d}  {event.device:<24} {event.text}")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(),
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if args.timeline is not None:
        _print_timeline(args.seed, args.timeline)
        return 0
    try:
        asyncio.run(_serve(args))
    except KeyboardInterrupt:
        pass
    except (OSError, ValueError) as exc:
        print(f"wardfleet demo: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
