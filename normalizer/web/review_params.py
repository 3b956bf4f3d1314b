"""The review queue's request parameters (GET /v1/review, POST /v1/review/accept and
/reject) as pydantic models, checked and described as the other requests' are
(``web.params``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from normalizer.web.params import Name, ascii_digits, invalid

REVIEW_LIMIT = 500


def _review_limit(number: int) -> int:
    if not 1 <= number <= REVIEW_LIMIT:
        raise invalid(f"must be a whole number from 1 to {REVIEW_LIMIT}")
    return number


class ReviewQuery(BaseModel):
    """GET /v1/review: how many names."""

    model_config = ConfigDict(extra="ignore")

    limit: Annotated[
        int,
        BeforeValidator(ascii_digits),
        AfterValidator(_review_limit),
        Field(
            description=f"At most this many names, from 1 to {REVIEW_LIMIT}. ASCII digits only.",
            json_schema_extra={"minimum": 1, "maximum": REVIEW_LIMIT},
        ),
    ] = 50


class ReviewAccept(BaseModel):
    """POST /v1/review/accept: a queued name, and the entity it is an alias of."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [{"name": "N. Oseguera Cervantes", "entity": "nemesio-oseguera-cervantes"}]
        },
    )

    name: Name
    entity: Annotated[str, Field(min_length=1, description="The entity's id.")]


class ReviewReject(BaseModel):
    """POST /v1/review/reject: a queued name that is no alias."""

    model_config = ConfigDict(extra="forbid", strict=True)

    name: Name
