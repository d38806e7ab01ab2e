"""Fail when requirements.txt (what Chalice packages) disagrees with requirements.lock.

Every pin in requirements.txt must be pinned to the same version in the lock, and every
runtime dependency declared in pyproject.toml must be in requirements.txt.
Regenerate both with `make lock`.
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
    for problem in problems:
        print(f"requirements mismatch: {problem}", file=sys.stderr)
    if not problems:
        print(f"requirements.txt agrees with requirements.lock ({len(packaged)} pins)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
