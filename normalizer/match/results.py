"""What a lookup answers: candidates (one per entity, scored), the resolution of a query, and
their JSON, with an explanation of the alignment on request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from normalizer.match.evidence import FEATURES
from normalizer.match.scoring import Alignment
from normalizer.table.records import AliasRecord
from normalizer.text.normalize import analyze


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entity for a query: its best name (``matched``) and how sure the match is.

    ``score`` is calibrated (how likely the entity is the one named); ``similarity`` is the
    alignment's, which ranks an entity's names and its features are drawn from."""

    id: str
    name: str
    type: str
    score: float
    matched: str
    method: str
    alignment: Alignment | None = field(default=None, compare=False)
    similarity: float = 0.0
    record: AliasRecord | None = field(default=None, compare=False, repr=False)
    features: tuple[float, ...] = field(default=(), compare=False, repr=False)

    def to_json(self, explain: bool = False, query_tokens: Sequence[str] = ()) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "score": round(self.score, 4),
            "matched": self.matched,
            "method": self.method,
        }
        if explain and self.alignment is not None:
            body["explain"] = _explain(self, query_tokens)
        return body


# Why a resolution has its match, or none: the first rule that decides, in this order
# (``decision.clear_winner``). A match: the query writes one entity's name exactly, or
# word for word as it sounds; the score clears the threshold and leads the next entity by
# the margin; or, where the score alone does not, it is a long acronym one candidate's name
# gives, initials no other name of a big table gives, or one person's rare family name.
MATCHED = (
    "score",
    "exact_name",
    "sounded_name",
    "long_acronym",
    "unique_initials",
    "rare_family_name",
)
# No match: nothing alike; the best scores under the threshold; two entities as alike as a
# match must be, within the margin of each other (the name is ambiguous); the query is one
# word that more than one entity's names have.
ABSTAINED = ("no_candidates", "below_threshold", "no_lead", "shared_word")
DECISIONS = MATCHED + ABSTAINED


@dataclass(frozen=True, slots=True)
class Resolution:
    query: str
    normalized: str
    tokens: tuple[str, ...]
    match: Candidate | None
    candidates: tuple[Candidate, ...]
    decision: str  # one of DECISIONS

    def to_json(self, explain: bool = False) -> dict[str, Any]:
        candidates = [c.to_json(explain, self.tokens) for c in self.candidates]
        match = self.match
        body = None
        if match is not None:
            # The match is mostly the first candidate, whose JSON is then written once.
            first = self.candidates[0] if self.candidates else None
            body = candidates[0] if first is match else match.to_json(explain, self.tokens)
        return {
            "query": self.query,
            "normalized": self.normalized,
            "match": body,
            "decision": self.decision,
            "candidates": candidates,
        }


def _explain(candidate: Candidate, query_tokens: Sequence[str]) -> dict[str, Any]:
    """The alignment behind a score, word by word. The candidate keeps the alias's text, not
    its record, so its words come from analyzing the text again (cached)."""
    alignment = candidate.alignment
    assert alignment is not None
    alias_tokens = analyze(candidate.matched).tokens
    return {
        "alias": candidate.matched,
        "tier": candidate.method,
        "similarity": round(candidate.similarity, 4),
        "evidence": {
            name: round(value, 4) for name, value in zip(FEATURES, candidate.features, strict=True)
        },
        "query_coverage": round(alignment.query_coverage, 4),
        "alias_coverage": round(alignment.alias_coverage, 4),
        "alignment": [
            {
                "query": " ".join(query_tokens[i] for i in pair.query),
                "alias": " ".join(alias_tokens[i] for i in pair.alias),
                "similarity": round(pair.similarity, 4),
                "how": pair.how,
                "contribution": round(pair.contribution, 4),
            }
            for pair in alignment.pairs
        ],
    }


# Tiers from the most literal: of two names of one entity that score alike, the answer
# shows the one written most like the query.
METHODS = ("exact", "normalized", "reordered", "phonetic", "acronym", "fuzzy", "partial")


def better(candidate: Candidate, current: Candidate) -> bool:
    """Whether ``candidate`` should stand for its entity instead of ``current``."""
    if candidate.similarity != current.similarity:
        return candidate.similarity > current.similarity
    return METHODS.index(candidate.method) < METHODS.index(current.method)
