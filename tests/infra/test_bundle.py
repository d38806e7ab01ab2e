"""The Lambda bundle `make template` writes: the app, its runtime dependencies at the locked
versions (boto3 included: the runtime's own copy drifts), and nothing of the dev or deploy
tooling."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from infra.package import PLACEHOLDER_REGION, packaging_environment
from tests.infra.conftest import Built

ROOT = Path(__file__).resolve().parents[2]


def bundled_versions(bundle: zipfile.ZipFile) -> dict[str, str]:
    found = {}
    for name in bundle.namelist():
        match = re.match(r"^([^/]+)-([^-/]+)\.dist-info/METADATA$", name)
        if match:
            found[match.group(1).lower().replace("_", "-")] = match.group(2)
    return found


def test_the_bundle_pins_boto3_and_every_runtime_dependency(dev: Built) -> None:
    with zipfile.ZipFile(dev.path.parent / "deployment.zip") as bundle:
        versions = bundled_versions(bundle)
    runtime = dict(
        line.split("==", 1) for line in (ROOT / "requirements.txt").read_text().splitlines()
    )
    for name, version in runtime.items():
        assert versions.get(name) == version, name
    assert versions["boto3"] == runtime["boto3"] and versions["botocore"] == runtime["botocore"]


def test_the_bundle_holds_the_app_and_nothing_of_the_tooling(dev: Built) -> None:
    with zipfile.ZipFile(dev.path.parent / "deployment.zip") as bundle:
        top = {name.split("/", 1)[0] for name in bundle.namelist()}
    assert {"app.py", "chalicelib", "chalice"} <= top  # chalice: its runtime module only
    tooling = {"devtools", "tests", "infra", "bench", "scripts", "moto", "flask", "pytest"}
    tooling |= {"cfnlint", "samtranslator", "hypothesis", "mypy", "ruff", "werkzeug"}
    assert not tooling & top


def test_packaging_works_on_a_machine_without_a_region() -> None:
    bare = packaging_environment({"PATH": "/usr/bin"})
    assert bare["AWS_DEFAULT_REGION"] == PLACEHOLDER_REGION  # chalice refuses to package without
    mine = {"PATH": "/usr/bin", "AWS_REGION": "eu-west-1"}
    assert packaging_environment(mine) == mine  # a region of the operator's is left alone


def test_packaging_sets_no_stage_settings() -> None:
    env = packaging_environment({"AWS_REGION": "eu-west-1", "COOP_STAGE": "prod"})
    assert not [name for name in env if name.startswith("COOP_")]
