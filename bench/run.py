"""`make bench`: every bench module in bench/, one after the other, each in its own process.

    .venv/bin/python -m bench.run

A process per bench keeps their moto states, patches and peak memory readings apart. A new
module in bench/ is picked up without changing this file; EXTRA_ARGS holds its arguments.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
EXTRA_ARGS: dict[str, list[str]] = {
    "local_ledger": ["--transactions", "10000"],
}


def bench_modules() -> list[str]:
    names = (m.name for m in pkgutil.iter_modules([str(BENCH_DIR)]))
    return sorted(name for name in names if name != "run" and not name.startswith("_"))


def run_one(name: str) -> int:
    command = [sys.executable, "-m", f"bench.{name}", *EXTRA_ARGS.get(name, [])]
    print(f"\n{'=' * 100}\nbench.{name}: {' '.join(command[1:])}\n{'=' * 100}", flush=True)
    started = time.perf_counter()
    code = subprocess.run(command, cwd=PROJECT_DIR, check=False).returncode
    print(f"\nbench.{name}: exit {code} after {time.perf_counter() - started:.0f} s", flush=True)
    return code


def main() -> None:
    failed = [name for name in bench_modules() if run_one(name) != 0]
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
