"""The in-memory stores run where no AWS library is: importing them loads neither boto3 nor
botocore (a fast service test never pays for them, and nothing in memory can reach AWS)."""

from __future__ import annotations

import subprocess
import sys

AWS = ("boto3", "botocore", "moto")


def test_importing_the_in_memory_stores_loads_no_aws_library() -> None:
    probe = (
        "import sys\n"
        "import chalicelib.store.memory, chalicelib.store.ports\n"
        "import chalicelib.store.records, chalicelib.store.refusals\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {AWS!r}))\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert ran.stdout.strip() == "[]"
