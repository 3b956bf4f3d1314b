"""The most an alias can score against a query, known before it is aligned.

A query's shortlist holds some twenty aliases, and only the best few entities are shown
(and calibrated): the matcher aligns entities in the order of this bound and stops when no
entity left could reach the ones it keeps. Exact, not a guess: every step below only
loosens what scoring.py computes, so the answers are those of aligning every alias.

An alignment chooses its pairs among the candidate pairs (pair_candidates.candidate_pairs,
found once and handed to align), or borrows a query word from another name of the entity,
so the query and alias words that can be paired at all are known before the choice. A score
grows with the weight of what is paired on either side (its coverage) and is at most the
best pair's similarity times its coverage's power (the smallest exponent scoring uses),
times the penalty of the alias words left over.
"""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from typing import NamedTuple

from normalizer.match.pair_candidates import Alike
from normalizer.match.pairing import BORROWED_SIMILARITY, WeightedPair
from normalizer.match.query import Query
from normalizer.match.scoring import (
    CLASH_EXPONENT,
    PARTIAL_EXPONENT,
    PARTIAL_PENALTY,
    SUPERSET_EXPONENT,
    SUPERSET_EXPONENT_SURE,
    WHOLE_ALIAS,
    WHOLE_TRANSCRIPTION_BONUS,
    plain_weight,
)
from normalizer.table.records import AliasRecord
from normalizer.table.weights import OPTIONAL_WEIGHT
from normalizer.text.normalize import Analysis

# Sums taken in another order than scoring's may differ in the last bits.
ROUNDING = 1e-9


def most_similarity(
    query: Analysis,
    weights: tuple[float, ...],
    record: AliasRecord,
    options: list[WeightedPair],
    alike: Alike,
    elsewhere: frozenset[str],
    transcribed: int,
) -> float:
    """At least the score scoring.align gives ``record`` (with or without a clash), from
    the pairs it chooses among (``options``: pair_candidates.candidate_pairs). ``alike``
    must cover the words of ``elsewhere`` too: a query word found there may be borrowed."""
    if not options:
        return 0.0  # no pair at all: align scores 0, whatever could be borrowed
    query_paired: dict[int, float] = {}  # position -> the most weight a pair gives it
    alias_paired: set[int] = set()
    similarity = 0.0
    for _, pair in options:
        # What scoring lends a query word the table lacks: the plain rarity of its pair.
        share = sum(plain_weight(record, i) for i in pair.alias) / len(pair.query)
        for i in pair.query:
            query_paired[i] = max(query_paired.get(i, 0.0), share)
        alias_paired.update(pair.alias)
        similarity = max(similarity, pair.similarity)
    if elsewhere:
        for i, token in enumerate(query.tokens):
            partners = alike.get(token)
            if partners and not query.optional[i] and not partners.isdisjoint(elsewhere):
                query_paired.setdefault(i, 0.0)
                similarity = max(similarity, BORROWED_SIMILARITY)
    query_coverage = _query_coverage(query, weights, record, query_paired)
    alias_coverage = _share(record.weights, record.optional, alias_paired)
    if alias_coverage + ROUNDING >= WHOLE_ALIAS:
        exponent = min(SUPERSET_EXPONENT_SURE, SUPERSET_EXPONENT, CLASH_EXPONENT)
    else:
        exponent = min(PARTIAL_EXPONENT, CLASH_EXPONENT)
    # The pairs' mean similarity is at most the best one's.
    score: float = similarity * query_coverage**exponent
    score *= 1.0 - PARTIAL_PENALTY * (1.0 - alias_coverage)
    if transcribed:
        score += (1.0 - score) * WHOLE_TRANSCRIPTION_BONUS
    return score + ROUNDING


def _query_coverage(
    query: Analysis, weights: tuple[float, ...], record: AliasRecord, paired: dict[int, float]
) -> float:
    """At least the share of the query's weight that pairs can cover. A word the table
    lacks weighs what scoring gives it: its pair's alias words, or else the alias's
    rarest word."""
    unknown = max(record.weights, default=1.0)
    covered = left = 0.0
    for i, (weight, optional) in enumerate(zip(weights, query.optional, strict=True)):
        factor = OPTIONAL_WEIGHT if optional else 1.0
        if i in paired:
            covered += (weight or max(paired[i], unknown)) * factor
        elif not optional:
            left += (weight or unknown) * factor
    return covered / (covered + left) if covered > 0.0 else 0.0


