"""The shortlist: of the aliases that share keys with a query, the few worth aligning,
ranked by what they share (whole-name hits first, then the rarity of the shared keys)."""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict
from collections.abc import Iterable
from itertools import repeat

from normalizer.match.query import TYPO_WEIGHT, Query
from normalizer.table.records import Postings
from normalizer.table.weights import idf

WHOLE_NAME_BONUS = 100.0


def shortlist(query: Query, found: dict[str, object], total: int, size: int) -> list[int]:
    """The aliases most worth scoring: whole-name hits first, then by shared rare keys."""
    by_token: dict[tuple[int, int], float] = {}
    whole: dict[int, float] = defaultdict(float)
    for key, sources in query.keys.items():
        postings = found.get(key)
        if not isinstance(postings, Postings):
            continue
        if not sources:
            for alias_id in postings.ids:
                whole[alias_id] += WHOLE_NAME_BONUS
            continue
        rarity = idf(postings.size, total)
        for position, weight in sources:
            _share(by_token, position, weight * rarity, postings)
    for position, variants in enumerate(query.typos):
        for key in found.keys() & variants:
            postings = found[key]
            if isinstance(postings, Postings):
                _share(by_token, position, TYPO_WEIGHT * idf(postings.size, total), postings)
    for (_, alias_id), evidence in by_token.items():
        whole[alias_id] += evidence
    # Ties go to the older alias, so that a result never depends on set order. Only the
    # aliases with at least the size-th most evidence are sorted (the many under a common
    # key of a large table are not).
    aliases: Iterable[int] = whole
    if len(whole) > size:
        least = heapq.nlargest(size, whole.values())[-1]
        aliases = itertools.compress(whole, map(least.__le__, whole.values()))
    ranked = sorted([(-whole[alias_id], alias_id) for alias_id in aliases])
    return [alias_id for _, alias_id in ranked[:size]]


def _share(
    by_token: dict[tuple[int, int], float], position: int, evidence: float, postings: Postings
) -> None:
    """What a key the query token at ``position`` shares says for each alias under it: the
    most any of the token's keys says. (Evidence is positive: a slot not yet there is
    added, as it was first met.)"""
    get = by_token.get
    for slot in zip(repeat(position), postings.ids):
        if evidence > get(slot, 0.0):
            by_token[slot] = evidence
