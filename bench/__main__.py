"""`python -m bench [NAME ...]`: run the benchmarks and print one line per measurement."""

from __future__ import annotations

import importlib
import sys
import time

BENCHES = (
    "bench_store",
    "bench_startup",
    "bench_snmp",
    "bench_heartbeat",
    "bench_sync",
    "bench_ipp",
    "bench_graphs",
    "bench_memory",
)


def main(names: list[str]) -> int:
    print(f"Wardfleet benchmarks — {time.strftime('%Y-%m-%d %H:%M')}, ratios are ours/baseline")
    for name in names or BENCHES:
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as exc:
            print(f"{name}: not available ({exc.name})")
            continue
        for result in module.run():
            print(result, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
