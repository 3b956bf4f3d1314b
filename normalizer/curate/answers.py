"""What a table answers to a query, as a curator compares answers: the entity matched and its
score, or no confident match, why (the matcher's decision) and the best candidate, to see
how near it came."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from normalizer.match.matcher import Matcher
from normalizer.match.results import Resolution

# Candidates asked for, as the API's default: the answer a request without a limit gets.
CANDIDATES = 5
# Queries resolved in one batch, as `normalizer resolve` does: a batch shares its fetches.
BATCH = 1000
NO_MATCH = "no confident match"


@dataclass(frozen=True, slots=True)
class Answer:
    """The entity a query resolves to (None: no confident match) and the score; without a
    match, the best candidate, if any, its score and why it is no match
    (``results.ABSTAINED``; two answers that differ only there are the same answer)."""

    entity: str | None
    score: float | None = None
    best: str | None = None
    why: str = field(default="", compare=False)

    def __str__(self) -> str:
        if self.entity is not None:
            return f"{self.entity} {self.score:.4f}"
        if self.best is not None:
            why = f": {self.why}" if self.why else ""
            return f"{NO_MATCH}{why} (best: {self.best} {self.score:.4f})"
        return NO_MATCH


def answer_of(resolution: Resolution) -> Answer:
    if resolution.match is not None:
        return Answer(resolution.match.id, resolution.match.score)
    if resolution.candidates:
        best = resolution.candidates[0]
        return Answer(None, best.score, best.id, resolution.decision)
    return Answer(None)


Question = tuple[str, str | None]  # a query, and the only entity type it may resolve to


def answers(matcher: Matcher, questions: Sequence[Question]) -> list[Answer]:
    """The answer to each question, in order; one batch per entity type. A type the table
    has no entity of gets no match (the API would refuse the request)."""
    found: list[Answer | None] = [None] * len(questions)
    by_type: dict[str | None, list[int]] = {}
    for index, (_, entity_type) in enumerate(questions):
        by_type.setdefault(entity_type, []).append(index)
    known = set(matcher.store.view().meta.types)
    for entity_type, indexes in by_type.items():
        if entity_type is not None and entity_type not in known:
            for index in indexes:
                found[index] = Answer(None)
            continue
        for start in range(0, len(indexes), BATCH):
            batch = indexes[start : start + BATCH]
            names = [questions[index][0] for index in batch]
            resolved = matcher.resolve_many(names, entity_type, CANDIDATES)
            for index, resolution in zip(batch, resolved, strict=True):
                found[index] = answer_of(resolution)
    return [answer for answer in found if answer is not None]
