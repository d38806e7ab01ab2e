"""Identifiers of new things (applications, opportunities, meetings, claims): random, short,
unguessable. Pure: no AWS."""

from __future__ import annotations

import secrets


def new_id() -> str:
    return secrets.token_hex(8)
