"""Cold start: a fresh Python importing the Lambda module, against the floor any such Lambda
pays (a fresh Python importing boto3, pydantic and chalice and making one client).

Each is started 7 times, interleaved, with the environment a deployed stage has, and the
medians compared. The scheduled functions load the same module (one bundle), so this is their
cold start too. The API's first request does more than `import app`, and all of it is timed:
it builds the services (the session and the DynamoDB client; SES, Cognito and S3 clients are
made when first called), verifies the caller's token (PyJWT and cryptography, a real RS256
signature against the stage's JWKS, here read from a file instead of fetched), and builds the
pydantic models its route names (chalicelib/api/models: a feature's module is imported on the
first use of one of its names, a model's validator built on its first use). Measured for the
route whose models bring the most model code; only the network (the JWKS fetch, DynamoDB's
answers) and the handler's own work are left out. For comparison with the runs before
2026-12-03 it also times `import app` plus every model of the route group that loads the most
(the measure used until then, which leaves out the services and the token). Also reports
where the app's own import time goes (`-X importtime`).

    .venv/bin/python -m bench.cold_import [--runs 7]

Prints measurements only; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.results_file import record

PROJECT_DIR = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.15
FLOOR = (
    "import boto3, pydantic, chalice; "
    "boto3.session.Session().client('dynamodb', region_name='eu-west-1')"
)
LAMBDA = "import app"
# For scale, not a goal: the floor plus the least a signed-in request of any such API does
# with these libraries, one one-field model validated and one RS256 token verified (PyJWT,
# the key as JWKS). What the goal leaves for the app's own code is the difference.
MINIMAL_API = (
    FLOOR + "\n"
    "import json, jwt\n"
    "from pydantic import BaseModel\n"
    "class One(BaseModel):\n"
    "    x: int\n"
    "One.model_validate({{'x': 1}})\n"
    "key = jwt.PyJWK(json.load(open({jwks!r}))['keys'][0], algorithm='RS256')\n"
    "jwt.decode({token!r}, key=key.key, algorithms=['RS256'], options={{'verify_aud': False}})\n"
)
# Builds a model named by a route as its first use would (a no-op once built): so a model
# whose building is deferred to its first use is timed all the same.
BUILD = "(lambda m: m.__pydantic_complete__ or m.model_rebuild())(model_named(name))"
# The API function's first request, but for the network and the handler's own work: the
# services (session, DynamoDB client), the caller's token verified by the stage's own
# verifier (a signed RS256 token; the JWKS from a file, not fetched), and the route's query,
# body and answer models built. `{route}` is "METHOD /path", `{token}` a signed token.
FIRST_REQUEST = (
    "import app\n"
    "from chalicelib import bootstrap\n"
    "from chalicelib.api.framework import ENDPOINTS, model_named\n"
    "services = bootstrap.services()\n"
    "spec = next(s for s in ENDPOINTS if f'{{s.method}} {{s.path}}' == {route!r})\n"
    "if spec.access != 'public':\n"
    "    services.authenticator._verifier.verify({token!r})\n"
    "for name in (spec.query, spec.body, spec.response):\n"
    "    if name:\n"
    f"        {BUILD}\n"
)
# The measure until 2026-12-03: `import app` and every model of one route group (routes
# sharing their path's first segment), built; no services, no token.
API_FIRST_REQUEST = (
    "import app\n"
    "from chalicelib.api.framework import ENDPOINTS, model_named\n"
    "for spec in ENDPOINTS:\n"
    "    if spec.path.split('/')[1] == {group!r}:\n"
    "        for name in (spec.response, spec.body, spec.query):\n"
    "            if name:\n"
    f"                {BUILD}\n"
)
REGION, POOL, CLIENT = "eu-west-1", "eu-west-1_bench", "bench"
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


# Set once the bench's JWKS file exists: where the stage's verifier reads its keys.
_JWKS: dict[str, str] = {}


def environment() -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "COOP_"))}
    return kept | STAGE | _JWKS | {"PYTHONDONTWRITEBYTECODE": "0"}


def signed_token(directory: Path) -> tuple[str, Path]:
    """An ID token as Cognito signs it (RS256, 2048-bit key) for the stage's pool and client;
    the key's JWKS goes to a file the stage reads (COOP_JWKS_URL) instead of Cognito's URL."""
    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa

    from chalicelib.config import cognito_issuer

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwks = directory / "jwks.json"
    jwks.write_text(json.dumps({"keys": [public | {"kid": "bench", "alg": "RS256", "use": "sig"}]}))
    _JWKS["COOP_JWKS_URL"] = jwks.as_uri()
    claims = {
        "iss": cognito_issuer(REGION, POOL),
        "sub": "bench",
        "aud": CLIENT,
        "token_use": "id",
        "cognito:username": "bench@co-operations.nl",
        "exp": int(time.time()) + 3600,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "bench"}), jwks


def once(code: str) -> tuple[float, float]:
    """Seconds of wall clock and of CPU (user + system) a fresh process running `code` took.
    The CPU time is what a busy shared machine hardly changes: printed beside the wall clock."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, env=environment(), check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


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


