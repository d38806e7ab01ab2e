"""cfn-lint finds nothing in either stage's template (errors and warnings; the few checks
we ignore are in infra/lint.py IGNORED, each with its reason)."""

from __future__ import annotations

import json
from pathlib import Path

from infra.lint import IGNORED, lint
from tests.infra.conftest import Built


def test_cfn_lint_finds_nothing(stack: Built) -> None:
    assert lint(stack.path) == []


def test_cfn_lint_would_report_a_broken_template(tmp_path: Path) -> None:
    table = {
        "Type": "AWS::DynamoDB::Table",
        "Properties": {
            "BillingMode": "PAY_AS_YOU_GO",
            "KeySchema": [{"AttributeName": "PK", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "PK", "AttributeType": "S"}],
        },
    }
    path = tmp_path / "template.json"
    path.write_text(json.dumps({"Resources": {"MainTable": table}}))
    assert any(finding.startswith("E3030 Resources/MainTable") for finding in lint(path))


def test_every_ignored_check_has_a_reason() -> None:
    for check, reason in IGNORED.items():
        assert not check.startswith("E"), f"errors are never ignored ({check})"
        assert len(reason) > 20, check
