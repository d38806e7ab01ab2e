"""The proof tests print what they tried (sequences, fault points), whatever pytest's -q."""

from __future__ import annotations

from typing import Any

from tests.proof import summary


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if summary.lines():
        terminalreporter.write_sep("-", "proof: what was tried")
        for line in summary.lines():
            terminalreporter.write_line(line)