def _share(weights: tuple[float, ...], optional: tuple[bool, ...], paired: set[int]) -> float:
    """At least the share of the alias's weight that pairs can cover."""
    covered = sum(weights[i] for i in paired)
    left = sum(
        w
        for i, (w, opt) in enumerate(zip(weights, optional, strict=True))
        if not opt and i not in paired
    )
    return covered / (covered + left) if covered > 0.0 else 0.0


class Reach(NamedTuple):
    """The most an alignment of an alias with a query can pair, known before it is aligned:
    the query positions it may pair or borrow, the alias positions it may pair, and whether
    the candidate may be an acronym of the alias."""

    query: frozenset[int]
    alias: frozenset[int]
    acronym: bool


# Whether a record could give a wanted match, given its Reach; the query, the alias and the
# reach, as aligned.score_records asks it.
Worth = Callable[[Query, AliasRecord, Reach], bool]


def reach(
    query: Analysis,
    record: AliasRecord,
    options: list[WeightedPair],
    alike: Alike,
    elsewhere: frozenset[str],
    acronym_scores: dict[int, float],
) -> Reach:
    """What scoring.align may pair of ``record`` (``options``:
    pair_candidates.candidate_pairs; a query word the alias lacks may be borrowed only from
    ``elsewhere``, and only if ``alike`` finds it alike a word there), and whether
    as_candidate may call it an acronym.
    ``alike`` must cover the words of ``elsewhere`` too, as above."""
    query_paired: set[int] = set()
    alias_paired: set[int] = set()
    acronym = record.alias_id in acronym_scores
    for _, pair in options:
        query_paired.update(pair.query)
        alias_paired.update(pair.alias)
        acronym = acronym or pair.how == "acronym"
    for i, token in enumerate(query.tokens):
        partners = alike.get(token)
        if partners and not query.optional[i] and not partners.isdisjoint(elsewhere):
            query_paired.add(i)
    return Reach(frozenset(query_paired), frozenset(alias_paired), acronym)


def written_as(record: AliasRecord, written: str) -> bool:
    """Whether the query (``written``: its text, NFC and stripped) writes the alias exactly:
    a candidate of similarity 1 whatever its alignment."""
    return unicodedata.normalize("NFC", record.text) == written


def entity_bounds(
    query: Query,
    weights: tuple[float, ...],
    entities: dict[str, list[AliasRecord]],
    options: dict[int, list[WeightedPair]],
    alike: Alike,
    elsewhere: dict[int, frozenset[str]],
    written: str,
    acronym_scores: dict[int, float],
) -> dict[str, float]:
    """At least the similarity of each entity's best candidate: the most any of its names
    can score as a candidate (1 if written exactly, else its alignment's bound or its
    acronym score, whichever is higher); -1 for an entity with only names it must not have
    (they bar it, and give no candidate)."""
    if min(weights, default=0.0) < 0.0:  # rarities are positive; if not, no bound holds
        return dict.fromkeys(entities, math.inf)
    most: dict[str, float] = {}
    for entity_id, records in entities.items():
        bound = -1.0
        for record in records:
            if record.negative:
                continue
            if written_as(record, written):
                bound = 1.0
                break
            aligned = most_similarity(
                query.analysis,
                weights,
                record,
                options[record.alias_id],
                alike,
                elsewhere[record.alias_id],
                query.transcribed,
            )
            bound = max(bound, aligned, acronym_scores.get(record.alias_id, 0.0))
        most[entity_id] = bound
    return most


def by_entity(records: list[AliasRecord]) -> dict[str, list[AliasRecord]]:
    """The records of each entity, in their order."""
    grouped: dict[str, list[AliasRecord]] = defaultdict(list)
    for record in records:
        grouped[record.entity_id].append(record)
    return grouped
