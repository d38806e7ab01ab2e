"""Where the benches put their numbers: one JSON file per `make bench` run, to compare runs.

`bench.run` sets COOP_BENCH_RESULTS to a scratch directory; a bench module calls
`record(name, data)` to leave its measurements there (outside `make bench`, nothing is
written). The runner gathers them, with every module's printed output, into
`bench/results/<date>-<host>.json`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

ENVIRONMENT = "COOP_BENCH_RESULTS"


def record(name: str, data: dict[str, Any]) -> None:
    directory = os.environ.get(ENVIRONMENT)
    if directory:
        (Path(directory) / f"{name}.json").write_text(json.dumps(data, indent=2, default=str))


def gathered(directory: Path) -> dict[str, Any]:
    return {p.stem: json.loads(p.read_text()) for p in sorted(directory.glob("*.json"))}
