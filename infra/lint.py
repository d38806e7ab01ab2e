"""cfn-lint on the generated template (offline: it translates SAM itself)."""

from __future__ import annotations

from pathlib import Path

from cfnlint.api import ManualArgs, lint_file

# Findings we accept, each with its reason. Errors are never ignored.
IGNORED: dict[str, str] = {}


def lint(template: Path, region: str = "eu-west-1") -> list[str]:
    """Every finding as `<rule> <path>: <message>` (empty when clean)."""
    config = ManualArgs(regions=[region], ignore_checks=list(IGNORED))
    return [
        f"{match.rule.id} {'/'.join(str(p) for p in match.path)}: {match.message}"
        for match in lint_file(template, config)
    ]
