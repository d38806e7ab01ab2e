"""The API's models, one module a feature, loaded on first use (chalicelib/api/models).

`import app` is every Lambda function's cold start: it must build no model. The API's first
request loads only the feature modules of the models its route names. Every route still finds
its models by name, and the package's index of names agrees with its modules.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from pydantic import BaseModel

from app import app  # noqa: F401  (registers every route)
from chalicelib.api import models
from chalicelib.api.framework import ENDPOINTS, model_named

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "chalicelib" / "api" / "models"


def _loaded_after(code: str) -> dict[str, object]:
    probe = (
        f"{code}\nimport json, sys\n"
        "print(json.dumps({'features': sorted(m.rsplit('.', 1)[1] for m in sys.modules"
        " if m.startswith('chalicelib.api.models.')), 'pydantic_main': 'pydantic.main' in"
        " sys.modules}))"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded: dict[str, object] = json.loads(run.stdout.strip().splitlines()[-1])
    return loaded


def test_importing_the_lambda_module_builds_no_model() -> None:
    assert _loaded_after("import app") == {"features": [], "pydantic_main": False}


def test_a_first_request_loads_only_the_features_its_route_names() -> None:
    first_request = (
        "import app\n"
        "from chalicelib.api.framework import ENDPOINTS, model_named\n"
        "[spec] = [s for s in ENDPOINTS if (s.method, s.path) == ('GET', '/meetings')]\n"
        "[model_named(n) for n in (spec.response, spec.body, spec.query) if n]\n"
    )

    assert _loaded_after(first_request)["features"] == ["common", "meetings"]


def test_every_route_finds_its_models_by_name() -> None:
    for spec in ENDPOINTS:
        for name in (spec.response, spec.body, spec.query):
            if name is not None:
                found = model_named(name)
                assert issubclass(found, BaseModel), (spec.method, spec.path, name)
                assert found.__name__ == name


def test_the_index_of_names_agrees_with_the_feature_modules() -> None:
    features = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    index: dict[str, list[str]] = models._FEATURES  # type: ignore[attr-defined]

    assert set(index) == features
    for feature in features:
        tree = ast.parse((PACKAGE / f"{feature}.py").read_text())
        defined = set()
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                defined.add(node.name)
            elif isinstance(node, ast.Assign):
                defined.update(t.id for t in node.targets if isinstance(t, ast.Name))
        # the models and field types (not the shared constants, such as A_LINE)
        public = {name for name in defined if not name.startswith("_") and not name.isupper()}
        assert set(index[feature]) == public, feature
        for name in public:
            assert getattr(models, name) is getattr(
                __import__(f"chalicelib.api.models.{feature}", fromlist=[name]), name
            )
