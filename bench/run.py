"""`make bench`: every bench module in bench/, one after the other, each in its own process.

    .venv/bin/python -m bench.run          # under five minutes
    COOP_BENCH_LARGE=1 make bench          # the dues run, the distribution and the local
                                           # ledger at 10,000 too (longer)

A process per bench keeps their moto states, patches and peak memory readings apart. A new
module in bench/ is picked up without changing this file; EXTRA_ARGS holds its arguments.
Every module's printed output, and the numbers a module records (bench.results_file), go
into bench/results/<date>-<host>.json, with the machine, so runs can be compared.
"""

from __future__ import annotations

import json
import os
import pkgutil
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.results_file import ENVIRONMENT, gathered

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
EXTRA_ARGS: dict[str, list[str]] = {
    # Sizes that keep `make bench` within five minutes when others share the machine (it took
    # 8 min 14 s at load 5 to 10 with 5,000 / 1,000 / 1,000 / 5 repeats, and 10.5 min at load
    # 10 with 2,500 / 500 / 500 / 3 while using 2.5 min of CPU). What each proves is a count
    # per member, holder or request, the same at any size; the projections to 10,000 are
    # computed from those counts. COOP_BENCH_LARGE=1 runs the large sizes as well.
    # The local ledger: each booking waits for the journal's disk sync (9 ms on a quiet disk,
    # 39 ms when others write too): 1,000 bookings here; its budgets are stated for 10,000,
    # which COOP_BENCH_LARGE=1 books.
    "local_ledger": ["--transactions", "1000"],
    # 200 members and holders: moto spends 20 to 50 ms on each item written (its expression
    # parser), which is all the time these take; both print what 10,000 would take, and run
    # 10,000 as well when started on their own (python -m bench.dues).
    "dues": ["--members", "200"],
    "distribution": ["--holders", "200"],
    # a statement of 200 lines: one transaction a line plus batched reads, the same count
    # at any size; moto's 20 to 50 ms an item written makes 10,000 lines half an hour here
    "bank_import": ["--lines", "200"],
    # every route 3 times from the same state (15 on its own): medians of 3, maxima of 3
    "routes": ["--repeat", "3"],
    # medians of 5 fresh processes of each kind (7 on its own); CPU time printed beside
    "cold_import": ["--runs", "5"],
}


NOT_BENCHES = {"run", "results_file"}
LARGE = {
    "dues": ["--members", "1000", "10000"],
    "distribution": ["--holders", "1000", "10000"],
    "bank_import": ["--lines", "1000", "10000"],
    "local_ledger": ["--transactions", "10000"],
}


def bench_modules() -> list[str]:
    names = (m.name for m in pkgutil.iter_modules([str(BENCH_DIR)]))
    return sorted(name for name in names if name not in NOT_BENCHES and not name.startswith("_"))


def arguments(name: str) -> list[str]:
    if os.environ.get("COOP_BENCH_LARGE") and name in LARGE:
        return LARGE[name]
    return EXTRA_ARGS.get(name, [])


