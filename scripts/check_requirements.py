"""Fail when requirements.txt (what Chalice packages) disagrees with requirements.lock, or
the deploy tooling's lock (infra/requirements.lock) disagrees with either.

Every pin in requirements.txt must be pinned to the same version in the lock, and every
runtime dependency declared in pyproject.toml must be in requirements.txt. The deploy lock
installs into the same venv, so a package in both locks has one version; the deploy
tooling itself (the `deploy` extra) never reaches requirements.txt, the Lambda bundle.
Regenerate all three with `make lock`.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==([^\s;\\]+)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in path.read_text().splitlines():
        match = PIN.match(line.strip())
        if match:
            found[normalise(match.group(1))] = match.group(3)
    return found


def deploy_lock_problems(locked: dict[str, str], packaged: dict[str, str]) -> list[str]:
    deploy = pins(ROOT / "infra" / "requirements.lock")
    problems = [
        f"{name}=={version} in infra/requirements.lock but {locked[name]} in requirements.lock"
        for name, version in deploy.items()
        if name in locked and locked[name] != version
    ]
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    for requirement in extras.get("deploy", []):
        match = PIN.match(requirement)
        name = normalise(match.group(1)) if match else requirement
        if match is None:
            problems.append(f"deploy dependency {requirement!r} is not pinned with ==")
        elif name in packaged:
            problems.append(f"deploy tooling {name} must not be in requirements.txt")
        elif name not in deploy:
            problems.append(f"deploy dependency {name} missing from infra/requirements.lock")
    return problems


def main() -> int:
    locked = pins(ROOT / "requirements.lock")
    packaged = pins(ROOT / "requirements.txt")
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    problems = [
        f"{name}=={version} in requirements.txt but {locked.get(name, 'absent')} in the lock"
        for name, version in packaged.items()
        if locked.get(name) != version
    ]
    for requirement in declared:
        match = PIN.match(requirement)
        if match is None:
            problems.append(f"runtime dependency {requirement!r} is not pinned with ==")
        elif normalise(match.group(1)) not in packaged:
            problems.append(f"runtime dependency {match.group(1)} missing from requirements.txt")
    problems += deploy_lock_problems(locked, packaged)
    for problem in problems:
        print(f"requirements mismatch: {problem}", file=sys.stderr)
    if not problems:
        print(f"requirements.txt agrees with requirements.lock ({len(packaged)} pins)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
