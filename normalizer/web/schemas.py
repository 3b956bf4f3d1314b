"""The shapes of the responses, as pydantic models for /openapi.json (the review queue's:
web/review_schemas.py). The views write their JSON directly (orjson,
web/json_provider.py); the suite checks every response against these models
(schemathesis, tests/test_openapi.py), so that the document cannot drift."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from normalizer.match.results import DECISIONS


def with_examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": list(examples)})


class Pair(BaseModel):
    """Words of the query paired with words of the alias."""

    query: str
    alias: str
    similarity: float = Field(ge=0, le=1)
    how: str = Field(description="How the words were found alike: exact, sound, typo...")
    contribution: float = Field(description="The pair's share of the similarity.")


class Explanation(BaseModel):
    """Why a candidate scored as it did (with explain only)."""

    alias: str = Field(description="The alias matched (as ``matched``).")
    tier: str = Field(description="The matching tier (as ``method``).")
    similarity: float = Field(ge=0, le=1)
    evidence: dict[str, float] = Field(description="The features the score is calibrated on.")
    query_coverage: float
    alias_coverage: float
    alignment: list[Pair]


_CJNG = {
    "id": "jalisco-new-generation-cartel",
    "name": "Jalisco New Generation Cartel",
    "type": "organization",
    "score": 1.0,
    "matched": "CJNG",
    "method": "exact",
}


class Candidate(BaseModel):
    """An entity the name may refer to."""

    model_config = with_examples(_CJNG)

    id: str
    name: str = Field(description="The entity's canonical name.")
    type: str
    score: float = Field(ge=0, le=1, description="Calibrated: the chance the match is right.")
    matched: str = Field(description="The alias (or name) of the entity that matched.")
    method: str = Field(description="How it matched: exact, normalized, fuzzy...")
    explain: Explanation | None = Field(None, description="With explain only.")


class Resolution(BaseModel):
    """One name resolved: the confident match (if any) and the candidates, best first."""

    model_config = with_examples(
        {
            "query": "CJNG",
            "normalized": "cjng",
            "match": _CJNG,
            "decision": "exact_name",
            "candidates": [_CJNG],
        }
    )

    query: str = Field(description="The name as sent.")
    normalized: str = Field(description="The name as the matcher reads it.")
    match: Candidate | None = Field(
        description="The best candidate when its score clears the threshold and no other "
        "comes close, or when a rule of `decision` makes it sure; null when there is no "
        "confident match."
    )
    decision: str = Field(
        description="Why there is a match, or none: the first rule that decides. A match: "
        "exact_name (the query writes one entity's name and no other's), sounded_name (word "
        "for word as written or as it sounds), score (it clears the threshold and leads by "
        "the margin); where the score alone does not: long_acronym, unique_initials "
        "(initials no other name of a big table gives), rare_family_name (one person's rare "
        "family name alone). None: no_candidates, below_threshold, no_lead (two entities as "
        "alike as a match must be, within the margin: ambiguous), shared_word (one word "
        "that more than one entity's names have).",
        json_schema_extra={"enum": list(DECISIONS)},
    )
    candidates: list[Candidate]


class Resolutions(BaseModel):
    """A batch resolved: one result per name, in the order sent."""

    results: list[Resolution]


class Mention(BaseModel):
    """An entity mentioned in the text, and where."""

    start: int = Field(ge=0, description="Offset of the first character, in code points.")
    end: int = Field(ge=0, description="Offset past the last character: text[start:end].")
    text: str = Field(description="The mention as written in the text.")
    match: Candidate = Field(description="The entity, as GET /v1/resolve gives a match.")


class Mentions(BaseModel):
    """The entities a text mentions, in text order."""

    model_config = with_examples(
        {"mentions": [{"start": 0, "end": 4, "text": "CJNG", "match": _CJNG}]}
    )

    mentions: list[Mention]


class Alias(BaseModel):
    name: str
    lang: str | None = None


class Entity(BaseModel):
    """An entity as the alias table holds it (curators' fields such as notes and sources
    come along)."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "id": "jalisco-new-generation-cartel",
                    "name": "Jalisco New Generation Cartel",
                    "type": "organization",
                    "country": "MX",
                    "aliases": [{"name": "CJNG"}],
                }
            ]
        },
    )

    id: str
    name: str
    type: str
    aliases: list[Alias]
    country: str | None = None


class Health(BaseModel):
    status: str = Field(examples=["ok"])


class Ready(BaseModel):
    """The table being served."""

    status: str = Field(examples=["ready"])
    version: str = Field(description="The table's version (a content hash).")
    entities: int
    names: int
    score_version: int = Field(description="The version of the calibrated score.")


class Reloaded(BaseModel):
    """The table recompiled from the configured aliases and published."""

    status: str = Field(examples=["reloaded"])
    version: str
    entities: int
    names: int
    seconds: float


class Problem(BaseModel):
    """An error, as an RFC 9457 problem document (``application/problem+json``)."""

    model_config = with_examples(
        {
            "type": "about:blank",
            "title": "Bad request",
            "status": 400,
            "detail": "limit must be a whole number from 1 to 50",
            "field": "limit",
        }
    )

    type: str = "about:blank"
    title: str
    status: int
    detail: str = Field(description="What is wrong, naming the field or limit.")
    field: str | None = Field(
        None, description="The parameter, body field (names[3]) or header at fault."
    )
