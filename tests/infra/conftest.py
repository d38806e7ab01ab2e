"""The stack's templates, generated once per test session exactly as `make template` does."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from infra.stages import STAGES, Stage
from infra.template import build

Json = dict[str, Any]


@dataclass
class Built:
    stage: Stage
    path: Path
    template: Json

    @property
    def resources(self) -> Json:
        return dict(self.template["Resources"])

    def of_type(self, kind: str) -> Json:
        return {k: r for k, r in self.resources.items() if r["Type"] == kind}

    def functions(self) -> Json:
        return self.of_type("AWS::Serverless::Function")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    dist = tmp_path_factory.mktemp("dist")
    found = {}
    for name, stage in STAGES.items():
        path = build(stage, dist)
        found[name] = Built(stage, path, json.loads(path.read_text()))
    return found


@pytest.fixture(params=sorted(STAGES))
def stack(request: pytest.FixtureRequest, built: dict[str, Built]) -> Built:
    """Each stage's template in turn."""
    return built[request.param]


@pytest.fixture(scope="session")
def prod(built: dict[str, Built]) -> Built:
    return built["prod"]


@pytest.fixture(scope="session")
def dev(built: dict[str, Built]) -> Built:
    return built["dev"]
