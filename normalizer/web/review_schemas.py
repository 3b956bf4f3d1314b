"""The shapes of the review queue's responses (GET /v1/review, POST /v1/review/accept and
/reject), as pydantic models for /openapi.json, checked as the other responses' are
(``web.schemas``)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from normalizer.web.schemas import with_examples


class Suggestion(BaseModel):
    """An entity a queued name may be, as its lookup scored it."""

    id: str
    name: str = Field(description="The entity's canonical name.")
    score: float = Field(ge=0, le=1)


class QueuedName(BaseModel):
    """A name that got no confident match, and how often."""

    name: str = Field(description="The name as first written (the queue folds case and spaces).")
    count: int = Field(ge=1, description="Requests it was seen in (once a request).")
    first_seen: float = Field(description="Unix time.")
    last_seen: float = Field(description="Unix time.")
    suggestions: list[Suggestion] = Field(description="Its best candidates when last seen.")


class ReviewQueue(BaseModel):
    """The most frequent names awaiting review, most frequent first."""

    model_config = with_examples(
        {
            "names": [
                {
                    "name": "Menchito",
                    "count": 3,
                    "first_seen": 1764763200.0,
                    "last_seen": 1764770400.0,
                    "suggestions": [],
                }
            ]
        }
    )

    names: list[QueuedName]


class Accepted(BaseModel):
    """The name added to the entity's aliases, in its YAML file, and in force."""

    name: str
    entity: str
    file: str = Field(description="The alias file edited.")
    line: int = Field(description="The line the entity starts on.")
    queued: bool = Field(description="Whether the name was in the queue (it is no longer).")
    version: str | None = Field(description="The table version now in force.")
    in_force: str | None = Field(
        description="'every worker' (Redis store), or 'this worker' (embedded store: the "
        "other workers serve it from their restart)."
    )


class Rejected(BaseModel):
    """The name taken off the queue; it is never queued again."""

    name: str
    queued: bool = Field(description="Whether it was in the queue.")
