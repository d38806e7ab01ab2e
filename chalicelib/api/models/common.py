"""What every feature's models share: the field types (one line of text, paragraphs, tags,
email, money, days), their JSON-schema descriptions, and the base classes."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from chalicelib.domain.membership import normalise_email
from chalicelib.periods import FIRST_YEAR, LAST_YEAR

# Control characters (C0, DEL, C1), line/paragraph separators, bidirectional embeddings,
# overrides and isolates (they can make "invoice 1234" display as "4321 eciovni"), and lone
# surrogates (not storable as UTF-8). Paragraphs may hold tabs and line breaks.
NOT_IN_A_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NOT_IN_A_PARAGRAPH = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def refusing(pattern: re.Pattern[str]) -> AfterValidator:
    def check(value: str) -> str:
        found = pattern.search(value)
        if found is not None:
            # the type is the API's field code (see chalicelib/api/errors.py)
            raise PydanticCustomError(
                "control_characters",
                "must not contain control or bidirectional-override characters",
            )
        return value

    return AfterValidator(check)


def described(*patterns: str) -> Any:
    """The same rules told in the JSON schema (regular expressions a client or a generator such
    as schemathesis can use), beside any pattern the field has already."""

    def extra(schema: dict[str, Any]) -> None:
        rules = [{"pattern": p} for p in patterns]
        if "pattern" in schema:
            rules.append({"pattern": schema.pop("pattern")})
        if len(rules) == 1:
            schema.update(rules[0])
        else:
            schema["allOf"] = rules

    return Field(json_schema_extra=extra)


# The characters refused above, as a regular-expression class body for the JSON schemas.
_CONTROL = r"\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_CONTROL_BUT_BREAKS = (
    r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069"
)
_LINE_PATTERN = f"^[^{_CONTROL}]*$"
_PARAGRAPH_PATTERN = f"^[^{_CONTROL_BUT_BREAKS}]*$"
# ... with something left once the surrounding whitespace is stripped (one, or two, characters)
_LINE_NOT_BLANK = f"^[^{_CONTROL}]*[^{_CONTROL}\\s][^{_CONTROL}]*$"
_LINE_TWO_CHARACTERS = (
    f"^[^{_CONTROL}]*[^{_CONTROL}\\s][^{_CONTROL}]*[^{_CONTROL}\\s][^{_CONTROL}]*$"
)
PARAGRAPH_NOT_BLANK = (
    f"^[^{_CONTROL_BUT_BREAKS}]*[^\\s{_CONTROL_BUT_BREAKS}][^{_CONTROL_BUT_BREAKS}]*$"
)
A_LINE = described(_LINE_PATTERN)

Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    refusing(NOT_IN_A_LINE),
    described(_LINE_NOT_BLANK),
]
Paragraphs = refusing(_NOT_IN_A_PARAGRAPH)
_PARAGRAPHS = described(_PARAGRAPH_PATTERN)
LongText = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=4000), Paragraphs, _PARAGRAPHS
]
Tag = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=2, max_length=60),
    refusing(NOT_IN_A_LINE),
    described(_LINE_TWO_CHARACTERS),
]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    refusing(NOT_IN_A_LINE),
    AfterValidator(normalise_email),
    WithJsonSchema(
        {
            "type": "string",
            "maxLength": 254,
            "pattern": f"^[^@\\s{_CONTROL}]+@[^@\\s{_CONTROL}]+\\.[^@\\s{_CONTROL}]+$",
        }
    ),
]
Url = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^https?://\S+$", max_length=500),
    refusing(NOT_IN_A_LINE),
    WithJsonSchema(
        {"type": "string", "maxLength": 500, "pattern": f"^https?://[^\\s{_CONTROL}]+$"}
    ),
]
SearchTerm = Annotated[
    str, StringConstraints(min_length=1, max_length=60), refusing(NOT_IN_A_LINE), A_LINE
]


def _in_supported_years(day: date) -> date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise PydanticCustomError(
            "date_out_of_range",
            "must be a date in the years {first} to {last}",
            {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return day


Day = Annotated[
    date,
    AfterValidator(_in_supported_years),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": "^2[0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        }
    ),
]
Headline = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=200),
    refusing(NOT_IN_A_LINE),
    A_LINE,
]
Reason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2000),
    Paragraphs,
    described(PARAGRAPH_NOT_BLANK),
]


def _whole_number(value: Any) -> Any:
    """JSON has one kind of number: 2000.0 is the integer 2000 (JSON Schema says so too), while
    2000.5 and "2000" stay refused."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


WholeNumber = BeforeValidator(_whole_number)
Cents = Annotated[int, Field(strict=True, gt=0, le=100_000_000_00), WholeNumber]
# As banks and invoices write them: letters, digits, spaces inside ("RF18 5390 0754",
# "INV 2026/017") and the usual marks; kept as typed (only the ends are trimmed).
Reference = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=100, pattern=r"^[\w ./:#+(),'&-]+$"
    ),
]


# defer_build: a model's validator and schema are built on its first use, not at import. The
# scheduled functions import this module (through the services) and use none of it, and a
# request builds only its own models: that keeps the Lambda's cold start near the floor.
class FileAnswer(BaseModel):
    """A non-JSON answer (a CSV export, an iCalendar file): the body as text, its media type,
    and whether a browser saves it (attachment) or shows it (inline, e.g. a calendar feed)."""

    model_config = ConfigDict(defer_build=True)

    body: str
    media_type: str
    filename: str
    disposition: Literal["attachment", "inline"] = "attachment"


class Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", defer_build=True)


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Query(BaseModel):
    """Query parameters arrive as strings, so these are validated in lax mode."""

    model_config = ConfigDict(extra="forbid", defer_build=True)


class PageQuery(Query):
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(
        default=None, max_length=2000, description="opaque: the `next` of the previous page"
    )


class RejectIn(Body):
    reason: Reason


def never_null(schema: dict[str, Any], *names: str) -> None:
    """A body's schema where these optional fields, when present, are not null, and which
    names at least one field."""
    schema["minProperties"] = 1
    for name in names:
        field = schema["properties"][name]
        options = [o for o in field.get("anyOf", []) if o.get("type") != "null"]
        if len(options) == 1:
            del field["anyOf"]
            field.pop("default", None)  # absent means no change; null is not allowed
            field.update(options[0])
