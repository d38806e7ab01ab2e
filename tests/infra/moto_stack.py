"""Helpers for creating the stack on moto's CloudFormation: SAM translated offline, and the
resources moto cannot create taken out (references to them become placeholders)."""

from __future__ import annotations

import json
import re
import urllib.request
from typing import Any

from samtranslator.translator.transform import transform

Json = dict[str, Any]


class NoManagedPolicies:
    """The template names no managed policies, so SAM never needs to look one up in IAM."""

    def load(self) -> dict[str, str]:
        return {}


def translate(template: Json, code_uri: str) -> Json:
    """SAM -> plain CloudFormation, offline, with the functions' code at code_uri (s3://)."""
    sam = json.loads(json.dumps(template))
    for resource in sam["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = code_uri
    translated: Json = transform(sam, {}, NoManagedPolicies())
    return translated


def placeholder(logical_id: str) -> str:
    return f"unsupported-{logical_id}"


def _replace(value: Any, gone: set[str]) -> Any:
    if isinstance(value, list):
        return [_replace(v, gone) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Ref"} and value["Ref"] in gone:
        return placeholder(value["Ref"])
    if set(value) == {"Fn::GetAtt"} and value["Fn::GetAtt"][0] in gone:
        return placeholder(value["Fn::GetAtt"][0])
    if set(value) == {"Fn::Sub"} and isinstance(value["Fn::Sub"], str):
        pattern = re.compile(r"\$\{(" + "|".join(map(re.escape, gone)) + r")(\.[A-Za-z.]+)?\}")
        return {"Fn::Sub": pattern.sub(lambda m: placeholder(m.group(1)), value["Fn::Sub"])}
    return {k: _replace(v, gone) for k, v in value.items()}


def without(template: Json, supported: set[str]) -> tuple[Json, dict[str, str]]:
    """The template minus resources whose type moto cannot create; answers what was taken."""
    resources = template["Resources"]
    gone = {k: r["Type"] for k, r in resources.items() if r["Type"] not in supported}
    kept = {k: r for k, r in resources.items() if k not in gone}
    for resource in kept.values():
        depends = resource.get("DependsOn")
        if depends is not None:
            resource["DependsOn"] = [d for d in _listed(depends) if d not in gone]
    reduced = {**template, "Resources": _replace(kept, set(gone))}
    reduced["Outputs"] = _replace(template.get("Outputs", {}), set(gone))
    return reduced, gone


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def reset_moto(url: str) -> None:
    """moto's state is per process, not per server: start from nothing."""
    urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"))
