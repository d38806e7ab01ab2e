"""Mail preferences: unsubscribe links (RFC 8058 one-click too)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from chalicelib.api.models.common import Answer, Body, Query


class UnsubscribeQuery(Query):
    token: Annotated[str, StringConstraints(min_length=3, max_length=300)]


class OneClickIn(Body):
    """RFC 8058: the body a mail client POSTs, as a form (or the same as JSON)."""

    model_config = ConfigDict(strict=True, extra="ignore", populate_by_name=True)

    list_unsubscribe: Literal["One-Click"] = Field(alias="List-Unsubscribe")


class UnsubscribedOut(Answer):
    status: Literal["unsubscribed"]