def heaviest() -> tuple[str, dict[str, Any], str, dict[str, int]]:
    """The route whose first request brings the most model code (the feature modules its
    models need, with what they import), then the most models to build, a signed-in route
    before a public one (it verifies a token too); and the route group (routes sharing their
    path's first segment) whose models together bring the most. Found in one fresh process,
    outside the timing."""
    code = "from bench.cold_import import print_route_weights; print_route_weights()"
    found: dict[str, Any] = json.loads(output(code))
    routes, groups = found["routes"], found["groups"]
    route = max(routes, key=lambda r: (routes[r]["signed_in"], *routes[r]["bytes_models"]))
    return route, routes[route], max(groups, key=lambda g: groups[g]), groups


def print_route_weights() -> None:
    """(In a fresh process with the stage's environment.) Every route's model code and models,
    as JSON: what its query, body and answer models reach through their fields."""
    import app  # noqa: F401  (declares the routes)
    from chalicelib.api.framework import ENDPOINTS, model_named

    routes: dict[str, Any] = {}
    group_modules: dict[str, set[str]] = {}
    for spec in ENDPOINTS:
        classes: set[type] = set()
        for name in (spec.query, spec.body, spec.response):
            if name:
                _reachable(model_named(name), classes)
        modules = _with_imports({c.__module__ for c in classes} | {"chalicelib.api.models.common"})
        routes[f"{spec.method} {spec.path}"] = {
            "signed_in": spec.access != "public",
            "bytes_models": [_code_bytes(modules), len(classes)],
        }
        group_modules.setdefault(spec.path.split("/")[1], set()).update(modules)
    groups = {group: _code_bytes(modules) for group, modules in group_modules.items()}
    print(json.dumps({"routes": routes, "groups": groups}))


def _code_bytes(modules: set[str]) -> int:
    return sum(len(_module_file(m).read_bytes()) for m in modules)


def _reachable(annotation: Any, seen: set[type]) -> None:
    import typing

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in seen:
            seen.add(annotation)
            for field in annotation.model_fields.values():
                _reachable(field.annotation, seen)
        return
    for argument in typing.get_args(annotation):
        _reachable(argument, seen)


def _module_file(module: str) -> Path:
    return PROJECT_DIR.joinpath(*module.split(".")).with_suffix(".py")


