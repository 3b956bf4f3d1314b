"""Request parameters as pydantic models (the review queue's: web/review_params.py): the
same models validate each request and describe it in /openapi.json. Types are strict (in
JSON an integer is a JSON number and a yes/no a JSON boolean); the rules no JSON Schema
keyword holds (the configured limits, ASCII digits in a query string, a name that is not
blank) are validators on the models."""

from __future__ import annotations

import sys
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from normalizer.settings import FALSE_WORDS, TRUE_WORDS, Settings

# The seed names: what the examples in /openapi.json and /docs resolve.
EXAMPLE_NAMES = ["CJNG", "El Mencho"]


def invalid(message: str) -> PydanticCustomError:
    """A refusal whose message follows the field's name in the problem's detail."""
    return PydanticCustomError("normalizer", message)


def _settings(info: ValidationInfo) -> Settings:
    """The app's settings, which web/openapi.py hands each validation as its context: a
    batch checks a thousand names, and looking the app up for each cost a sixth of it."""
    found = info.context
    assert isinstance(found, Settings), "validate with context=settings()"
    return found


def _name(value: str, info: ValidationInfo) -> str:
    if not value.strip():
        raise invalid("is empty")
    return _unicode_within(value, _settings(info).max_name_length)


def text_problem(value: str, limit: int) -> str | None:
    """What is wrong with a name or text, said after its field's name: longer than
    ``limit`` characters, or not writable in UTF-8 (a lone surrogate); None if nothing."""
    if len(value) > limit:
        return f"is longer than {limit} characters"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode (lone surrogate)"
    return None


def _unicode_within(value: str, limit: int) -> str:
    problem = text_problem(value, limit)
    if problem is not None:
        raise invalid(problem)
    return value


def _limit(number: int | None, info: ValidationInfo) -> int | None:
    most = _settings(info).max_limit
    if number is not None and not 1 <= number <= most:
        raise invalid(f"must be a whole number from 1 to {most}")
    return number


def ascii_digits(value: Any) -> Any:
    """A query string's number: ASCII digits only (no sign, "_" or other script's digits,
    all of which int() takes)."""
    if not isinstance(value, str):
        return value
    if not (value.isascii() and value.isdigit()):
        raise invalid("must be a whole number in ASCII digits")
    # int() refuses more than 4,300 digits, leading zeros too, in words for Python
    # programmers; a number that long is out of range whatever its digits.
    digits = value.lstrip("0") or "0"
    return int(digits) if len(digits) <= 9 else sys.maxsize


def _yes_or_no(value: Any) -> Any:
    """A query string's yes/no: one of the documented words, in any case."""
    if not isinstance(value, str):
        return value
    word = value.lower()
    if word not in TRUE_WORDS | FALSE_WORDS:
        raise invalid("must be true or false (yes/no, on/off, 1/0)")
    return word in TRUE_WORDS


def _batch(names: list[str], info: ValidationInfo) -> list[str]:
    most = _settings(info).max_batch
    if not names or len(names) > most:
        raise invalid(f"must hold 1 to {most} names, not {len(names)}")
    return names


Name = Annotated[
    str,
    Field(
        strict=True,
        min_length=1,
        description="A name as written, in any script: not blank, at most "
        "NORMALIZER_MAX_NAME_LENGTH characters (512 by default).",
        examples=EXAMPLE_NAMES,
    ),
    AfterValidator(_name),
]
EntityType = Annotated[
    str,
    Field(
        strict=True,
        min_length=1,
        description="Only entities of this type (a type of the table: person, "
        "organization, location...); an unknown type is a 400 naming the known ones.",
        examples=["organization"],
    ),
]
# From 1 (the upper bound is a setting: checked by _limit).
Limit = Annotated[int, Field(strict=True, examples=[5], json_schema_extra={"minimum": 1})]
_LIMIT = "At most this many candidates, from 1 to NORMALIZER_MAX_LIMIT (50 by default)."
_EXPLAIN = "Add each candidate's explanation: the evidence and word alignment behind its score."


def _schema(annotation: Any, description: str | None = None) -> dict[str, Any]:
    schema = TypeAdapter(annotation).json_schema()
    return schema | {"description": description} if description else schema


def _absent(schema: dict[str, Any]) -> None:
    """No default in the document for a parameter that is simply left out."""
    schema.pop("default", None)


class ResolveQuery(BaseModel):
    """GET /v1/resolve: one name in the query string."""

    model_config = ConfigDict(extra="ignore")

    name: Name
    # Absent is None; a query string cannot say null, so the document shows only the type.
    type: Annotated[
        EntityType | None, WithJsonSchema(_schema(EntityType)), Field(json_schema_extra=_absent)
    ] = None
    limit: Annotated[
        int | None,
        BeforeValidator(ascii_digits),
        AfterValidator(_limit),
        WithJsonSchema(_schema(Limit, _LIMIT + " ASCII digits only.")),
        Field(json_schema_extra=_absent),
    ] = None
    explain: Annotated[
        bool,
        BeforeValidator(_yes_or_no),
        Field(description=_EXPLAIN + " true/false, yes/no, on/off or 1/0, in any case."),
    ] = False


class ResolveBatch(BaseModel):
    """POST /v1/resolve: a batch of names in a JSON object."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"names": ["CJNG", "El Mencho"], "limit": 3}]},
    )

    names: Annotated[
        list[Name],
        Field(
            description="The names, in the order the results come back: 1 to "
            "NORMALIZER_MAX_BATCH (1,000 by default).",
            json_schema_extra={"minItems": 1},
        ),
        AfterValidator(_batch),
    ]
    type: EntityType | None = None
    limit: Annotated[
        Limit | None, AfterValidator(_limit), Field(description=_LIMIT + " A JSON integer.")
    ] = None
    explain: Annotated[bool, Field(description=_EXPLAIN + " A JSON boolean.")] = False


def _text(value: str, info: ValidationInfo) -> str:
    return _unicode_within(value, _settings(info).max_text_length)


class AnnotateBody(BaseModel):
    """POST /v1/annotate: a text in a JSON object."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"text": "CJNG is led by El Mencho."}]},
    )

    text: Annotated[
        str,
        Field(
            description="The text, up to NORMALIZER_MAX_TEXT_LENGTH characters (1,000,000 by "
            "default; the body limit, NORMALIZER_MAX_CONTENT_LENGTH, applies too)."
        ),
        AfterValidator(_text),
    ]
    type: EntityType | None = None
    explain: Annotated[bool, Field(description=_EXPLAIN + " A JSON boolean.")] = False