def run_one(name: str, results: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", f"bench.{name}", *arguments(name)]
    print(f"\n{'=' * 100}\nbench.{name}: {' '.join(command[1:])}\n{'=' * 100}", flush=True)
    started = time.perf_counter()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    process = subprocess.Popen(
        command,
        cwd=PROJECT_DIR,
        env=os.environ | {ENVIRONMENT: str(results)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    output = []
    for line in process.stdout:  # shown as it comes, and kept for the results file
        print(line, end="", flush=True)
        output.append(line.rstrip("\n"))
    code = process.wait()
    seconds = time.perf_counter() - started
    # CPU time (the bench and the processes it started): what others on the machine do not
    # change, unlike the wall clock
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_s = sum(getattr(cpu_after, f) - getattr(cpu_before, f) for f in ("ru_utime", "ru_stime"))
    print(f"\nbench.{name}: exit {code} after {seconds:.0f} s ({cpu_s:.0f} s of CPU)", flush=True)
    return {
        "exit": code,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu_s, 1),
        "arguments": command[3:],
        "output": output,
    }


def machine() -> dict[str, Any]:
    return {
        "host": platform.node(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_1_5_15": list(os.getloadavg()),
    }


def main() -> None:
    started = datetime.now(UTC)
    started_s, load_before = time.perf_counter(), list(os.getloadavg())
    runs: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for name in bench_modules():
            runs[name] = run_one(name, Path(scratch))
        numbers = gathered(Path(scratch))
    for name, numbers_of_bench in numbers.items():
        runs.setdefault(name, {})["numbers"] = numbers_of_bench
    total_s = time.perf_counter() - started_s
    report = {
        "started": started.isoformat(),
        "seconds": round(total_s, 1),
        "cpu_seconds": round(sum(run.get("cpu_seconds", 0) for run in runs.values()), 1),
        "load_average_1_5_15_at_start": load_before,
        "machine": machine(),
        "benches": runs,
    }
    target = BENCH_DIR / "results" / f"{started:%Y-%m-%d}-{platform.node()}.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nresults: {target.relative_to(PROJECT_DIR)}")
    print(
        f"make bench: {total_s / 60:.1f} minutes ({report['cpu_seconds']:.0f} s of CPU; load "
        f"average {load_before[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; "
        f"goal under 5 minutes: {'met' if total_s < 300 else 'NOT MET'})"
    )
    summary(runs)
    failed = [name for name, run in runs.items() if run.get("exit")]
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
        sys.exit(1)


def summary(runs: dict[str, Any]) -> None:
    """The ratios the issue asks for, from this run's numbers, in a few lines."""
    cold = runs.get("cold_import", {}).get("numbers")
    if cold:
        print(
            f"cold import / floor: {cold['ratio']:.2f} ({cold['app_ms']:.0f} ms / "
            f"{cold['floor_ms']:.0f} ms; target {cold['target_ratio']}); the API's first "
            f"request / floor: {cold['api_first_request_ratio']:.2f} "
            f"({cold['api_first_request_route']}: import app, services, token, models; goal at "
            f"most {cold['target_ratio']}); as measured until 2026-12-03 (import app and a "
            f"route group's models): {cold['group_models_ratio']:.2f}"
        )
        cpu = cold.get("cpu_ratio")
        if cpu:
            print(
                f"  the same in CPU time (what a busy machine changes least): import app "
                f"{cpu['app']:.2f}, the API's first request {cpu['first']:.2f}, as until "
                f"2026-12-03 {cpu['group']:.2f}; a minimal API (the floor + one model + one "
                f"token) {cpu['minimal']:.2f}"
            )
    routes = runs.get("routes", {}).get("numbers", {}).get("routes", [])
    if routes:
        known = [r for r in routes if r["minimum"] is not None]
        over = [r for r in known if r["dynamodb_requests"] > r["minimum"]]
        total = sum(r["dynamodb_requests"] for r in known) / max(
            1, sum(r["minimum"] for r in known)
        )
        print(
            f"DynamoDB requests / declared minimum: {total:.2f} over the {len(known)} routes "
            f"with one ({len(over)} above); {len(routes)} routes; "
            f"Scan: {sum(r['scans'] for r in routes)}"
        )
    goals = {("dues", "re-run"): 1.1, ("distribution", "first run"): 1.2}  # issue 17
    for job, who in (("dues", "member"), ("distribution", "coin holder")):
        for row in runs.get(job, {}).get("numbers", {}).get("rows", []):
            goal = goals.get((job, row.get("run", "")))
            print(
                f"{job} {row.get('run', '')} at {row['size']:,}: "
                f"{row['requests_per_member']:.2f} DynamoDB requests a {who}"
                + (f" (goal at most {goal})" if goal else "")
                + f"; 10,000 at 10 ms a request: {row['projected_s_10000']:.0f} s "
                "of Lambda's 900 s"
            )
    local = runs.get("local_ledger", {}).get("numbers")
    if local:
        print(
            f"local runtime after {local['transactions']:,} ledger transactions: slowest "
            f"request {local['slowest_request_ms']:.0f} ms (budget {local['budget_request_ms']}), "
            f"peak RSS {local['peak_rss_mb']} MB (budget {local['budget_rss_mb']})"
        )


if __name__ == "__main__":
    main()