def _with_imports(modules: set[str]) -> set[str]:
    """The model modules and the model modules they import, transitively."""
    found, todo = set(), [m for m in modules if m.startswith("chalicelib.api.models.")]
    while todo:
        module = todo.pop()
        if module in found:
            continue
        found.add(module)
        for node in ast.walk(ast.parse(_module_file(module).read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "chalicelib.api.models."
            ):
                todo.append(str(node.module))
    return found


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
    with tempfile.TemporaryDirectory() as scratch:
        measure(args.runs, *signed_token(Path(scratch)))


def measure(runs: int, token: str, jwks: Path) -> None:
    once(FLOOR), once(LAMBDA)  # warm the page cache and the bytecode caches
    route, weight, group, loaded = heaviest()
    first_request = FIRST_REQUEST.format(route=route, token=token)
    once(first_request)  # fails here, outside the timing, if the request path cannot run
    group_models = API_FIRST_REQUEST.format(group=group)
    minimal_api = MINIMAL_API.format(jwks=str(jwks), token=token)
    once(minimal_api)
    codes = {
        "floor": FLOOR,
        "minimal": minimal_api,
        "app": LAMBDA,
        "first": first_request,
        "group": group_models,
    }
    walls: dict[str, list[float]] = {kind: [] for kind in codes}
    cpus: dict[str, list[float]] = {kind: [] for kind in codes}
    for _ in range(runs):  # interleaved, so a busy moment hits all alike
        for kind, code in codes.items():
            wall, cpu = once(code)
            walls[kind].append(wall)
            cpus[kind].append(cpu)
    ms = {kind: statistics.median(w) * 1000 for kind, w in walls.items()}
    cpu_ms = {kind: statistics.median(c) * 1000 for kind, c in cpus.items()}
    floor_ms, app_ms, api_ms, group_ms = ms["floor"], ms["app"], ms["first"], ms["group"]
    minimal_ms = ms["minimal"]
    ratio, api_ratio, group_ratio = app_ms / floor_ms, api_ms / floor_ms, group_ms / floor_ms
    cpu_ratio = {kind: cpu_ms[kind] / cpu_ms["floor"] for kind in codes}
    print(
        f"cold import, median of {runs} fresh processes each, interleaved; wall clock "
        f"(CPU time beside it: the same ratios as a busy machine hardly changes them)"
    )
    print(
        f"  floor (boto3 + pydantic + chalice + one client): {floor_ms:7.0f} ms "
        f"(CPU {cpu_ms['floor']:.0f} ms)"
    )
    print(
        f"  import app (the Lambda module, stage dev):       {app_ms:7.0f} ms "
        f"(CPU {cpu_ms['app']:.0f} ms)"
    )
    print(f"  ratio: {ratio:.2f} (CPU {cpu_ratio['app']:.2f}; target at most {TARGET_RATIO})")
    code_kb, classes = weight["bytes_models"][0] // 1000, weight["bytes_models"][1]
    print(
        f"  the API's first request, {route} (the most model code: {code_kb} of "
        f"{total_model_code() // 1000} kB, {classes} models), all but the network and the "
        f"handler: import app, the services, the token verified, its models built: "
        f"{api_ms:5.0f} ms"
    )
    verdict = "met" if api_ratio <= TARGET_RATIO else "NOT MET"
    print(
        f"  goal: the API's first request at most {TARGET_RATIO}x the floor: "
        f"{api_ratio:.2f} ({verdict}; CPU time {cpu_ratio['first']:.2f})"
    )
    print(
        f"  as measured until 2026-12-03, import app + every model of route group /{group} "
        f"built ({loaded[group] // 1000} kB of model code; no services, no token): "
        f"{group_ms:5.0f} ms, {group_ratio:.2f}x the floor (CPU {cpu_ratio['group']:.2f})"
    )
    print(
        f"  for scale: the floor + one one-field model validated + one RS256 token verified "
        f"(the least any such API's signed-in first request does): {minimal_ms:5.0f} ms, "
        f"{minimal_ms / floor_ms:.2f}x the floor (CPU {cpu_ratio['minimal']:.2f})"
    )
    print("  the app's heaviest modules (cumulative ms, one run):")
    heavy = heaviest_imports()
    for name, module_ms in heavy:
        print(f"    {name:<40} {module_ms:7.1f}")
    record(
        "cold_import",
        {
            "floor_ms": round(floor_ms, 1),
            "app_ms": round(app_ms, 1),
            "ratio": round(ratio, 3),
            "api_first_request_ms": round(api_ms, 1),
            "api_first_request_ratio": round(api_ratio, 3),
            "api_first_request_route": route,
            "api_first_request_measures": "import app, services, token verified, models built",
            "group_models_ms": round(group_ms, 1),
            "group_models_ratio": round(group_ratio, 3),
            "group_models_route_group": group,
            "minimal_api_ms": round(minimal_ms, 1),
            "minimal_api_ratio": round(minimal_ms / floor_ms, 3),
            "cpu_ms": {kind: round(value, 1) for kind, value in cpu_ms.items()},
            "cpu_ratio": {kind: round(value, 3) for kind, value in cpu_ratio.items()},
            "model_code_bytes_by_route_group": loaded,
            "target_ratio": TARGET_RATIO,
            "runs": runs,
            "heaviest_modules_ms": dict(heavy),
        },
    )


if __name__ == "__main__":
    main()
