"""Every pain.001 a test produces is checked against the official XSD (the one sepaxml ships)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import sepaxml
import xmlschema


@functools.cache
def _schema() -> Any:
    return xmlschema.XMLSchema(
        str(Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.09.xsd")
    )


def assert_valid_pain001(document: bytes) -> Any:
    """Raises when the document is not valid pain.001.001.09; answers it decoded."""
    text = document.decode("utf-8")
    _schema().validate(text)
    return _schema().to_dict(text)
