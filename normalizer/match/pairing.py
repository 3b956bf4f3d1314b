"""Which words of a query pair with which words of an alias.

The candidate pairs (``match.pair_candidates``) are taken greedily, name words before
optional ones, most similar first. Query words the alias lacks may then be found in
another name of the same entity.
"""

from __future__ import annotations

from dataclasses import dataclass

from normalizer.match.similarity import token_similarity
from normalizer.table.records import AliasRecord
from normalizer.text.normalize import Analysis

# A query word found, as written or respelled, only in another name of the same entity.
BORROWED_SIMILARITY = 0.9
_AS_WRITTEN = frozenset({"exact", "phonetic", "abbreviation", "number", "nickname"})


@dataclass(frozen=True, slots=True)
class Pair:
    """Query tokens paired with alias tokens (none: found in another name), how alike, why."""

    query: tuple[int, ...]
    alias: tuple[int, ...]
    similarity: float
    how: str
    # The share of the query's weight this pair carries, times its similarity.
    contribution: float = 0.0


WeightedPair = tuple[float, Pair]  # the weight of the alias tokens paired, the pair


def pair_greedily(
    query: Analysis, record: AliasRecord, candidates: list[WeightedPair]
) -> tuple[list[Pair], set[int], set[int]]:
    """The best candidates that share no token, and the query and alias positions they use."""

    # Name words first, so that a particle paired as written never keeps "Abdurahim" from
    # "Abd al-Rahim"; then most similar first; among equals, the rarer alias tokens and
    # then single tokens.
    def optional_only(pair: Pair) -> bool:
        return all(query.optional[i] for i in pair.query) and all(
            record.optional[i] for i in pair.alias
        )

    candidates.sort(
        key=lambda item: (
            optional_only(item[1]),
            -item[1].similarity,
            -item[0],
            len(item[1].query) + len(item[1].alias),
        )
    )
    used_q: set[int] = set()
    used_a: set[int] = set()
    pairs: list[Pair] = []
    for _, pair in candidates:
        if used_q.isdisjoint(pair.query) and used_a.isdisjoint(pair.alias):
            pairs.append(pair)
            used_q.update(pair.query)
            used_a.update(pair.alias)
    return pairs, used_q, used_a


def borrowed(
    query: Analysis,
    pairs: list[Pair],
    used: set[int],
    elsewhere: frozenset[str],
    transcribed: int,
) -> list[Pair]:
    """Query words the alias lacks but another name of the same entity has, as written or
    respelled: a nickname beside the surname ("Cuervo Batista" for the alias "El Cuervo"
    of Rogelio Batista). No more of them than the alias's own name words found in the query,
    so that many names of one entity never add up to a name of someone else."""
    if not elsewhere:
        return []
    own = sum(1 for p in pairs if not all(query.optional[i] for i in p.query))
    if not own:
        return []
    found = []
    paired = {query.tokens[i] for i in used}
    for i, token in enumerate(query.tokens):
        # Optional words cost little unmatched; a word the alias already paired once, when
        # the query repeats it, is another person's name ("Nabil Yousef Nabil").
        if i in used or query.optional[i] or token in paired:
            continue
        if any(token_similarity(token, word, transcribed)[1] in _AS_WRITTEN for word in elsewhere):
            found.append(Pair((i,), (), BORROWED_SIMILARITY, "other name"))
    return found if len(found) <= own else []
