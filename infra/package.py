"""`chalice package`: the app's functions, API and schedules as SAM, and the Lambda bundle.

Chalice refuses to package without a region although nothing region-specific ends up in
the template (it writes ${AWS::Region}); a bare machine gets a placeholder region. The
stages in .chalice/config.json set no environment: every variable comes from the stack.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from infra.cfn import Json

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER_REGION = "us-east-1"


def chalice_command() -> str:
    beside_python = Path(sys.executable).parent / "chalice"
    return str(beside_python) if beside_python.exists() else "chalice"


def packaging_environment(env: dict[str, str]) -> dict[str, str]:
    """The environment `chalice package` runs in. It imports app.py, which checks a deployed
    stage's configuration at import; packaging is no cold start, and the stage's settings
    come from the stack, so no COOP_* variable (nor a stage in .chalice/config.json) is set."""
    env = {k: v for k, v in env.items() if not k.startswith("COOP_")}
    if env.get("AWS_DEFAULT_REGION") or env.get("AWS_REGION"):
        return env
    return env | {"AWS_DEFAULT_REGION": PLACEHOLDER_REGION}


def package(stage: str, out_dir: Path) -> tuple[Json, Path]:
    """Runs `chalice package` into out_dir; answers the SAM template and the bundle's path."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    command = [
        chalice_command(),
        "package",
        "--stage",
        stage,
        "--pkg-format",
        "cloudformation",
        "--template-format",
        "json",
        str(out_dir),
    ]
    done = subprocess.run(
        command,
        cwd=ROOT,
        env=packaging_environment(dict(os.environ)),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"chalice package failed:\n{done.stdout}{done.stderr}")
    template: Json = json.loads((out_dir / "sam.json").read_text())
    return template, out_dir / "deployment.zip"
