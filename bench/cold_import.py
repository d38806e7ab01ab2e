"""Cold start: a fresh Python importing the Lambda module, against the floor any such Lambda
pays (a fresh Python importing boto3, pydantic and chalice and making one client).

Each is started 7 times, interleaved, with the environment a deployed stage has, and the
medians compared. The scheduled functions load the same module (one bundle), so this is their
cold start too. The API's first request adds the models its route names (chalicelib/api/models,
loaded per feature on first use): measured for the route group that loads the most of them.
Also reports where the app's own import time goes (`-X importtime`).

    .venv/bin/python -m bench.cold_import [--runs 7]

Prints measurements only; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.results_file import record

PROJECT_DIR = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.15
FLOOR = (
    "import boto3, pydantic, chalice; "
    "boto3.session.Session().client('dynamodb', region_name='eu-west-1')"
)
LAMBDA = "import app"
# What the API function adds on its first request: the models its route names, whose feature
# modules load on first use (chalicelib/api/models), and which the scheduled functions and the
# intake never load. Measured with every model of one route group (routes sharing their path's
# first segment): no first request in that group loads more. Printed beside the ratio.
API_FIRST_REQUEST = (
    "import app\n"
    "from chalicelib.api.framework import ENDPOINTS, model_named\n"
    "for spec in ENDPOINTS:\n"
    "    if spec.path.split('/')[1] == {group!r}:\n"
    "        [model_named(name) for name in (spec.response, spec.body, spec.query) if name]\n"
)
# The group measured: the one whose models bring the most model code (bytes of the feature
# modules loaded), found once beforehand, outside the timing.
MODEL_CODE_LOADED = (
    "import sys\n"
    "print(sum(len(open(m.__file__, 'rb').read()) for n, m in list(sys.modules.items())"
    " if n.startswith('chalicelib.api.models')))\n"
)
ROUTE_GROUPS = (
    "import app\n"
    "from chalicelib.api.framework import ENDPOINTS\n"
    "print(' '.join(sorted({spec.path.split('/')[1] for spec in ENDPOINTS})))\n"
)
STAGE = {  # what the stack sets on a deployed function (values do not matter here)
    "COOP_STAGE": "dev",
    "COOP_TABLE_NAME": "coop-dev",
    "COOP_USER_POOL_ID": "eu-west-1_bench",
    "COOP_USER_POOL_CLIENT_ID": "bench",
    "COOP_MAIL_FROM": "noreply@co-operations.nl",
    "COOP_WEB_URL": "https://app.co-operations.nl",
    "COOP_SIGNING_SECRET": "bench",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_LAMBDA_FUNCTION_NAME": "coop-dev",
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
}


def environment() -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "COOP_"))}
    return kept | STAGE | {"PYTHONDONTWRITEBYTECODE": "0"}


def once(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, env=environment(), check=True)
    return time.perf_counter() - started


def output(code: str) -> str:
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env=environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout.strip()


def heaviest_route_group() -> tuple[str, dict[str, int]]:
    """The route group whose first request loads the most model code, and each group's bytes."""
    loaded = {
        group: int(output(API_FIRST_REQUEST.format(group=group) + MODEL_CODE_LOADED))
        for group in output(ROUTE_GROUPS).split()
    }
    return max(loaded, key=lambda group: loaded[group]), loaded


def total_model_code() -> int:
    return sum(len(p.read_bytes()) for p in (PROJECT_DIR / "chalicelib/api/models").glob("*.py"))


def heaviest_imports(count: int = 8) -> list[tuple[str, float]]:
    """The app's own modules by cumulative import time (ms), from one `-X importtime` run."""
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", LAMBDA],
        cwd=PROJECT_DIR,
        env=environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    found = []
    for line in run.stderr.splitlines():
        parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[2].startswith("chalicelib") and parts[1].isdigit():
            found.append((parts[2], int(parts[1]) / 1000))
    return sorted(found, key=lambda f: -f[1])[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description="cold import of the Lambda module vs the floor")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    once(FLOOR), once(LAMBDA)  # warm the page cache and the bytecode caches
    group, loaded = heaviest_route_group()
    first_request = API_FIRST_REQUEST.format(group=group)
    floors, apps, apis = [], [], []
    for _ in range(args.runs):  # interleaved, so a busy moment hits all alike
        floors.append(once(FLOOR))
        apps.append(once(LAMBDA))
        apis.append(once(first_request))
    floor_ms, app_ms = statistics.median(floors) * 1000, statistics.median(apps) * 1000
    api_ms = statistics.median(apis) * 1000
    ratio = app_ms / floor_ms
    print(f"cold import, median of {args.runs} fresh processes each, interleaved")
    print(f"  floor (boto3 + pydantic + chalice + one client): {floor_ms:7.0f} ms")
    print(f"  import app (the Lambda module, stage dev):       {app_ms:7.0f} ms")
    print(f"  ratio: {ratio:.2f} (target at most {TARGET_RATIO})")
    print(
        f"  import app + the models of route group /{group} (the API's first request there;"
        f" the most model code, {loaded[group] // 1000} of {total_model_code() // 1000} kB):"
        f" {api_ms:5.0f} ms"
    )
    api_ratio = api_ms / floor_ms
    verdict = "met" if api_ratio <= TARGET_RATIO else "NOT MET"
    print(
        f"  goal: the API's first request at most {TARGET_RATIO}x the floor: "
        f"{api_ratio:.2f} ({verdict})"
    )
    print("  the app's heaviest modules (cumulative ms, one run):")
    heavy = heaviest_imports()
    for name, ms in heavy:
        print(f"    {name:<40} {ms:7.1f}")
    record(
        "cold_import",
        {
            "floor_ms": round(floor_ms, 1),
            "app_ms": round(app_ms, 1),
            "ratio": round(ratio, 3),
            "api_first_request_ms": round(api_ms, 1),
            "api_first_request_ratio": round(api_ratio, 3),
            "api_first_request_route_group": group,
            "model_code_bytes_by_route_group": loaded,
            "target_ratio": TARGET_RATIO,
            "runs": args.runs,
            "heaviest_modules_ms": dict(heavy),
        },
    )


if __name__ == "__main__":
    main()
